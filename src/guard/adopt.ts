/**
 * `feedwright adopt`: the old feed's items matched to this site's articles, so each keeps the id
 * subscribers' readers know it by. Pure; the command reads and writes.
 */
import { stringify } from "yaml";
import { compareText } from "../problems.ts";
import { normalTitle } from "./drift.ts";
import type { Pins } from "./pins.ts";
import type { PublishedItem } from "./previous.ts";

export interface AdoptArticle {
  /** Under content/: the key of its pin. */
  readonly path: string;
  readonly url: string;
  readonly id: string;
  readonly title: string;
  /** Milliseconds since 1970. */
  readonly published: number;
}

export interface Adoption {
  readonly matched: readonly { readonly item: PublishedItem; readonly article: AdoptArticle; readonly by: "url" | "title and date" }[];
  /** Items no article matches, or that match an article another item took. */
  readonly unmatched: readonly PublishedItem[];
}

/** A day and a half: the old generator may have written the date in another zone, or at midnight. */
const NEAR_MS = 36 * 3600 * 1000;

/**
 * Pure: each item's article, by URL first (ignoring the host, a trailing slash, `.html` and
 * `index.html`, and case), then by the same title dated within a day and a half. An article
 * that two items match goes to the first; an ambiguous match is no match.
 */
export function matchItems(items: readonly PublishedItem[], articles: readonly AdoptArticle[]): Adoption {
  const byUrl = new Map<string, AdoptArticle | null>();
  const byTitle = new Map<string, AdoptArticle[]>();
  for (const a of articles) {
    const key = urlKey(a.url);
    if (key !== undefined) byUrl.set(key, byUrl.has(key) ? null : a);
    const title = normalTitle(a.title).toLowerCase();
    const same = byTitle.get(title);
    if (same === undefined) byTitle.set(title, [a]);
    else same.push(a);
  }
  const taken = new Set<AdoptArticle>();
  const matched: Adoption["matched"][number][] = [];
  const unmatched: PublishedItem[] = [];
  for (const item of items) {
    const key = item.url === undefined ? undefined : urlKey(item.url);
    const atUrl = (key === undefined ? undefined : byUrl.get(key)) ?? (urlKey(item.id) === undefined ? undefined : byUrl.get(urlKey(item.id)!));
    let found: Adoption["matched"][number] | undefined;
    if (atUrl) found = { item, article: atUrl, by: "url" };
    else if (item.published !== undefined) {
      const near = (byTitle.get(normalTitle(item.title).toLowerCase()) ?? []).filter((a) => Math.abs(a.published - item.published!) <= NEAR_MS);
      if (near.length === 1) found = { item, article: near[0]!, by: "title and date" };
    }
    if (found === undefined || taken.has(found.article)) {
      unmatched.push(item);
      continue;
    }
    taken.add(found.article);
    matched.push(found);
  }
  return { matched, unmatched };
}

/** A URL as two generators may both write it: path only, no `.html`, no trailing slash, lower case. */
export function urlKey(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep it encoded: still a key.
  }
  return path
    .replace(/\/index\.html?$/i, "/")
    .replace(/\.html?$/i, "")
    .replace(/\/+$/, "")
    .normalize("NFC")
    .toLowerCase();
}

/** Pure: the text of content/_ids.yaml with `pins` added to what `existing` had, sorted by path. */
export function renderPins(existing: Pins | undefined, pins: ReadonlyMap<string, string>, source: string): string {
  const all = new Map<string, string>();
  for (const [path, pin] of existing?.ids ?? []) all.set(path, pin.id);
  for (const [path, id] of pins) if (!all.has(path)) all.set(path, id);
  const sorted = Object.fromEntries([...all].sort(([a], [b]) => compareText(a, b)));
  return (
    `# Each article's id as the old feed published it (${source}), so no subscriber gets an old post again.\n` +
    `# Written by feedwright adopt; article path under content/: id. A pin overrides the article's own id.\n` +
    stringify(sorted, { lineWidth: 0 })
  );
}

