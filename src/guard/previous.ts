import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { error, failed, ok, type Result } from "../problems.ts";

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
  /** The site URL it was built for (`home_page_url`, Atom `rel="alternate"`). */
  readonly siteUrl: string | undefined;
  readonly items: readonly PublishedItem[];
}

const ATOM = "http://www.w3.org/2005/Atom";

/** Pure: the items of a JSON Feed (https://www.jsonfeed.org/version/1.1/). */
export function parseJsonFeed(source: string, text: string): Result<PreviousFeed> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return failed([error(source, undefined, undefined, `not a JSON Feed: ${e instanceof Error ? e.message : String(e)}`)]);
  }
  const feed = data as { home_page_url?: unknown; items?: unknown };
  if (typeof feed !== "object" || feed === null || !Array.isArray(feed.items)) return failed([error(source, undefined, undefined, `not a JSON Feed: no items list`)]);
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

/** Pure: the entries of an Atom feed (RFC 4287). */
export function parseAtomFeed(source: string, text: string): Result<PreviousFeed> {
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") problems.push(message);
    },
  }).parseFromString(text, "application/xml");
  const root = doc.documentElement;
  if (problems.length > 0 || root === null || root.namespaceURI !== ATOM || root.localName !== "feed") {
    return failed([error(source, undefined, undefined, `not an Atom feed${problems[0] === undefined ? "" : `: ${problems[0]}`}`)]);
  }
  const children = (el: Element, name: string): Element[] => {
    const found: Element[] = [];
    for (let node = el.firstChild; node !== null; node = node.nextSibling) {
      if (node.nodeType === node.ELEMENT_NODE && (node as Element).namespaceURI === ATOM && (node as Element).localName === name) found.push(node as Element);
    }
    return found;
  };
  const textOf = (el: Element, name: string) => children(el, name)[0]?.textContent?.trim();
  const alternate = (el: Element) => children(el, "link").find((l) => (l.getAttribute("rel") ?? "alternate") === "alternate")?.getAttribute("href") ?? undefined;
  const items: PublishedItem[] = [];
  for (const entry of children(root, "entry")) {
    const id = textOf(entry, "id");
    if (id === undefined) continue;
    const titleEl = children(entry, "title")[0];
    const title = titleEl === undefined ? "" : titleEl.getAttribute("type") === "html" ? htmlToText(titleEl.textContent ?? "") : (titleEl.textContent ?? "");
    const published = textOf(entry, "published") ?? textOf(entry, "updated");
    items.push({ id, url: alternate(entry), title: title.trim(), published: published === undefined ? undefined : dateMs(published) });
  }
  return ok({ source, siteUrl: alternate(root), items });
}

/** A JSON Feed or an Atom feed, told apart by their first character. */
export function parseFeed(source: string, text: string): Result<PreviousFeed> {
  return text.trimStart().startsWith("{") ? parseJsonFeed(source, text) : parseAtomFeed(source, text);
}

/**
 * Reads `--previous`: a file, or an http(s) URL of the live feed (for sites that publish from CI
 * and do not commit their output folder).
 */
export async function readPrevious(location: string, fetchTimeoutMs = 15_000): Promise<Result<PreviousFeed>> {
  if (/^https?:\/\//i.test(location)) {
    let response: Response;
    try {
      response = await fetch(location, { signal: AbortSignal.timeout(fetchTimeoutMs), headers: { accept: "application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.1" } });
    } catch (e) {
      return failed([error("--previous", undefined, undefined, `cannot fetch ${location}: ${describe(e)}`)]);
    }
    if (!response.ok) return failed([error("--previous", undefined, undefined, `cannot fetch ${location}: HTTP ${response.status}`)]);
    return parseFeed(location, await response.text());
  }
  let text: string;
  try {
    text = await readFile(location, "utf8");
  } catch (e) {
    return failed([error("--previous", undefined, undefined, `cannot read ${location}: ${describe(e)}`)]);
  }
  return parseFeed(location, text);
}

/**
 * Every JSON Feed already in the output folder (the site's, each section's and tag's), merged:
 * `undefined` when there is none, as before a first build.
 */
export async function readOutDir(outDir: string, shown: string): Promise<Result<PreviousFeed> | undefined> {
  const paths = await jsonFeeds(outDir, "");
  if (!paths.includes("feed.json")) return undefined;
  const items = new Map<string, PublishedItem>();
  let siteUrl: string | undefined;
  for (const path of paths) {
    const source = `${shown}/${path}`;
    const parsed = parseJsonFeed(source, await readFile(join(outDir, path), "utf8"));
    if (!parsed.ok) return parsed;
    if (path === "feed.json") siteUrl = parsed.value.siteUrl;
    for (const item of parsed.value.items) if (!items.has(item.id)) items.set(item.id, item);
  }
  return ok({ source: `${shown}/feed.json`, siteUrl, items: [...items.values()] });
}

async function jsonFeeds(dir: string, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    // Every published article is in the site feed's chain or a section's; tag feeds only repeat them.
    if (entry.isDirectory() && !(prefix === "" && entry.name === "tags")) found.push(...(await jsonFeeds(dir, `${prefix}${entry.name}/`)));
    else if (entry.name === "feed.json") found.push(`${prefix}${entry.name}`);
  }
  return found.sort();
}

function dateMs(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|apos|#39|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", amp: "&" })[name] ?? "");
}

function describe(e: unknown): string {
  if (e instanceof Error && e.cause instanceof Error) return e.cause.message;
  if (e instanceof Error && "code" in e) return String(e.code);
  return e instanceof Error ? e.message : String(e);
}
