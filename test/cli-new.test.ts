import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, copyFixture, project } from "./helpers/cli.ts";

describe("feedwright new", () => {
  it("writes content/<date>-<slug>.md as a draft, dated now in the site's zone", async () => {
    const dir = copyFixture("cli-site");
    // 23:30 UTC is already the next day in Europe/Berlin, the fixture's zone.
    const run = await cli(["new", "Hello, Wörld: a “test”", "--now", "2024-03-01T23:30:00Z"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "feedwright: wrote content/2024-03-02-hello-wörld-a-test.md (draft: true; set it to false, or remove the line, to publish)\n");
    const text = readFileSync(join(dir, "content/2024-03-02-hello-wörld-a-test.md"), "utf8");
    assert.equal(text, `---\ntitle: "Hello, Wörld: a “test”"\ndate: 2024-03-02 00:30\ndraft: true\n---\nWrite the first paragraph here: it becomes the summary.\n`);
    const check = await cli(["check", "--now", "2024-03-03T00:00:00Z", "--json"], dir);
    const report = JSON.parse(check.stdout);
    assert.deepEqual(report.errors, [], "the new file is valid content");
    assert.equal(report.counts.drafts, 2);
  });

  it("in a Jekyll site's _posts/, holds the new post back with published: false, which Jekyll honours (it publishes draft: true)", async () => {
    const dir = project({});
    const { renameSync } = await import("node:fs");
    renameSync(join(dir, "content"), join(dir, "_posts"));
    const run = await cli(["new", "My draft idea", "--content", "_posts", "--now", "2024-03-01T10:00:00Z"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "feedwright: wrote _posts/2024-03-01-my-draft-idea.md (published: false, as Jekyll reads it; set it to true, or remove the line, to publish)\n");
    assert.equal(readFileSync(join(dir, "_posts/2024-03-01-my-draft-idea.md"), "utf8"), `---\ntitle: My draft idea\ndate: 2024-03-01 10:00\npublished: false\n---\nWrite the first paragraph here: it becomes the summary.\n`);
    const check = await cli(["check", "--content", "_posts", "--now", "2024-03-03T00:00:00Z", "--json"], dir);
    const report = JSON.parse(check.stdout);
    assert.deepEqual(report.errors, [], "the new file is valid content");
    assert.equal(report.counts.drafts, 1, "held back by feedwright too");
    // From inside _posts/, with --content . (found by a review).
    const inside = await cli(["new", "From inside", "--content", ".", "--now", "2024-03-02T10:00:00Z"], join(dir, "_posts"));
    assert.equal(inside.status, 0, inside.stderr);
    assert.match(readFileSync(join(dir, "_posts/2024-03-02-from-inside.md"), "utf8"), /^published: false$/m);
  });

  it("never overwrites: exit 1 and the file is left as it was", async () => {
    const dir = copyFixture("cli-site");
    assert.equal((await cli(["new", "Same", "--now", "2024-03-01T10:00:00Z"], dir)).status, 0);
    const path = join(dir, "content/2024-03-01-same.md");
    const first = readFileSync(path, "utf8");
    const again = await cli(["new", "Same", "--now", "2024-03-01T12:00:00Z"], dir);
    assert.equal(again.status, 1);
    assert.equal(again.stderr, "content/2024-03-01-same.md already exists; left as it was (pick another title, or edit that file)\n");
    assert.equal(readFileSync(path, "utf8"), first);
  });

  it("SOURCE_DATE_EPOCH and --content are honoured; the default zone is UTC", async () => {
    const dir = project({});
    const run = await cli(["new", "Epoch", "--content", "content"], dir, { SOURCE_DATE_EPOCH: String(Date.UTC(2022, 11, 31, 23, 59) / 1000) });
    assert.equal(run.status, 0, run.stderr);
    assert.match(readFileSync(join(dir, "content/2022-12-31-epoch.md"), "utf8"), /^date: 2022-12-31 23:59$/m);
  });

  it("a title with no letters or digits, a missing title, a missing site file", async () => {
    const dir = copyFixture("cli-site");
    const before = readdirSync(join(dir, "content"));
    const empty = await cli(["new", "!!!"], dir);
    assert.equal(empty.status, 1);
    assert.equal(empty.stderr, `feedwright new: cannot make a file name from the title "!!!": use at least one letter or digit\n`);
    const none = await cli(["new"], dir);
    assert.equal(none.status, 2);
    assert.equal(none.stderr, `feedwright: new: missing "Title" (see feedwright new --help)\n`);
    const two = await cli(["new", "A", "B"], dir);
    assert.equal(two.status, 2);
    assert.deepEqual(readdirSync(join(dir, "content")), before);
    const elsewhere = await cli(["new", "Title", "--content", "posts"], dir);
    assert.equal(elsewhere.status, 1);
    assert.match(elsewhere.stderr, /^posts\/_index\.md missing: it holds the site settings/);
  });
});
