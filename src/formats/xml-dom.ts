/**
 * The finishing step for what `feed` cannot express (namespaces on the root, `xml:lang`,
 * `dc:creator`, `media:content`, Atom categories whose term holds `<`): the document `feed`
 * wrote is parsed, extended through the DOM and serialised again, so a serializer still does all
 * the escaping.
 */
import { DOMParser, XMLSerializer, type Document, type Element } from "@xmldom/xmldom";
import type { FeedModel, FormatName, FormatUrls } from "../feeds/model.ts";

export const NS = {
  atom: "http://www.w3.org/2005/Atom",
  content: "http://purl.org/rss/1.0/modules/content/",
  dc: "http://purl.org/dc/elements/1.1/",
  media: "http://search.yahoo.com/mrss/",
  fh: "http://purl.org/syndication/history/1.0",
  xml: "http://www.w3.org/XML/1998/namespace",
  xmlns: "http://www.w3.org/2000/xmlns/",
} as const;

export function parseXml(xml: string): Document {
  return new DOMParser({
    // XML 1.0 line ends (section 2.11): only CR LF and CR become LF. xmldom's default is XML 1.1's,
    // which also turns U+0085, U+2028 and U+2029 into LF: text the other formats carry as written.
    normalizeLineEndings: (text) => text.replace(/\r\n?/g, "\n"),
    onError: (level, message) => {
      // U+FFFD is a character like any other (an article may quote one); xmldom only warns that it
      // might hint at a decoding problem, which is not ours: the text was decoded strictly.
      if (level === "warning" && message.includes("replacement character")) return;
      // Our own input, made by `feed`: anything a parser questions is a bug in feed-lib.ts.
      throw new Error(`feed wrote XML that does not parse (${level}): ${message}`);
    },
  }).parseFromString(xml, "text/xml");
}

export function serializeXml(doc: Document): string {
  return `${new XMLSerializer().serializeToString(doc)}\n`;
}

export function childElements(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).nodeName === name) found.push(node as Element);
  }
  return found;
}

/**
 * Adds `child` to `parent`, indented like the elements `feed` wrote: before the first element
 * named `before` when there is one, else last.
 */
export function appendIndented(parent: Element, child: Element, depth: number, before?: string): void {
  const doc = parent.ownerDocument!;
  const indent = "\n" + "    ".repeat(depth);
  const next = before === undefined ? undefined : childElements(parent, before)[0];
  if (next !== undefined) {
    parent.insertBefore(child, next);
    parent.insertBefore(doc.createTextNode(indent), next);
    return;
  }
  const last = parent.lastChild;
  if (last !== null && last.nodeType === last.TEXT_NODE && /^\s*$/.test(last.nodeValue ?? "")) {
    parent.insertBefore(doc.createTextNode(indent), last);
    parent.insertBefore(child, last);
  } else {
    parent.appendChild(doc.createTextNode(indent));
    parent.appendChild(child);
    parent.appendChild(doc.createTextNode("\n" + "    ".repeat(Math.max(0, depth - 1))));
  }
}

export function element(doc: Document, ns: string, name: string, attributes: Record<string, string> = {}, text?: string): Element {
  const el = doc.createElementNS(ns, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  if (text !== undefined) el.appendChild(doc.createTextNode(text));
  return el;
}

/** RFC 5005 links and the `fh:archive` marker, as `atom:link` elements (RSS) or Atom links. */
export function addArchiveLinks(parent: Element, model: FeedModel, format: FormatName, linkName: string, depth: number, before: string): void {
  const doc = parent.ownerDocument!;
  const ns = NS.atom;
  const links: [string, FormatUrls | undefined][] = [
    ["current", model.current],
    ["prev-archive", model.prevArchive],
    ["next-archive", model.nextArchive],
  ];
  for (const [rel, urls] of links) {
    if (urls !== undefined) appendIndented(parent, element(doc, ns, linkName, { rel, href: urls[format] }), depth, before);
  }
  if (model.archive) appendIndented(parent, element(doc, NS.fh, "fh:archive"), depth, before);
}
