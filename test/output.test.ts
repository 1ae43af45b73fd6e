/**
 * The output folder belongs to the user: feedwright replaces and removes only the files its
 * manifest lists, refuses folders that are the project itself, and takes the folder as the user
 * set it up (a link to a deploy folder, never a file). In process, on publish() itself, except
 * for one end-to-end run per promise a user sees.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isRunning, ownerOf, takeLock } from "../src/output/lock.ts";
import { MANIFEST_FILE } from "../src/output/bookkeeping.ts";
import { renderManifest } from "../src/output/manifest.ts";
import { outDirRefusal } from "../src/output/place.ts";
import { publish, type OutputFile } from "../src/output/publish.ts";
import { cli, snapshot, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

const files = (entries: Record<string, string>): OutputFile[] => Object.entries(entries).map(([path, content]) => ({ path, content }));

/** A site generator's output: files at the top, in subfolders, and inside a folder feedwright also writes into. */
function foreignSite(): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries({ "index.html": "<h1>Hugo</h1>", "posts/a/index.html": "post", "tags/a/index.html": "hugo tag page", "tags/gone/index.html": "hugo's", "sub/.git/HEAD": "ref: main" })) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // Old times, so a rewrite would show.
  for (const path of ["index.html", "posts/a/index.html", "tags/a/index.html"]) utimesSync(join(dir, path), 1e9, 1e9);
  return dir;
}

function foreignOf(dir: string) {
  return new Map([...snapshot(dir)].filter(([path]) => !/(^|\/)(rss\.xml|feed\.json)$/.test(path) && path !== MANIFEST_FILE));
}

describe("feedwright owns only what it wrote", () => {
  it("files of another generator stay byte-identical, times included, through a build and a rebuild that drops a tag feed", async () => {
    const dir = foreignSite();
    const before = snapshot(dir);
    await publish(dir, files({ "rss.xml": "site v1", "tags/a/rss.xml": "a v1", "tags/gone/rss.xml": "gone v1", "tags/gone/feed.json": "{}" }));
    assert.deepEqual(foreignOf(dir), before);
    assert.equal(readFileSync(join(dir, MANIFEST_FILE), "utf8"), renderManifest(["rss.xml", "tags/a/rss.xml", "tags/gone/feed.json", "tags/gone/rss.xml"]));
    const report = await publish(dir, files({ "rss.xml": "site v2", "tags/a/rss.xml": "a v1" }));
    assert.deepEqual(report.changed, ["rss.xml", "tags/gone/feed.json", "tags/gone/rss.xml"]);
    assert.deepEqual(foreignOf(dir), before);
    assert.equal(existsSync(join(dir, "tags/gone/rss.xml")), false);
    assert.equal(readFileSync(join(dir, "tags/gone/index.html"), "utf8"), "hugo's", "a folder holding someone else's file stays");
    assert.equal(readFileSync(join(dir, "rss.xml"), "utf8"), "site v2");
    assert.deepEqual(snapshot(dir).has(".feedwright-staging") || existsSync(join(dir, ".feedwright-lock")), false);
  });

  it("a file it did not write, in the place of one it writes, is refused with nothing touched; the same bytes are adopted", async () => {
    const dir = foreignSite();
    const before = snapshot(dir);
    await assert.rejects(publish(dir, files({ "rss.xml": "new", "index.html": "front door" })), (e: Error) => {
      assert.match(e.message, /^cannot publish to .*: feedwright did not write this file, so it leaves it alone: index\.html; move it away, or choose another --out; .* left as it was$/);
      return true;
    });
    assert.deepEqual(snapshot(dir), before);
    // The same bytes: nothing to lose, so it becomes feedwright's, and goes when feedwright drops it.
    await publish(dir, files({ "rss.xml": "new", "posts/a/index.html": "post" }));
    assert.equal(statSync(join(dir, "posts/a/index.html")).mtimeMs, before.get("posts/a/index.html")!.mtimeMs);
    await publish(dir, files({ "rss.xml": "new" }));
    assert.equal(existsSync(join(dir, "posts/a/index.html")), false);
  });

  it("never writes through a linked folder, nor follows a path from a hand-edited manifest out of the folder", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, "rss.xml"), "outside");
    const dir = tempDir();
    symlinkSync(outside, join(dir, "tags"));
    await assert.rejects(publish(dir, files({ "rss.xml": "x", "tags/rss.xml": "y" })), /tags \(a symbolic link\)/);
    // In the way of several files, it is named once.
    await assert.rejects(publish(dir, files({ "rss.xml": "x", "tags/a/rss.xml": "y", "tags/b/rss.xml": "z", "tags/b/atom.xml": "w" })), (e: Error) => /did not write this file, so it leaves it alone: tags \(a symbolic link\); move it away/.test(e.message));
    assert.equal(readFileSync(join(outside, "rss.xml"), "utf8"), "outside");
    rmSync(join(dir, "tags"));
    await publish(dir, files({ "rss.xml": "x" }));
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ generator: "feedwright", format: 1, files: ["rss.xml", `../${outside.split("/").pop()}/rss.xml`] }));
    await publish(dir, files({ "atom.xml": "z" }));
    assert.equal(readFileSync(join(outside, "rss.xml"), "utf8"), "outside");
  });

  it("a folder an older feedwright wrote whole is taken over: its stale feeds are removed; any other unlisted folder keeps them", async () => {
    const legacy = tempDir();
    mkdirSync(join(legacy, "tags/old"), { recursive: true });
    writeFileSync(join(legacy, "atom.xml"), `<?xml version="1.0"?><feed><generator>feedwright</generator></feed>`);
    writeFileSync(join(legacy, "tags/old/atom.xml"), "stale");
    await publish(legacy, files({ "atom.xml": "<feed/>", "tags/new/atom.xml": "n" }));
    assert.equal(existsSync(join(legacy, "tags/old")), false);
    const other = tempDir();
    writeFileSync(join(other, "atom.xml"), "<feed><generator>Hugo</generator></feed>");
    writeFileSync(join(other, "notes.txt"), "mine");
    await assert.rejects(publish(other, files({ "atom.xml": "<feed/>" })), /did not write this file.*atom\.xml/);
    assert.equal(readFileSync(join(other, "atom.xml"), "utf8"), "<feed><generator>Hugo</generator></feed>");
  });

  it("a hand edit that keeps size and modification time is still seen, and undone", async () => {
    const dir = tempDir();
    const doc = (text: string) => [{ path: "rss.xml", digest: "d1", render: async () => [text] }];
    const first = await publish(dir, doc("Signal"));
    // `touch -r` copies the times to the nanosecond, as a careful hand edit would.
    const ref = join(tempDir(), "ref");
    spawnSync("touch", ["-r", join(dir, "rss.xml"), ref]);
    writeFileSync(join(dir, "rss.xml"), "Sxgnal");
    assert.equal(spawnSync("touch", ["-r", ref, join(dir, "rss.xml")]).status, 0);
    assert.equal(statSync(join(dir, "rss.xml")).mtimeMs, first.records.get("rss.xml")!.mtimeMs);
    const again = await publish(dir, doc("Signal"), { previous: first.records });
    assert.deepEqual(again.changed, ["rss.xml"]);
    assert.equal(readFileSync(join(dir, "rss.xml"), "utf8"), "Signal");
    // Untouched since: not even rendered.
    const third = await publish(dir, doc("Signal"), { previous: again.records });
    assert.equal(third.skipped, 1);
  });
});

describe("a file written from its pieces", () => {
  // Pieces around the 64 KiB write buffer: many small ones crossing it, multi-byte characters
  // at its edge, and one larger than it.
  // Fragments come as UTF-8 bytes, the rest as strings.
  const pieces = ["<feed>", ..."é€😀x".repeat(9000).match(/.{1,7}/gsu)!, "a".repeat(70 * 1024), Buffer.from("ü".repeat(40 * 1024)), Buffer.from("ÿ€".repeat(5)), "</feed>\n"];
  const text = pieces.map((p) => p.toString()).join("");

  it("holds exactly the pieces' bytes, joined", async () => {
    const dir = tempDir();
    await publish(dir, [{ path: "feed.json", digest: "d1", render: async () => pieces }]);
    assert.ok(Buffer.byteLength(text) > 3 * 64 * 1024);
    assert.equal(readFileSync(join(dir, "feed.json"), "utf8"), text);
  });

  it("is left alone when it holds the same bytes, however they are cut, and replaced when one byte differs", async () => {
    const dir = tempDir();
    await publish(dir, [{ path: "feed.json", digest: "d1", render: async () => pieces }]);
    utimesSync(join(dir, "feed.json"), 1e9, 1e9);
    const cut = [text.slice(0, 5), text.slice(5, 100_003), text.slice(100_003)];
    const same = await publish(dir, [{ path: "feed.json", digest: "d2", render: async () => cut }]);
    assert.deepEqual([same.changed, same.unchanged], [[], 1]);
    assert.equal(statSync(join(dir, "feed.json")).mtimeMs, 1e12);
    const other = [text.slice(0, 100_000), "Y", text.slice(100_001)];
    const changed = await publish(dir, [{ path: "feed.json", digest: "d3", render: async () => other }]);
    assert.deepEqual(changed.changed, ["feed.json"]);
    assert.equal(readFileSync(join(dir, "feed.json"), "utf8"), other.join(""));
  });
});

describe("the output folder as the user set it up", () => {
  it("a link to a deploy folder: the feeds go into its target and the link stays", async () => {
    const target = tempDir();
    const dir = tempDir();
    symlinkSync(target, join(dir, "dist"));
    await publish(join(dir, "dist"), files({ "rss.xml": "v1" }));
    await publish(join(dir, "dist"), files({ "rss.xml": "v2" }));
    assert.ok(lstatSync(join(dir, "dist")).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, "dist")), target);
    assert.equal(readFileSync(join(target, "rss.xml"), "utf8"), "v2");
  });

  it("a file, a link to a file and a link to nothing are refused, and left as they are", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "dist"), "my notes");
    symlinkSync(join(dir, "dist"), join(dir, "to-file"));
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling"));
    await assert.rejects(publish(join(dir, "dist"), files({ "rss.xml": "x" })), /dist\/: it is a file, not a folder; feedwright leaves it as it is; .* left as it was/);
    await assert.rejects(publish(join(dir, "to-file"), files({ "rss.xml": "x" })), /symbolic link to a file/);
    await assert.rejects(publish(join(dir, "dangling"), files({ "rss.xml": "x" })), /symbolic link to a folder that does not exist/);
    assert.equal(readFileSync(join(dir, "dist"), "utf8"), "my notes");
    assert.equal(existsSync(join(dir, "nowhere")), false);
    assert.match((await outDirRefusal("dangling", "content", dir))!, /^--out dangling: it is a symbolic link to .*nowhere, which does not exist/);
    assert.match((await outDirRefusal("dist", "content", dir))!, /^--out dist: it is a file, not a folder/);
  });

  it("the working directory, anything holding it or the content, anything inside the content, and a project are refused", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "content/notes"), { recursive: true });
    mkdirSync(join(dir, "site/.git"), { recursive: true });
    mkdirSync(join(dir, "app"), { recursive: true });
    writeFileSync(join(dir, "app/package.json"), "{}");
    const refusal = (out: string, content = "content") => outDirRefusal(out, content, dir);
    assert.match((await refusal("."))!, /that is the working directory/);
    assert.match((await refusal(dir + "/"))!, /that is the working directory/);
    assert.match((await refusal(".."))!, /holds the working directory/);
    assert.match((await refusal("content"))!, /that is the content folder/);
    assert.match((await refusal("content/notes/feeds"))!, /lies inside the content folder/);
    assert.match((await refusal("x", "x/content"))!, /holds the content folder/);
    assert.match((await refusal("site"))!, /holds \.git/);
    assert.match((await refusal("app"))!, /holds package\.json/);
    assert.equal(await refusal("dist"), undefined);
    assert.equal(await refusal("public/feeds"), undefined);
  });

  it("the CLI refuses --out . with exit 2 before reading or writing anything", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "content"));
    writeFileSync(join(dir, "content/_index.md"), "---\ntitle: T\nurl: https://example.org/\n---\n");
    writeFileSync(join(dir, "package.json"), `{"name":"blog"}`);
    const before = snapshot(dir);
    for (const out of [".", "content", "content/feeds"]) {
      const run = await cli(["build", "--now", NOW, "--out", out], dir, { FEEDWRIGHT_CACHE_DIR: join(tempDir(), "cache") });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^feedwright: --out ${out.replace(".", "\\.")}: `));
      assert.deepEqual(snapshot(dir), before);
    }
  });

  it("a FIFO or a link in the output folder hangs neither build nor check, and check never prints a link's target", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "content"));
    writeFileSync(join(dir, "content/_index.md"), "---\ntitle: T\nurl: https://example.org/\n---\n");
    writeFileSync(join(dir, "content/a.md"), "---\ntitle: A\ndate: 2020-01-01\n---\nA.\n");
    const env = { FEEDWRIGHT_CACHE_DIR: join(dir, ".cache") };
    assert.equal((await cli(["build", "--now", NOW], dir, env)).status, 0);
    writeFileSync(join(dir, "secret.txt"), "SECRET-BYTES");
    rmSync(join(dir, "dist/feed.json"));
    symlinkSync(join(dir, "secret.txt"), join(dir, "dist/feed.json"));
    if (spawnSync("mkfifo", [join(dir, "dist/rss.xml.fifo")]).status !== 0) return;
    rmSync(join(dir, "dist/atom.xml"));
    spawnSync("mkfifo", [join(dir, "dist/atom.xml")]);
    const check = await cli(["check", "--now", NOW, "--json"], dir, env);
    assert.equal(check.status, 1, check.stderr);
    assert.doesNotMatch(check.stdout + check.stderr, /SECRET/);
    const build = await cli(["build", "--now", NOW, "--accept-id-changes"], dir, env);
    assert.equal(build.status, 0, build.stderr);
    assert.ok(lstatSync(join(dir, "dist/feed.json")).isFile() && lstatSync(join(dir, "dist/atom.xml")).isFile());
    assert.equal(readFileSync(join(dir, "secret.txt"), "utf8"), "SECRET-BYTES");
    assert.ok(lstatSync(join(dir, "dist/rss.xml.fifo")).isFIFO(), "not feedwright's: left alone");
    assert.equal((await cli(["check", "--now", NOW], dir, env)).status, 0);
  });
});

describe("the publish lock", () => {
  it("a lock whose pid now belongs to another process (a different start time) is taken over at once", async () => {
    const dir = tempDir();
    const me = ownerOf(process.pid);
    if (me.start === undefined) return; // no /proc here: the pid alone is all there is
    assert.equal(isRunning(me), true);
    writeFileSync(join(dir, "lock"), JSON.stringify({ ...me, start: String(Number(me.start) - 1) }));
    const t0 = performance.now();
    const release = await takeLock(join(dir, "lock"), { waitMs: 10_000 });
    assert.ok(performance.now() - t0 < 1000);
    await release();
    // The same pid and start: a live owner, waited for.
    writeFileSync(join(dir, "lock"), JSON.stringify(me));
    await assert.rejects(takeLock(join(dir, "lock"), { waitMs: 200 }), /another build \(pid \d+\) has been publishing/);
  });
});
