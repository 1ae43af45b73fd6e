import { Feed, type Item } from "feed";
import type { FeedItem, FeedModel } from "../feeds/model.ts";
import { GENERATOR } from "../version.ts";
import { addFeedStylesheet } from "./feed-page.ts";
import { cdata, escapeHtml, text, ZonedDate } from "./feed-lib.ts";
import { imageType } from "./rss.ts";
import { addArchiveLinks, appendIndented, childElements, element, NS, parseXml, serializeXml } from "./xml-dom.ts";

/** Atom 1.0 (RFC 4287). */
export function renderAtom(model: FeedModel): string {
  const feed = new Feed({
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
  for (const item of model.items) feed.addItem(toItem(item));
  return finish(feed.atom1(), model);
}

function person(p: FeedModel["author"]) {
  return { name: text(p.name), ...(p.email === undefined ? {} : { email: text(p.email) }), ...(p.url === undefined ? {} : { link: p.url }) };
}

function toItem(item: FeedItem): Item {
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

function finish(xml: string, model: FeedModel): string {
  const doc = parseXml(xml);
  const root = doc.documentElement!;
  if (model.language !== undefined) root.setAttributeNS(NS.xml, "xml:lang", model.language);
  if (model.archive) root.setAttributeNS(NS.xmlns, "xmlns:fh", NS.fh);
  addArchiveLinks(root, model, "atom", "link", 1, "entry");
  childElements(root, "entry").forEach((entry, i) => {
    const item = model.items[i]!;
    if (item.lang !== undefined && item.lang !== model.language) entry.setAttributeNS(NS.xml, "xml:lang", item.lang);
    // Categories are added here, not through feed: it writes the term attribute with `<` unescaped.
    for (const tag of item.tags) appendIndented(entry, element(doc, NS.atom, "category", { term: tag }), 2);
    const type = item.image === undefined ? undefined : imageType(item.image);
    if (item.image !== undefined && type !== undefined) {
      appendIndented(entry, element(doc, NS.atom, "link", { rel: "enclosure", href: item.image, type }), 2);
    }
  });
  if (model.stylesheet !== undefined) addFeedStylesheet(doc, model.stylesheet);
  return serializeXml(doc);
}
