import type { DateTime } from "luxon";
import type { Article } from "../content/article.ts";
import { fromInstant, toInstant, type Instant } from "../content/dates.ts";

/** An article without its body (and the front matter its template code reads): what the cache keeps and the feeds need. */
export type ArticleMeta = Omit<Article, "body" | "bodyLine" | "frontMatter">;

/** An article's fields without its body: written out, since a rest copy (`{ body, ...meta }`) cost 1 µs an article before the JIT had warmed. */
export function metaOf(a: Article): ArticleMeta {
  return {
    file: a.file,
    title: a.title,
    date: a.date,
    updated: a.updated,
    publishDate: a.publishDate,
    expiryDate: a.expiryDate,
    summary: a.summary,
    authors: a.authors,
    tags: a.tags,
    categories: a.categories,
    draft: a.draft,
    slug: a.slug,
    id: a.id,
    url: a.url,
    externalUrl: a.externalUrl,
    image: a.image,
    lang: a.lang,
    unknownKeys: a.unknownKeys,
  };
}

/**
 * Article fields as JSON for the cache; the source path is not kept (the key covers it). Dates
 * are kept as an instant and the offset the site's zone had then: rebuilding a date in a fixed
 * offset needs no time-zone lookup, and writes the same text.
 */
export function articleToJson(a: ArticleMeta): Record<string, unknown> {
  return {
    title: a.title,
    date: toInstant(a.date),
    updated: instant(a.updated),
    publishDate: instant(a.publishDate),
    expiryDate: instant(a.expiryDate),
    summary: a.summary,
    authors: a.authors,
    tags: a.tags,
    categories: a.categories,
    draft: a.draft,
    slug: a.slug,
    id: a.id,
    url: a.url,
    externalUrl: a.externalUrl,
    image: a.image,
    lang: a.lang,
    unknownKeys: a.unknownKeys,
  };
}

/** Back from the cache; undefined when the entry is not what we wrote (never trusted then). */
export function articleFromJson(file: string, json: Record<string, unknown>): ArticleMeta | undefined {
  // Once per cached article per build (50,000 of them): no closures or arrays made per call.
  const { title, date, updated, publishDate, expiryDate, summary, authors, tags, categories, draft, slug, id, url, externalUrl, image, lang, unknownKeys } = json;
  if (!isString(title) || !isInstant(date) || !maybeInstant(updated) || !maybeInstant(publishDate) || !maybeInstant(expiryDate) || !optional(summary) || !isString(slug) || !isString(id) || !isString(url) || !optional(externalUrl) || !optional(image) || !optional(lang)) return undefined;
  if (typeof draft !== "boolean" || !Array.isArray(tags) || !tags.every(isString) || !Array.isArray(categories) || !categories.every(isString) || !Array.isArray(authors) || !authors.every(isPerson)) return undefined;
  if (unknownKeys === null || typeof unknownKeys !== "object" || Array.isArray(unknownKeys) || !Object.values(unknownKeys).every((line) => Number.isInteger(line))) return undefined;
  const published = fromInstant(date);
  const changed = updated === undefined ? undefined : fromInstant(updated);
  const notBefore = publishDate === undefined ? undefined : fromInstant(publishDate);
  const expires = expiryDate === undefined ? undefined : fromInstant(expiryDate);
  if (!published.isValid || changed?.isValid === false || notBefore?.isValid === false || expires?.isValid === false) return undefined;
  return {
    file,
    title,
    date: published,
    updated: changed,
    publishDate: notBefore,
    expiryDate: expires,
    summary,
    authors,
    tags,
    categories,
    draft,
    slug,
    id,
    url,
    externalUrl,
    image,
    lang,
    unknownKeys: unknownKeys as Record<string, number>,
  };
}

const isString = (v: unknown): v is string => typeof v === "string";
const optional = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";
const maybeInstant = (v: unknown): v is Instant | undefined => v === undefined || isInstant(v);
const isPerson = (p: unknown): p is Article["authors"][number] => p !== null && typeof p === "object" && isString((p as { name?: unknown }).name);

function instant(date: DateTime | undefined): Instant | undefined {
  return date === undefined ? undefined : toInstant(date);
}

function isInstant(value: unknown): value is Instant {
  return Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isInteger(value[1]);
}
