import type { DateTime } from "luxon";
import type { Article } from "../content/article.ts";
import { atOffset } from "../content/dates.ts";

/** An article without its body (and the front matter its template code reads): what the cache keeps and the feeds need. */
export type ArticleMeta = Omit<Article, "body" | "bodyLine" | "frontMatter">;

/**
 * Article fields as JSON for the cache; the source path is not kept (the key covers it). Dates
 * are kept as an instant and the offset the site's zone had then: rebuilding a date in a fixed
 * offset needs no time-zone lookup, and writes the same text.
 */
export function articleToJson(a: ArticleMeta): Record<string, unknown> {
  return {
    title: a.title,
    date: [a.date.toMillis(), a.date.offset],
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
  const str = (v: unknown): v is string => typeof v === "string";
  const optional = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";
  const { title, date, updated, publishDate, expiryDate, summary, authors, tags, categories, draft, slug, id, url, externalUrl, image, lang, unknownKeys } = json;
  const maybeInstant = (v: unknown): v is [number, number] | undefined => v === undefined || isInstant(v);
  if (!str(title) || !isInstant(date) || !maybeInstant(updated) || !maybeInstant(publishDate) || !maybeInstant(expiryDate) || !optional(summary) || !str(slug) || !str(id) || !str(url) || !optional(externalUrl) || !optional(image) || !optional(lang)) return undefined;
  if (typeof draft !== "boolean" || !Array.isArray(tags) || !tags.every(str) || !Array.isArray(categories) || !categories.every(str) || !Array.isArray(authors)) return undefined;
  if (unknownKeys === null || typeof unknownKeys !== "object" || Array.isArray(unknownKeys) || !Object.values(unknownKeys).every((line) => Number.isInteger(line))) return undefined;
  const people = authors.filter((p): p is Article["authors"][number] => p !== null && typeof p === "object" && str((p as { name?: unknown }).name));
  if (people.length !== authors.length) return undefined;
  const when = ([millis, offset]: [number, number]) => atOffset(millis, offset);
  const published = when(date);
  const [changed, notBefore, expires] = [updated, publishDate, expiryDate].map((v) => (v === undefined ? undefined : when(v)));
  if (!published.isValid || [changed, notBefore, expires].some((d) => d !== undefined && !d.isValid)) return undefined;
  return {
    file,
    title,
    date: published,
    updated: changed,
    publishDate: notBefore,
    expiryDate: expires,
    summary,
    authors: people,
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

function instant(date: DateTime | undefined): [number, number] | undefined {
  return date === undefined ? undefined : [date.toMillis(), date.offset];
}

function isInstant(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isInteger(value[1]);
}
