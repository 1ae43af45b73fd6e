/**
 * A draft is never published, so a problem in its other fields (no date yet, a date written as
 * "sometime next week", a bad tag) must not stop the build of every published post: it is a
 * warning naming the file and line, and the draft is left out. A preview (`--drafts`) publishes
 * drafts, so there they stay errors; so does a draft flag that cannot be read.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseArticle, type ArticleResult } from "../src/content/article.ts";
import { formatProblem, sortProblems } from "../src/problems.ts";
import { parseSite, type Site } from "../src/site/settings.ts";
import { cli, copyFixture, project, snapshot } from "./helpers/cli.ts";

const parsedSite = parseSite("content/_index.md", `---\ntitle: T\nurl: https://example.org/\n---\n`, {});
if (!parsedSite.ok) throw new Error(parsedSite.problems.map(formatProblem).join("\n"));
const site: Site = parsedSite.value;

const read = (path: string, text: string, drafts = false): ArticleResult => parseArticle(`content/${path}`, path, text, drafts ? { site, drafts } : { site });
const lines = (result: ArticleResult) => sortProblems(result.problems).map(formatProblem);

const WIP = `---\ntitle: Unfinished idea\ndraft: true\n---\nTODO\n`;
const LEFT_OUT = "the article is a draft, so it is left out until this is fixed";
const NO_DATE = `date: is required (or a file name that starts with it, as in 2016-03-10-wip.md)`;

describe("a draft's problems: warnings, and the draft left out", () => {
  it("draft: true without a date: a warning at its line that says it is a draft and left out", () => {
    const result = read("wip.md", WIP);
    assert.equal(result.ok, false);
    assert.deepEqual(lines(result), [`content/wip.md:1 warning: ${NO_DATE}; ${LEFT_OUT}`]);
    // Its URL does not need the date (/:slug/): it is known, and names the item it withdraws.
    assert.deepEqual(result.leftOut, { title: "Unfinished idea", id: "https://example.org/wip/", url: "https://example.org/wip/" });
    // One whose permalink needs the date has none, and a title alone names nothing (the guard's rule).
    const dated = parseArticle("content/wip.md", "wip.md", WIP.replace("draft: true", "draft: true\npermalink: /:year/:slug/"), { site });
    assert.deepEqual(dated.leftOut, { title: "Unfinished idea", id: undefined, url: undefined });
    // A preview (--drafts) publishes it: then its problems are errors, as an article's that is no draft.
    const preview = read("wip.md", WIP, true);
    assert.deepEqual([preview.ok, lines(preview), preview.leftOut], [false, [`content/wip.md:1 ${NO_DATE}`], undefined]);
    assert.deepEqual(lines(read("wip.md", WIP.replace("draft: true", "draft: false"))), [`content/wip.md:1 ${NO_DATE}`]);
  });

  it("every way of saying draft: published: false, Eleventy's permalink: false and eleventyExcludeFromCollections, a TOML draft", () => {
    for (const [path, text] of [
      ["a.md", `---\ntitle: A\npublished: false\ndate: sometime next week\n---\n`],
      ["b.md", `---\ntitle: B\ndate: 2023-01-01\npermalink: false\ntags: [fine, 2023]\n---\n`],
      ["c.md", `---\ntitle: C\ndate: 2023-01-01\neleventyExcludeFromCollections: true\nimage: "javascript:alert(1)"\n---\n`],
      ["d.md", `+++\ntitle = "D"\ndraft = true\ndate = "2023-02-30"\n+++\n`],
    ] as const) {
      const result = read(path, text);
      assert.equal(result.ok, false, path);
      assert.ok(result.leftOut !== undefined, path);
      assert.ok(result.problems.length > 0, path);
      for (const p of result.problems) assert.equal(p.severity, "warning", formatProblem(p));
      for (const p of result.problems) assert.ok(p.message.endsWith(`; ${LEFT_OUT}`), formatProblem(p));
    }
  });

  it("its id and URL, where they can be made, are handed on (for the id guard)", () => {
    const result = read("x.md", `---\ntitle: X\ndraft: true\ndate: 2023-01-01\ntags: [2023]\n---\n`);
    assert.deepEqual(result.leftOut, { title: "X", id: "https://example.org/x/", url: "https://example.org/x/" });
    assert.deepEqual(lines(result), [`content/x.md:5 warning: tags[0]: each tag must be text; quote numbers and dates, as in "2023" (got 2023); ${LEFT_OUT}`]);
  });

  it("a draft flag that cannot be read stays an error: then it is not known to be a draft", () => {
    const maybe = read("wip.md", `---\ntitle: Maybe\ndraft: maybe\n---\n`);
    assert.deepEqual(lines(maybe), [`content/wip.md:1 ${NO_DATE}`, `content/wip.md:3 draft: expected true or false (got "maybe")`]);
    assert.equal(maybe.leftOut, undefined);
    // Held back by a value that can be read, an unreadable flag beside it is one more problem of a
    // draft, whichever key holds it back and whichever is refused.
    const both = read("wip.md", `---\ntitle: Both\npublished: false\ndraft: maybe\n---\n`);
    assert.deepEqual(lines(both), [`content/wip.md:1 warning: ${NO_DATE}; ${LEFT_OUT}`, `content/wip.md:4 warning: draft: expected true or false (got "maybe"); ${LEFT_OUT}`]);
    const permalink = read("wip.md", `---\ntitle: Link\ndraft: true\ndate: 2023-01-01\npermalink: 42\n---\n`);
    assert.equal(permalink.leftOut?.title, "Link");
    assert.ok(lines(permalink).every((l) => l.includes(" warning: ") && l.endsWith(LEFT_OUT)), lines(permalink).join("\n"));
  });

});

describe("a build with a broken draft", () => {
  const GOOD = `---\ntitle: Good\ndate: 2023-01-01\n---\nHello.\n`;
  const INDEX = `---\ntitle: T\nurl: https://example.org/\n---\n`;

  it("publishes every other post, names the draft's problems as warnings, counts it as a draft", async () => {
    const dir = project({ "good.md": GOOD, "wip.md": WIP, "later.md": `---\ntitle: Later\ndraft: true\ndate: sometime next week\n---\n` }, INDEX);
    const run = await cli(["build"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stderr.trimEnd().split("\n"), [
      `content/later.md:4 warning: date: expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00 (got "sometime next week"); ${LEFT_OUT}`,
      `content/wip.md:1 warning: ${NO_DATE}; ${LEFT_OUT}`,
    ]);
    assert.match(run.stdout, /^feedwright: 3 articles read \(2 drafts, 0 scheduled\), 1 items per feed, /);
    const feed = JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")) as { items: { title: string }[] };
    assert.deepEqual(feed.items.map((i) => i.title), ["Good"]);

    // --drafts (a preview) publishes drafts: their problems are errors, and nothing is written.
    const preview = await cli(["build", "--drafts", "--out", "preview"], dir);
    assert.equal(preview.status, 1);
    assert.deepEqual(preview.stderr.trimEnd().split("\n"), [
      `content/later.md:4 date: expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00 (got "sometime next week")`,
      `content/wip.md:1 ${NO_DATE}`,
      "feedwright: 2 errors; preview/ left as it was",
    ]);

    // A draft flag that cannot be read is an error: the build stops.
    writeFileSync(join(dir, "content/wip.md"), `---\ntitle: Unfinished idea\ndraft: maybe\ndate: 2023-01-01\n---\n`);
    const before = snapshot(join(dir, "dist"));
    const maybe = await cli(["build"], dir);
    assert.equal(maybe.status, 1);
    assert.deepEqual(maybe.stderr.trimEnd().split("\n").filter((l) => !l.includes("later.md")), [`content/wip.md:3 draft: expected true or false (got "maybe")`, "feedwright: 1 error; dist/ left as it was"]);
    assert.deepEqual(snapshot(join(dir, "dist")), before);
  });

  it("a pin in _ids.yaml for a draft left out is no stale pin", async () => {
    const dir = project({ "good.md": GOOD, "wip.md": WIP, "_ids.yaml": `wip.md: "https://old.example.org/wip.html"\n` }, INDEX);
    const run = await cli(["build"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stderr.trimEnd().split("\n"), [`content/wip.md:1 warning: ${NO_DATE}; ${LEFT_OUT}`]);
  });

  it("the id guard: a published post withdrawn as a draft is not gone, even while its date is broken", async () => {
    const now = "2030-01-01T00:00:00Z";
    const dir = copyFixture("cli-site");
    const first = await cli(["build", "--now", now], dir);
    assert.equal(first.status, 0, first.stderr);
    const second = join(dir, "content/2023-02-20-second-post.md");
    writeFileSync(second, readFileSync(second, "utf8").replace("date: 2023-02-20 18:30\n", "date: some day\ndraft: true\n"));
    const before = snapshot(join(dir, "dist"));
    const run = await cli(["build", "--now", now], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stderr.trimEnd().split("\n"), [
      `content/2023-02-20-second-post.md:3 warning: date: expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00 (got "some day"); ${LEFT_OUT}`,
    ]);
    assert.notDeepEqual(snapshot(join(dir, "dist")), before, "the withdrawal is published");
    const feed = JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")) as { items: { title: string }[] };
    assert.deepEqual(feed.items.map((i) => i.title), ["First post"]);
  });
});
