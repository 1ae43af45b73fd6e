import { lstat, open } from "node:fs/promises";
import { basename, join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { fsReason } from "../fs-errors.ts";
import { isBookkeeping } from "../output/bookkeeping.ts";
import { readManifest } from "../output/manifest.ts";
import { listTree } from "../output/tree.ts";
import { error, failed, ok, type Problem, type Result } from "../problems.ts";

/** An item as a feed published it: what subscribers' readers remember. */
export interface PublishedItem {
  readonly id: string;
  readonly url: string | undefined;
  readonly title: string;
  /** Milliseconds since 1970, or undefined when the feed gave no date. */
  readonly published: number | undefined;
}

export interface PreviousFeed {
  /** Where it was read, as shown in messages. */
  readonly source: string;
  /** The site URL it was built for (`home_page_url`, Atom `rel="alternate"`, RSS channel `link`). */
  readonly siteUrl: string | undefined;
  readonly items: readonly PublishedItem[];
}

export interface ReadLimits {
  /** Bytes a feed may have, decompressed: a feed is megabytes at most; a gzip bomb is gigabytes. */
  readonly maxBytes: number;
  /** For the whole download, answer and body. */
  readonly timeoutMs: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxBytes: 64 * 1024 * 1024, timeoutMs: 15_000 };

const ATOM = "http://www.w3.org/2005/Atom";
const DC = "http://purl.org/dc/elements/1.1/";
const FORMATS_NAMED = "RSS 2.0 (<rss>), Atom 1.0 (<feed>) or JSON Feed";

/** Pure: the items of a JSON Feed (https://www.jsonfeed.org/version/1.1/). */
export function parseJsonFeed(source: string, text: string): Result<PreviousFeed> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return failed([error(source, undefined, undefined, `not a JSON Feed: invalid JSON${jsonPlace(text, e)}`)]);
  }
  const feed = data as { home_page_url?: unknown; items?: unknown };
  if (typeof feed !== "object" || feed === null || !Array.isArray(feed.items)) return failed([error(source, undefined, undefined, `not a JSON Feed: it has no "items" list`)]);
  const items: PublishedItem[] = [];
  for (const raw of feed.items as unknown[]) {
    const item = raw as { id?: unknown; url?: unknown; title?: unknown; date_published?: unknown };
    if (typeof item?.id !== "string") continue;
    items.push({
      id: item.id,
      url: typeof item.url === "string" ? item.url : undefined,
      title: typeof item.title === "string" ? item.title : "",
      published: typeof item.date_published === "string" ? dateMs(item.date_published) : undefined,
    });
  }
  return ok({ source, siteUrl: typeof feed.home_page_url === "string" ? feed.home_page_url : undefined, items });
}

/** Pure: an RSS 2.0 or Atom 1.0 feed, told apart by its root element. */
export function parseXmlFeed(source: string, text: string): Result<PreviousFeed> {
  if (text.trim() === "") return failed([error(source, undefined, undefined, `not a feed: it is empty`)]);
  const problems: string[] = [];
  let root: Element | null = null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") problems.push(message);
      },
    }).parseFromString(text, "application/xml").documentElement;
  } catch (e) {
    // xmldom throws on fatal errors (unclosed tags) after reporting some of them.
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (problems.length > 0 || root === null) {
    const why = problems[0] === undefined ? "no root element" : problems[0].replace(/\s+/g, " ").trim();
    return failed([error(source, undefined, undefined, `not a feed: not well-formed XML (${why}); expected ${FORMATS_NAMED}`)]);
  }
  if (root.namespaceURI === ATOM && root.localName === "feed") return ok(atomFeed(source, root));
  if (root.namespaceURI === null && root.localName === "rss") {
    const channel = children(root, null, "channel")[0];
    if (channel === undefined) return failed([error(source, undefined, undefined, `not an RSS 2.0 feed: <rss> has no <channel>`)]);
    return ok(rssFeed(source, channel));
  }
  return failed([error(source, undefined, undefined, `not a feed: the root element is <${root.tagName}>; expected ${FORMATS_NAMED}. Is this the feed's address, not a page's?`)]);
}

/** Pure: the entries of an Atom feed (RFC 4287). */
function atomFeed(source: string, root: Element): PreviousFeed {
  const alternate = (el: Element) => children(el, ATOM, "link").find((l) => (l.getAttribute("rel") ?? "alternate") === "alternate")?.getAttribute("href") ?? undefined;
  const items: PublishedItem[] = [];
  for (const entry of children(root, ATOM, "entry")) {
    const id = textOf(entry, ATOM, "id");
    if (id === undefined || id === "") continue;
    const titleEl = children(entry, ATOM, "title")[0];
    const title = titleEl === undefined ? "" : titleEl.getAttribute("type") === "html" ? htmlToText(titleEl.textContent ?? "") : (titleEl.textContent ?? "");
    const published = textOf(entry, ATOM, "published") ?? textOf(entry, ATOM, "updated");
    items.push({ id, url: alternate(entry), title: title.trim(), published: published === undefined ? undefined : dateMs(published) });
  }
  return { source, siteUrl: alternate(root), items };
}

/**
 * Pure: the items of an RSS 2.0 channel, as jekyll-feed, Hugo, Eleventy and WordPress write them.
 * A reader knows an item by its `guid`, else by its `link` (RSS 2.0, "guid" and "item").
 */
function rssFeed(source: string, channel: Element): PreviousFeed {
  const items: PublishedItem[] = [];
  for (const item of children(channel, null, "item")) {
    const link = textOf(item, null, "link") || undefined;
    const guidEl = children(item, null, "guid")[0];
    const guid = guidEl?.textContent?.trim() || undefined;
    const id = guid ?? link;
    if (id === undefined) continue;
    const permalink = guid !== undefined && guidEl?.getAttribute("isPermaLink") !== "false" && /^https?:\/\//i.test(guid) ? guid : undefined;
    const date = textOf(item, null, "pubDate") ?? textOf(item, DC, "date");
    items.push({ id, url: link ?? permalink, title: (textOf(item, null, "title") ?? "").trim(), published: date === undefined ? undefined : dateMs(date) });
  }
  return { source, siteUrl: textOf(channel, null, "link") || undefined, items };
}

/** A JSON Feed or an XML feed, told apart by their first character. */
export function parseFeed(source: string, text: string): Result<PreviousFeed> {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  return start.startsWith("{") ? parseJsonFeed(source, start) : parseXmlFeed(source, start);
}

/**
 * Reads `--previous`: a file, or an http(s) URL of the live feed (for sites that publish from CI
 * and do not commit their output folder). Every problem names `--previous`. Bodies are read as a
 * stream and cut off at `maxBytes` after decompression; the timeout covers the whole download.
 */
export async function readPrevious(location: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<Result<PreviousFeed>> {
  const read = /^https?:\/\//i.test(location) ? await download(location, limits) : await readCapped(location, limits.maxBytes);
  if (!read.ok) return failed(read.problems.map((p) => error("--previous", undefined, undefined, `${location}: ${p.message}`)));
  const parsed = parseFeed(location, read.value);
  return parsed.ok ? parsed : failed(parsed.problems.map((p) => error("--previous", undefined, undefined, `${location}: ${p.message}`)));
}

async function download(url: string, limits: ReadLimits): Promise<Result<string>> {
  const seconds = `${Math.round(limits.timeoutMs / 100) / 10} s`;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const timedOut = () => failed<string>([error(url, undefined, undefined, `cannot fetch: no complete answer within ${seconds}`)]);
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: "application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, */*;q=0.1" } });
  } catch (e) {
    return signal.aborted ? timedOut() : failed([error(url, undefined, undefined, `cannot fetch: ${networkReason(e)}`)]);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return failed([error(url, undefined, undefined, `cannot fetch: HTTP ${response.status}${response.statusText === "" ? "" : ` ${response.statusText}`}`)]);
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return failed([error(url, undefined, undefined, tooLarge(limits.maxBytes))]);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > limits.maxBytes) {
          // Leaving the loop cancels the stream: nothing more is downloaded or decompressed.
          return failed([error(url, undefined, undefined, tooLarge(limits.maxBytes))]);
        }
        chunks.push(chunk);
      }
    }
  } catch (e) {
    return signal.aborted ? timedOut() : failed([error(url, undefined, undefined, `cannot fetch: the answer broke off (${networkReason(e)})`)]);
  }
  return ok(decode(Buffer.concat(chunks)));
}

/** A regular file of at most `maxBytes`: a FIFO or a device would never end, a huge file would fill memory. */
async function readCapped(path: string, maxBytes: number): Promise<Result<string>> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    return failed([error(path, undefined, undefined, `cannot read: ${fsReason(e, { meanings: { ENOENT: "no such file" } })}`)]);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return failed([error(path, undefined, undefined, `cannot read: not a regular file`)]);
    if (info.size > maxBytes) return failed([error(path, undefined, undefined, tooLarge(maxBytes))]);
    return ok(decode(await handle.readFile()));
  } catch (e) {
    return failed([error(path, undefined, undefined, `cannot read: ${fsReason(e)}`)]);
  } finally {
    await handle.close();
  }
}

/** The feed files feedwright writes, in the order the guard prefers them: JSON is cheapest to read; the items are the same in each. */
const FEED_FILES = ["feed.json", "atom.xml", "rss.xml"] as const;

/**
 * Every feed already in the output folder (the site's and each section's, with their archive
 * pages), merged: `undefined` when there is none, as before a first build. Each folder is read in
 * one format it was written in, whichever the site's `formats` setting chose: the manifest says
 * which files feedwright wrote, so a Hugo `rss.xml` beside them is never taken for ours. An output
 * folder without a manifest (from before it existed) always has its `feed.json`s.
 */
export async function readOutDir(outDir: string, shown: string, maxBytes = DEFAULT_LIMITS.maxBytes): Promise<Result<PreviousFeed> | undefined> {
  const manifest = await readManifest(outDir);
  const present = await feedFiles(outDir);
  const feeds = onePerFolder(manifest.kind === "ok" ? present.filter((path) => manifest.files.has(path)) : present.filter((path) => path.endsWith("feed.json")));
  const siteFeed = feeds.find((path) => !path.includes("/"));
  if (siteFeed === undefined) return undefined;
  const items = new Map<string, PublishedItem>();
  let siteUrl: string | undefined;
  const problems: Problem[] = [];
  for (const path of feeds) {
    const source = `${shown}/${path}`;
    const read = await readCapped(join(outDir, path), maxBytes);
    const parsed = read.ok ? parseFeed(source, read.value) : failed<PreviousFeed>(read.problems.map((p) => error(source, undefined, undefined, p.message)));
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => error(p.file, undefined, undefined, `${p.message}; the id guard compares with it (delete it, or pass --previous with the published feed)`)));
      continue;
    }
    if (path === siteFeed) siteUrl = parsed.value.siteUrl;
    for (const item of parsed.value.items) if (!items.has(item.id)) items.set(item.id, item);
  }
  if (problems.length > 0) return failed(problems);
  return ok({ source: `${shown}/${siteFeed}`, siteUrl, items: [...items.values()] });
}

/** Of the feed files listed, one per folder, the first in FEED_FILES order. */
function onePerFolder(paths: readonly string[]): string[] {
  const chosen = new Map<string, string>();
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    const rank = FEED_FILES.indexOf(name as (typeof FEED_FILES)[number]);
    if (rank < 0) continue;
    const folder = path.slice(0, slash + 1);
    const held = chosen.get(folder);
    if (held === undefined || rank < FEED_FILES.indexOf(held.slice(slash + 1) as (typeof FEED_FILES)[number])) chosen.set(folder, path);
  }
  return [...chosen.values()].sort();
}

/**
 * The feed files under `dir` by name, regular files only (a link is not followed, a FIFO never
 * opened). Tag feeds are left out: every published article is in the site feed's chain or a
 * section's, tag feeds only repeat them. So is feedwright's bookkeeping (a staging folder left by
 * a crash).
 */
async function feedFiles(dir: string): Promise<string[]> {
  const names = new Set<string>(FEED_FILES);
  const listed = [...((await listTree(dir, (name) => name === "tags" || isBookkeeping(name))) ?? [])].filter((path) => names.has(basename(path)));
  const regular = await Promise.all(listed.map(async (path) => (await lstat(join(dir, path)).catch(() => undefined))?.isFile() === true));
  return listed.filter((_, i) => regular[i]);
}

function children(el: Element, namespace: string | null, name: string): Element[] {
  const found: Element[] = [];
  for (let node = el.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (node as Element).namespaceURI === namespace && (node as Element).localName === name) found.push(node as Element);
  }
  return found;
}

function textOf(el: Element, namespace: string | null, name: string): string | undefined {
  return children(el, namespace, name)[0]?.textContent?.trim();
}

function dateMs(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

function tooLarge(maxBytes: number): string {
  return `larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, the most a feed read for the id guard may have (decompressed)`;
}

/** `at line 2, column 5` from JSON.parse's `at position 23`. */
function jsonPlace(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const at = /position (\d+)/.exec(message);
  if (at === null) return text.trim() === "" ? ": it is empty" : `: ${message}`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return ` at line ${line}, column ${column}`;
}

function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|apos|#39|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", amp: "&" })[name] ?? "");
}

function networkReason(e: unknown): string {
  const cause = e instanceof Error ? e.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    const words: Record<string, string> = { ECONNREFUSED: "connection refused", ENOTFOUND: "no such host", ECONNRESET: "the connection was reset", ETIMEDOUT: "the connection timed out" };
    return code !== undefined && words[code] !== undefined ? `${words[code]} (${code})` : cause.message;
  }
  return e instanceof Error ? e.message : String(e);
}
