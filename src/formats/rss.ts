import { Feed, type Item } from "feed";
import { lookup } from "mime-types";
import type { FeedItem, FeedModel } from "../feeds/model.ts";
import { GENERATOR } from "../version.ts";
import { rfc3339 } from "../content/dates.ts";
import { addFeedStylesheet } from "./feed-page.ts";
import { cdata, escapeHtml, text, ZonedDate } from "./feed-lib.ts";
import { addArchiveLinks, appendIndented, childElements, element, NS, parseXml, serializeXml } from "./xml-dom.ts";

/** RSS 2.0 (https://www.rssboard.org/rss-specification) with the content, dc, atom and media namespaces. */
export function renderRss(model: FeedModel): string {
  const feed = new Feed({
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
  for (const item of model.items) feed.addItem(toItem(item));
  return finish(feed.rss2(), model);
}

function toItem(item: FeedItem): Item {
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
    category: item.tags.map((tag) => ({ name: text(tag) })),
    ...(item.image === undefined || type === undefined ? {} : { image: { url: item.image, type, length: 0 } }),
  };
}

function finish(xml: string, model: FeedModel): string {
  const doc = parseXml(xml);
  const rss = doc.documentElement!;
  for (const prefix of ["atom", "content", "dc", "media"] as const) rss.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, NS[prefix]);
  if (model.archive) rss.setAttributeNS(NS.xmlns, "xmlns:fh", NS.fh);
  const channel = childElements(rss, "channel")[0]!;
  addArchiveLinks(channel, model, "rss", "atom:link", 2, "item");
  childElements(channel, "item").forEach((el, i) => {
    const item = model.items[i]!;
    // RSS <author> is an email address (RSS 2.0, "author"): people with one go there as
    // "email (name)", everyone else is a dc:creator; both in the order the article names them.
    for (const author of item.authors) {
      const person = author.email === undefined ? element(doc, NS.dc, "dc:creator", {}, author.name) : element(doc, "", "author", {}, `${author.email} (${author.name})`);
      appendIndented(el, person, 3);
    }
    // RSS 2.0 has no element for when an item last changed; atom:updated (RFC 4287 §4.2.15)
    // carries it, and feedparser and feedsmith read it.
    appendIndented(el, element(doc, NS.atom, "atom:updated", {}, rfc3339(item.updated)), 3);
    if (item.image !== undefined) {
      const type = imageType(item.image);
      appendIndented(el, element(doc, NS.media, "media:content", { url: item.image, medium: "image", ...(type === undefined ? {} : { type }) }), 3);
    }
  });
  if (model.stylesheet !== undefined) addFeedStylesheet(doc, model.stylesheet);
  return serializeXml(doc);
}

export function imageType(url: string): string | undefined {
  const type = lookup(new URL(url).pathname);
  return type !== false && type.startsWith("image/") ? type : undefined;
}
