import type { Article } from "../content/article.ts";
import { compareText } from "../problems.ts";

/** Date descending, then id: a total order, so equal dates never reorder between builds. */
export function newestFirst(a: Pick<Article, "date" | "id">, b: Pick<Article, "date" | "id">): number {
  return b.date.toMillis() - a.date.toMillis() || compareText(a.id, b.id);
}
