import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { contentType } from "../src/commands/serve.ts";
import { BIN, copyFixture, runCli, childEnv } from "./helpers/cli.ts";

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
  it("media types come from the format table, with charset", () => {
    assert.equal(contentType("/rss.xml"), "application/rss+xml; charset=utf-8");
    assert.equal(contentType("/tags/x/atom.xml"), "application/atom+xml; charset=utf-8");
    assert.equal(contentType("/feed.json"), "application/feed+json; charset=utf-8");
    assert.equal(contentType("/index.html"), "text/html; charset=utf-8");
    assert.equal(contentType("/logo.png"), "image/png");
  });

  it("serves each format with its type, validators and 304; rebuilds after a write; keeps the last good feeds on error", async () => {
    const dir = copyFixture("cli-site");
    const server = await serve(dir);
    try {
      assert.match(server.output().stdout, /^feedwright: 3 articles read/);
      for (const [path, type] of [
        ["/rss.xml", "application/rss+xml; charset=utf-8"],
        ["/atom.xml", "application/atom+xml; charset=utf-8"],
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

      writeFileSync(join(dir, "content/2023-05-01-broken.md"), "---\ntitle: Broken\n---\nNo date.\n");
      await eventually("the error", async () => (server.output().stderr.includes("content/2023-05-01-broken.md:1 date: is required") ? true : undefined));
      assert.match(server.output().stderr, /feedwright: 1 error; dist\/ left as it was; still serving the last good feeds\n/);
      const still = await fetch(`${server.base}/feed.json`);
      assert.equal(still.headers.get("etag"), rebuilt.etag);
      assert.equal(((await still.json()) as JsonFeed).items.length, 3);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.match(server.output().stdout, /feedwright: stopped\n$/);
  });

  it("a bad --port is a usage error; a port in use is reported", async () => {
    const dir = copyFixture("cli-site");
    const bad = runCli(["serve", "--port", "http"], dir);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, `feedwright: serve: --port: expected a port number from 0 to 65535 (got "http")\n`);
    const first = await serve(dir);
    try {
      const port = new URL(first.base).port;
      const second = runCli(["serve", "--port", port, "--now", NOW], dir);
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE; try another --port`));
    } finally {
      await first.stop();
    }
  });
});
