/**
 * The markup `feed` cannot write, made by a serializer: xmldom's XMLSerializer, on elements that
 * are built and serialised on their own, never parsed from text. Each piece is a string that the
 * RSS and Atom renderers place into what `feed` wrote (see docs/architecture.md, "Render path").
 *
 * Elements are made with qualified names and no namespace URI: the document they go into
 * declares the prefixes once on its root, so a piece must not declare them again.
 */
import { DOMImplementation, XMLSerializer } from "@xmldom/xmldom";
import type { FeedModel, FormatName, FormatUrls } from "../feeds/model.ts";

export const NS = {
  atom: "http://www.w3.org/2005/Atom",
  content: "http://purl.org/rss/1.0/modules/content/",
  dc: "http://purl.org/dc/elements/1.1/",
  media: "http://search.yahoo.com/mrss/",
  fh: "http://purl.org/syndication/history/1.0",
} as const;

const scratch = new DOMImplementation().createDocument(null, "", null);
const serializer = new XMLSerializer();

/** One element, `<name a="…">text</name>` or `<name a="…"/>`, escaped by the serializer. */
export function element(name: string, attributes: Readonly<Record<string, string>> = {}, text?: string): string {
  const el = scratch.createElement(name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  if (text !== undefined) el.appendChild(scratch.createTextNode(text));
  return serializer.serializeToString(el);
}

/** The start tag of an element with these attributes, for a root or an item whose children come from elsewhere. */
export function startTag(name: string, attributes: Readonly<Record<string, string>>): string {
  const el = scratch.createElement(name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  // An empty text child makes the serializer write a start and an end tag rather than `<name/>`.
  el.appendChild(scratch.createTextNode(""));
  const whole = serializer.serializeToString(el);
  return whole.slice(0, whole.length - `</${name}>`.length);
}

/** A whole document made with xmldom (the OPML), with the line end every output file ends with. */
export function serializeDocument(doc: Parameters<XMLSerializer["serializeToString"]>[0]): string {
  return `${serializer.serializeToString(doc)}\n`;
}

/** RFC 5005 links and the `fh:archive` marker, as `atom:link` elements (RSS) or Atom links, in document order. */
export function archiveLinks(model: FeedModel<unknown>, format: FormatName, linkName: string): string[] {
  const links: [string, FormatUrls | undefined][] = [
    ["current", model.current],
    ["prev-archive", model.prevArchive],
    ["next-archive", model.nextArchive],
  ];
  const made = links.flatMap(([rel, urls]) => (urls === undefined ? [] : [element(linkName, { rel, href: urls[format] })]));
  return model.archive ? [...made, element("fh:archive")] : made;
}

/**
 * Cuts the one element `name` out of a document `feed` wrote around it: from its first start
 * tag to its last end tag. The rest of that document is `feed`'s fixed head, written from
 * constants, so neither can occur there.
 */
export function cutElement(xml: string, name: string): string {
  const start = xml.indexOf(`<${name}>`);
  const end = xml.lastIndexOf(`</${name}>`);
  if (start === -1 || end < start) throw new Error(`feed wrote no <${name}> element`);
  return xml.slice(start, end + name.length + 3);
}

/**
 * Splits a document `feed` wrote with no items into what goes before the items and what comes
 * after: the items go just before the end tag `close` (indented at `depth`, as `feed` indents).
 */
export function splitHead(xml: string, close: string, depth: number): { declaration: string; rootTag: string; head: string; tail: string } {
  const firstLine = xml.indexOf("\n");
  const rootEnd = xml.indexOf(">", firstLine) + 1;
  const closeAt = xml.lastIndexOf(`\n${"    ".repeat(depth)}${close}`);
  if (firstLine === -1 || rootEnd === 0 || closeAt === -1) throw new Error(`feed wrote an unexpected document head`);
  return { declaration: xml.slice(0, firstLine), rootTag: xml.slice(firstLine + 1, rootEnd), head: xml.slice(rootEnd, closeAt), tail: xml.slice(closeAt) };
}

/** Places `children` (each one element) last inside `fragment`, one per line at `depth`, before its end tag. */
export function appendChildren(fragment: string, close: string, depth: number, children: readonly string[]): string {
  if (children.length === 0) return fragment;
  const end = fragment.lastIndexOf(`\n${"    ".repeat(depth - 1)}${close}`);
  const indent = `\n${"    ".repeat(depth)}`;
  return fragment.slice(0, end) + children.map((child) => indent + child).join("") + fragment.slice(end);
}
