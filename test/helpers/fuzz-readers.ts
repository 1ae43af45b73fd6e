/**
 * Independent readers of our feeds, reduced to one shape so a test can compare them with what
 * went in: `@rowanmanning/feed-parser` (RSS, Atom), `feedsmith` (RSS, Atom, JSON Feed) and
 * Python's feedparser (all three, through one long-lived `/usr/bin/python3` process).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import { join } from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { ROOT } from "./cli.ts";

export interface ReadPerson {
  readonly name: string | null;
  readonly email: string | null;
}

export interface ReadItem {
  readonly id: string | null;
  readonly title: string | null;
  readonly link: string | null;
  /** Milliseconds since the epoch. */
  readonly published: number | null;
  readonly updated: number | null;
  readonly authors: readonly ReadPerson[];
  readonly tags: readonly string[];
}

export interface ReadFeed {
  readonly title: string | null;
  readonly items: readonly ReadItem[];
}

const ms = (value: Date | string | null | undefined): number | null => (value === null || value === undefined ? null : new Date(value).getTime());
const orNull = <T>(value: T | undefined): T | null => value ?? null;

/** @rowanmanning/feed-parser: lenient, as feed readers are. */
export function readRowan(xml: string): ReadFeed {
  const feed = parseFeed(xml);
  return {
    title: feed.title,
    items: feed.items.map((item) => ({
      id: item.id,
      title: item.title,
      link: item.url,
      published: ms(item.published),
      updated: ms(item.updated),
      authors: item.authors.map((a) => ({ name: a.name, email: a.email })),
      tags: item.categories.map((c) => c.term),
    })),
  };
}

export function readFeedsmithRss(xml: string): ReadFeed {
  const feed = parseRssFeed(xml);
  return {
    title: orNull(feed.title),
    items: (feed.items ?? []).map((item) => ({
      id: orNull(item.guid?.value),
      title: orNull(item.title),
      link: orNull(item.link),
      published: ms(item.pubDate),
      updated: null,
      authors: [
        ...(item.authors ?? []).map((a) => (typeof a === "string" ? { name: null, email: a } : { name: orNull(a.name), email: orNull(a.email) })),
        ...(item.dc?.creators ?? []).map((name) => ({ name, email: null })),
      ],
      tags: (item.categories ?? []).map((c) => c.name ?? ""),
    })),
  };
}

export function readFeedsmithAtom(xml: string): ReadFeed {
  const feed = parseAtomFeed(xml);
  // feedsmith hands back an Atom text construct as written: for type="html" that is markup, and
  // the text a reader shows is that markup decoded (ours never holds tags, only entities).
  const text = (t: { value?: string; type?: string } | string | undefined): string | null => {
    if (t === undefined) return null;
    if (typeof t === "string") return t;
    return t.value === undefined ? null : t.type === "html" ? decodeEntities(t.value) : t.value;
  };
  return {
    title: text(feed.title),
    items: (feed.entries ?? []).map((entry) => ({
      id: orNull(entry.id),
      title: text(entry.title),
      link: orNull(entry.links?.find((l) => l.rel === undefined || l.rel === "alternate")?.href),
      published: ms(entry.published),
      updated: ms(entry.updated),
      authors: (entry.authors ?? []).map((a) => ({ name: orNull(a.name), email: orNull(a.email) })),
      tags: (entry.categories ?? []).map((c) => c.term ?? ""),
    })),
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(html: string): string {
  return html.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-f]+));/gi, (whole, name?: string, dec?: string, hex?: string) =>
    name !== undefined ? (ENTITIES[name.toLowerCase()] ?? whole) : String.fromCodePoint(dec !== undefined ? Number(dec) : parseInt(hex ?? "0", 16)),
  );
}

export function readFeedsmithJson(json: string): ReadFeed {
  const feed = parseJsonFeed(JSON.parse(json));
  return {
    title: orNull(feed.title),
    items: (feed.items ?? []).map((item) => ({
      id: orNull(item.id),
      title: orNull(item.title),
      link: orNull(item.url),
      published: ms(item.date_published),
      updated: ms(item.date_modified),
      authors: (item.authors ?? []).map((a) => ({ name: orNull(a.name), email: null })),
      tags: [...(item.tags ?? [])],
    })),
  };
}

/** JSON Feed 1.1 read with nothing but JSON.parse and the spec's field names. */
export function readJsonParse(json: string): ReadFeed {
  const feed = JSON.parse(json) as { title?: string; items?: Array<Record<string, unknown>> };
  const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
  return {
    title: str(feed.title),
    items: (feed.items ?? []).map((item) => ({
      id: str(item.id),
      title: str(item.title),
      link: str(item.url),
      published: ms(str(item.date_published)),
      updated: ms(str(item.date_modified)),
      authors: ((item.authors ?? []) as Array<{ name?: string }>).map((a) => ({ name: a.name ?? null, email: null })),
      tags: ((item.tags ?? []) as string[]).slice(),
    })),
  };
}

export interface PythonRead extends ReadFeed {
  /** feedparser's "bozo" flag: it found the document malformed. */
  readonly bozo: boolean;
  readonly bozoException: string | null;
  readonly version: string;
}

/** Python's feedparser behind a line protocol; `close()` it when done. */
export class FeedparserProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  #stderr = "";

  constructor() {
    // -I: isolated, so the script's folder (which holds a feedparser.py) is not on sys.path.
    this.#child = spawn("/usr/bin/python3", ["-I", join(ROOT, "test/helpers/feedparser-server.py")], { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    this.#child.on("exit", (code) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`feedparser process exited (${code}): ${this.#stderr}`));
    });
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on("line", (line) => this.#waiting.shift()?.resolve(line));
  }

  async read(docs: readonly string[]): Promise<PythonRead[]> {
    const line = await new Promise<string>((resolve, reject) => {
      if (this.#child.exitCode !== null) return reject(new Error(`feedparser process exited: ${this.#stderr}`));
      this.#waiting.push({ resolve, reject });
      this.#child.stdin.write(`${JSON.stringify(docs)}\n`);
    });
    const raw = JSON.parse(line) as Array<{ bozo: boolean; bozo_exception: string | null; version: string; title: string | null; entries: ReadItem[] }>;
    return raw.map((r) => ({ bozo: r.bozo, bozoException: r.bozo_exception, version: r.version, title: r.title, items: r.entries }));
  }

  close(): void {
    this.#child.stdin.end();
  }
}

// ---------------------------------------------------------------------------------------------
// What a reader does to text, restated so a test can expect it

/**
 * feedsmith 3.0.1 passes every string it reads through `parseString` (dist/common/utils.mjs),
 * which first drops `<!--`…`-->` spans (all of them, or none when one is left open). Its XML
 * parser hands it a CDATA section raw, so a comment-like span inside one (RSS item titles are
 * CDATA) is dropped as if it were markup; in escaped text it was already decoded and is kept.
 */
export function feedsmithStripComments(value: string): string {
  const spans: Array<[number, number]> = [];
  for (let start = value.indexOf("<!--"); start !== -1; start = value.indexOf("<!--", spans.at(-1)![1])) {
    const end = value.indexOf("-->", start + 4);
    if (end === -1) return value;
    spans.push([start, end + 3]);
  }
  let out = "";
  let from = 0;
  for (const [start, end] of spans) {
    out += value.slice(from, start);
    from = end;
  }
  return out + value.slice(from);
}
