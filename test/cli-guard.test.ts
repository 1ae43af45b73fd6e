import assert from "node:assert/strict";
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import { copyFixture, cli, snapshot, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";
const FIRST = "content/2023-01-10-first-post.md";

/** A project whose dist/ holds the published feeds of the fixture site. */
async function published(): Promise<string> {
  const dir = copyFixture("cli-site");
  const run = await cli(["build", "--now", NOW], dir);
  assert.equal(run.status, 0, run.stderr);
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));
}

function changedId(file: string, from: string, to: string, title: string): string {
  return (
    `${file} id: changed from ${from} (as published in dist/feed.json) to ${to}. Feed readers know an article by its id alone: ` +
    `every subscriber would get ${JSON.stringify(title)} again as a new, unread article, beside the copy they have. ` +
    `To keep its identity, pin the old id in its front matter: id: "${from}"; if the change is deliberate, run again with --accept-id-changes`
  );
}

/** The build fails with exactly these lines, and dist/ is left as it was. */
async function assertRefused(dir: string, args: readonly string[], lines: readonly string[]): Promise<void> {
  const before = snapshot(join(dir, "dist"));
  const run = await cli(["build", "--now", NOW, ...args], dir);
  assert.equal(run.status, 1, run.stderr);
  assert.deepEqual(run.stderr.trimEnd().split("\n"), lines);
  assert.deepEqual(snapshot(join(dir, "dist")), before);
}

describe("id-drift guard", () => {
  it("a renamed file: refused with the way to pin the old id; pinning it lets the build through", async () => {
    const dir = await published();
    renameSync(join(dir, FIRST), join(dir, "content/2023-01-10-hello.md"));
    await assertRefused(dir, [], [
      changedId("content/2023-01-10-hello.md", "https://example.org/first-post/", "https://example.org/hello/", "First post"),
      "feedwright: 1 error; dist/ left as it was",
    ]);
    edit(dir, "content/2023-01-10-hello.md", (t) => t.replace("title: First post\n", `title: First post\nid: "https://example.org/first-post/"\n`));
    const pinned = await cli(["build", "--now", NOW], dir);
    assert.equal(pinned.status, 0, pinned.stderr);
    const item = JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")).items.find((i: { title: string }) => i.title === "First post");
    assert.deepEqual([item.id, item.url], ["https://example.org/first-post/", "https://example.org/hello/"]);
  });

  it("a changed slug", async () => {
    const dir = await published();
    edit(dir, FIRST, (t) => t.replace("tags: [news]\n", "tags: [news]\nslug: premier\n"));
    await assertRefused(dir, [], [changedId(FIRST, "https://example.org/first-post/", "https://example.org/premier/", "First post"), "feedwright: 1 error; dist/ left as it was"]);
  });

  it("a changed permalink pattern: every published article; --accept-id-changes lets it through as warnings", async () => {
    const dir = await published();
    edit(dir, "content/_index.md", (t) => t.replace("permalink: /:slug/", "permalink: /:year/:slug/"));
    await assertRefused(dir, [], [
      changedId(FIRST, "https://example.org/first-post/", "https://example.org/2023/first-post/", "First post"),
      changedId("content/2023-02-20-second-post.md", "https://example.org/second-post/", "https://example.org/2023/second-post/", "Second post"),
      "feedwright: 2 errors; dist/ left as it was",
    ]);
    const accepted = await cli(["build", "--now", NOW, "--accept-id-changes"], dir);
    assert.equal(accepted.status, 0, accepted.stderr);
    const warnings = accepted.stderr.trimEnd().split("\n");
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /^content\/2023-01-10-first-post\.md warning: id: changed from .*; accepted with --accept-id-changes$/);
    assert.match(JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")).items[0].id, /\/2023\//);
    // Accepted once, the new ids are what the next build compares with.
    assert.equal((await cli(["build", "--now", NOW], dir)).stderr, "");
  });

  it("a changed site URL: each article, and a note on the site URL", async () => {
    const dir = await published();
    edit(dir, "content/_index.md", (t) => t.replace("url: https://example.org/", "url: https://blog.example.net/"));
    await assertRefused(dir, [], [
      changedId(FIRST, "https://example.org/first-post/", "https://blog.example.net/first-post/", "First post"),
      changedId("content/2023-02-20-second-post.md", "https://example.org/second-post/", "https://blog.example.net/second-post/", "Second post"),
      "content/_index.md url: dist/feed.json was built for https://example.org/ and this build is for https://blog.example.net/, which changes the id of every article whose id is its URL. " +
        "If dist/feed.json came from a deploy preview, build the preview elsewhere (--out) or delete it; if the site moved, pin each article's old id",
      "feedwright: 3 errors; dist/ left as it was",
    ]);
  });

  it("a deploy preview (--site-url) is not guarded: nobody subscribes to it", async () => {
    const dir = await published();
    const preview = await cli(["build", "--now", NOW, "--site-url", "https://deploy-preview-7.example.net/", "--out", "preview"], dir);
    assert.equal(preview.status, 0, preview.stderr);
    assert.equal(preview.stderr, "");
    const inPlace = await cli(["build", "--now", NOW, "--site-url", "https://deploy-preview-7.example.net/"], dir);
    assert.equal(inPlace.status, 0, inPlace.stderr);
  });

  it("a published article that disappeared; a draft is a deliberate withdrawal", async () => {
    const dir = await published();
    const second = "content/2023-02-20-second-post.md";
    const text = readFileSync(join(dir, second), "utf8");
    rmSync(join(dir, second));
    await assertRefused(dir, [], [
      `dist/feed.json "Second post" (https://example.org/second-post/) was published and is gone from the content: subscribers keep the copy they have, and it can no longer be corrected. ` +
        `If it moved, keep its title and date, or pin its id: "https://example.org/second-post/"; to withdraw it, keep the file with draft: true; if the change is deliberate, run again with --accept-id-changes`,
      "feedwright: 1 error; dist/ left as it was",
    ]);
    writeFileSync(join(dir, second), text.replace("date: 2023-02-20 18:30\n", "date: 2023-02-20 18:30\ndraft: true\n"));
    const withdrawn = await cli(["build", "--now", NOW], dir);
    assert.equal(withdrawn.status, 0, withdrawn.stderr);
  });

  it("an article that takes a published article's id", async () => {
    const dir = await published();
    edit(dir, FIRST, (t) => t.replace("tags: [news]\n", "tags: [news]\nslug: premier\nid: \"https://example.org/premier/\"\n"));
    writeFileSync(join(dir, "content/2023-04-01-impostor.md"), `---\ntitle: Impostor\ndate: 2023-04-01\nid: "https://example.org/first-post/"\n---\nHi.\n`);
    const run = await cli(["build", "--now", NOW], dir);
    assert.equal(run.status, 1);
    assert.ok(run.stderr.includes(`content/2023-04-01-impostor.md id: takes the id https://example.org/first-post/, which dist/feed.json gave to "First post" (now ${FIRST}).`), run.stderr);
  });

  it("SOURCE_DATE_EPOCH=315532800 (1980) would schedule every published article: refused, naming it", async () => {
    const dir = await published();
    const before = snapshot(join(dir, "dist"));
    const run = await cli(["build"], dir, { SOURCE_DATE_EPOCH: "315532800" });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^SOURCE_DATE_EPOCH SOURCE_DATE_EPOCH=315532800 sets now to 1980-01-01T00:00:00Z, before the date of 2 articles that dist\/feed\.json published: /);
    assert.deepEqual(snapshot(join(dir, "dist")), before);
    const huge = await cli(["build"], dir, { SOURCE_DATE_EPOCH: "99999999999999999999" });
    assert.equal(huge.status, 2);
    assert.match(huge.stderr, /^feedwright: SOURCE_DATE_EPOCH=99999999999999999999: out of range/);
  });

  it("check runs the guard too", async () => {
    const dir = await published();
    renameSync(join(dir, FIRST), join(dir, "content/2023-01-10-hello.md"));
    const run = await cli(["check", "--now", NOW], dir);
    assert.equal(run.status, 1);
    assert.ok(run.stderr.startsWith("content/2023-01-10-hello.md id: changed from https://example.org/first-post/"), run.stderr);
    assert.match(run.stderr, /feedwright: check failed: 1 error; dist\/ is out of date/);
  });
});

describe("--previous: the published feed, for sites that do not commit dist/", () => {
  it("a file: the Atom feed as published", async () => {
    const dir = await published();
    const live = join(tempDir(), "atom.xml");
    cpSync(join(dir, "dist/atom.xml"), live);
    rmSync(join(dir, "dist"), { recursive: true });
    renameSync(join(dir, FIRST), join(dir, "content/2023-01-10-hello.md"));
    const run = await cli(["check", "--now", NOW, "--previous", live], dir);
    assert.equal(run.status, 1);
    assert.ok(run.stderr.startsWith(`content/2023-01-10-hello.md id: changed from https://example.org/first-post/ (as published in ${live}) to https://example.org/hello/.`), run.stderr);
  });

  it("an http URL, fetched from a server on 127.0.0.1", async () => {
    const dir = await published();
    const atom = readFileSync(join(dir, "dist/atom.xml"));
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (req.url === "/atom.xml") res.writeHead(200, { "content-type": "application/atom+xml; charset=utf-8" }).end(atom);
      else res.writeHead(404).end();
    });
    await listen(server);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      rmSync(join(dir, "dist"), { recursive: true });
      const same = await cli(["build", "--now", NOW, "--previous", `${base}/atom.xml`], dir);
      assert.equal(same.status, 0, same.stderr);
      edit(dir, FIRST, (t) => t.replace("tags: [news]\n", "tags: [news]\nslug: premier\n"));
      const drifted = await cli(["build", "--now", NOW, "--previous", `${base}/atom.xml`], dir);
      assert.equal(drifted.status, 1);
      assert.ok(drifted.stderr.startsWith(`${FIRST} id: changed from https://example.org/first-post/ (as published in ${base}/atom.xml) to https://example.org/premier/.`), drifted.stderr);
      const missing = await cli(["build", "--now", NOW, "--previous", `${base}/nothing.xml`], dir);
      assert.equal(missing.status, 1);
      assert.equal(missing.stderr.split("\n")[0], `--previous ${base}/nothing.xml: cannot fetch: HTTP 404 Not Found`);
      assert.deepEqual(requests, ["GET /atom.xml", "GET /atom.xml", "GET /nothing.xml"]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it("a file that is not a feed, and one that does not exist", async () => {
    const dir = await published();
    const notFeed = join(tempDir(), "page.html");
    writeFileSync(notFeed, "<html><body>hi</body></html>");
    const run = await cli(["build", "--now", NOW, "--previous", notFeed], dir);
    assert.equal(run.status, 1);
    assert.equal(run.stderr.split("\n")[0], `--previous ${notFeed}: not a feed: the root element is <html>; expected RSS 2.0 (<rss>), Atom 1.0 (<feed>) or JSON Feed. Is this the feed's address, not a page's?`);
    const none = await cli(["build", "--now", NOW, "--previous", join(dir, "nope.xml")], dir);
    assert.equal(none.status, 1);
    assert.equal(none.stderr.split("\n")[0], `--previous ${join(dir, "nope.xml")}: cannot read: no such file (ENOENT)`);
  });
});

function listen(server: Server): Promise<void> {
  return new Promise((done) => server.listen(0, "127.0.0.1", done));
}
