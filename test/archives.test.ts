import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DOMParser } from "@xmldom/xmldom";
import { parseFeed } from "@rowanmanning/feed-parser";
import { DateTime } from "luxon";
import { planBuild, type Plan } from "../src/pipeline/index.ts";
import { project } from "./helpers/cli.ts";
import { join } from "node:path";

const INDEX = `---
title: Archive Test
url: https://example.org/
limit: 5
archiveSize: 4
---
`;

function articles(count: number, tag = (i: number) => (i % 3 === 0 ? "three" : "other")): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const day = String(i).padStart(2, "0");
    files[`2023-01-${day}-post-${i}.md`] = `---\ntitle: Post ${i}\ndate: 2023-01-${day}\ntags: [${tag(i)}]\n---\nBody ${i}.\n`;
  }
  return files;
}

async function plan(files: Record<string, string>, index = INDEX): Promise<Map<string, string>> {
  const dir = project(files, index);
  const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
  assert.deepEqual(result.problems.filter((p) => p.severity === "error"), []);
  return new Map((result.plan as Plan).files.map((f) => [f.path, f.content]));
}

const ATOM = "http://www.w3.org/2005/Atom";
const FH = "http://purl.org/syndication/history/1.0";

/** Follows prev-archive links from a subscription document, reading items with an independent parser. */
function walk(files: Map<string, string>, start: string): { ids: string[]; archives: string[] } {
  const ids: string[] = [];
  const archives: string[] = [];
  let path: string | undefined = start;
  while (path !== undefined) {
    const xml = files.get(path);
    assert.ok(xml !== undefined, `a prev-archive link points at ${path}, which was not written`);
    for (const item of parseFeed(xml).items) ids.push(item.id ?? "");
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const isArchive = doc.getElementsByTagNameNS(FH, "archive").length > 0;
    assert.equal(isArchive, path !== start, `${path}: fh:archive on archive documents only`);
    const prev = [...doc.getElementsByTagNameNS(ATOM, "link")].find((l) => l.getAttribute("rel") === "prev-archive");
    path = prev === undefined ? undefined : new URL(prev.getAttribute("href")!).pathname.slice(1);
    if (path !== undefined) archives.push(path);
  }
  return { ids, archives };
}

describe("RFC 5005 archives", () => {
  it("the chain from the subscription document recovers every article exactly once", async () => {
    const files = await plan(articles(23));
    const { ids, archives } = walk(files, "atom.xml");
    assert.equal(ids.length, 23);
    assert.equal(new Set(ids).size, 23);
    const expected = Array.from({ length: 23 }, (_, i) => `https://example.org/post-${23 - i}/`);
    assert.deepEqual(ids, expected, "newest first, page after page");
    // 18 older items in pages of 4 counted from the oldest: 4, 4, 4, 4, 2 (newest page).
    assert.deepEqual(archives, ["archive/5/atom.xml", "archive/4/atom.xml", "archive/3/atom.xml", "archive/2/atom.xml", "archive/1/atom.xml"]);
    // RSS documents carry the same chain.
    assert.deepEqual(walk(files, "rss.xml").ids, expected);
  });

  it("tag feeds have no archives unless tagArchives is set", async () => {
    const files = await plan(articles(23));
    assert.deepEqual(walk(files, "tags/three/atom.xml").ids, [21, 18, 15, 12, 9].map((i) => `https://example.org/post-${i}/`));
    assert.ok(![...files.keys()].some((p) => p.startsWith("tags/three/archive/")));
  });

  it("with tagArchives: true, tag feeds have their own chain", async () => {
    const files = await plan(articles(23), `${INDEX.replace(/---\n$/, "")}tagArchives: true\n---\n`);
    const { ids } = walk(files, "tags/three/atom.xml");
    assert.deepEqual(ids, [21, 18, 15, 12, 9, 6, 3].map((i) => `https://example.org/post-${i}/`));
  });

  it("a new article rewrites only the subscription documents and the newest archive page", async () => {
    const before = await plan(articles(23));
    const after = await plan(articles(24));
    const changed = [...after.keys()].filter((path) => before.get(path) !== after.get(path)).sort();
    const untouchedPages = [...before.keys()].filter((p) => /^archive\/[1-4]\//.test(p));
    assert.ok(untouchedPages.length === 12);
    for (const page of untouchedPages) assert.equal(after.get(page), before.get(page), `${page} changed`);
    assert.ok(changed.every((p) => !/^archive\/[1-4]\//.test(p)), changed.join(", "));
    assert.ok(changed.includes("archive/5/atom.xml"));
  });

  it("archives point back to the subscription document, and JSON Feed pages with next_url", async () => {
    const files = await plan(articles(12));
    const page = new DOMParser().parseFromString(files.get("archive/2/atom.xml")!, "text/xml");
    const rels = [...page.getElementsByTagNameNS(ATOM, "link")].map((l) => `${l.getAttribute("rel")} ${l.getAttribute("href")}`);
    assert.ok(rels.includes("current https://example.org/atom.xml"));
    assert.ok(rels.includes("prev-archive https://example.org/archive/1/atom.xml"));
    const json = JSON.parse(files.get("feed.json")!);
    assert.equal(json.next_url, "https://example.org/archive/2/feed.json");
    const older = JSON.parse(files.get("archive/2/feed.json")!);
    assert.equal(older.next_url, "https://example.org/archive/1/feed.json");
    const all = [json, older, JSON.parse(files.get("archive/1/feed.json")!)].flatMap((f) => f.items.map((i: { id: string }) => i.id));
    assert.equal(new Set(all).size, 12);
    assert.equal(all.length, 12);
  });
});

describe("tag and section feeds, OPML", () => {
  it("every tag gets a feed titled after it; non-ASCII slugs are kept", async () => {
    const files = await plan({
      "a.md": `---\ntitle: A\ndate: 2023-01-01\ntags: [ünïcödé, Big News]\n---\nA.\n`,
      "b.md": `---\ntitle: B\ndate: 2023-01-02\ntags: [big-news]\n---\nB.\n`,
    });
    const feed = JSON.parse(files.get("tags/ünïcödé/feed.json")!);
    assert.equal(feed.title, "Archive Test: ünïcödé");
    assert.equal(feed.items.length, 1);
    // White space counts as a hyphen, as Hugo and Jekyll slug tags: "Big News" and "big-news" are one feed.
    assert.ok(files.has("tags/big-news/atom.xml"));
    assert.equal(JSON.parse(files.get("tags/big-news/feed.json")!).items.length, 2);
    assert.ok(![...files.keys()].some((f) => f.startsWith("tags/big_news")));
  });

  it("two tags a case-insensitive disk would store in one folder are one feed", async () => {
    const dir = project(
      {
        "a.md": `---\ntitle: A\ndate: 2023-01-01\ntags: [AI]\n---\nA.\n`,
        "b.md": `---\ntitle: B\ndate: 2023-01-02\ntags: [ai]\n---\nB.\n`,
      },
      INDEX,
    );
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
    assert.deepEqual(result.problems, []);
    const feed = JSON.parse(result.plan!.files.find((f) => f.path === "tags/ai/feed.json")!.content);
    assert.equal(feed.items.length, 2);
  });

  it("a section gets its own feeds; inSiteFeed: false keeps its articles out of the site feed", async () => {
    const files = await plan({
      "news/_index.md": `---\ntitle: News\n---\nThe news.\n`,
      "news/n.md": `---\ntitle: N\ndate: 2023-01-02\n---\nN.\n`,
      "private/_index.md": `---\ntitle: Private\ninSiteFeed: false\n---\n`,
      "private/p.md": `---\ntitle: P\ndate: 2023-01-03\n---\nP.\n`,
      "top.md": `---\ntitle: Top\ndate: 2023-01-01\n---\nTop.\n`,
    });
    const titles = (path: string) => JSON.parse(files.get(path)!).items.map((i: { title: string }) => i.title);
    assert.deepEqual(titles("feed.json"), ["N", "Top"]);
    assert.deepEqual(titles("news/feed.json"), ["N"]);
    assert.deepEqual(titles("private/feed.json"), ["P"]);
    assert.equal(JSON.parse(files.get("news/feed.json")!).title, "Archive Test: News");
    assert.equal(JSON.parse(files.get("news/feed.json")!).description, "The news.");
  });

  it("feeds.opml lists every subscription feed and no archive", async () => {
    const files = await plan({ ...articles(12), "news/_index.md": `---\ntitle: News\n---\n`, "news/n.md": `---\ntitle: N\ndate: 2023-02-01\n---\nN.\n` });
    const doc = new DOMParser().parseFromString(files.get("feeds.opml")!, "text/xml");
    assert.equal(doc.documentElement!.getAttribute("version"), "2.0");
    const urls = [...doc.getElementsByTagName("outline")].map((o) => o.getAttribute("xmlUrl"));
    assert.deepEqual(urls, [
      "https://example.org/rss.xml",
      "https://example.org/news/rss.xml",
      "https://example.org/tags/other/rss.xml",
      "https://example.org/tags/three/rss.xml",
    ]);
    for (const url of urls) assert.ok(files.has(new URL(url!).pathname.slice(1)), `${url} was not written`);
  });
});
