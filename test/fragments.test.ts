/**
 * The render path (docs/architecture.md, "Render path"): each article's item is made once per
 * format and documents are assembled from those fragments. What is assembled must be what `feed`
 * (RSS, Atom) or one JSON.stringify (JSON Feed) would write for the whole document at once.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime, FixedOffsetZone } from "luxon";
import { SaxesParser, type SaxesTagNS } from "saxes";
import { cleanText } from "../src/content/text.ts";
import type { FeedItem, FeedModel, FormatUrls } from "../src/feeds/model.ts";
import { FragmentMemo, type Fragment } from "../src/formats/fragment.ts";
import { atomFeed, atomFeedItem } from "../src/formats/atom.ts";
import { FORMATS, formatNamed, renderDocument } from "../src/formats/index.ts";
import { rssChannel, rssFeedItem } from "../src/formats/rss.ts";

const nasty = fc.constantFrom("<", ">", "&", "&amp;", "&lt;", '"', "'", "]]>", "]]", "\t", "\n", "\u2028", "\u0085", "é", "日本", "😀", "<b>x</b>", "?>", "--", " ");
const plain = fc.constantFrom(..."abcXYZ019 ");
/** Text as the build hands it to formats: normalised by cleanText, nasty characters likely. */
export const textArb = (max = 12) => fc.array(fc.oneof({ weight: 3, arbitrary: plain }, { weight: 2, arbitrary: nasty }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 2 }) }), { maxLength: max }).map((u) => cleanText(u.join("")));
const someText = textArb().map((t) => t.trim()).filter((t) => t !== "");
const dateArb = fc.tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: -14 * 4, max: 14 * 4 })).map(([s, q]) => DateTime.fromMillis(s * 1000, { zone: FixedOffsetZone.instance(q * 15) }));
const urlArb = fc.tuple(fc.constantFrom("https://example.org/", "https://b\u00fccher.example/x/", "http://h.example/a?b=1&c=2"), fc.stringMatching(/^[a-z0-9&;._~-]{0,8}$/), fc.constantFrom("", ".png", ".jpg", ".txt")).map(([b, p, e]) => new URL(`${p}${e}`, b).href);
const personArb = fc.record({ name: someText, email: fc.option(fc.constantFrom("a@example.org", "o'b&c@example.org"), { nil: undefined }), url: fc.option(urlArb, { nil: undefined }) }).map((p) => ({ name: p.name, ...(p.email === undefined ? {} : { email: p.email }), ...(p.url === undefined ? {} : { url: p.url }) }));
const langArb = fc.option(fc.constantFrom("en", "de", "pt-BR"), { nil: undefined });

export const itemArb: fc.Arbitrary<FeedItem> = fc
  .record({ id: fc.option(urlArb, { nil: undefined }), url: urlArb, title: someText, summary: textArb(), contentHtml: fc.oneof(textArb(30), fc.constant("")), published: dateArb, updated: dateArb, authors: fc.array(personArb, { maxLength: 3 }), tags: fc.uniqueArray(someText, { maxLength: 3 }), categories: fc.uniqueArray(someText, { maxLength: 2 }), externalUrl: fc.option(urlArb, { nil: undefined }), image: fc.option(urlArb, { nil: undefined }), lang: langArb })
  .map(({ id, ...item }) => ({ ...item, id: id ?? item.url }));

const urls = (folder: string): FormatUrls => ({ rss: `https://example.org/${folder}rss.xml`, atom: `https://example.org/${folder}atom.xml`, json: `https://example.org/${folder}feed.json` });
const maybeUrls = fc.option(fc.constantFrom("", "archive/1/", "archive/2/").map(urls), { nil: undefined });

export const modelArb: fc.Arbitrary<FeedModel> = fc.record({
  folder: fc.constantFrom("", "tags/x/", "archive/1/"),
  id: fc.constantFrom("https://example.org/", "tag:example.org,2023:feed"),
  title: someText,
  description: someText,
  homeUrl: fc.constant("https://example.org/"),
  feedUrls: fc.constant(urls("")),
  language: langArb,
  author: personArb,
  copyright: fc.option(someText, { nil: undefined }),
  icon: fc.option(urlArb, { nil: undefined }),
  logo: fc.option(urlArb, { nil: undefined }),
  updated: dateArb,
  items: fc.uniqueArray(itemArb, { maxLength: 4, selector: (i) => i.url }),
  stylesheet: fc.option(fc.constantFrom("https://example.org/feed.css", 'https://example.org/f.css?a=1&b="2"'), { nil: undefined }),
  hub: fc.option(fc.constant("https://hub.example/"), { nil: undefined }),
  archive: fc.boolean(),
  prevArchive: maybeUrls,
  nextArchive: maybeUrls,
  current: maybeUrls,
});

/** An element tree from saxes (namespaces on): name, attributes, children; text joined, whitespace between elements dropped. */
interface Node {
  name: string;
  attributes: Record<string, string>;
  children: (Node | string)[];
}

function parse(xml: string): { root: Node; instructions: string[] } {
  const parser = new SaxesParser({ xmlns: true });
  const stack: Node[] = [{ name: "#document", attributes: {}, children: [] }];
  const instructions: string[] = [];
  const text = (t: string) => {
    const top = stack.at(-1)!;
    const last = top.children.at(-1);
    if (typeof last === "string") top.children[top.children.length - 1] = last + t;
    else top.children.push(t);
  };
  parser.on("error", (e) => {
    throw e;
  });
  parser.on("processinginstruction", (pi) => instructions.push(`${pi.target} ${pi.body}`));
  parser.on("opentag", (tag: SaxesTagNS) => {
    const node: Node = { name: `{${tag.uri}}${tag.local}`, attributes: Object.fromEntries(Object.values(tag.attributes).map((a) => [`{${a.uri}}${a.local}`, a.value])), children: [] };
    stack.at(-1)!.children.push(node);
    stack.push(node);
  });
  parser.on("text", text);
  parser.on("cdata", text);
  parser.on("closetag", () => {
    const node = stack.pop()!;
    node.children = node.children.filter((c) => typeof c !== "string" || c.trim() !== "" || node.children.every((d) => typeof d === "string"));
  });
  parser.write(xml).close();
  return { root: stack[0]!.children.find((c): c is Node => typeof c !== "string")!, instructions };
}

const XMLNS = "{http://www.w3.org/2000/xmlns/}";
const ATOM = "http://www.w3.org/2005/Atom";

/** Drops what `feed` does not write (namespace declarations aside, which the comparison ignores). */
function withoutAdditions(node: Node, isAddition: (n: Node, parent: Node) => boolean): Node {
  const attributes = Object.fromEntries(Object.entries(node.attributes).filter(([k]) => !k.startsWith(XMLNS) && k !== "{http://www.w3.org/XML/1998/namespace}lang"));
  const children = node.children.filter((c) => typeof c === "string" || !isAddition(c, node)).map((c) => (typeof c === "string" ? c : withoutAdditions(c, isAddition)));
  return { name: node.name, attributes, children };
}

const element = (n: Node, name: string): Node | undefined => n.children.find((c): c is Node => typeof c !== "string" && c.name === name);

describe("documents assembled from fragments", () => {
  it("RSS: parses as the document feed writes whole, plus only what feed cannot write", () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const assembled = parse(renderDocument("rss", model));
        const whole = rssChannel(model);
        for (const item of model.items) whole.addItem(rssFeedItem(item));
        const expected = parse(whole.rss2());
        const ADDED_TO_ITEM = new Set(["{}author", "{http://purl.org/dc/elements/1.1/}creator", `{${ATOM}}updated`, "{http://search.yahoo.com/mrss/}content"]);
        const stripped = withoutAdditions(assembled.root, (n, parent) =>
          parent.name === "{}item" ? ADDED_TO_ITEM.has(n.name) : n.name === "{http://purl.org/syndication/history/1.0}archive" || (n.name === `{${ATOM}}link` && ["current", "prev-archive", "next-archive"].includes(n.attributes["{}rel"] ?? "")),
        );
        assert.deepEqual(stripped, withoutAdditions(expected.root, () => false));
        const items = element(assembled.root, "{}channel")!.children.filter((c): c is Node => typeof c !== "string" && c.name === "{}item");
        assert.equal(items.length, model.items.length);
        // What was added is each item's own: its atom:updated, in the item's order.
        items.forEach((item, i) => assert.deepEqual(element(item, `{${ATOM}}updated`)?.children, [model.items[i]!.updated.toISO({ suppressMilliseconds: true })]));
        assert.deepEqual(assembled.instructions, model.stylesheet === undefined ? [] : [`xml-stylesheet type="text/css" href="${model.stylesheet.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}"`]);
      }),
      { numRuns: 150 },
    );
  });

  it("Atom: parses as the document feed writes whole, plus only what feed cannot write", () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const assembled = parse(renderDocument("atom", model));
        const whole = atomFeed(model);
        for (const item of model.items) whole.addItem(atomFeedItem(item));
        const expected = parse(whole.atom1());
        const stripped = withoutAdditions(assembled.root, (n, parent) =>
          parent.name === `{${ATOM}}entry`
            ? n.name === `{${ATOM}}category` || (n.name === `{${ATOM}}link` && ["enclosure", "related"].includes(n.attributes["{}rel"] ?? ""))
            : n.name === "{http://purl.org/syndication/history/1.0}archive" || (n.name === `{${ATOM}}link` && ["current", "prev-archive", "next-archive"].includes(n.attributes["{}rel"] ?? "")),
        );
        assert.deepEqual(stripped, withoutAdditions(expected.root, () => false));
        const entries = assembled.root.children.filter((c): c is Node => typeof c !== "string" && c.name === `{${ATOM}}entry`);
        entries.forEach((entry, i) => {
          const item = model.items[i]!;
          const terms = entry.children.filter((c): c is Node => typeof c !== "string" && c.name === `{${ATOM}}category`).map((c) => c.attributes["{}term"]);
          assert.deepEqual(terms, [...new Set([...item.tags, ...item.categories])]);
          assert.equal(entry.attributes["{http://www.w3.org/XML/1998/namespace}lang"], item.lang === model.language ? undefined : item.lang);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("JSON Feed: the same text as one JSON.stringify of the whole document", () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const assembled = renderDocument("json", model);
        const parsed = JSON.parse(assembled) as { items: { id: string }[] };
        assert.equal(assembled, `${JSON.stringify(parsed, null, 2)}\n`);
        assert.deepEqual(parsed.items.map((i) => i.id), model.items.map((i) => i.id));
      }),
      { numRuns: 150 },
    );
  });

  it("a fragment is the same in every document that holds it", () => {
    fc.assert(
      fc.property(modelArb, modelArb, itemArb, (a, b, shared) => {
        for (const format of FORMATS) {
          const fragment = format.item(shared, "en");
          for (const model of [a, b]) {
            const doc = format.assemble({ ...model, language: "en" }, [fragment]).join("");
            assert.equal(doc, renderDocument(format.name, { ...model, language: "en", items: [shared] }));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("FragmentMemo", () => {
  type Ref = { readonly body: string };
  const refs = (...keys: string[]): Ref[] => keys.map((body) => ({ body }));
  const counting = () => {
    const made: string[] = [];
    /** One entry per batch: the items whose bodies it fetched. */
    const fetched: string[][] = [];
    const memo = new FragmentMemo<Ref>(["rss", "atom", "json"], async (formats, batch) => {
      fetched.push(batch.map((r) => r.body));
      return formats.map((format) => batch.map((r) => (made.push(`${format}:${r.body}`), { markup: `<${format}:${r.body}/>`, hasContent: true })));
    });
    return { made, fetched, memo };
  };

  it("makes each item once per format, however many documents hold it", async () => {
    const { made, memo } = counting();
    const docs = [refs("a", "b", "c"), refs("a", "c"), refs("c", "d")];
    for (const format of ["rss", "atom"]) for (const d of docs) memo.plan(format, d);
    for (const format of ["rss", "atom"]) {
      for (const d of docs) {
        assert.deepEqual((await memo.take(format, d)).map((f) => Buffer.from(f.markup).toString()), d.map((r) => `<${format}:${r.body}/>`));
        memo.release(d);
      }
    }
    assert.deepEqual(made.sort(), ["atom:a", "atom:b", "atom:c", "atom:d", "rss:a", "rss:b", "rss:c", "rss:d"]);
  });

  it("fetches each body once for every format its documents are in, and makes no format none holds it in", async () => {
    const { made, fetched, memo } = counting();
    // A page in all three formats, and a page only in RSS and JSON Feed (archives: [rss, json]).
    for (const format of ["rss", "atom", "json"]) memo.plan(format, refs("a", "b"));
    for (const format of ["rss", "json"]) memo.plan(format, refs("c"));
    for (const format of ["rss", "atom", "json"]) {
      await memo.take(format, refs("a", "b"));
      memo.release(refs("a", "b"));
    }
    for (const format of ["rss", "json"]) {
      await memo.take(format, refs("c"));
      memo.release(refs("c"));
    }
    assert.deepEqual(fetched, [["a", "b"], ["c"]]);
    assert.deepEqual(made.sort(), ["atom:a", "atom:b", "json:a", "json:b", "json:c", "rss:a", "rss:b", "rss:c"]);
  });

  it("drops a fragment after the last document that holds it", async () => {
    const { made, memo } = counting();
    memo.plan("rss", refs("a"));
    memo.plan("rss", refs("a"));
    await memo.take("rss", refs("a"));
    memo.release(refs("a"));
    await memo.take("rss", refs("a"));
    memo.release(refs("a"));
    assert.equal(made.length, 1, "kept while a document still needs it");
    await memo.take("rss", refs("a"));
    assert.equal(made.length, 2, "made again once no document needed it: it was not kept");
  });

  it("renders two documents asked for at once with one batch per missing item", async () => {
    const { made, memo } = counting();
    memo.plan("json", refs("a", "b"));
    memo.plan("json", refs("b", "c"));
    await Promise.all([memo.take("json", refs("a", "b")), memo.take("json", refs("b", "c"))]);
    assert.deepEqual(made, ["json:a", "json:b", "json:c"]);
  });
});
