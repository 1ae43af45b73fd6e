/**
 * The independent parsers the tests read our feeds back with (never the `feed` package that wrote
 * them): the readers serve test/roundtrip.test.ts and test/fuzz.test.ts alike.
 *
 * Readers, each reducing what it read to one shape (`ReadFeed`), so a test can state what each
 * field must read as:
 * - `@rowanmanning/feed-parser`: RSS and Atom.
 * - `feedsmith`: RSS, Atom and JSON Feed.
 * - Python's feedparser 6.0.10 (Debian, `/usr/bin/python3`) through `feedparser-server.py`, one
 *   long-lived process: RSS and Atom (that version has no JSON Feed reader).
 * - `JSON.parse` with JSON Feed 1.1's field names.
 *
 * Checks on the documents themselves:
 * - `saxes` (namespaces on): strict XML 1.0 well-formedness, and a tiny element tree for checks
 *   on the raw document (RSS guid isPermaLink, the URLs inside the content).
 * - RFC 4287's RELAX NG schema: Atom validity, by libxml2 (`xmllint-wasm`, on test/schemas/atom.rng)
 *   in npm test, and by Debian's `jing` (on test/schemas/atom.rnc) in test/interop/.
 * - A zod schema of JSON Feed 1.1's required fields and types.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { parseFeed as parseRowan } from "@rowanmanning/feed-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { decode as decodeHtmlEntities } from "html-entities";
import { SaxesParser } from "saxes";
import { validateXML } from "xmllint-wasm";
import { z } from "zod";

export type Format = "rss" | "atom" | "json";
export type ParserName = "rowanmanning" | "feedsmith" | "feedparser";

/** Which parser reads which format. */
export const PARSERS: Readonly<Record<Format, readonly ParserName[]>> = {
  rss: ["rowanmanning", "feedsmith", "feedparser"],
  atom: ["rowanmanning", "feedsmith", "feedparser"],
  // @rowanmanning/feed-parser reads XML only; feedparser 6.0.10 has no JSON Feed support.
  json: ["feedsmith"],
};

/** A person as a reader gave it. */
export interface ReadPerson {
  readonly name: string | null;
  readonly email: string | null;
}

/**
 * What a reader read from one item. Text is what the reader hands back, except that where the
 * format declares it markup (an Atom text construct of type="html", an RSS description) it is
 * read as text; dates are epoch milliseconds.
 */
export interface ReadItem {
  readonly id: string | null;
  readonly link: string | null;
  readonly title: string | null;
  readonly summary: string | null;
  /** The content's HTML, as the reader gave it. */
  readonly contentHtml: string | null;
  readonly published: number | null;
  readonly updated: number | null;
  /** In the order the reader lists them. */
  readonly authors: readonly ReadPerson[];
  readonly tags: readonly string[];
  readonly image?: string;
}

export interface ReadFeed {
  readonly title: string | null;
  /** The page the feed belongs to (RSS channel link, Atom rel="alternate", JSON home_page_url). */
  readonly link: string | null;
  readonly items: readonly ReadItem[];
}

// ---------------------------------------------------------------------------------------------
// HTML as text

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/**
 * Decodes HTML character references. Only the references an HTML serializer of plain text
 * writes are known; any other named reference throws, so nothing passes by being left alone.
 */
export function decodeEntities(html: string): string {
  return html.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    const known = ENTITIES[ref];
    if (known === undefined) throw new Error(`unknown HTML entity ${whole}`);
    return known;
  });
}

/** What a reader shows for an HTML fragment: the tags dropped, the references decoded. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ""));
}

/** Atom text constructs (RFC 4287 §3.1): text as is, html as text, xhtml as its text. */
function atomText(construct: { value?: string; type?: string } | string | undefined): string | null {
  if (construct === undefined) return null;
  if (typeof construct === "string") return construct;
  if (construct.value === undefined) return null;
  return construct.type === "html" || construct.type === "xhtml" ? htmlToText(construct.value) : construct.value;
}

const TAG_RE = /<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=>\/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*(\/?)>/g;
const ATTR_RE = /([^\s=>\/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;

/**
 * HTML in a canonical form, so two serialisations of the same markup compare equal: tag names
 * lower-cased, attributes sorted with decoded values, `<img>` and `<img />` alike, text decoded,
 * surrounding white space trimmed. Used for parsers that re-serialise content (feedparser).
 */
export function canonicalHtml(html: string): string {
  const out: string[] = [];
  let last = 0;
  const text = (s: string) => {
    if (s !== "") out.push(`#text(${JSON.stringify(decodeEntities(s))})`);
  };
  for (const m of html.trim().matchAll(TAG_RE)) {
    text(html.trim().slice(last, m.index));
    last = m.index + m[0].length;
    const [, close, name, attrText] = m;
    const attrs = [...(attrText ?? "").matchAll(ATTR_RE)]
      .map((a) => [a[1]!.toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? "")] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push(`${close === "/" ? "/" : ""}${name!.toLowerCase()}${JSON.stringify(attrs)}`);
  }
  text(html.trim().slice(last));
  return out.join("\n");
}

/** Every href and src attribute value of an HTML fragment, decoded, in document order. */
export function linkAttributes(html: string): { attr: string; value: string }[] {
  const found: { attr: string; value: string }[] = [];
  for (const m of html.matchAll(TAG_RE)) {
    for (const a of (m[3] ?? "").matchAll(ATTR_RE)) {
      const attr = a[1]!.toLowerCase();
      if (attr === "href" || attr === "src" || attr === "srcset" || attr === "poster") found.push({ attr, value: decodeEntities(a[2] ?? a[3] ?? a[4] ?? "") });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The readers

const ms = (value: Date | string | null | undefined): number | null => {
  if (value === null || value === undefined) return null;
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) throw new Error(`unreadable date ${JSON.stringify(value)}`);
  return t;
};
const orNull = <T>(value: T | undefined): T | null => value ?? null;

/**
 * @rowanmanning/feed-parser: lenient, as feed readers are. Its title, description and content are
 * the element's text with HTML entities decoded once, whatever the type (lib/xml/element.js,
 * textContentNormalized): they are taken as it gives them. Items without an update date get their
 * publication date as `updated` (lib/feed/item/*.js); RSS has no update date, so for RSS its
 * `updated` is `published`.
 */
export function readRowanmanning(xml: string): ReadFeed {
  const feed = parseRowan(xml);
  return {
    title: feed.title,
    link: feed.url,
    items: feed.items.map((item) => {
      const image = item.image?.url ?? item.media.find((m) => m.type === "image")?.url;
      return {
        id: item.id,
        link: item.url,
        title: item.title,
        summary: item.description,
        contentHtml: item.content,
        published: ms(item.published),
        updated: ms(item.updated),
        authors: item.authors.map((a) => ({ name: a.name, email: a.email })),
        tags: item.categories.map((c) => c.term),
        ...(image === undefined ? {} : { image }),
      };
    }),
  };
}

/*
 * feedsmith gives each document's structure as written (strings decoded from XML, nothing more;
 * but see feedsmithStripComments): RSS `description` holds HTML (RSS 2.0: "entity-encoded HTML is
 * allowed") and is read as text through htmlToText; RSS `title` is plain text; Atom text
 * constructs follow their `type`.
 */

export function readFeedsmithRss(xml: string): ReadFeed {
  const feed = parseRssFeed(xml);
  return {
    title: orNull(feed.title),
    link: orNull(feed.link),
    items: (feed.items ?? []).map((item) => {
      const image =
        item.enclosures?.find((e) => e.type?.startsWith("image/"))?.url ??
        item.media?.contents?.find((m) => m.medium === "image" || m.type?.startsWith("image/"))?.url;
      return {
        id: orNull(item.guid?.value),
        link: orNull(item.link),
        title: orNull(item.title),
        summary: item.description === undefined ? null : htmlToText(item.description),
        contentHtml: orNull(item.content?.encoded),
        published: ms(item.pubDate),
        // RSS 2.0 has no update date; atom:updated or dcterms:modified would carry one.
        updated: ms(item.atom?.updated ?? item.dcterms?.modified?.[0]),
        // <author> (people with an email) and dc:creator (the others), as feedsmith groups them;
        // an <author> it could not split is a string, taken for the email it should hold.
        authors: [
          ...(item.authors ?? []).map((a) => (typeof a === "string" ? { name: null, email: a } : { name: orNull(a.name), email: orNull(a.email) })),
          ...(item.dc?.creators ?? []).map((name) => ({ name, email: null })),
        ],
        tags: (item.categories ?? []).map((c) => c.name ?? ""),
        ...(image === undefined ? {} : { image }),
      };
    }),
  };
}

export function readFeedsmithAtom(xml: string): ReadFeed {
  const feed = parseAtomFeed(xml);
  const alternate = (links: readonly { href?: string; rel?: string }[] | undefined) => links?.find((l) => l.rel === undefined || l.rel === "alternate")?.href ?? null;
  return {
    title: atomText(feed.title),
    link: alternate(feed.links),
    items: (feed.entries ?? []).map((entry) => {
      const image = entry.links?.find((l) => l.rel === "enclosure" && l.type?.startsWith("image/"))?.href;
      return {
        id: orNull(entry.id),
        link: alternate(entry.links),
        title: atomText(entry.title),
        summary: atomText(entry.summary),
        // type="html": the value is the HTML itself.
        contentHtml: orNull(entry.content?.value),
        published: ms(entry.published),
        updated: ms(entry.updated),
        authors: (entry.authors ?? []).map((a) => ({ name: orNull(a.name), email: orNull(a.email) })),
        tags: (entry.categories ?? []).map((c) => c.term ?? ""),
        ...(image === undefined ? {} : { image }),
      };
    }),
  };
}

export function readFeedsmithJson(json: string): ReadFeed {
  const feed = parseJsonFeed(JSON.parse(json));
  return {
    title: orNull(feed.title),
    link: orNull(feed.home_page_url),
    items: (feed.items ?? []).map((item) => ({
      id: orNull(item.id),
      link: orNull(item.url),
      title: orNull(item.title),
      summary: orNull(item.summary),
      contentHtml: orNull(item.content_html),
      published: ms(item.date_published),
      updated: ms(item.date_modified),
      authors: (item.authors ?? []).map((a) => ({ name: orNull(a.name), email: null })),
      tags: [...(item.tags ?? [])],
      ...(item.image === undefined ? {} : { image: item.image }),
    })),
  };
}

export function readFeedsmith(format: Format, source: string): ReadFeed {
  return format === "rss" ? readFeedsmithRss(source) : format === "atom" ? readFeedsmithAtom(source) : readFeedsmithJson(source);
}

/** JSON Feed 1.1 read with nothing but JSON.parse and the spec's field names. */
export function readJsonParse(json: string): ReadFeed {
  const feed = JSON.parse(json) as { title?: unknown; home_page_url?: unknown; items?: Array<Record<string, unknown>> };
  const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
  return {
    title: str(feed.title),
    link: str(feed.home_page_url),
    items: (feed.items ?? []).map((item) => {
      const image = str(item.image);
      return {
        id: str(item.id),
        link: str(item.url),
        title: str(item.title),
        summary: str(item.summary),
        contentHtml: str(item.content_html),
        published: ms(str(item.date_published)),
        updated: ms(str(item.date_modified)),
        authors: ((item.authors ?? []) as Array<{ name?: string }>).map((a) => ({ name: a.name ?? null, email: null })),
        tags: ((item.tags ?? []) as string[]).slice(),
        ...(image === null ? {} : { image }),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Python's feedparser

/** An item as feedparser read it: see feedparser-server.py for how each field is taken. */
export interface FeedparserItem extends ReadItem {
  /**
   * The title as a reader built on feedparser shows it: read as text wherever feedparser takes it
   * for HTML. RSS never says, so feedparser guesses from the characters, and an RSS title holding
   * a closing tag or an entity reference (`a &amp; <b>x</b>`) shows as `a & x`; `title` is what
   * it hands back for RSS, the characters as written. In Atom the two are the same.
   */
  readonly shownTitle: string | null;
}

export interface FeedparserRead extends ReadFeed {
  /** The feed's title as a reader built on feedparser shows it (see FeedparserItem). */
  readonly shownTitle: string | null;
  readonly items: readonly FeedparserItem[];
  /** feedparser's "bozo" flag: something about the document was wrong. */
  readonly bozo: boolean;
  /** What (the exception feedparser recorded, as Python prints it), when bozo. */
  readonly bozoException: string | null;
  /** That exception is a CharacterEncodingOverride: decoded otherwise than declared, markup intact. */
  readonly encodingOverridden: boolean;
  /** feedparser's name for the format: "rss20", "atom10". */
  readonly version: string;
}

/** Debian's python3, which has feedparser; the pyenv python3 on PATH does not. */
const SYSTEM_PYTHON = "/usr/bin/python3";
const FEEDPARSER_SERVER = resolve(import.meta.dirname, "feedparser-server.py");

/**
 * Python's feedparser behind a line protocol (feedparser-server.py): one process serves a whole
 * test file, as starting Python per feed would cost more than the parsing. `close()` it when done.
 */
export class FeedparserProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  #stderr = "";

  /**
   * `sanitizeHtml`: feedparser's own default, and what a reader built on it shows: what it takes
   * for HTML is sanitised, and the HTML it keeps re-serialised. Off, it hands back the characters
   * as written.
   */
  constructor(options: { readonly sanitizeHtml: boolean }) {
    // -I: isolated (no user site-packages, no PYTHON* variables, not the script's folder on sys.path).
    const args = ["-I", FEEDPARSER_SERVER, ...(options.sanitizeHtml ? ["--sanitize-html"] : [])];
    this.#child = spawn(SYSTEM_PYTHON, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    this.#child.on("exit", (code) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`feedparser process exited (${code}): ${this.#stderr}`));
    });
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on("line", (line) => this.#waiting.shift()?.resolve(line));
  }

  /** Reads feed documents (their text), in one request: what was read from each, in order. */
  async read(docs: readonly string[]): Promise<FeedparserRead[]> {
    const line = await new Promise<string>((resolve, reject) => {
      if (this.#child.exitCode !== null) return reject(new Error(`feedparser process exited: ${this.#stderr}`));
      this.#waiting.push({ resolve, reject });
      this.#child.stdin.write(`${JSON.stringify(docs)}\n`);
    });
    return JSON.parse(line) as FeedparserRead[];
  }

  close(): void {
    this.#child.stdin.end();
  }
}

// ---------------------------------------------------------------------------------------------
// What a reader does to text, restated so a test can expect it

/**
 * What feedsmith 3.0.1 reads from an RSS item title, which we write as one CDATA section split at
 * each `]]>` (`cdata` in src/formats/feed-lib.ts). Its XML parser hands `parseString`
 * (dist/common/utils.mjs) the element's raw text, CDATA markers and all; that first drops every
 * `<!--`…`-->` span in it (or none, when one is left open), then reads the CDATA sections, and
 * decodes HTML entities in any text left between them. So a comment-like span inside the title is
 * dropped as if it were markup, and where the span crossed a split the markers on either side of
 * it join up (`]]<!--x]]>y-->>z` reads as `z]]>`). In escaped text it was decoded first and is kept.
 */
export function feedsmithStripComments(value: string): string {
  const raw = `<![CDATA[${value.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
  return feedsmithCdata(feedsmithComments(raw));
}

/** feedsmith's `stripComments`: every `<!--`…`-->` span, or none when one is left open. */
function feedsmithComments(text: string): string {
  let out = "";
  let from = 0;
  for (let start = text.indexOf("<!--"); start !== -1; start = text.indexOf("<!--", from)) {
    const end = text.indexOf("-->", start + 4);
    if (end === -1) return text;
    out += text.slice(from, start);
    from = end + 3;
  }
  return out + text.slice(from);
}

/** feedsmith's `decodeWithCdata`: CDATA sections as they are, HTML entities decoded in the text between them. */
function feedsmithCdata(text: string): string {
  const decoded = (part: string) => (part.includes("&") && part.indexOf(";", part.indexOf("&")) !== -1 ? decodeHtmlEntities(part, { level: "html5" }) : part);
  let out = "";
  let from = 0;
  for (let start = text.indexOf("<![CDATA["); start !== -1; start = text.indexOf("<![CDATA[", from)) {
    const end = text.indexOf("]]>", start + 9);
    if (end === -1) return decoded(text);
    out += decoded(text.slice(from, start)) + text.slice(start + 9, end);
    from = end + 3;
  }
  return out + decoded(text.slice(from));
}

// ---------------------------------------------------------------------------------------------
// XML: well-formedness and a small tree

export interface XmlElement {
  /** Qualified name as written (`content:encoded`). */
  readonly name: string;
  readonly local: string;
  readonly uri: string;
  /** By qualified name. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated text and CDATA of this element (not of its children). */
  text: string;
}

/**
 * Parses with saxes, namespaces on: returns every well-formedness or namespace error (an empty
 * list for a good document) and the element tree.
 */
export function parseXmlStrict(xml: string): { errors: string[]; root: XmlElement | undefined } {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on("error", (e) => errors.push(e.message));
  parser.on("opentag", (tag) => {
    const el: XmlElement = {
      name: tag.name,
      local: tag.local ?? tag.name,
      uri: tag.uri ?? "",
      attributes: Object.fromEntries(Object.entries(tag.attributes).map(([k, a]) => [k, typeof a === "string" ? a : a.value])),
      children: [],
      text: "",
    };
    if (stack.length === 0) root = el;
    else stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += t;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  try {
    parser.write(xml).close();
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
  }
  if (root === undefined && errors.length === 0) errors.push("no root element");
  return { errors, root };
}

/** Child elements by namespace URI and local name. */
export function children(el: XmlElement, uri: string, local: string): XmlElement[] {
  return el.children.filter((c) => c.uri === uri && c.local === local);
}

export const NS = {
  atom: "http://www.w3.org/2005/Atom",
  content: "http://purl.org/rss/1.0/modules/content/",
  dc: "http://purl.org/dc/elements/1.1/",
  media: "http://search.yahoo.com/mrss/",
} as const;

// ---------------------------------------------------------------------------------------------
// Atom: RFC 4287's schema, with libxml2 (npm) or jing (Debian)

export const ATOM_SCHEMA = resolve(import.meta.dirname, "../schemas/atom.rnc");
/** The same grammar in RELAX NG's XML syntax (made from atom.rnc by trang: see its header). */
export const ATOM_SCHEMA_XML = resolve(import.meta.dirname, "../schemas/atom.rng");

/**
 * Validates Atom documents against RFC 4287's RELAX NG schema with libxml2 compiled to
 * WebAssembly (`xmllint-wasm`), in one run: `ok` when every document is valid, and each error as
 * `name: message`. Needs nothing outside npm.
 */
export async function relaxNgAtom(docs: readonly { readonly name: string; readonly xml: string }[]): Promise<{ ok: boolean; errors: string[] }> {
  if (docs.length === 0) throw new Error("no Atom document to validate");
  // xmllint sees numbered files; the names are put back on its messages.
  const result = await validateXML({
    xml: docs.map((d, i) => ({ fileName: `doc-${i}.xml`, contents: d.xml })),
    schema: [{ fileName: "atom.rng", contents: readFileSync(ATOM_SCHEMA_XML, "utf8") }],
    extension: "relaxng",
    // Large fuzz batches and archive pages: up to 1 GiB of wasm memory (the default is 16 MiB).
    maxMemoryPages: 16_384,
  });
  const errors = result.errors.map((e) => {
    const n = /^doc-(\d+)\.xml$/.exec(e.loc?.fileName ?? "")?.[1];
    return `${n === undefined ? "?" : docs[Number(n)]!.name}:${e.loc?.lineNumber ?? "?"}: ${e.message}`;
  });
  return { ok: result.valid && errors.length === 0, errors };
}

/**
 * Validates Atom files against RFC 4287's RELAX NG schema with Debian's jing, in one run. jing
 * prints warnings about missing Java libraries on stderr: only its exit code and stdout count.
 */
export function jingAtom(paths: readonly string[], schema: "rnc" | "rng" = "rnc"): { ok: boolean; status: number | null; stdout: string } {
  const args = schema === "rnc" ? ["-c", ATOM_SCHEMA] : [ATOM_SCHEMA_XML];
  const jing = (files: readonly string[]) => {
    const run = spawnSync("/usr/bin/jing", [...args, ...files], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error !== undefined) throw run.error;
    return run;
  };
  const run = jing(paths);
  const stdout = xercesRetried(run.stdout, jing);
  return { ok: (run.status === 0 || stdout !== run.stdout) && stdout.trim() === "", status: stdout.trim() === "" ? 0 : run.status, stdout };
}

/**
 * jing reads through Xerces, whose UTF-8 reader refuses some valid four-byte sequences that fall
 * at a boundary of its buffer ("Invalid byte 2 of 4-byte UTF-8 sequence"; seen on a fuzzed
 * document that validated once one space was added after its XML declaration). A document
 * refused so is checked to be valid UTF-8 here (a strict decoder), then validated again with
 * that one insignificant space added; jing's verdict on that copy replaces its message.
 */
function xercesRetried(stdout: string, jing: (files: readonly string[]) => { stdout: string }): string {
  const lines = stdout.split("\n");
  const refused = new Set(lines.flatMap((line) => /^(.*?):\d+:\d+: fatal: exception "org\.apache\.xerces\.impl\.io\.MalformedByteSequenceException"/.exec(line)?.[1] ?? []));
  const retried = new Map<string, string>();
  for (const path of refused) {
    const bytes = readFileSync(path);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      continue;
    }
    const text = bytes.toString("latin1");
    const end = text.startsWith("<?xml") ? text.indexOf("?>") + 2 : 0;
    const copy = join(mkdtempSync(join(tmpdir(), "feedwright-jing-")), basename(path));
    writeFileSync(copy, Buffer.concat([bytes.subarray(0, end), Buffer.from(" "), bytes.subarray(end)]));
    retried.set(path, copy);
  }
  if (retried.size === 0) return stdout;
  const again = jing([...retried.values()]).stdout;
  for (const copy of retried.values()) rmSync(dirname(copy), { recursive: true, force: true });
  const back = new Map([...retried].map(([path, copy]) => [copy, path]));
  const kept = lines.filter((line) => ![...retried.keys()].some((path) => line.startsWith(`${path}:`)));
  const renamed = again.split("\n").map((line) => {
    const copy = [...back.keys()].find((c) => line.startsWith(`${c}:`));
    return copy === undefined ? line : `${back.get(copy)}${line.slice(copy.length)} (validated with a space after the XML declaration: Xerces' UTF-8 buffer bug)`;
  });
  return [...kept, ...renamed].filter((line) => line.trim() !== "").join("\n");
}

// ---------------------------------------------------------------------------------------------
// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)

/** RFC 3339 date-time: seconds required, `T` and `Z` either case, a real date and time. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (m === null) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= days && h! <= 23 && mi! <= 59 && s! <= 60 && offsetOk && !Number.isNaN(Date.parse(value));
}

const rfc3339 = z.string().refine(isRfc3339, "expected an RFC 3339 date-time");

const jsonAuthor = z
  .strictObject({ name: z.string().optional(), url: z.string().optional(), avatar: z.string().optional() })
  .refine((a) => a.name !== undefined || a.url !== undefined || a.avatar !== undefined, "an author needs at least one of name, url, avatar");

/** JSON Feed allows extension keys that start with "_" and nothing else unknown. */
function withExtensions<T extends z.ZodRawShape>(shape: T) {
  const known = new Set(Object.keys(shape));
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!known.has(key) && !key.startsWith("_")) ctx.addIssue({ code: "custom", path: [key], message: `unknown key (extensions start with "_")` });
      }
    });
}

export const jsonFeedItemSchema = withExtensions({
  id: z.string(),
  url: z.string().optional(),
  external_url: z.string().optional(),
  title: z.string().optional(),
  content_html: z.string().optional(),
  content_text: z.string().optional(),
  summary: z.string().optional(),
  image: z.string().optional(),
  banner_image: z.string().optional(),
  date_published: rfc3339.optional(),
  date_modified: rfc3339.optional(),
  authors: z.array(jsonAuthor).optional(),
  tags: z.array(z.string()).optional(),
  language: z.string().optional(),
  attachments: z
    .array(
      z.object({
        url: z.string(),
        mime_type: z.string(),
        title: z.string().optional(),
        size_in_bytes: z.number().optional(),
        duration_in_seconds: z.number().optional(),
      }),
    )
    .optional(),
}).refine((item) => item.content_html !== undefined || item.content_text !== undefined, "an item needs content_html or content_text");

export const jsonFeedSchema = withExtensions({
  version: z.literal("https://jsonfeed.org/version/1.1"),
  title: z.string(),
  home_page_url: z.string().optional(),
  feed_url: z.string().optional(),
  description: z.string().optional(),
  user_comment: z.string().optional(),
  next_url: z.string().optional(),
  icon: z.string().optional(),
  favicon: z.string().optional(),
  authors: z.array(jsonAuthor).optional(),
  language: z.string().optional(),
  expired: z.boolean().optional(),
  hubs: z.array(z.object({ type: z.string(), url: z.string() })).optional(),
  items: z.array(jsonFeedItemSchema),
});

/** Problems with a JSON Feed 1.1 document, as readable lines; empty when it conforms. */
export function checkJsonFeed(source: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (e) {
    return [`not JSON: ${e instanceof Error ? e.message : String(e)}`];
  }
  const result = jsonFeedSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}
