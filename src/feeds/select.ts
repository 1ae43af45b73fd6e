import type { DateTime } from "luxon";
import type { Article } from "../content/article.ts";
import { compareText } from "../problems.ts";

export interface Selection {
  /** Every article a reader may see, newest first. */
  readonly published: readonly Article[];
  readonly drafts: number;
  /** Dated after *now*: left out until a build after their date. */
  readonly scheduled: number;
}

/** Leaves out drafts and future articles, and puts the rest in the one order every feed uses. */
export function selectArticles(articles: readonly Article[], now: DateTime): Selection {
  const published = articles.filter((a) => !a.draft && a.date <= now);
  return {
    published: [...published].sort(newestFirst),
    drafts: articles.filter((a) => a.draft).length,
    scheduled: articles.filter((a) => !a.draft && a.date > now).length,
  };
}

/** Date descending, then id: a total order, so equal dates never reorder between builds. */
export function newestFirst(a: Pick<Article, "date" | "id">, b: Pick<Article, "date" | "id">): number {
  return b.date.toMillis() - a.date.toMillis() || compareText(a.id, b.id);
}
