// Reading keeps the articles some document will show (src/feeds/select.ts, `ShownSoFar`), so that
// they are not read again to be rendered: the set it holds once every article is offered must be
// exactly what the documents show, by the real `channels` and `shownItems`, whatever the order the
// files are read in, the dates (ties included), sections and tags (spellings that fold together).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { channels, feedsOf, shownItems, type Entry } from "../src/feeds/build-feeds.ts";
import { newestFirst, ShownSoFar } from "../src/feeds/select.ts";
import { tagKeys } from "../src/feeds/tags.ts";
import type { ItemRef } from "../src/feeds/model.ts";
import { parseSection, type Section } from "../src/site/section.ts";
import { parseSite, type Site } from "../src/site/settings.ts";

function value<T>(r: { ok: true; value: T } | { ok: false; problems: readonly unknown[] }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const siteWith = (limit: number): Site => value(parseSite("content/_index.md", `---\ntitle: S\nurl: https://example.org/\nlimit: ${limit}\narchives: false\n---\n`, {}));
const sections: Section[] = [
  value(parseSection("content/notes/_index.md", "notes", "---\ntitle: Notes\n---\n")),
  value(parseSection("content/links/_index.md", "links", "---\ntitle: Links\ninSiteFeed: false\n---\n")),
];

interface Drawn {
  readonly id: number;
  readonly day: number;
  readonly section: number;
  readonly tags: string[];
}

const drawn = fc.record({
  id: fc.integer({ min: 0, max: 10_000 }),
  // Few days: many ties, broken by id.
  day: fc.integer({ min: 0, max: 12 }),
  section: fc.integer({ min: 0, max: 2 }),
  tags: fc.array(fc.constantFrom("go", "Go", "GO", "big news", "big-news", "rust", "ſun", "sun", "x"), { maxLength: 4 }),
});

function item(d: Drawn): ItemRef {
  const date = DateTime.fromMillis(Date.UTC(2024, 0, 1 + d.day), { zone: "UTC" });
  return { id: `tag:example.org,2024:${d.id}`, url: `https://example.org/${d.id}/`, title: `A ${d.id}`, summary: "", published: date, updated: date, authors: [], tags: d.tags, categories: [], externalUrl: undefined, image: undefined, lang: undefined, body: `key-${d.id}` };
}

describe("ShownSoFar: the articles a document will show, found while reading", () => {
  it("holds exactly the items of every feed's newest `limit`, read in any order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(drawn, { selector: (d) => d.id, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (articles, limit) => {
        const site = siteWith(limit);
        const sectionOf = (d: Drawn) => sections[d.section];
        // As reading does: each article offered in the order its file is read.
        const shown = new ShownSoFar<number>(limit, Infinity);
        const tagKey = tagKeys();
        for (const d of articles) {
          const ref = item(d);
          shown.offer(ref.body, { date: ref.published, id: ref.id }, feedsOf(sectionOf(d), d.tags, tagKey), 1, d.id);
        }
        // As `prepare` does: newest first, then the channels and what their documents hold.
        const entries: Entry[] = articles.map((d) => ({ file: `${d.id}.md`, section: sectionOf(d), item: item(d) })).sort((a, b) => newestFirst({ date: a.item.published, id: a.item.id }, { date: b.item.published, id: b.item.id }));
        const made = channels(site, "content/_index.md", sections, entries);
        const expected = new Set(made.channels.flatMap((channel) => shownItems(site, channel).map((i) => i.body)));
        assert.deepEqual(new Set(shown.keys()), expected);
        for (const key of expected) assert.equal(shown.get(key), Number(key.slice(4)));
      }),
      { numRuns: 400 },
    );
  });

  it("keeps values up to its budget, still ranking the rest; one pushed out gives its share back", () => {
    const date = (day: number) => DateTime.fromMillis(Date.UTC(2024, 0, day), { zone: "UTC" });
    const shown = new ShownSoFar<string>(2, 10);
    shown.offer("a", { date: date(1), id: "a" }, ["site"], 6, "A");
    shown.offer("b", { date: date(2), id: "b" }, ["site"], 6, "B");
    assert.equal(shown.get("a"), "A");
    assert.equal(shown.get("b"), undefined, "past the budget: ranked, nothing kept");
    assert.deepEqual([...shown.keys()].sort(), ["a", "b"]);
    // Newer than both: "a" is pushed out, and its 6 are free for "c".
    shown.offer("c", { date: date(3), id: "c" }, ["site"], 6, "C");
    assert.deepEqual([...shown.keys()].sort(), ["b", "c"]);
    assert.equal(shown.get("c"), "C");
    // Older than both: in no feed, not held.
    shown.offer("z", { date: date(0), id: "z" }, ["site"], 1, "Z");
    assert.equal(shown.get("z"), undefined);
    assert.deepEqual([...shown.keys()].sort(), ["b", "c"]);
  });
});
