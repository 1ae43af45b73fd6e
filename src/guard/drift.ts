import { error, warning, type Problem } from "../problems.ts";
import type { PreviousFeed, PublishedItem } from "./previous.ts";

/** An article as this build sees it, drafts and scheduled ones included. */
export interface CurrentArticle {
  readonly file: string;
  readonly id: string;
  readonly url: string;
  readonly title: string;
  /** Milliseconds since 1970. */
  readonly published: number;
}

export interface DriftContext {
  /** Where the site settings live, for the site-URL hint (`content/_index.md`). */
  readonly siteFile: string;
  readonly siteUrl: string;
  /** `--accept-id-changes`: the same findings, as warnings. */
  readonly accept: boolean;
}

const PIN = "Feed readers know an article by its id alone";

/**
 * Pure: what subscribers would see if this build replaced `previous`. Each article already
 * published must keep its id. "The same article" is the one with the same URL, or else the same
 * title and publication date: ids and URLs are what changes when a file is renamed, a slug is
 * edited, the permalink pattern or the site URL moves.
 */
export function checkIdDrift(previous: PreviousFeed, articles: readonly CurrentArticle[], context: DriftContext): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  const sameArticle = (p: PublishedItem): CurrentArticle | undefined =>
    articles.find((a) => p.url !== undefined && a.url === p.url) ?? articles.find((a) => a.title === p.title && p.published !== undefined && a.published === p.published);
  const looksLike = (a: CurrentArticle, p: PublishedItem) => (p.url !== undefined && a.url === p.url) || (a.title === p.title && a.published === p.published);
  let changed = 0;
  const report = context.accept ? warning : error;
  const escape = context.accept ? "accepted with --accept-id-changes" : "if the change is deliberate, run again with --accept-id-changes";

  for (const p of previous.items) {
    const holder = byId.get(p.id);
    if (holder !== undefined) {
      const rightful = sameArticle(p);
      if (!looksLike(holder, p) && rightful !== undefined && rightful !== holder) {
        problems.push(
          report(holder.file, undefined, "id", `takes the id ${p.id}, which ${previous.source} gave to ${JSON.stringify(p.title)} (now ${rightful.file}). Readers would show this article as an edit of that one, or not at all. Give one of them a different id: in its front matter; ${escape}`),
        );
      }
      continue;
    }
    const moved = sameArticle(p);
    if (moved !== undefined) {
      changed++;
      problems.push(
        report(
          moved.file,
          undefined,
          "id",
          `changed from ${p.id} (as published in ${previous.source}) to ${moved.id}. ${PIN}: every subscriber would get ${JSON.stringify(p.title)} again as a new, unread article, beside the copy they have. To keep its identity, pin the old id in its front matter: id: "${p.id}"; ${escape}`,
        ),
      );
      continue;
    }
    problems.push(
      report(
        previous.source,
        undefined,
        undefined,
        `${JSON.stringify(p.title)} (${p.id}) was published and is gone from the content: subscribers keep the copy they have, and it can no longer be corrected. If it moved, keep its title and date, or pin its id: "${p.id}"; to withdraw it, keep the file with draft: true; ${escape}`,
      ),
    );
  }
  if (changed > 0 && previous.siteUrl !== undefined && previous.siteUrl !== context.siteUrl) {
    problems.push(
      report(
        context.siteFile,
        undefined,
        "url",
        `${previous.source} was built for ${previous.siteUrl} and this build is for ${context.siteUrl}, which changes the id of every article whose id is its URL. If ${previous.source} came from a deploy preview, build the preview elsewhere (--out) or delete it; if the site moved, pin each article's old id`,
      ),
    );
  }
  return problems;
}
