import { Feed, type Item } from "feed";
import type { FeedItem, FeedModel } from "../feeds/model.ts";
import { GENERATOR } from "../version.ts";
import { feedStylesheetInstruction } from "./feed-page.ts";
import { cdata, escapeHtml, text, ZonedDate } from "./feed-lib.ts";
import type { Fragment, Piece } from "./fragment.ts";
import { imageType } from "./rss.ts";
import { appendChildren, archiveLinks, cutElement, element, NS, splitHead, startTag } from "./xml-markup.ts";

/**
 * Atom 1.0 (RFC 4287). One article's `<entry>`: `feed` writes it (in a feed of its own, cut out),
 * and what `feed` cannot write is added here, once. `language` is the documents' own: an entry
 * in another language says so.
 */
export function atomEntry(item: FeedItem, language: string | undefined): Fragment {
  const feed = new Feed({ title: "", updated: new Date(0), generator: false });
  feed.addItem(atomFeedItem(item));
  let entry = cutElement(feed.atom1(), "entry");
  if (item.lang !== undefined && item.lang !== language) entry = startTag("entry", { "xml:lang": item.lang }) + entry.slice("<entry>".length);
  // Categories are added here, not through feed: it writes the term attribute with `<` unescaped.
  const added = [...new Set([...item.tags, ...item.categories])].map((tag) => element("category", { term: tag }));
  // A link post's subject (RFC 4287 §4.2.7.2: rel="related"); the alternate link stays the article.
  if (item.externalUrl !== undefined) added.push(element("link", { rel: "related", href: item.externalUrl }));
  const type = item.image === undefined ? undefined : imageType(item.image);
  if (item.image !== undefined && type !== undefined) added.push(element("link", { rel: "enclosure", href: item.image, type }));
  return { markup: appendChildren(entry, "</entry>", 2, added), hasContent: item.contentHtml !== "" };
}

/** A whole Atom document in pieces (joined, its text): the feed as `feed` writes it with no entries, then the entries' fragments. */
export function atomDocument(model: FeedModel<unknown>, entries: readonly Fragment<Piece>[]): Piece[] {
  const feed = atomFeed(model);
  const { declaration, head, tail } = splitHead(feed.atom1(), "</feed>", 0);
  const root: Record<string, string> = { xmlns: NS.atom };
  if (model.language !== undefined) root["xml:lang"] = model.language;
  if (model.archive) root["xmlns:fh"] = NS.fh;
  return [
    declaration,
    "\n",
    ...(model.stylesheet === undefined ? [] : [feedStylesheetInstruction(model.stylesheet), "\n"]),
    startTag("feed", root),
    head,
    ...archiveLinks(model, "atom", "link").map((link) => `\n    ${link}`),
    ...entries.flatMap((entry) => ["\n    ", entry.markup]),
    tail,
    "\n",
  ];
}

function person(p: FeedModel["author"]) {
  return { name: text(p.name), ...(p.email === undefined ? {} : { email: text(p.email) }), ...(p.url === undefined ? {} : { link: p.url }) };
}

/** The document's head as `feed` options: everything but the items. Also what the tests compare whole documents with. */
export function atomFeed(model: FeedModel<unknown>): Feed {
  return new Feed({
    id: text(model.id),
    title: text(model.title),
    description: text(model.description),
    link: model.homeUrl,
    copyright: model.copyright === undefined ? undefined : text(model.copyright),
    image: model.logo === undefined ? undefined : text(model.logo),
    favicon: model.icon === undefined ? undefined : text(model.icon),
    updated: new ZonedDate(model.updated),
    generator: GENERATOR,
    author: person(model.author),
    feedLinks: { atom: model.feedUrls.atom },
    hub: model.hub,
  });
}

/** One item as `feed` options. */
export function atomFeedItem(item: FeedItem): Item {
  // feed marks title, summary and content type="html": plain text goes in escaped.
  return {
    title: cdata(escapeHtml(item.title)),
    id: item.id,
    link: item.url,
    date: new ZonedDate(item.updated),
    published: new ZonedDate(item.published),
    description: item.summary === "" ? undefined : cdata(escapeHtml(item.summary)),
    content: cdata(item.contentHtml),
    author: item.authors.map(person),
  };
}
