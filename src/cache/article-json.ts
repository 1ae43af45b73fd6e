import { DateTime, FixedOffsetZone } from "luxon";
import type { Article } from "../content/article.ts";

/** An article without its body: what the cache keeps and the feeds need. */
export type ArticleMeta = Omit<Article, "body" | "bodyLine">;

/**
 * Article fields as JSON for the cache; the source path is not kept (the key covers it). Dates
 * are kept as an instant and the offset the site's zone had then: rebuilding a date in a fixed
 * offset needs no time-zone lookup, and writes the same text.
 */
export function articleToJson(a: ArticleMeta): Record<string, unknown> {
  return {
    title: a.title,
    date: [a.date.toMillis(), a.date.offset],
    updated: a.updated === undefined ? undefined : [a.updated.toMillis(), a.updated.offset],
    summary: a.summary,
    authors: a.authors,
    tags: a.tags,
    draft: a.draft,
    slug: a.slug,
    id: a.id,
    url: a.url,
    image: a.image,
    lang: a.lang,
  };
}

/** Back from the cache; undefined when the entry is not what we wrote (never trusted then). */
export function articleFromJson(file: string, json: Record<string, unknown>): ArticleMeta | undefined {
  const str = (v: unknown): v is string => typeof v === "string";
  const optional = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";
  const { title, date, updated, summary, authors, tags, draft, slug, id, url, image, lang } = json;
  if (!str(title) || !isInstant(date) || !(updated === undefined || isInstant(updated)) || !optional(summary) || !str(slug) || !str(id) || !str(url) || !optional(image) || !optional(lang)) return undefined;
  if (typeof draft !== "boolean" || !Array.isArray(tags) || !tags.every(str) || !Array.isArray(authors)) return undefined;
  const people = authors.filter((p): p is Article["authors"][number] => p !== null && typeof p === "object" && str((p as { name?: unknown }).name));
  if (people.length !== authors.length) return undefined;
  const when = ([millis, offset]: [number, number]) => DateTime.fromMillis(millis, { zone: FixedOffsetZone.instance(offset) });
  const published = when(date);
  const changed = updated === undefined ? undefined : when(updated);
  if (!published.isValid || (changed !== undefined && !changed.isValid)) return undefined;
  return { file, title, date: published, updated: changed, summary, authors: people, tags, draft, slug, id, url, image, lang };
}

function isInstant(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isInteger(value[1]);
}
