import { DOMImplementation } from "@xmldom/xmldom";
import type { Channel } from "../feeds/build-feeds.ts";
import type { Site } from "../site/settings.ts";
import { serializeDocument } from "./xml-markup.ts";

/**
 * OPML 2.0 (http://opml.org/spec2.opml): every subscription feed, so a reader can import them
 * all at once. One outline per feed, pointing at one of its documents: RSS, the format every
 * reader takes, when the site writes it (OPML 2.0 calls every subscription type="rss").
 */
export function renderOpml(site: Site, channels: readonly Channel[], feedUrl: (folder: string) => string): string {
  const doc = new DOMImplementation().createDocument(null, "opml", null);
  const opml = doc.documentElement!;
  opml.setAttribute("version", "2.0");
  const add = (parent: typeof opml, name: string, attributes: Record<string, string>, text?: string) => {
    const el = doc.createElement(name);
    for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
    if (text !== undefined) el.appendChild(doc.createTextNode(text));
    parent.appendChild(doc.createTextNode(`\n${"  ".repeat(depth(parent))}`));
    parent.appendChild(el);
    return el;
  };
  const depth = (el: typeof opml): number => (el === opml ? 1 : 2);
  const head = add(opml, "head", {});
  add(head, "title", {}, `${site.title}: feeds`);
  head.appendChild(doc.createTextNode("\n  "));
  const body = add(opml, "body", {});
  for (const channel of channels) {
    add(body, "outline", { type: "rss", text: channel.title, title: channel.title, xmlUrl: feedUrl(channel.folder), htmlUrl: site.url });
  }
  body.appendChild(doc.createTextNode("\n  "));
  opml.appendChild(doc.createTextNode("\n"));
  return `<?xml version="1.0" encoding="utf-8"?>\n${serializeDocument(doc)}`;
}
