import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import matter from "gray-matter";
import { cli, FIXTURES, project, snapshot, tempDir } from "./helpers/cli.ts";

/** Each bad-input fixture, and the one line feedwright must print for it. */
const CASES: Record<string, string> = {
  "invalid-yaml.md": `content/invalid-yaml.md:3 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
  "no-front-matter.md": `content/no-front-matter.md:1 no front matter: the file must start with "---" (YAML), "+++" (TOML) or "{" (JSON), then the front matter (title, date), then the closing line`,
  "no-closing-delimiter.md": `content/no-closing-delimiter.md:1 front matter is not closed: add a line "---" after the YAML`,
  "missing-title.md": `content/missing-title.md:1 title: is required`,
  "missing-date.md": `content/missing-date.md:1 date: is required (or a file name that starts with it, as in 2016-03-10-missing-date.md)`,
  "not-a-date.md": `content/not-a-date.md:3 date: expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00 (got "Walk 18")`,
  "impossible-date.md": `content/impossible-date.md:3 date: not a real date or time: that day does not exist (got "2023-02-30")`,
  "tags-not-a-list.md": `content/tags-not-a-list.md:4 tags: expected a list of tags or one comma- or space-separated string (got {"a":1})`,
  "tag-not-text.md": `content/tag-not-text.md:4 tags[1]: each tag must be text; quote numbers and dates, as in "2023" (got 2023)`,
  "front-matter-js.md": `content/front-matter-js.md:1 front matter opened by "---js" is refused: only "---" (YAML), "+++" (TOML) or "{" (JSON) front matter is read; other front-matter languages can run code`,
  "front-matter-javascript.md": `content/front-matter-javascript.md:1 front matter opened by "---javascript" is refused: only "---" (YAML), "+++" (TOML) or "{" (JSON) front matter is read; other front-matter languages can run code`,
  "yaml-js-tag.md": `content/yaml-js-tag.md:4 YAML not allowed: Unresolved tag: tag:yaml.org,2002:js/function`,
};

const GOOD = `---\ntitle: Fine\ndate: 2023-01-01\n---\nA good article.\n`;

/** A project whose dist/ holds a previous build, so we can prove it is left as it was. */
async function projectWithDist(files: Record<string, string>): Promise<string> {
  const dir = project({ "good.md": GOOD, ...files });
  const first = await cli(["build"], dir);
  assert.equal(first.status, 0, first.stderr);
  return dir;
}

/**
 * Runs `f` with FEEDWRIGHT_MARKER set in this process too: the fixtures' code, were it ever run by
 * an in-process build, would read process.env, not the environment the command is given.
 */
async function withMarker<T>(marker: string, f: () => Promise<T>): Promise<T> {
  process.env.FEEDWRIGHT_MARKER = marker;
  try {
    return await f();
  } finally {
    delete process.env.FEEDWRIGHT_MARKER;
  }
}

describe("bad input: one line per problem, exit 1, dist/ untouched", () => {
  for (const [fixture, expected] of Object.entries(CASES)) {
    it(fixture, async () => {
      const dir = await projectWithDist({});
      const before = snapshot(join(dir, "dist"));
      const marker = join(dir, "marker");
      writeFileSync(join(dir, "content", fixture), readFileSync(join(FIXTURES, "errors", fixture)));

      const run = await withMarker(marker, () => cli(["build"], dir, { FEEDWRIGHT_MARKER: marker }));

      assert.equal(run.status, 1);
      const lines = run.stderr.trimEnd().split("\n");
      assert.deepEqual(lines, [expected, "feedwright: 1 error; dist/ left as it was"]);
      assert.deepEqual(snapshot(join(dir, "dist")), before);
      assert.equal(existsSync(marker), false, "front matter ran as code");
    });
  }

  it("reports every problem in every file at once, sorted by file", async () => {
    const dir = await projectWithDist({});
    for (const fixture of Object.keys(CASES)) writeFileSync(join(dir, "content", fixture), readFileSync(join(FIXTURES, "errors", fixture)));
    const run = await withMarker(join(dir, "marker"), () => cli(["build"], dir, { FEEDWRIGHT_MARKER: join(dir, "marker") }));
    assert.equal(run.status, 1);
    const expected = Object.entries(CASES)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, line]) => line);
    assert.deepEqual(run.stderr.trimEnd().split("\n"), [...expected, `feedwright: ${expected.length} errors; dist/ left as it was`]);
  });

  it("does not create dist/ when the first build fails", async () => {
    const dir = project({ "bad.md": readFileSync(join(FIXTURES, "errors/missing-date.md"), "utf8") });
    const run = await cli(["build"], dir);
    assert.equal(run.status, 1);
    assert.equal(existsSync(join(dir, "dist")), false);
  });

  it("the ---js fixture is live: gray-matter's default engine would run it", async () => {
    // Proves the marker checks above can fail: the same text, given to gray-matter as it comes,
    // runs the code and writes the marker.
    const dir = tempDir();
    const marker = join(dir, "marker");
    process.env.FEEDWRIGHT_MARKER = marker;
    try {
      matter(readFileSync(join(FIXTURES, "errors/front-matter-js.md"), "utf8"), { language: "yaml" });
    } finally {
      delete process.env.FEEDWRIGHT_MARKER;
    }
    assert.equal(readFileSync(marker, "utf8"), "ran");
  });
});

describe("site settings", () => {
  it("needs content/_index.md with an absolute url", async () => {
    const dir = project({ "good.md": GOOD }, `---\ntitle: No URL\n---\n`);
    const run = await cli(["build"], dir);
    assert.equal(run.status, 1);
    assert.equal(run.stderr.split("\n")[0], "content/_index.md:1 url: is required");
  });

  it("names a relative url and an unknown time zone", async () => {
    const dir = project({ "good.md": GOOD }, `---\ntitle: Bad\nurl: /blog/\ntimezone: Mars/Olympus\n---\n`);
    const run = await cli(["build"], dir);
    assert.equal(run.status, 1);
    assert.deepEqual(run.stderr.trimEnd().split("\n").slice(0, 2), [
      `content/_index.md:3 url: expected an absolute http(s) URL like https://example.org/ (got "/blog/")`,
      `content/_index.md:4 timezone: expected an IANA time zone like UTC or Europe/Berlin (got "Mars/Olympus")`,
    ]);
  });

  it("--site-url replaces the url for one run", async () => {
    const dir = project({ "good.md": GOOD });
    const run = await cli(["build", "--site-url", "https://preview-42.example.net/site/"], dir);
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8"));
    assert.equal(json.items[0].url, "https://preview-42.example.net/site/good/");
    assert.equal(json.feed_url, "https://preview-42.example.net/site/feed.json");
  });
});

describe("warnings", () => {
  it("an unknown key is a warning with a did-you-mean, and the build goes on", async () => {
    const dir = project({ "typo.md": `---\ntitle: Typo\ndate: 2023-01-01\ndtae: 2023-01-02\n---\nBody.\n` });
    const run = await cli(["build"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, `content/typo.md:4 warning: dtae: unknown key, ignored; did you mean "date"?\n`);
    assert.ok(existsSync(join(dir, "dist/atom.xml")));
  });

  it("title: 2023 is text, written as it was", async () => {
    const dir = project({ "n.md": `---\ntitle: 2023.10\ndate: 2023-01-01\n---\nBody.\n` });
    const run = await cli(["build"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")).items[0].title, "2023.10");
  });
});

describe("command line", () => {
  it("an unknown flag is a usage error", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "content"));
    const run = await cli(["build", "--outt", "x"], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--outt/);
  });
});

describe("two articles with one id or one URL", () => {
  const post = (title: string, extra = "") => `---\ntitle: ${title}\ndate: 2023-01-01\nslug: same\n${extra}---\nText.\n`;
  const errors = async (files: Record<string, string>) => {
    const run = await cli(["build"], project({ "good.md": GOOD, ...files }));
    assert.equal(run.status, 1);
    return run.stderr.split("\n").filter((line) => / same (id|url) as /.test(line));
  };

  it("the same slug: both the id and the URL are named, for each later file", async () => {
    // Every id is its URL here, so one map finds both (src/pipeline/articles.ts, `duplicates`).
    assert.deepEqual(await errors({ "a.md": post("A"), "b.md": post("B"), "c.md": post("C") }), [
      "content/b.md id: same id as content/a.md (https://example.org/same/); set a different id in one of them",
      "content/b.md url: same url as content/a.md (https://example.org/same/); set a different slug in one of them",
      "content/c.md id: same id as content/a.md (https://example.org/same/); set a different id in one of them",
      "content/c.md url: same url as content/a.md (https://example.org/same/); set a different slug in one of them",
    ]);
  });

  it("ids pinned apart, one URL: only the URL; one id pinned on two URLs: only the id", async () => {
    assert.deepEqual(await errors({ "a.md": post("A", "id: tag:example.org,2023:a\n"), "b.md": post("B", "id: tag:example.org,2023:b\n") }), [
      "content/b.md url: same url as content/a.md (https://example.org/same/); set a different slug in one of them",
    ]);
    const pinned = (title: string, slug: string) => `---\ntitle: ${title}\ndate: 2023-01-01\nslug: ${slug}\nid: tag:example.org,2023:one\n---\nText.\n`;
    assert.deepEqual(await errors({ "a.md": pinned("A", "first"), "b.md": pinned("B", "second") }), [
      "content/b.md id: same id as content/a.md (tag:example.org,2023:one); set a different id in one of them",
    ]);
  });
});
