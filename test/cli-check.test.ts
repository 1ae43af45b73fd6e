import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderManifest } from "../src/output/manifest.ts";
import { cli, copyFixture, snapshot } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

async function built(): Promise<string> {
  const dir = copyFixture("cli-site");
  const run = await cli(["build", "--now", NOW], dir);
  assert.equal(run.status, 0, run.stderr);
  return dir;
}

describe("feedwright check", () => {
  it("passes when dist/ is what a build makes, and writes nothing", async () => {
    const dir = await built();
    const before = snapshot(dir);
    const run = await cli(["check", "--now", NOW], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "feedwright: check passed: 3 articles read (1 drafts, 0 scheduled), 2 items per feed, dist/ is up to date\n");
    assert.equal(run.stderr, "");
    assert.deepEqual(snapshot(dir), before);
  });

  it("without an output folder there is nothing to compare: it checks the content only", async () => {
    const dir = copyFixture("cli-site");
    const run = await cli(["check", "--now", NOW, "--out", "public"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /public\/ not found, so not compared\n$/);
    assert.deepEqual([...snapshot(dir).keys()].filter((p) => !p.startsWith("content/")), []);
  });

  it("says which files differ, and which items were added, removed and changed", async () => {
    const dir = await built();
    writeFileSync(join(dir, "content/2023-04-01-third.md"), "---\ntitle: Third\ndate: 2023-04-01\n---\nNew.\n");
    writeFileSync(join(dir, "content/2023-02-20-second-post.md"), "---\ntitle: Second post, edited\ndate: 2023-02-20 18:30\n---\nEdited.\n");
    const before = snapshot(dir);
    const run = await cli(["check", "--now", NOW], dir);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trimEnd().split("\n");
    assert.ok(lines.includes("dist/feed.json differs from a fresh build: items 1 added (https://example.org/third/), 0 removed, 1 changed (https://example.org/second-post/)"), run.stderr);
    assert.ok(lines.includes("dist/atom.xml differs from a fresh build"));
    assert.ok(lines.includes("dist/rss.xml differs from a fresh build"));
    assert.match(lines.at(-1)!, /^feedwright: check failed: dist\/ is out of date \(\d+ files differ\): run feedwright build and commit it$/);
    assert.deepEqual(snapshot(dir), before);
  });

  it("names a file a build would add, and one it would remove; a file feedwright did not write is not its business", async () => {
    const dir = await built();
    rmSync(join(dir, "dist/rss.xml"));
    // A file the last build wrote (its manifest lists it) that a build now would not.
    const manifest = JSON.parse(readFileSync(join(dir, "dist/.feedwright-manifest.json"), "utf8")) as { files: string[] };
    writeFileSync(join(dir, "dist/.feedwright-manifest.json"), renderManifest([...manifest.files, "stray.txt"]));
    writeFileSync(join(dir, "dist/stray.txt"), "left over\n");
    writeFileSync(join(dir, "dist/about.html"), "the site's own page\n");
    const run = await cli(["check", "--now", NOW], dir);
    assert.equal(run.status, 1);
    assert.ok(run.stderr.includes("dist/rss.xml is missing: a build would write it\n"));
    assert.ok(run.stderr.includes("dist/stray.txt would be removed by a build\n"));
    assert.ok(run.stderr.includes("dist/.feedwright-manifest.json differs"), run.stderr);
    assert.doesNotMatch(run.stderr, /about\.html/);
    assert.match(run.stderr, /feedwright: check failed: dist\/ is out of date \(3 files differ\)/);
  });

  it("content errors: exit 1 with the usual lines", async () => {
    const dir = await built();
    writeFileSync(join(dir, "content/bad.md"), "---\ntitle: Bad\n---\nNo date.\n");
    const run = await cli(["check", "--now", NOW], dir);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, "content/bad.md:1 date: is required (or a file name that starts with it, as in 2016-03-10-bad.md)\nfeedwright: check failed: 1 error\n");
  });

  it("--json: ok, problems and the differences as data", async () => {
    const dir = await built();
    writeFileSync(join(dir, "content/2023-04-01-third.md"), "---\ntitle: Third\ndate: 2023-04-01\n---\nNew.\n");
    const run = await cli(["check", "--now", NOW, "--json"], dir);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, "");
    const report = JSON.parse(run.stdout);
    assert.equal(report.command, "check");
    assert.equal(report.ok, false);
    assert.equal(report.compared, true);
    const feed = report.differences.find((d: { path: string }) => d.path === "feed.json");
    assert.deepEqual(feed, { path: "feed.json", kind: "differs", items: { added: ["https://example.org/third/"], removed: [], changed: [] } });
    assert.equal(report.counts.articles, 4);
  });

  it("the feeds a fresh build gives pass check as they are", async () => {
    const dir = await built();
    const json = readFileSync(join(dir, "dist/feed.json"), "utf8");
    assert.match(json, /first-post/);
    assert.equal((await cli(["check", "--now", NOW, "--json"], dir)).status, 0);
  });
});
