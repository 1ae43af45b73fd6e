import type { Article } from "../content/article.ts";
import { compareText } from "../problems.ts";
import type { Site } from "../site/settings.ts";

/** Date descending, then id: a total order, so equal dates never reorder between builds. */
export function newestFirst(a: Pick<Article, "date" | "id">, b: Pick<Article, "date" | "id">): number {
  return b.date.toMillis() - a.date.toMillis() || compareText(a.id, b.id);
}

/**
 * Whether every published article is shown in some document: with archives on, each is in its
 * site or section feed or one of their archive pages. Then bodies are rendered as files are read;
 * otherwise only after the documents are planned, and only for the items they hold.
 */
export function showsEveryArticle(site: Pick<Site, "archives">): boolean {
  return site.archives.length > 0;
}
