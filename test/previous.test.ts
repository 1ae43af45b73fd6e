import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { parseFeed, readOutDir, readPrevious } from "../src/guard/previous.ts";
import { formatProblem } from "../src/problems.ts";
import { ROOT, tempDir } from "./helpers/cli.ts";

const HUGO_RSS = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Old blog</title>
    <link>https://old.example.org/</link>
    <item>
      <title>Rust 1.0 &amp; me</title>
      <link>https://old.example.org/posts/rust-1.0/</link>
      <pubDate>Fri, 15 May 2015 09:30:00 +0200</pubDate>
      <guid>https://old.example.org/posts/rust-1.0/</guid>
    </item>
  </channel>
</rss>`;

const WORDPRESS_RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>WP</title><link>https://wp.example.org</link>
<item><title>Hello world!</title><link>https://wp.example.org/2016/03/hello-world/</link>
<dc:creator><![CDATA[admin]]></dc:creator><pubDate>Thu, 10 Mar 2016 12:00:00 +0000</pubDate>
<guid isPermaLink="false">https://wp.example.org/?p=1</guid></item>
<item><title>Only a link</title><link>https://wp.example.org/only-link/</link><dc:date>2016-04-01T00:00:00Z</dc:date></item>
<item><title>No id at all</title></item>
</channel></rss>`;

describe("--previous reads RSS 2.0", () => {
  it("as Hugo writes it: guid, link, title, pubDate", () => {
    const read = parseFeed("old.xml", HUGO_RSS);
    assert.ok(read.ok);
    assert.equal(read.value.siteUrl, "https://old.example.org/");
    assert.deepEqual(read.value.items, [{ id: "https://old.example.org/posts/rust-1.0/", url: "https://old.example.org/posts/rust-1.0/", title: "Rust 1.0 & me", published: Date.UTC(2015, 4, 15, 7, 30) }]);
  });

  it("as WordPress writes it: a guid that is not a link; an item with only a link is known by it", () => {
    const read = parseFeed("wp.xml", WORDPRESS_RSS);
    assert.ok(read.ok);
    assert.deepEqual(
      read.value.items.map((i) => [i.id, i.url, i.published]),
      [
        ["https://wp.example.org/?p=1", "https://wp.example.org/2016/03/hello-world/", Date.UTC(2016, 2, 10, 12)],
        ["https://wp.example.org/only-link/", "https://wp.example.org/only-link/", Date.UTC(2016, 3, 1)],
      ],
    );
  });

  it("our own rss.xml gives the same ids, titles and dates as our feed.json", () => {
    const rss = parseFeed("rss.xml", readFileSync(join(ROOT, "dist/rss.xml"), "utf8"));
    const json = parseFeed("feed.json", readFileSync(join(ROOT, "dist/feed.json"), "utf8"));
    assert.ok(rss.ok && json.ok);
    assert.ok(rss.value.items.length > 0);
    assert.deepEqual(
      rss.value.items.map((i) => [i.id, i.title, i.published]),
      json.value.items.map((i) => [i.id, i.title, i.published]),
    );
  });
});

describe("--previous says what was wrong", () => {
  const file = (name: string, text: string | Buffer) => {
    const path = join(tempDir(), name);
    writeFileSync(path, text);
    return path;
  };
  const message = async (location: string, limits?: Parameters<typeof readPrevious>[1]) => {
    const read = await readPrevious(location, limits);
    assert.equal(read.ok, false);
    return read.problems.map(formatProblem).join("\n");
  };

  it("an empty file, a broken JSON Feed, broken XML, a page", async () => {
    const empty = file("feed.xml", "");
    assert.equal(await message(empty), `--previous ${empty}: not a feed: it is empty`);
    const json = file("feed.json", `{\n  "items": [\n    {"id": "a",}\n  ]\n}`);
    assert.equal(await message(json), `--previous ${json}: not a JSON Feed: invalid JSON at line 3, column 16`);
    const xml = file("atom.xml", `<feed xmlns="http://www.w3.org/2005/Atom"><entry>`);
    assert.match(await message(xml), new RegExp(`^--previous ${xml}: not a feed: not well-formed XML \\(.+\\); expected RSS 2\\.0 \\(<rss>\\), Atom 1\\.0 \\(<feed>\\) or JSON Feed$`));
    const folder = tempDir();
    assert.equal(await message(folder), `--previous ${folder}: cannot read: not a regular file`);
  });

  it("a file over the cap is refused before it is read", async () => {
    const big = file("big.xml", Buffer.alloc(2 * 1024 * 1024, 32));
    assert.equal(await message(big, { maxBytes: 1024 * 1024, timeoutMs: 1000 }), `--previous ${big}: larger than 1 MiB, the most a feed read for the id guard may have (decompressed)`);
  });

  it("a damaged feed.json in the output folder names itself and the way out", async () => {
    const out = tempDir();
    writeFileSync(join(out, "feed.json"), "{");
    const read = await readOutDir(out, "dist");
    assert.ok(read !== undefined && !read.ok);
    assert.match(formatProblem(read.problems[0]!), /^dist\/feed\.json not a JSON Feed: invalid JSON.*; the id guard compares with it \(delete it, or pass --previous with the published feed\)$/);
  });

  it("reads the site's and the archives' feeds, never tags/, bookkeeping, a link or a FIFO", { timeout: 20_000 }, async () => {
    const out = tempDir();
    const feed = (...ids: string[]) => JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "t", home_page_url: "https://example.org/", items: ids.map((id) => ({ id, url: id, title: id })) });
    const put = (path: string, text: string) => {
      mkdirSync(join(out, path, ".."), { recursive: true });
      writeFileSync(join(out, path), text);
    };
    put("feed.json", feed("https://example.org/a/"));
    put("archive/1/feed.json", feed("https://example.org/b/"));
    put("tags/x/feed.json", feed("https://example.org/tag-only/"));
    put(".feedwright-staging/files/feed.json", feed("https://example.org/staged/"));
    put("elsewhere.json", feed("https://example.org/linked/"));
    mkdirSync(join(out, "archive/2"));
    symlinkSync(join(out, "elsewhere.json"), join(out, "archive/2/feed.json"));
    mkdirSync(join(out, "archive/3"));
    // Opened for reading, a FIFO without a writer would block the build for ever.
    if (spawnSync("mkfifo", [join(out, "archive/3/feed.json")]).status !== 0) return;
    const read = await readOutDir(out, "dist");
    assert.ok(read?.ok === true, JSON.stringify(read));
    assert.deepEqual(read.value.items.map((item) => item.id).sort(), ["https://example.org/a/", "https://example.org/b/"]);
  });
});

describe("--previous over http: bounded in size and time", () => {
  let server: Server;
  let base = "";
  const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 32));
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/bomb.xml") res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" }).end(bomb);
      else if (req.url === "/endless.xml") {
        res.writeHead(200, { "content-type": "application/rss+xml" });
        const chunk = Buffer.alloc(64 * 1024, 32);
        const more = () => {
          while (res.write(chunk)) {}
        };
        res.on("drain", more);
        more();
      } else if (req.url === "/hang.xml") {
        // Never answers.
      } else res.writeHead(200, { "content-type": "application/rss+xml" }).end(HUGO_RSS);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((done) => server.close(() => done()));
  });
  const limits = { maxBytes: 1024 * 1024, timeoutMs: 1500 };

  it("reads an RSS feed", async () => {
    const read = await readPrevious(`${base}/rss.xml`, limits);
    assert.ok(read.ok);
    assert.equal(read.value.items.length, 1);
  });

  it("a gzip bomb is cut off at the cap, decompressed", async () => {
    const read = await readPrevious(`${base}/bomb.xml`, limits);
    assert.ok(!read.ok);
    assert.equal(formatProblem(read.problems[0]!), `--previous ${base}/bomb.xml: larger than 1 MiB, the most a feed read for the id guard may have (decompressed)`);
  });

  it("an endless body is cut off at the cap", async () => {
    const read = await readPrevious(`${base}/endless.xml`, limits);
    assert.ok(!read.ok);
    assert.match(formatProblem(read.problems[0]!), /larger than 1 MiB/);
  });

  it("a server that never answers: a message in words, within the timeout", async () => {
    const started = performance.now();
    const read = await readPrevious(`${base}/hang.xml`, { maxBytes: 1024, timeoutMs: 300 });
    assert.ok(performance.now() - started < 5000);
    assert.ok(!read.ok);
    assert.equal(formatProblem(read.problems[0]!), `--previous ${base}/hang.xml: cannot fetch: no complete answer within 0.3 s`);
  });

  it("a refused connection", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const read = await readPrevious(`http://127.0.0.1:${port}/feed.xml`, limits);
    assert.ok(!read.ok);
    assert.equal(formatProblem(read.problems[0]!), `--previous http://127.0.0.1:${port}/feed.xml: cannot fetch: connection refused (ECONNREFUSED)`);
  });
});
