/** The site settings `formats` and `archives`: only the chosen documents are written, and listed. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { planBuild, type Plan, type PlanResult } from "../src/pipeline/index.ts";
import { parseSite } from "../src/site/settings.ts";
import { project, tempDir } from "./helpers/cli.ts";

const index = (extra: string) => `---\ntitle: Formats Test\nurl: https://example.org/\nlimit: 2\narchiveSize: 2\n${extra}---\n`;

function articles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const day = String(i).padStart(2, "0");
    files[`2023-01-${day}-post-${i}.md`] = `---\ntitle: Post ${i}\ndate: 2023-01-${day}\ntags: [t]\n---\nBody ${i}.\n`;
  }
  return files;
}

async function build(extra: string, count = 5): Promise<Map<string, string>> {
  const dir = project(articles(count), index(extra));
  const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
  assert.deepEqual(result.problems.filter((p) => p.severity === "error"), []);
  return new Map((result.plan as Plan).files.map((f) => [f.path, f.content]));
}

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

async function planOf(files: Record<string, string>, extra: string, cacheDir?: string): Promise<PlanResult> {
  const dir = project(files, index(extra));
  return planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW, ...(cacheDir === undefined ? {} : { cacheDir }) });
}

/** The items of a document as text: from the first item to the end of the list. */
function itemsOf(path: string, text: string): string {
  if (path.endsWith(".json")) return JSON.stringify((JSON.parse(text) as { items: unknown }).items);
  return text.slice(text.indexOf(path.endsWith("rss.xml") ? "<item>" : "<entry>"));
}

const paths = (files: Map<string, string>) => [...files.keys()].sort();

describe("settings: formats and archives", () => {
  it("by default writes all three formats, with archives for the site", async () => {
    assert.deepEqual(paths(await build("")), [
      "archive/1/atom.xml", "archive/1/feed.json", "archive/1/rss.xml", "archive/2/atom.xml", "archive/2/feed.json", "archive/2/rss.xml",
      "atom.xml", "feed.css", "feed.json", "feeds.opml", "index.html", "rss.xml", "tags/t/atom.xml", "tags/t/feed.json", "tags/t/rss.xml",
    ]);
  });

  it("formats: [rss] with archives: false writes one document per feed, and lists only those", async () => {
    const files = await build("formats: [rss]\narchives: false\n");
    assert.deepEqual(paths(files), ["feed.css", "feeds.opml", "index.html", "rss.xml", "tags/t/rss.xml"]);
    assert.doesNotMatch(files.get("rss.xml")!, /prev-archive|fh:archive|xmlns:fh/);
    const door = files.get("index.html")!;
    assert.match(door, /rss\.xml/);
    assert.doesNotMatch(door, /atom\.xml|feed\.json/);
    assert.match(files.get("feeds.opml")!, /xmlUrl="https:\/\/example\.org\/rss\.xml"/);
  });

  it("formats: [json] writes no feed.css, and the OPML points at what exists", async () => {
    const files = await build("formats: [json]\n");
    assert.deepEqual(paths(files), ["archive/1/feed.json", "archive/2/feed.json", "feed.json", "feeds.opml", "index.html", "tags/t/feed.json"]);
    assert.match(files.get("feeds.opml")!, /xmlUrl="https:\/\/example\.org\/feed\.json"/);
    assert.doesNotMatch(files.get("feeds.opml")!, /rss\.xml/);
    assert.doesNotMatch(files.get("index.html")!, /rss\.xml|atom\.xml/);
  });

  it("archives: [atom] gives archive pages and links only to Atom", async () => {
    const files = await build("archives: [atom]\n");
    assert.deepEqual(paths(files).filter((p) => p.startsWith("archive/")), ["archive/1/atom.xml", "archive/2/atom.xml"]);
    assert.match(files.get("atom.xml")!, /rel="prev-archive" href="https:\/\/example\.org\/archive\/2\/atom\.xml"/);
    assert.doesNotMatch(files.get("rss.xml")!, /prev-archive/);
    assert.equal((JSON.parse(files.get("feed.json")!) as { next_url?: string }).next_url, undefined);
  });

  it("tagArchives still needs archives on", async () => {
    assert.ok(paths(await build("tagArchives: true\n")).includes("tags/t/archive/1/rss.xml"));
    assert.deepEqual(paths(await build("tagArchives: true\narchives: false\n")).filter((p) => p.includes("archive/")), []);
  });

  it("refuses what it cannot write, naming the line", () => {
    const problems = (extra: string) => parseSite("content/_index.md", index(extra), {}).problems.map((p) => `${p.line}: ${p.field}: ${p.message}`);
    assert.match(problems("formats: []\n")[0]!, /^6: formats: expected at least one format/);
    assert.match(problems("formats: [rss, rss]\n")[0]!, /^6: formats: names a format twice/);
    assert.match(problems("formats: [rdf]\n")[0]!, /^6: formats.*expected rss, atom or json/);
    assert.match(problems("archives: sometimes\n")[0]!, /^6: archives: expected true, false or a list of formats/);
    assert.deepEqual(problems("formats: [rss]\narchives: [atom]\n"), ["7: archives: atom is not written: add it to formats (now rss), or leave it out here"]);
  });
});

describe("only what a document shows is rendered", () => {
  // Five articles in one tag, limit 2: with archives off, the site and tag feeds show posts 4 and 5.
  it("with archives off, articles no document holds are never rendered; the shown ones read as with archives on", async () => {
    const lazy = await planOf(articles(5), "archives: false\n");
    assert.equal(lazy.plan!.counts.rendered, 2);
    const eager = await planOf(articles(5), "");
    assert.equal(eager.plan!.counts.rendered, 5);
    const files = (r: PlanResult) => new Map(r.plan!.files.map((f) => [f.path, f.content]));
    for (const path of ["rss.xml", "atom.xml", "feed.json", "tags/t/rss.xml", "tags/t/atom.xml", "tags/t/feed.json", "index.html"]) {
      const a = files(lazy).get(path)!;
      const b = files(eager).get(path)!;
      if (path === "index.html") assert.equal(a, b);
      else assert.equal(itemsOf(path, a), itemsOf(path, b), path);
    }
    assert.match(files(lazy).get("feed.json")!, /"summary": "Body 5\."/);
  });

  it("an error in a body no document shows is not found; in a shown one it is, at its line", async () => {
    const files = { ...articles(4), "2023-01-01-post-1.md": "---\ntitle: Post 1\ndate: 2023-01-01\n---\n[x](http://[bad/)\n" };
    assert.deepEqual((await planOf(files, "archives: false\n")).problems, []);
    const shown = await planOf({ ...files, "2023-01-01-post-1.md": "---\ntitle: Post 1\ndate: 2023-01-09\n---\n[x](http://[bad/)\n" }, "archives: false\n");
    assert.deepEqual(shown.problems.map((p) => `${p.line}: ${p.message}`), ['5: link is not a valid URL (got "http://%5Bbad/")']);
  });

  it("a cached build renders nothing again, and renders an article once a document shows it", async () => {
    const cacheDir = tempDir();
    assert.equal((await planOf(articles(5), "archives: false\n", cacheDir)).plan!.counts.rendered, 2);
    assert.equal((await planOf(articles(5), "archives: false\n", cacheDir)).plan!.counts.rendered, 0);
    // Posts 4 and 5 removed: posts 2 and 3, cached while no document showed them, are rendered now.
    const fewer = await planOf(articles(3), "archives: false\n", cacheDir);
    assert.equal(fewer.plan!.counts.rendered, 2);
    assert.match(fewer.plan!.files.find((f) => f.path === "feed.json")!.content, /"content_html": "<p>Body 3\.<\/p>\\n",\n {6}"summary": "Body 3\."/);
  });
});
