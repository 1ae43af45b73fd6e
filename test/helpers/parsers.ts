/**
 * Independent readers for the round-trip tests: every feed we write is read back by parsers that
 * did not write it (never the `feed` package), and reduced to one normalised shape so a test can
 * state what each field must read as.
 *
 * - `@rowanmanning/feed-parser`: RSS and Atom.
 * - `feedsmith`: RSS, Atom and JSON Feed.
 * - Python's feedparser 6.0.10 (Debian, `/usr/bin/python3`) through `feedparser.py`: RSS and Atom
 *   (that version has no JSON Feed reader).
 * - `saxes` (namespaces on): strict XML 1.0 well-formedness, and a tiny element tree for checks
 *   on the raw document (RSS guid isPermaLink, the URLs inside the content).
 * - `jing` with the RFC 4287 RELAX NG schema: Atom validity.
 * - A zod schema of JSON Feed 1.1's required fields and types.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { parseFeed as parseRowan } from "@rowanmanning/feed-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { SaxesParser } from "saxes";
import { z } from "zod";

/** What a parser read from one item. Text fields are plain text; dates are epoch milliseconds. */
export interface NormalItem {
  readonly id: string | null;
  readonly link: string | null;
  readonly title: string | null;
  readonly summary: string | null;
  readonly contentHtml: string | null;
  readonly published: number | null;
  readonly updated: number | null;
  /** Names only. */
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly image?: string;
}

export interface NormalFeed {
  readonly title: string | null;
  /** The page the feed belongs to (RSS channel link, Atom rel="alternate", JSON home_page_url). */
  readonly link: string | null;
  readonly items: readonly NormalItem[];
}

export type Format = "rss" | "atom" | "json";
export type ParserName = "rowanmanning" | "feedsmith" | "feedparser";

/** Which parser reads which format. */
export const PARSERS: Readonly<Record<Format, readonly ParserName[]>> = {
  rss: ["rowanmanning", "feedsmith", "feedparser"],
  atom: ["rowanmanning", "feedsmith", "feedparser"],
  // @rowanmanning/feed-parser reads XML only; feedparser 6.0.10 has no JSON Feed support.
  json: ["feedsmith"],
};

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
// The parsers

const ms = (value: Date | string | null | undefined): number | null => {
  if (value === null || value === undefined) return null;
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) throw new Error(`unreadable date ${JSON.stringify(value)}`);
  return t;
};

/**
 * @rowanmanning/feed-parser. Its title, description and content are the element's text with HTML
 * entities decoded once, whatever the type (lib/xml/element.js, textContentNormalized): they are
 * taken as it gives them. Items without an update date get their publication date as `updated`
 * (lib/feed/item/*.js); RSS has no update date, so for RSS its `updated` is `published`.
 */
export function readRowanmanning(xml: string): NormalFeed {
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
        authors: item.authors.map((a) => a.name ?? a.email ?? ""),
        tags: item.categories.map((c) => c.term),
        ...(image === undefined ? {} : { image }),
      };
    }),
  };
}

/**
 * feedsmith gives each document's structure as written (strings decoded from XML, nothing more):
 * RSS `description` holds HTML (RSS 2.0: "entity-encoded HTML is allowed") and is read as text
 * through htmlToText; RSS `title` is plain text; Atom text constructs follow their `type`.
 */
export function readFeedsmith(format: Format, source: string): NormalFeed {
  if (format === "rss") {
    const feed = parseRssFeed(source);
    return {
      title: feed.title ?? null,
      link: feed.link ?? null,
      items: (feed.items ?? []).map((item) => {
        const image =
          item.enclosures?.find((e) => e.type?.startsWith("image/"))?.url ??
          item.media?.contents?.find((m) => m.medium === "image" || m.type?.startsWith("image/"))?.url;
        return {
          id: item.guid?.value ?? null,
          link: item.link ?? null,
          title: item.title ?? null,
          summary: item.description === undefined ? null : htmlToText(item.description),
          contentHtml: item.content?.encoded ?? null,
          published: ms(item.pubDate),
          // RSS 2.0 has no update date; atom:updated or dcterms:modified would carry one.
          updated: ms(item.atom?.updated ?? item.dcterms?.modified?.[0]),
          // <author> (people with an email) and dc:creator (the others), as feedsmith groups them.
          authors: [...(item.authors ?? []).map((a) => (typeof a === "string" ? a : (a.name ?? a.email ?? ""))), ...(item.dc?.creators ?? [])],
          tags: (item.categories ?? []).map((c) => c.name ?? ""),
          ...(image === undefined ? {} : { image }),
        };
      }),
    };
  }
  if (format === "atom") {
    const feed = parseAtomFeed(source);
    const alternate = (links: readonly { href?: string; rel?: string }[] | undefined) => links?.find((l) => l.rel === undefined || l.rel === "alternate")?.href ?? null;
    return {
      title: atomText(feed.title),
      link: alternate(feed.links),
      items: (feed.entries ?? []).map((entry) => {
        const image = entry.links?.find((l) => l.rel === "enclosure" && l.type?.startsWith("image/"))?.href;
        return {
          id: entry.id ?? null,
          link: alternate(entry.links),
          title: atomText(entry.title),
          summary: atomText(entry.summary),
          // type="html": the value is the HTML itself.
          contentHtml: entry.content?.value ?? null,
          published: ms(entry.published),
          updated: ms(entry.updated),
          authors: (entry.authors ?? []).map((a) => a.name ?? ""),
          tags: (entry.categories ?? []).map((c) => c.term ?? ""),
          ...(image === undefined ? {} : { image }),
        };
      }),
    };
  }
  const feed = parseJsonFeed(JSON.parse(source));
  return {
    title: feed.title ?? null,
    link: feed.home_page_url ?? null,
    items: (feed.items ?? []).map((item) => ({
      id: item.id ?? null,
      link: item.url ?? null,
      title: item.title ?? null,
      summary: item.summary ?? null,
      contentHtml: item.content_html ?? null,
      published: ms(item.date_published),
      updated: ms(item.date_modified),
      authors: (item.authors ?? []).map((a) => a.name ?? ""),
      tags: [...(item.tags ?? [])],
      ...(item.image === undefined ? {} : { image: item.image }),
    })),
  };
}

export interface FeedparserResult extends NormalFeed {
  readonly bozo: boolean;
  readonly bozo_exception: string | null;
  readonly version: string;
}

export const FEEDPARSER_SCRIPT = resolve(import.meta.dirname, "feedparser.py");
/** Debian's python3, which has feedparser; the pyenv python3 on PATH does not. */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** Python's feedparser, on files (one Python process for all of them). */
export function readFeedparser(paths: readonly string[]): FeedparserResult[] {
  if (paths.length === 0) return [];
  const run = spawnSync(SYSTEM_PYTHON, [FEEDPARSER_SCRIPT, ...paths], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PYTHONIOENCODING: "utf-8" } });
  if (run.status !== 0) throw new Error(`feedparser.py failed (${run.status}): ${run.stderr}`);
  const parsed: unknown = JSON.parse(run.stdout);
  return (paths.length === 1 ? [parsed] : parsed) as FeedparserResult[];
}

/** One parser on one document. `path` is where the same text is on disk (for feedparser). */
export function readWith(parser: ParserName, format: Format, source: string, path: string): NormalFeed {
  switch (parser) {
    case "rowanmanning":
      if (format === "json") throw new Error("@rowanmanning/feed-parser does not read JSON Feed");
      return readRowanmanning(source);
    case "feedsmith":
      return readFeedsmith(format, source);
    case "feedparser": {
      if (format === "json") throw new Error("feedparser 6.0.10 does not read JSON Feed");
      const result = readFeedparser([path])[0]!;
      if (result.bozo) throw new Error(`feedparser: not well-formed: ${result.bozo_exception}`);
      return result;
    }
  }
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
// Atom: jing and RFC 4287's schema

export const ATOM_SCHEMA = resolve(import.meta.dirname, "../../../shared/schemas/atom.rnc");

/**
 * Validates Atom files against RFC 4287's RELAX NG schema with Debian's jing, in one run. jing
 * prints warnings about missing Java libraries on stderr: only its exit code and stdout count.
 */
export function jingAtom(paths: readonly string[]): { ok: boolean; status: number | null; stdout: string } {
  const run = spawnSync("/usr/bin/jing", ["-c", ATOM_SCHEMA, ...paths], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) throw run.error;
  return { ok: run.status === 0 && run.stdout.trim() === "", status: run.status, stdout: run.stdout };
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
