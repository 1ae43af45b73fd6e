import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { describe, it } from "node:test";
import { contentType, LIVE_PATH, notModified, resolveInside, withLiveReload } from "../src/commands/serve.ts";
import { BIN, cli, copyFixture, childEnv, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  /** Everything the server printed so far. */
  readonly output: () => { stdout: string; stderr: string };
  /** Stops it with SIGTERM, as Ctrl-C would, and resolves with its exit code. */
  readonly stop: () => Promise<number | null>;
}

function serve(dir: string, args: readonly string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--now", NOW, ...args], { cwd: dir, env: childEnv(dir) });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`serve did not start: ${stdout} ${stderr}`));
    }, 20_000);
    child.stdout!.on("data", () => {
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      done({
        child,
        base: match[1]!,
        output: () => ({ stdout, stderr }),
        stop: () => {
          child.kill("SIGTERM");
          return exited;
        },
      });
    });
    child.on("close", () => {
      clearTimeout(timer);
      fail(new Error(`serve exited early: ${stdout} ${stderr}`));
    });
  });
}

interface JsonFeed {
  readonly items: readonly { readonly title: string }[];
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("feedwright serve", () => {
  it("media types come from the format table, with charset; RSS and Atom as XML, which a browser shows styled", () => {
    assert.equal(contentType("/rss.xml"), "application/xml; charset=utf-8");
    assert.equal(contentType("/tags/x/atom.xml"), "application/xml; charset=utf-8");
    assert.equal(contentType("/feed.json"), "application/feed+json; charset=utf-8");
    assert.equal(contentType("/index.html"), "text/html; charset=utf-8");
    assert.equal(contentType("/logo.png"), "image/png");
  });

  it("If-None-Match decides alone; If-Modified-Since in whole seconds, ignored when invalid or in the future", () => {
    const at = Date.UTC(2030, 0, 1, 12, 0, 0);
    const seconds = at / 1000;
    const ims = (ms: number) => ({ "if-modified-since": new Date(ms).toUTCString() });
    assert.equal(notModified({ "if-none-match": '"a"' }, '"a"', seconds, at + 5000), true);
    assert.equal(notModified({ "if-none-match": 'W/"a", "b"' }, '"a"', seconds, at + 5000), true);
    assert.equal(notModified({ "if-none-match": '"b"', ...ims(at) }, '"a"', seconds, at + 5000), false, "a matching date does not outvote a different tag");
    assert.equal(notModified(ims(at), '"a"', seconds, at + 5000), true);
    assert.equal(notModified(ims(at - 1000), '"a"', seconds, at + 5000), false);
    assert.equal(notModified(ims(at + 3000), '"a"', seconds, at + 5000), true);
    assert.equal(notModified(ims(at + 60_000), '"a"', seconds, at + 5000), false, "a date from the future is ignored");
    assert.equal(notModified({ "if-modified-since": "yesterday" }, '"a"', seconds, at + 5000), false);
  });

  it("beside a site (feedsUrl: feeds/) it previews the feeds under that path, says so, and sends the site's root there", async () => {
    const dir = copyFixture("cli-site");
    const index = join(dir, "content/_index.md");
    writeFileSync(index, readFileSync(index, "utf8").replace(/^url: (.*)$/m, "url: $1\nfeedsUrl: feeds/"));
    const server = await serve(dir);
    try {
      assert.match(server.output().stdout, /previewing at http:\/\/127\.0\.0\.1:\d+\/feeds\/ \(front door/);
      const root = await fetch(`${server.base}/`, { redirect: "manual" });
      assert.equal(root.status, 302);
      assert.equal(root.headers.get("location"), "/feeds/");
      const front = await fetch(`${server.base}/`);
      assert.equal(front.status, 200);
      assert.match(await front.text(), /<link rel="alternate"/);
      assert.equal((await fetch(`${server.base}/feeds/atom.xml`)).status, 200);
      assert.equal((await fetch(`${server.base}/atom.xml`)).status, 404);
    } finally {
      await server.stop();
    }
  });

  it("never serves outside the preview folder or through a symbolic link", async () => {
    const root = tempDir();
    mkdirSync(join(root, "tags"));
    writeFileSync(join(root, "feed.json"), "{}");
    writeFileSync(join(root, "tags/atom.xml"), "<feed/>");
    symlinkSync("/etc/passwd", join(root, "passwd"));
    symlinkSync("/etc", join(root, "etc"));
    symlinkSync(join(root, "tags"), join(root, "alias"));
    assert.equal(await resolveInside(root, "/feed.json"), join(root, "feed.json"));
    assert.equal(await resolveInside(root, "/tags/atom.xml"), join(root, "tags/atom.xml"));
    for (const path of ["/passwd", "/etc/passwd", "/alias/atom.xml", "/../../etc/passwd", "/tags", "/", "/missing"]) {
      assert.equal(await resolveInside(root, path), undefined, path);
    }
  });

  it("live reload: a script in HTML and in RSS/Atom (XHTML-namespaced), none in JSON", () => {
    const html = withLiveReload("/index.html", "<html><body><p>x</p></body></html>");
    assert.match(html, /<script>new EventSource\("\/__feedwright\/live"\).*<\/script><\/body>/);
    const rss = withLiveReload("/rss.xml", '<?xml version="1.0"?><rss><channel/></rss>');
    assert.match(rss, /<channel\/><script xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" style="display:none">new EventSource.*<\/script><\/rss>$/);
    assert.match(withLiveReload("/tags/x/atom.xml", "<feed></feed>"), /<script xmlns=.*<\/feed>$/);
    assert.equal(withLiveReload("/feed.json", "{}"), "{}");
  });

  it("serves each format with its type, validators and 304; rebuilds after a write; keeps the last good feeds on error", async () => {
    const dir = copyFixture("cli-site");
    const server = await serve(dir);
    try {
      assert.match(server.output().stdout, /^feedwright: 3 articles read/);
      for (const [path, type] of [
        ["/rss.xml", "application/xml; charset=utf-8"],
        ["/atom.xml", "application/xml; charset=utf-8"],
        ["/feed.json", "application/feed+json; charset=utf-8"],
      ] as const) {
        const res = await fetch(`${server.base}${path}`);
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get("content-type"), type);
        assert.match(res.headers.get("etag") ?? "", /^"[\w-]+"$/);
        assert.ok(!Number.isNaN(Date.parse(res.headers.get("last-modified") ?? "")));
        await res.arrayBuffer();
      }
      const first = await fetch(`${server.base}/feed.json`);
      const etag = first.headers.get("etag")!;
      const modified = first.headers.get("last-modified")!;
      assert.equal(((await first.json()) as JsonFeed).items.length, 2);

      const byTag = await fetch(`${server.base}/feed.json`, { headers: { "if-none-match": etag } });
      assert.equal(byTag.status, 304);
      assert.equal(await byTag.text(), "");
      const byDate = await fetch(`${server.base}/feed.json`, { headers: { "if-modified-since": modified } });
      assert.equal(byDate.status, 304);
      const stale = await fetch(`${server.base}/feed.json`, { headers: { "if-none-match": '"something-else"' } });
      assert.equal(stale.status, 200);
      await stale.arrayBuffer();
      assert.equal((await fetch(`${server.base}/../package.json`)).status, 404);
      assert.equal((await fetch(`${server.base}/nothing.xml`)).status, 404);
      assert.equal((await fetch(`${server.base}/feed.json`, { method: "POST" })).status, 405);

      writeFileSync(join(dir, "content/2023-04-01-fresh.md"), "---\ntitle: Fresh\ndate: 2023-04-01\n---\nJust written.\n");
      const rebuilt = await eventually("the rebuild", async () => {
        const res = await fetch(`${server.base}/feed.json`, { headers: { "if-none-match": etag } });
        if (res.status === 304) return undefined;
        return { etag: res.headers.get("etag")!, feed: (await res.json()) as JsonFeed };
      });
      assert.notEqual(rebuilt.etag, etag);
      assert.deepEqual(rebuilt.feed.items.map((i) => i.title), ["Fresh", "Second post", "First post"]);

      writeFileSync(join(dir, "content/broken.md"), "---\ntitle: Broken\n---\nNo date.\n");
      await eventually("the error", async () => (server.output().stderr.includes("content/broken.md:1 date: is required") ? true : undefined));
      assert.match(server.output().stderr, /feedwright: 1 error; still serving the last good preview\n/);
      const still = await fetch(`${server.base}/feed.json`);
      assert.equal(still.headers.get("etag"), rebuilt.etag);
      assert.equal(((await still.json()) as JsonFeed).items.length, 3);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.match(server.output().stdout, /feedwright: stopped\n$/);
    assert.equal(existsSync(join(dir, "dist")), false, "the preview never writes the output folder");
  });

  it("a preview: its own URLs, drafts and future articles with -D -F, live reload events, no 404 while rebuilding", async () => {
    const dir = copyFixture("cli-site");
    writeFileSync(join(dir, "content/2031-01-01-later.md"), "---\ntitle: Later\ndate: 2031-01-01\n---\nScheduled.\n");
    const server = await serve(dir, ["-D", "-F"]);
    let polling = true;
    let poller: Promise<void> = Promise.resolve();
    try {
      const feed = (await (await fetch(`${server.base}/feed.json`)).json()) as { feed_url: string; items: { url: string; title: string }[] };
      assert.equal(feed.feed_url, `${server.base}/feed.json`);
      assert.deepEqual(feed.items.map((i) => i.title), ["Later", "Unfinished", "Second post", "First post"]);
      assert.ok(feed.items.every((i) => i.url.startsWith(`${server.base}/`)));
      const page = await fetch(`${server.base}/rss.xml`, { headers: { accept: "text/html,application/xhtml+xml" } });
      assert.match(await page.text(), new RegExp(`href="${server.base}/feed.css"[\\s\\S]*<script xmlns="http://www.w3.org/1999/xhtml"`));
      assert.doesNotMatch(await (await fetch(`${server.base}/rss.xml`)).text(), /<script/, "feed readers get the feed as built");

      const events = await new Promise<{ next: () => Promise<string>; close: () => void }>((done, fail) => {
        const req = request(`${server.base}${LIVE_PATH}`, (res) => {
          let buffer = "";
          let waiting: ((event: string) => void) | undefined;
          res.setEncoding("utf8").on("data", (chunk: string) => {
            buffer += chunk;
            if (waiting !== undefined && buffer.includes("event: rebuilt")) waiting(buffer);
          });
          done({ next: () => new Promise((got) => (buffer.includes("event: rebuilt") ? got(buffer) : (waiting = got))), close: () => req.destroy() });
        });
        req.on("error", fail);
        req.end();
      });
      // Rebuilds while a reader polls: every answer is a whole feed, never 404 or 500.
      const statuses = new Set<number>();
      poller = (async () => {
        while (polling) {
          const res = await fetch(`${server.base}/feed.json`);
          statuses.add(res.status);
          if (res.status === 200) JSON.parse(await res.text());
          else await res.arrayBuffer();
        }
      })();
      for (let i = 0; i < 4; i++) {
        writeFileSync(join(dir, `content/2023-04-0${i + 1}-edit-${i}.md`), `---\ntitle: Edit ${i}\ndate: 2023-04-0${i + 1}\n---\nBody ${i}.\n`);
        await new Promise((r) => setTimeout(r, 400));
      }
      const event = await Promise.race([events.next(), new Promise<string>((_, fail) => setTimeout(() => fail(new Error("no rebuilt event")), 15_000))]);
      assert.match(event, /event: rebuilt\ndata: \d+\n\n/);
      events.close();
      await eventually("the last edit", async () => (((await (await fetch(`${server.base}/feed.json`)).json()) as JsonFeed).items.some((i) => i.title === "Edit 3") ? true : undefined));
      polling = false;
      await poller;
      assert.deepEqual([...statuses], [200]);
    } finally {
      polling = false;
      await poller.catch(() => undefined);
      assert.equal(await server.stop(), 0);
    }
    assert.equal(existsSync(join(dir, "dist")), false);
  });

  it("a bad --port is a usage error; a port in use is reported", async () => {
    const dir = copyFixture("cli-site");
    const bad = await cli(["serve", "--port", "http"], dir);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, `feedwright: serve: --port: expected a port number from 0 to 65535 (got "http")\n`);
    const first = await serve(dir);
    try {
      const port = new URL(first.base).port;
      const second = await cli(["serve", "--port", port, "--now", NOW], dir);
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE; try another --port`));
    } finally {
      await first.stop();
    }
  });
});
