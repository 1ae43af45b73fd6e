/**
 * A build that finds a few articles' bodies edited and nothing else changed patches their items
 * into the last build's documents (src/pipeline/patch.ts). What it writes must be byte for byte
 * what the long way writes, and says the same; anything it cannot prove goes the long way.
 *
 * Each case builds a blog, edits it, and builds it again; a twin with the same content and
 * output but no cache takes the long way for reference. Which way the build went, the CLI tells
 * a test hook (`Io.way`); that a patch read no article but the edited ones, the files it opened.
 */
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sealed, unsealed } from "../src/cache/sealed.ts";
import { cli, project, snapshot } from "./helpers/cli.ts";
import { opened } from "./helpers/opened.ts";

const NOW = "2030-01-01T00:00:00Z";

const index = (extra = "") => `---
title: Patched
url: https://example.org/
description: A blog edited one post at a time.
${extra}---
`;

/** Articles of every kind a plan places: with a summary and without (its excerpt is the summary), in sections, tagged, a draft, a scheduled one, one linking to another, one with template code, one with a warning. */
const ARTICLES: Record<string, string> = {
  "posts/_index.md": "---\ntitle: Posts\n---\n",
  "posts/summed.md": "---\ntitle: Summed up\ndate: 2024-05-01\nsummary: Said in a line.\ntags: [alpha, beta]\n---\nThe body of a post with a summary.\n",
  "posts/plain.md": "---\ntitle: Plain\ndate: 2024-04-01\ntags: [alpha]\n---\nA post whose first words are its summary.\n\nAnd a second paragraph.\n",
  "posts/older.md": "---\ntitle: Older\ndate: 2023-01-01\ntags: [beta]\n---\nFrom long ago.\n",
  "posts/oldest.md": "---\ntitle: Oldest\ndate: 2022-01-01\n---\nThe first post.\n",
  "notes/short.md": "---\ntitle: A note\ndate: 2024-03-01\ntags: [alpha]\n---\nA short note & an ampersand.\n",
  "notes/draft.md": "---\ntitle: Not yet\ndate: 2024-02-01\ndraft: true\n---\nUnfinished.\n",
  "notes/later.md": "---\ntitle: Later\ndate: 2030-06-01\n---\nScheduled.\n",
  "notes/linking.md": "---\ntitle: Linking\ndate: 2024-02-15\n---\nSee {% link posts/plain.md %}.\n",
  "notes/templated.md": "---\ntitle: Templated\ndate: 2024-02-10\n---\nThis is {{ site.title }}.\n",
  "notes/flavoured.md": "---\ntitle: Flavoured\ndate: 2024-01-10\nflavour: vanilla\n---\nWith an unknown key.\n",
};

/** `file` last modified an hour ago: its stamp proves it unchanged (one edited within 2 s of a build proves nothing). */
function anHourAgo(file: string): void {
  const then = new Date(Date.now() - 3_600_000);
  utimesSync(file, then, then);
}

/** Every file under `dir` last modified an hour ago. */
function age(dir: string): void {
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) if (statSync(join(dir, name)).isFile()) anHourAgo(join(dir, name));
}

function blog(extra = "", articles: Record<string, string> = ARTICLES): string {
  const dir = project(articles, index(extra));
  age(join(dir, "content"));
  return dir;
}

const build = (dir: string, ...args: string[]) => cli(["build", "--now", NOW, ...args], dir);

/** The summary without its time. */
const said = (text: string) => text.replace(/, \d+ ms\n$/, "\n");

function bytes(dir: string): Map<string, string> {
  return new Map([...snapshot(dir)].map(([path, { bytes }]) => [path, bytes]));
}

/** Replaces an article's body, keeping its front matter as it is, byte for byte. */
function rewriteBody(dir: string, path: string, body: string): void {
  const file = join(dir, "content", path);
  const text = readFileSync(file, "utf8");
  const end = text.indexOf("\n---\n", 4) + 5;
  writeFileSync(file, text.slice(0, end) + body);
}

/** By blog: every article edited so far. One edited in the last two seconds may have changed again unseen (RACY_MS): a build reads it again. */
const touched = new Map<string, Set<string>>();

/**
 * `rewriteBody`, the file then dated an hour ago: the next build proves it unchanged by its stamp
 * and does not read it again (one edited within 2 s of a build is read again by the next), so a
 * later build reads only the later edits, and whatever the first patch left must be right.
 */
function editedAnHourAgo(dir: string, path: string, body: string): void {
  rewriteBody(dir, path, body);
  anHourAgo(join(dir, "content", path));
}

/**
 * Builds `dir` (built before), after `change`, beside a twin that takes the long way: asserts
 * they exit, say and write the same, and returns whether `dir`'s build patched. A patch must
 * have read no article but `edited` and those edited before.
 */
async function againBesideTwin(dir: string, change: (dir: string) => void, edited: readonly string[], args: readonly string[] = []): Promise<boolean> {
  const twin = `${dir}-twin-${Math.random().toString(36).slice(2)}`;
  cpSync(dir, twin, { recursive: true });
  change(dir);
  change(twin);
  const ways: string[] = [];
  const { result, files } = await opened(join(dir, "content"), () => cli(["build", "--now", NOW, ...args], dir, {}, { way: (way) => ways.push(way) }));
  const twinWays: string[] = [];
  const reference = await cli(["build", "--now", NOW, ...args], twin, {}, { way: (way) => twinWays.push(way) });
  assert.deepEqual(twinWays, ["long"]);
  assert.deepEqual([result.status, said(result.stdout), result.stderr], [reference.status, said(reference.stdout), reference.stderr]);
  assert.deepEqual(bytes(join(dir, "dist")), bytes(join(twin, "dist")));
  rmSync(twin, { recursive: true, force: true });
  rmSync(`${twin}.cache`, { recursive: true, force: true });
  const ever = touched.get(dir) ?? new Set();
  touched.set(dir, ever);
  for (const path of edited) ever.add(path);
  assert.equal(ways.length, 1);
  if (ways[0] !== "patched") return false;
  const articles = files.filter((f) => f.endsWith(".md") && !f.endsWith("_index.md"));
  assert.ok(articles.every((f) => ever.has(f)), `a patch read only the edited articles: ${articles.join(", ")}`);
  return true;
}

async function builtTwice(dir: string, ...args: string[]): Promise<void> {
  assert.equal((await build(dir, ...args)).status, 0);
  assert.equal((await build(dir, ...args)).status, 0);
}

describe("a body edited: its items patched in, as the long way writes them", () => {
  const cases: [string, string, string][] = [
    ["with a summary", "posts/summed.md", "A new body, *emphasised*.\n"],
    ["without one: its excerpt is its summary, on the front door too", "posts/plain.md", "New first words.\n\nAnd more.\n"],
    ["an old one, only in archives", "posts/oldest.md", "The first post, revised.\n"],
    ["with markup that needs escaping in every format", "notes/short.md", 'Quotes " and \' and <b>bold</b> & ]]> and a\ttab.\n'],
    ["with template code", "notes/templated.md", "This is still {{ site.title }}, edited.\n"],
  ];
  for (const [what, path, body] of cases) {
    it(what, async () => {
      const dir = blog();
      await builtTwice(dir);
      assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, path, body), [path]), true, "patched");
    });
  }

  it("an article no document holds (a draft; one scheduled)", async () => {
    const dir = blog();
    await builtTwice(dir);
    assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "notes/draft.md", "Still unfinished.\n"), ["notes/draft.md"]), true);
    assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "notes/later.md", "Scheduled, revised.\n"), ["notes/later.md"]), true);
  });

  it("several at once, and again after a patch", async () => {
    const dir = blog();
    await builtTwice(dir);
    const two = ["posts/summed.md", "posts/plain.md"];
    assert.equal(await againBesideTwin(dir, (d) => two.forEach((p) => appendFileSync(join(d, "content", p), "\nOne more line.\n")), two), true);
    assert.equal(await againBesideTwin(dir, (d) => appendFileSync(join(d, "content/posts/plain.md"), "\nAnd another.\n"), [...two]), true);
  });

  it("leaves a cache and a record the next builds go on from: nothing to do, then the long way", async () => {
    const dir = blog();
    await builtTwice(dir);
    assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "posts/plain.md", "Patched first.\n"), ["posts/plain.md"]), true);
    // Aged, so that the patched file's stamp proves it unchanged.
    age(join(dir, "content"));
    await build(dir);
    const ways: string[] = [];
    await cli(["build", "--now", NOW], dir, {}, { way: (way) => ways.push(way) });
    assert.deepEqual(ways, ["unchanged"]);
    const retitle = (d: string) => writeFileSync(join(d, "content/posts/plain.md"), readFileSync(join(d, "content/posts/plain.md"), "utf8").replace("title: Plain", "title: Retitled"));
    assert.equal(await againBesideTwin(dir, retitle, ["posts/plain.md"]), false);
  });

  it("one front-door summary patched, then another: the first stays as patched", async () => {
    const dir = blog();
    await builtTwice(dir);
    const edit = (path: string, body: string) => (d: string) => editedAnHourAgo(d, path, body);
    assert.equal(await againBesideTwin(dir, edit("posts/plain.md", "A first summary, patched in.\n"), ["posts/plain.md"]), true);
    const { files } = await opened(join(dir, "content"), () => againBesideTwin(dir, edit("notes/short.md", "A second summary, patched in.\n"), ["notes/short.md"]));
    assert.ok(!files.includes("posts/plain.md"), "the second build did not read the first edit again");
    assert.match(readFileSync(join(dir, "dist/index.html"), "utf8"), /A first summary, patched in\./);
  });

  it("tells `feedwright ping` which feeds changed, as the long way does", async () => {
    const dir = blog("hub: https://hub.example.net/\n");
    await builtTwice(dir);
    const twin = `${dir}-hub-twin`;
    cpSync(dir, twin, { recursive: true });
    for (const d of [dir, twin]) rewriteBody(d, "posts/plain.md", "Announced.\n");
    const ways: string[] = [];
    await cli(["build", "--now", NOW], dir, {}, { way: (way) => ways.push(way) });
    await build(twin);
    assert.deepEqual(ways, ["patched"]);
    const topics = (d: string) => {
      const folder = `${d}.cache/feedwright/websub`;
      return JSON.parse(readFileSync(join(folder, readdirSync(folder)[0]!), "utf8")) as unknown;
    };
    assert.deepEqual(topics(dir), topics(twin));
    assert.ok((topics(dir) as { topics: string[] }).topics.length > 0);
  });

  it("with archives off, one format, a small limit, no front door", async () => {
    for (const extra of ["archives: false\nformats: [rss]\n", "formats: [atom, json]\nlimit: 2\n", "frontDoor: false\nlimit: 1\n"]) {
      const dir = blog(extra);
      await builtTwice(dir);
      assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "posts/plain.md", "Edited under other settings.\n"), ["posts/plain.md"]), true, extra);
    }
  });
});

describe("whatever a patch cannot prove goes the long way", () => {
  const cases: [string, (dir: string) => void, string[]][] = [
    ["a title changed", (d) => writeFileSync(join(d, "content/posts/plain.md"), readFileSync(join(d, "content/posts/plain.md"), "utf8").replace("title: Plain", "title: Plainer")), []],
    ["tags changed", (d) => writeFileSync(join(d, "content/posts/plain.md"), readFileSync(join(d, "content/posts/plain.md"), "utf8").replace("tags: [alpha]", "tags: [alpha, gamma]")), []],
    ["a date changed", (d) => writeFileSync(join(d, "content/notes/short.md"), readFileSync(join(d, "content/notes/short.md"), "utf8").replace("2024-03-01", "2024-03-02")), []],
    ["a body emptied (RSS declares its namespaces by whether items have bodies)", (d) => rewriteBody(d, "posts/summed.md", ""), []],
    ["an article with a warning", (d) => rewriteBody(d, "notes/flavoured.md", "Another flavour.\n"), []],
    ["an article linking to another", (d) => rewriteBody(d, "notes/linking.md", "See {% link posts/plain.md %} again.\n"), []],
    ["an edit that adds a warning", (d) => rewriteBody(d, "posts/plain.md", "Broken {{< nosuch >}}.\n"), []],
    ["more than eight articles", (d) => { for (let i = 0; i < 9; i++) writeFileSync(join(d, "content/posts", `n${i}.md`), readFileSync(join(d, "content/posts", `n${i}.md`), "utf8") + "More.\n"); }, []],
    ["an output file edited by hand", (d) => { rewriteBody(d, "posts/plain.md", "Edited.\n"); appendFileSync(join(d, "dist/rss.xml"), "\n"); }, []],
    ["the section's settings with the body", (d) => { rewriteBody(d, "posts/plain.md", "Edited.\n"); appendFileSync(join(d, "content/posts/_index.md"), "About posts.\n"); }, []],
    ["an article added beside the edit", (d) => { rewriteBody(d, "posts/plain.md", "Edited.\n"); writeFileSync(join(d, "content/posts/new.md"), "---\ntitle: New\ndate: 2024-06-01\n---\nNew.\n"); }, []],
  ];
  for (const [what, change] of cases) {
    it(what, async () => {
      const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`posts/n${i}.md`, `---\ntitle: N${i}\ndate: 2021-0${i + 1}-01\n---\nNumber ${i}.\n`]));
      const dir = blog("", { ...ARTICLES, ...many });
      await builtTwice(dir);
      assert.equal(await againBesideTwin(dir, change, []), false, "the long way");
    });
  }

  it("the kept plan missing, damaged, or of another shape under the digest the record names", async () => {
    /** A plan sealed as the cache seals, and named by the record (sealed again with its digest): only its shape is wrong. */
    const otherShape = (file: string) => {
      const text = sealed({ ...(unsealed(readFileSync(file)) as object), check: undefined, items: ["not", "numbers"] });
      writeFileSync(file, text);
      const record = file.replace(/\.plan\.json$/, ".json");
      const { check: _check, ...fields } = unsealed(readFileSync(record))!;
      writeFileSync(record, sealed({ ...fields, plan: createHash("sha256").update(text).digest("hex") }));
    };
    for (const damage of [(file: string) => rmSync(file), (file: string) => writeFileSync(file, readFileSync(file, "utf8").replace('"keys":["', '"keys":["0')), otherShape]) {
      const dir = blog();
      await builtTwice(dir);
      const folder = `${dir}.cache/feedwright/builds`;
      const plan = readdirSync(folder).find((name) => name.endsWith(".plan.json"));
      assert.ok(plan !== undefined, "a plan was kept");
      damage(join(folder, plan));
      assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "posts/plain.md", "Edited.\n"), ["posts/plain.md"]), false);
    }
  });

  it("an article whose id is pinned (_ids.yaml): its items carry the pinned id, which the cache does not", async () => {
    const dir = blog("", { ...ARTICLES, "_ids.yaml": 'posts/plain.md: "tag:example.org,2024:plain"\n' });
    await builtTwice(dir);
    assert.match(readFileSync(join(dir, "dist/feed.json"), "utf8"), /tag:example\.org,2024:plain/);
    assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "posts/plain.md", "Edited under a pinned id.\n"), ["posts/plain.md"]), false);
  });

  it("--drafts", async () => {
    const dir = blog();
    await builtTwice(dir, "--drafts");
    assert.equal(await againBesideTwin(dir, (d) => rewriteBody(d, "posts/plain.md", "Edited.\n"), ["posts/plain.md"], ["--drafts"]), false);
  });
});

/**
 * The cache's stamps are shared by every build of the content: a `--drafts` preview into another
 * folder, and a build that failed. What the last build of this output folder read is the plan's.
 */
describe("an edit another build read first, then this folder's build", () => {
  /** Replaces `from` with `to` in an article, its file then dated an hour ago. */
  const changedAnHourAgo = (d: string, path: string, from: string, to: string) => {
    const file = join(d, "content", path);
    const text = readFileSync(file, "utf8");
    assert.ok(text.includes(from), `${path} holds ${from}`);
    writeFileSync(file, text.replace(from, to));
    anHourAgo(file);
  };
  const cases: [string, string, (d: string) => void, string[]][] = [
    ["a draft published, a --drafts preview built between", "", (d) => changedAnHourAgo(d, "notes/draft.md", "draft: true", "draft: false"), ["--drafts", "--out", "preview"]],
    ["a draft published, a build into another folder between", "", (d) => changedAnHourAgo(d, "notes/draft.md", "draft: true", "draft: false"), ["--out", "elsewhere"]],
    ["a scheduled article dated in the past", "", (d) => changedAnHourAgo(d, "notes/later.md", "2030-06-01", "2024-06-01"), ["--out", "elsewhere"]],
    ["with archives off, an article no feed showed dated newest", "archives: false\nlimit: 1\n", (d) => changedAnHourAgo(d, "posts/oldest.md", "2022-01-01", "2025-01-01"), ["--out", "elsewhere"]],
  ];
  for (const [what, extra, change, otherBuild] of cases) {
    it(what, async () => {
      const dir = blog(extra);
      await builtTwice(dir);
      change(dir);
      assert.equal((await build(dir, ...otherBuild)).status, 0);
      assert.equal(await againBesideTwin(dir, () => undefined, []), false, "the long way");
    });
  }

  it("a draft published and tagged, after a build of this folder that failed", async () => {
    const dir = blog();
    await builtTwice(dir);
    writeFileSync(join(dir, "content/notes/draft.md"), "---\ntitle: Not yet\ndate: 2024-02-01\ndraft: false\ntags: [fresh]\n---\nUnfinished.\n");
    anHourAgo(join(dir, "content/notes/draft.md"));
    // A file feedwright did not write where the new tag's feed goes: the build stops, writing nothing.
    mkdirSync(join(dir, "dist/tags/fresh"), { recursive: true });
    writeFileSync(join(dir, "dist/tags/fresh/rss.xml"), "mine\n");
    assert.equal((await build(dir)).status, 1);
    rmSync(join(dir, "dist/tags/fresh"), { recursive: true });
    assert.equal(await againBesideTwin(dir, () => undefined, []), false, "the long way");
    assert.ok(statSync(join(dir, "dist/tags/fresh/rss.xml")).isFile());
  });
});

describe("any sequence of body edits", () => {
  it("writes what the long way writes, patched or not", async () => {
    const paths = ["posts/summed.md", "posts/plain.md", "posts/older.md", "notes/short.md", "notes/draft.md"];
    const bodyPart = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom("# A heading", "- a list\n- of two", "`code` and **bold**", "<i>raw</i>", "[a link](https://example.net/x?a=1&b=2)", "> quoted", "", "\u00e9\u4e2d\ud83d\ude00"),
    );
    const edit = fc.record({ path: fc.constantFrom(...paths), body: fc.array(bodyPart, { minLength: 0, maxLength: 4 }).map((parts) => parts.join("\n\n")) });
    const settings = fc.constantFrom("", "archives: false\nformats: [rss]\n", "limit: 2\n", "formats: [json]\nlimit: 1\n");
    let patched = 0;
    await fc.assert(
      fc.asyncProperty(settings, fc.array(fc.array(edit, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }), async (extra, steps) => {
        const dir = blog(extra);
        await builtTwice(dir);
        for (const step of steps) if (await againBesideTwin(dir, (d) => step.forEach(({ path, body }) => editedAnHourAgo(d, path, `${body}\n`)), step.map((e) => e.path))) patched++;
        rmSync(dir, { recursive: true, force: true });
        rmSync(`${dir}.cache`, { recursive: true, force: true });
      }),
      { numRuns: 12 },
    );
    assert.ok(patched > 0, "some edits were patched in");
  });
});
