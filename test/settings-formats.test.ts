/** The site settings `formats` and `archives`: only the chosen documents are written, and listed. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { planBuild, type Plan } from "../src/build.ts";
import { parseSite } from "../src/site/settings.ts";
import { project } from "./helpers/cli.ts";

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
