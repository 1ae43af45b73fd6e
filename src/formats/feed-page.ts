/**
 * How rss.xml and atom.xml read when opened in a browser: a CSS stylesheet, not XSLT.
 *
 * Browsers are removing XSLT (Chromium shows a deprecation banner over XSLT pages), but styling
 * XML with CSS is plain CSS ("Associating Style Sheets with XML documents", W3C 2010, and CSS 2
 * §2.1) and keeps working. The feed documents stay exactly as feed readers want them; one
 * processing instruction before the root points at dist/feed.css, which hides the machinery
 * (ids, full content, namespaced extras) and lays out the title, the items, their dates and
 * summaries. CSS cannot turn an XML element into a link, so the page says how to subscribe:
 * copy the address from the address bar.
 */
import { DOMImplementation, XMLSerializer, type Document } from "@xmldom/xmldom";
import { PALETTE_CSS } from "./palette.ts";

/** Path of the stylesheet under the output folder. */
export const FEED_STYLESHEET_FILE = "feed.css";

/** The stylesheet named by every rss.xml and atom.xml; one file serves both formats. */
export function renderFeedStylesheet(): string {
  return FEED_CSS;
}

/**
 * Adds `<?xml-stylesheet type="text/css" href="…"?>` before the root element. `href` should be
 * absolute (`new URL(FEED_STYLESHEET_FILE, site.url).href`), so that feeds in every folder
 * (tags/x/, archive/1/) find it.
 *
 * Not `feed`'s `stylesheet` option: `feed` 6.0.0 always writes that instruction with
 * type="text/xsl", and a browser would try to run the CSS as XSLT.
 */
export function addFeedStylesheet(doc: Document, href: string): void {
  const root = doc.documentElement;
  if (root === null) throw new Error("addFeedStylesheet: the document has no root element");
  doc.insertBefore(doc.createProcessingInstruction("xml-stylesheet", stylesheetData(href)), root);
  doc.insertBefore(doc.createTextNode("\n"), root);
}

/** The same instruction as markup, for the documents the renderers assemble (rss.ts, atom.ts). */
export function feedStylesheetInstruction(href: string): string {
  return new XMLSerializer().serializeToString(scratch.createProcessingInstruction("xml-stylesheet", stylesheetData(href)));
}

const scratch = new DOMImplementation().createDocument(null, "", null);

function stylesheetData(href: string): string {
  // Pseudo-attribute values follow XML attribute rules (xml-stylesheet §2): escape & and ".
  const value = href.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  if (value.includes("?>")) throw new Error(`addFeedStylesheet: "?>" cannot appear in an href: ${href}`);
  return `type="text/css" href="${value}"`;
}

const FEED_CSS = `/* How rss.xml and atom.xml look in a browser. Feed readers never read this file. */
@namespace atom url(http://www.w3.org/2005/Atom);

${PALETTE_CSS}

/* Everything is hidden unless named below: a feed holds much that is not for people.
   RSS elements are in no namespace: "|link" matches them and never atom:link. */
* { display: none; }

|rss, atom|feed {
  display: block;
  max-width: 46rem;
  margin: 0 auto;
  padding: 0 1.25rem 3rem;
  background: var(--bg);
  color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif;
  font-size: 16px;
  line-height: 1.55;
  overflow-wrap: anywhere;
}
:root { background: var(--bg); }
|rss |channel { display: flex; flex-direction: column; }
atom|feed { display: flex; flex-direction: column; }

/* The banner: what this page is and how to use it. */
|rss::before, atom|feed::before {
  display: block;
  order: -10;
  margin: 1.25rem 0 2rem;
  padding: 0.9rem 1.1rem;
  border: 1px solid var(--accent);
  border-radius: 12px;
  background: var(--accent-soft);
  content: "This is a web feed. To subscribe, copy this page's address from the address bar into your feed reader.";
  font-weight: 600;
}

|rss |channel > |title, atom|feed > atom|title {
  display: block;
  order: -3;
  margin: 0;
  font-size: 2.25rem;
  font-weight: 700;
  line-height: 1.15;
  letter-spacing: -0.02em;
}
|rss |channel > |description, atom|feed > atom|subtitle {
  display: block;
  order: -2;
  margin: 0.75rem 0 0;
  color: var(--muted);
  font-size: 1.1rem;
}
|rss |channel > |link, atom|feed > atom|link[rel="alternate"] {
  display: block;
  order: -1;
  margin: 0.5rem 0 1.5rem;
  color: var(--accent);
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.9rem;
}
atom|feed > atom|link[rel="alternate"]::before { content: attr(href); }

/* RFC 5005: where the older articles are. */
|rss |channel > atom|link[rel="prev-archive"], atom|feed > atom|link[rel="prev-archive"],
|rss |channel > atom|link[rel="current"], atom|feed > atom|link[rel="current"] {
  display: block;
  order: 1;
  margin: 1.5rem 0 0;
  color: var(--muted);
  font-size: 0.9rem;
}
|rss |channel > atom|link[rel="prev-archive"]::before, atom|feed > atom|link[rel="prev-archive"]::before {
  content: "Older articles: " attr(href);
}
|rss |channel > atom|link[rel="current"]::before, atom|feed > atom|link[rel="current"]::before {
  content: "This is an archive page. The current feed: " attr(href);
}

|rss |item, atom|entry {
  display: flex;
  flex-direction: column;
  margin: 0;
  padding: 1.1rem 0;
  border-top: 1px solid var(--line);
}
|rss |item > |title, atom|entry > atom|title {
  display: block;
  order: -1;
  font-size: 1.2rem;
  font-weight: 700;
  line-height: 1.3;
}
|rss |item > |pubDate, atom|entry > atom|updated {
  display: block;
  margin: 0.2rem 0 0;
  color: var(--muted);
  font-size: 0.88rem;
}
|rss |item > |description, atom|entry > atom|summary {
  display: block;
  margin: 0.45rem 0 0;
}
|rss |item > |link, atom|entry > atom|link[rel="alternate"], atom|entry > atom|link:not([rel]) {
  display: block;
  order: 1;
  margin: 0.35rem 0 0;
  color: var(--accent);
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.82rem;
}
atom|entry > atom|link[rel="alternate"]::before, atom|entry > atom|link:not([rel])::before { content: attr(href); }
`;
