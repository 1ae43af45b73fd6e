import { Feed, type Item } from "feed";
import { lookup } from "mime-types";
import type { FeedItem, FeedModel } from "../feeds/model.ts";
import { GENERATOR } from "../version.ts";
import { rfc3339 } from "../content/dates.ts";
import { feedStylesheetInstruction } from "./feed-page.ts";
import { cdata, escapeHtml, text, ZonedDate } from "./feed-lib.ts";
import type { Fragment, Piece } from "./fragment.ts";
import { appendChildren, archiveLinks, cutElement, element, NS, splitHead, startTag } from "./xml-markup.ts";

/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) with the content, dc, atom and media
 * namespaces. One article's `<item>`: `feed` writes it (in a feed of its own, cut out), and the
 * elements `feed` has no option for are added to it here, once.
 */
export function rssItem(item: FeedItem): Fragment {
  const feed = new Feed({ title: "", updated: new Date(0), generator: false });
  feed.addItem(rssFeedItem(item));
  const added: string[] = [];
  // RSS <author> is an email address (RSS 2.0, "author"): people with one go there as
  // "email (name)", everyone else is a dc:creator; both in the order the article names them.
  for (const author of item.authors) added.push(author.email === undefined ? element("dc:creator", {}, author.name) : element("author", {}, `${author.email} (${author.name})`));
  // RSS 2.0 has no element for when an item last changed; atom:updated (RFC 4287 §4.2.15)
  // carries it, and feedparser and feedsmith read it.
  added.push(element("atom:updated", {}, rfc3339(item.updated)));
  if (item.image !== undefined) {
    const type = imageType(item.image);
    added.push(element("media:content", { url: item.image, medium: "image", ...(type === undefined ? {} : { type }) }));
  }
  return { markup: appendChildren(cutElement(feed.rss2(), "item"), "</item>", 3, added), hasContent: item.contentHtml !== "" };
}

/**
 * A whole RSS document in pieces (joined, its text): the channel as `feed` writes it with no
 * items, then the items' fragments, each its own piece so that no piece copies one.
 */
export function rssDocument(model: FeedModel<unknown>, items: readonly Fragment<Piece>[]): Piece[] {
  const feed = rssChannel(model);
  const { declaration, head, tail } = splitHead(feed.rss2(), "</channel>", 1);
  return [
    declaration,
    "\n",
    ...(model.stylesheet === undefined ? [] : [feedStylesheetInstruction(model.stylesheet), "\n"]),
    startTag("rss", rootAttributes(items.some((item) => item.hasContent), model.archive)),
    head,
    ...archiveLinks(model, "rss", "atom:link").map((link) => `\n        ${link}`),
    ...items.flatMap((item) => ["\n        ", item.markup]),
    tail,
    "\n",
  ];
}

/**
 * Every namespace the items may use is declared on the root, in the order the documents have
 * always had: `feed` declares dc and content (first) only when an item has a body, and atom for
 * the self link; media and fh follow.
 */
function rootAttributes(anyContent: boolean, archive: boolean): Record<string, string> {
  const declared = anyContent ? (["dc", "content", "atom"] as const) : (["atom", "content", "dc"] as const);
  const attributes: Record<string, string> = { version: "2.0" };
  for (const prefix of [...declared, "media"] as const) attributes[`xmlns:${prefix}`] = NS[prefix];
  if (archive) attributes["xmlns:fh"] = NS.fh;
  return attributes;
}

/** The document's head as `feed` options: everything but the items. Also what the tests compare whole documents with. */
export function rssChannel(model: FeedModel<unknown>): Feed {
  return new Feed({
    title: text(model.title),
    description: text(model.description),
    link: model.homeUrl,
    id: model.id,
    language: model.language,
    copyright: model.copyright === undefined ? undefined : text(model.copyright),
    image: model.logo === undefined ? undefined : text(model.logo),
    updated: new ZonedDate(model.updated),
    generator: GENERATOR,
    docs: "https://www.rssboard.org/rss-specification",
    feedLinks: { rss: model.feedUrls.rss },
    hub: model.hub,
  });
}

/** One item as `feed` options. */
export function rssFeedItem(item: FeedItem): Item {
  const type = item.image === undefined ? undefined : imageType(item.image);
  return {
    title: cdata(item.title),
    link: item.url,
    // `feed` marks the guid isPermaLink="true" only when no id is given, so pass one only when
    // it is not the link.
    ...(item.id === item.url ? {} : { id: text(item.id) }),
    date: new ZonedDate(item.updated),
    published: new ZonedDate(item.published),
    description: item.summary === "" ? undefined : cdata(escapeHtml(item.summary)),
    content: cdata(item.contentHtml),
    category: [...new Set([...item.tags, ...item.categories])].map((tag) => ({ name: text(tag) })),
    ...(item.image === undefined || type === undefined ? {} : { image: { url: item.image, type, length: 0 } }),
  };
}

export function imageType(url: string): string | undefined {
  const type = lookup(new URL(url).pathname);
  return type !== false && type.startsWith("image/") ? type : undefined;
}
