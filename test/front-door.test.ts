import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { parse, type DefaultTreeAdapterTypes } from "parse5";
import { addFeedStylesheet, renderFeedStylesheet } from "../src/formats/feed-page.ts";
import { renderFrontDoor } from "../src/formats/front-door.ts";
import type { FrontDoorArticle, FrontDoorFeed, FrontDoorInput } from "../src/formats/front-door-input.ts";
import { parseXmlStrict } from "./helpers/browser.ts";

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const HOSTILE = `Ünïcödé <script>alert("x")</script> & 'quotes' "double" </style> <!-- ]]> 日本語 🎉`;

function formats(base: string): FrontDoorFeed["formats"] {
  return [
    { label: "RSS", mediaType: "application/rss+xml", url: `${base}rss.xml` },
    { label: "Atom", mediaType: "application/atom+xml", url: `${base}atom.xml` },
    { label: "JSON Feed", mediaType: "application/feed+json", url: `${base}feed.json` },
  ];
}

const baseArticle: FrontDoorArticle = {
  title: `Article ${HOSTILE}`,
  url: "https://example.org/2024/a/?x=1&y=\"2\"",
  date: "2024-03-10T09:30:00+01:00",
  dateText: "10 März 2024",
  summary: `Summary with <b>tags</b>, &amp; an entity, ${HOSTILE}`,
};

/** A fresh input per call: tests never share a mutable fixture. */
function input(overrides: Partial<FrontDoorInput> = {}): FrontDoorInput {
  return {
    site: { title: `Site ${HOSTILE}`, description: `About ${HOSTILE}`, url: "https://example.org/", language: "de" },
    feeds: [
      { title: `Site ${HOSTILE}`, kind: "site", formats: formats("https://example.org/") },
      { title: `Site ${HOSTILE}: Notes "n"`, kind: "section", formats: formats("https://example.org/notes/") },
      { title: `Site ${HOSTILE}: ünïcödé <tag>`, kind: "tag", formats: formats("https://example.org/tags/%C3%BCn%C3%AFc%C3%B6d%C3%A9/") },
    ],
    latest: [
      { ...baseArticle },
      { ...baseArticle, title: "Second", url: "https://example.org/2024/b/", date: "2024-02-01T00:00:00+01:00", dateText: "1 Februar 2024", summary: "" },
    ],
    opmlUrl: "https://example.org/feeds.opml",
    ...overrides,
  };
}

function parseHtml(html: string): { doc: DefaultTreeAdapterTypes.Document; errors: string[] } {
  const errors: string[] = [];
  const doc = parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
  return { doc, errors };
}

function elements(node: Node, tag?: string): Element[] {
  const found: Element[] = [];
  const visit = (n: Node) => {
    if ("tagName" in n && (tag === undefined || n.tagName === tag)) found.push(n);
    if ("childNodes" in n) n.childNodes.forEach(visit);
    if ("content" in n) visit(n.content);
  };
  visit(node);
  return found;
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function text(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
  return "childNodes" in node ? node.childNodes.map(text).join("") : "";
}

function byClass(node: Node, className: string): Element[] {
  return elements(node).filter((el) => (attr(el, "class") ?? "").split(" ").includes(className));
}

function one<T>(list: readonly T[], what: string): T {
  assert.equal(list.length, 1, `exactly one ${what}`);
  return list[0]!;
}

describe("renderFrontDoor", () => {
  it("is well-formed HTML: no parse error, one html, head and body, a doctype", () => {
    const html = renderFrontDoor(input());
    const { doc, errors } = parseHtml(html);
    assert.deepEqual(errors, []);
    assert.ok(html.startsWith("<!doctype html>"));
    assert.equal(attr(one(elements(doc, "html"), "html"), "lang"), "en");
    one(elements(doc, "meta").filter((m) => attr(m, "charset") === "utf-8"), "charset meta");
    one(elements(doc, "meta").filter((m) => attr(m, "name") === "viewport"), "viewport meta");
  });

  it("escapes every piece of site text: it comes back exactly, as text, and adds no element", () => {
    const given = input();
    const { doc } = parseHtml(renderFrontDoor(given));
    assert.equal(text(one(elements(doc, "title"), "title")), `${given.site.title}: feeds`);
    assert.equal(text(one(elements(doc, "h1"), "h1")), given.site.title);
    assert.equal(text(one(byClass(doc, "lede"), "description")), given.site.description);
    assert.equal(attr(one(elements(doc, "meta").filter((m) => attr(m, "name") === "description"), "description meta"), "content"), given.site.description);
    const articles = elements(doc, "article");
    assert.deepEqual(articles.map((a) => text(elements(a, "h3")[0]!)), given.latest.map((a) => a.title));
    assert.equal(text(one(byClass(articles[0]!, "summary"), "summary")), baseArticle.summary);
    assert.equal(byClass(articles[1]!, "summary").length, 0, "an empty summary leaves no empty paragraph");
    assert.deepEqual(elements(doc, "a").filter((a) => attr(a, "href")?.startsWith("https://example.org/2024/")).map((a) => attr(a, "href")), given.latest.map((a) => a.url));

    // The hostile text made no element and no attribute of its own.
    assert.equal(elements(doc, "script").length, 1);
    assert.equal(elements(doc, "style").length, 1);
    assert.equal(elements(doc, "tag").length, 0);
    assert.equal(elements(doc, "b").length, 0);
    for (const el of elements(doc)) {
      for (const a of el.attrs) assert.ok(!a.name.startsWith("on"), `<${el.tagName} ${a.name}>`);
    }
  });

  it("has one autodiscovery link per format of every feed, with its media type and a title", () => {
    const given = input();
    const { doc } = parseHtml(renderFrontDoor(given));
    const head = one(elements(doc, "head"), "head");
    const links = elements(head, "link").filter((l) => attr(l, "rel") === "alternate");
    assert.deepEqual(
      links.map((l) => ({ type: attr(l, "type"), href: attr(l, "href"), title: attr(l, "title") })),
      given.feeds.flatMap((feed) => feed.formats.map((f) => ({ type: f.mediaType, href: f.url, title: `${feed.title} (${f.label})` }))),
    );
    assert.equal(elements(doc, "body").flatMap((b) => elements(b, "link")).length, 0, "every link element is in <head>");
  });

  it("shows every feed URL, each with a copy button that names the format and the feed", () => {
    const given = input();
    const { doc } = parseHtml(renderFrontDoor(given));
    const formats = byClass(doc, "format");
    const expected = given.feeds.flatMap((feed) => feed.formats.map((f) => ({ feed, f })));
    assert.equal(formats.length, expected.length);
    formats.forEach((row, i) => {
      const { feed, f } = expected[i]!;
      const link = one(byClass(row, "url"), "URL link");
      assert.equal(attr(link, "href"), f.url);
      const button = one(elements(row, "button"), "copy button");
      assert.equal(attr(button, "type"), "button");
      assert.equal(attr(button, "data-copy"), f.url);
      assert.equal(attr(button, "aria-label"), `Copy ${f.label} address of ${feed.title}`);
      assert.equal(text(one(byClass(row, "badge"), "badge")), f.label);
    });
    const status = one(elements(doc).filter((el) => attr(el, "id") === "copy-status"), "status region");
    assert.equal(attr(status, "role"), "status");
    assert.equal(attr(status, "aria-live"), "polite");
  });

  it("shows a URL's percent-escaped letters as letters, but never a hidden bidi mark", () => {
    const { doc } = parseHtml(renderFrontDoor(input({
      feeds: [
        { title: "Tag", kind: "tag", formats: [{ label: "RSS", mediaType: "application/rss+xml", url: "https://example.org/tags/k%C3%BCnstlich/rss.xml" }] },
        { title: "Bidi", kind: "tag", formats: [{ label: "RSS", mediaType: "application/rss+xml", url: "https://example.org/tags/%E2%80%AEevil/rss.xml" }] },
      ],
    })));
    const urls = byClass(doc, "url");
    assert.deepEqual(urls.map((u) => text(u)), ["https://example.org/tags/künstlich/rss.xml", "https://example.org/tags/%E2%80%AEevil/rss.xml"]);
    assert.deepEqual(urls.map((u) => attr(u, "href")), ["https://example.org/tags/k%C3%BCnstlich/rss.xml", "https://example.org/tags/%E2%80%AEevil/rss.xml"]);
    assert.equal(elements(urls[0]!, "wbr").length, 3, "a line break may fall after each path slash");
  });

  it("groups feeds: the site's first, then sections, then tags in a <details>, titled without the site's prefix", () => {
    const given = input();
    const { doc } = parseHtml(renderFrontDoor(given));
    const names = byClass(doc, "feed-name").map((el) => text(el));
    assert.deepEqual(names, ["Everything", `Notes "n"`, "#ünïcödé <tag>"]);
    const details = one(elements(doc, "details"), "details");
    assert.equal(byClass(details, "feed").length, 1);
    assert.equal(text(one(elements(details, "summary"), "summary")), "1 tag feed");
  });

  it("marks the site's language on site text while its own words stay English", () => {
    const { doc } = parseHtml(renderFrontDoor(input()));
    assert.equal(attr(one(elements(doc, "h1"), "h1"), "lang"), "de");
    assert.equal(attr(one(byClass(doc, "articles"), "article list"), "lang"), "de");
    const english = parseHtml(renderFrontDoor(input({ site: { ...input().site, language: "en" } }))).doc;
    assert.equal(attr(one(elements(english, "h1"), "h1"), "lang"), undefined);
  });

  it("dates each article with a machine-readable <time>", () => {
    const given = input();
    const { doc } = parseHtml(renderFrontDoor(given));
    assert.deepEqual(
      elements(doc, "time").map((t) => ({ datetime: attr(t, "datetime"), text: text(t) })),
      given.latest.map((a) => ({ datetime: a.date, text: a.dateText })),
    );
  });

  it("links the OPML file", () => {
    const { doc } = parseHtml(renderFrontDoor(input()));
    const link = one(elements(doc, "a").filter((a) => attr(a, "href") === "https://example.org/feeds.opml"), "OPML link");
    assert.equal(attr(link, "type"), "text/x-opml");
    assert.match(text(byClass(doc, "opml")[0]!), /Import all 3 feeds at once/);
  });

  it("allows exactly its own inline style and script by hash, and loads nothing else", () => {
    const { doc } = parseHtml(renderFrontDoor(input()));
    const csp = attr(one(elements(doc, "meta").filter((m) => attr(m, "http-equiv") === "Content-Security-Policy"), "CSP meta"), "content") ?? "";
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
    const directives = new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
    assert.equal(directives.get("default-src"), "'none'");
    assert.equal(directives.get("script-src"), hash(text(one(elements(doc, "script"), "script"))));
    assert.equal(directives.get("style-src"), hash(text(one(elements(doc, "style"), "style"))));
    for (const el of elements(doc)) {
      assert.equal(attr(el, "style"), undefined, `<${el.tagName}> has no style attribute (the CSP would block it)`);
      const src = attr(el, "src") ?? (el.tagName === "link" && attr(el, "rel") !== "alternate" ? attr(el, "href") : undefined);
      if (src !== undefined) assert.ok(src.startsWith("data:"), `<${el.tagName}> loads only data: URLs, not ${src}`);
    }
  });

  it("is deterministic: the same input gives the same bytes, whatever object holds it", () => {
    const first = renderFrontDoor(input());
    assert.equal(renderFrontDoor(input()), first);
    assert.equal(renderFrontDoor(JSON.parse(JSON.stringify(input())) as FrontDoorInput), first);
    assert.notEqual(renderFrontDoor(input({ opmlUrl: "https://example.org/other.opml" })), first);
  });

  it("renders a site with no sections, no tags and nothing published", () => {
    const given = input({ feeds: [input().feeds[0]!], latest: [] });
    const html = renderFrontDoor(given);
    const { doc, errors } = parseHtml(html);
    assert.deepEqual(errors, []);
    assert.equal(elements(doc, "details").length, 0);
    assert.equal(elements(doc, "ol").length, 0);
    assert.match(text(doc), /Nothing published yet\./);
    assert.match(text(doc), /Import this feed with/);
  });
});

describe("feed.css for rss.xml and atom.xml", () => {
  it("is linked by a text/css processing instruction before the root, with its href escaped", () => {
    const doc = new DOMParser().parseFromString('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel/></rss>', "text/xml");
    addFeedStylesheet(doc, 'https://example.org/feed.css?a=1&b="2"');
    const xml = new XMLSerializer().serializeToString(doc);
    assert.equal(xml, '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet type="text/css" href="https://example.org/feed.css?a=1&amp;b=&quot;2&quot;"?>\n<rss version="2.0"><channel/></rss>');
    assert.deepEqual(parseXmlStrict(xml), { root: "rss", namespace: "" });
  });

  it("refuses an href that would end the instruction", () => {
    const doc = new DOMParser().parseFromString("<rss/>", "text/xml");
    assert.throws(() => addFeedStylesheet(doc, "https://example.org/?>x"), /"\?>" cannot appear/);
  });

  it("styles both formats without XSLT, hides what is not for people, and follows the reader's colour scheme", () => {
    const css = renderFeedStylesheet();
    assert.match(css, /@namespace atom url\(http:\/\/www\.w3\.org\/2005\/Atom\);/);
    assert.match(css, /^\* \{ display: none; \}$/m);
    assert.match(css, /^\|rss, atom\|feed \{$/m);
    assert.match(css, /@media \(prefers-color-scheme: dark\)/);
    assert.doesNotMatch(css, /xsl|url\((?!http:\/\/www\.w3\.org\/2005\/Atom)/i, "no XSLT and nothing loaded");
  });
});
