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
  /** Not a draft, dated after now: in no feed yet. */
  readonly scheduled: boolean;
}

/**
 * A draft left out because its other fields have problems: a withdrawal, as any draft is, of the
 * published item it may be, known by whatever of it could be read.
 */
export interface WithdrawnDraft {
  readonly title: string | undefined;
  readonly id: string | undefined;
  readonly url: string | undefined;
}

export interface DriftContext {
  /** Where the site settings live, for the site-URL hint (`content/_index.md`). */
  readonly siteFile: string;
  readonly siteUrl: string;
  /** `--accept-id-changes`: the same findings, as warnings. */
  readonly accept: boolean;
  /** This build's now and where it came from (`SOURCE_DATE_EPOCH=0`, `--now 2023-01-01`, `the clock`). */
  readonly now?: { readonly iso: string; readonly source: string };
}

const PIN = "Feed readers know an article by its id alone";

/** How many articles a summary names before "and N more". */
export const SHOWN = 5;

/**
 * Pure: what subscribers would see if this build replaced `previous`. Each article already
 * published must keep its id, stay in the feeds, and no other article may take its id.
 *
 * "The same article" as a published item is the one with the same title and date; else the one
 * holding its id or URL, when its title or its date is unchanged (an edit changes one, rarely
 * both). An id or URL now held by an article whose title and date both differ names a different
 * article: a reused slug, or a swap. Every lookup is a Map: linear in articles plus items.
 */
export function checkIdDrift(previous: PreviousFeed, articles: readonly CurrentArticle[], context: DriftContext, withdrawn: readonly WithdrawnDraft[] = []): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, CurrentArticle>();
  const byUrl = new Map<string, CurrentArticle>();
  // null: more than one article has that title and date, so it identifies none.
  const byTitleDate = new Map<string, CurrentArticle | null>();
  // Only an article dated as some published item is can match one by title and date: the others'
  // titles are not normalised (a feed holds a few dozen items; a site may hold 50,000 articles).
  const datesPublished = new Set(previous.items.map((p) => p.published));
  // Only published items' ids and URLs are ever looked up: the maps hold those, not 50,000 of each.
  const idsPublished = new Set(previous.items.map((p) => p.id));
  const urlsPublished = new Set(previous.items.map((p) => p.url));
  for (const a of articles) {
    if (idsPublished.has(a.id) && !byId.has(a.id)) byId.set(a.id, a);
    if (urlsPublished.has(a.url) && !byUrl.has(a.url)) byUrl.set(a.url, a);
    if (!datesPublished.has(a.published)) continue;
    const key = titleDate(a.title, a.published);
    byTitleDate.set(key, byTitleDate.has(key) ? null : a);
  }
  // A left-out draft withdraws the published item with its id or its URL, where those could be
  // made. Not one with its title alone: any other broken draft of that title (a copy, a
  // translation in progress) would then hide a deleted article.
  const withdrawnRefs = new Set(withdrawn.flatMap((d) => [d.id, d.url].filter((ref) => ref !== undefined)));
  const isWithdrawn = (p: PublishedItem) => withdrawnRefs.has(p.id) || (p.url !== undefined && withdrawnRefs.has(p.url));
  const previousById = new Map<string, PublishedItem>();
  for (const p of previous.items) if (!previousById.has(p.id)) previousById.set(p.id, p);

  const looksLike = (a: CurrentArticle, p: PublishedItem) => p.published === undefined || a.published === p.published || normalTitle(a.title) === normalTitle(p.title);
  const sameAs = (p: PublishedItem): CurrentArticle | undefined => {
    const strong = p.published === undefined ? undefined : byTitleDate.get(titleDate(p.title, p.published));
    if (strong) return strong;
    const holder = byId.get(p.id);
    if (holder !== undefined && looksLike(holder, p)) return holder;
    const atUrl = p.url === undefined ? undefined : byUrl.get(p.url);
    return atUrl !== undefined && looksLike(atUrl, p) ? atUrl : undefined;
  };

  const report = context.accept ? warning : error;
  const escape = context.accept ? "accepted with --accept-id-changes" : "if the change is deliberate, run again with --accept-id-changes";
  let changed = 0;
  const gone: PublishedItem[] = [];
  const hidden: { item: PublishedItem; article: CurrentArticle }[] = [];
  const swapsSeen = new Set<string>();

  for (const p of previous.items) {
    const holder = byId.get(p.id);
    const same = sameAs(p);
    if (holder !== undefined && holder !== same) {
      const other = same === undefined ? undefined : previousById.get(same.id);
      if (same !== undefined && other !== undefined && other !== p && sameAs(other) === holder) {
        const pair = [holder.file, same.file].sort().join("\n");
        if (swapsSeen.has(pair)) continue;
        swapsSeen.add(pair);
        problems.push(
          report(
            holder.file,
            undefined,
            "id",
            `swapped ids with ${same.file}: this article now has ${p.id}, which ${previous.source} gave to ${JSON.stringify(p.title)} (now ${same.file}), and that one has ${other.id}, which was this article's. ` +
              `Readers would show each as an edit of the other. Give each its own id back (swap the slugs back, or pin id: in each front matter); ${escape}`,
          ),
        );
      } else if (same !== undefined) {
        problems.push(
          report(holder.file, undefined, "id", `takes the id ${p.id}, which ${previous.source} gave to ${JSON.stringify(p.title)} (now ${same.file}). Readers would show this article as an edit of that one, or not at all. Give one of them a different id: in its front matter; ${escape}`),
        );
      } else {
        problems.push(
          report(
            holder.file,
            undefined,
            "id",
            `takes the id ${p.id}, which ${previous.source} gave to ${JSON.stringify(p.title)}${dateNote(p)}, a different article (another title and date) that is gone from the content. ` +
              `Readers would show this article as an edit of that one, or not at all. Give this article its own id (another slug, or id: in its front matter); to withdraw the old one, keep its file with draft: true; ${escape}`,
          ),
        );
      }
      continue;
    }
    if (same === undefined) {
      if (!isWithdrawn(p)) gone.push(p);
      continue;
    }
    if (same.id !== p.id) {
      changed++;
      problems.push(
        report(
          same.file,
          undefined,
          "id",
          `changed from ${p.id} (as published in ${previous.source}) to ${same.id}. ${PIN}: every subscriber would get ${JSON.stringify(p.title)} again as a new, unread article, beside the copy they have. To keep its identity, pin the old id in its front matter: id: "${p.id}"; ${escape}`,
        ),
      );
    }
    if (same.scheduled) hidden.push({ item: p, article: same });
  }

  problems.push(...goneProblems(gone, previous.source, report, escape));
  problems.push(...hiddenProblems(hidden, previous.source, context, report, escape));
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

type Report = typeof error;

/** One problem per article that disappeared; past SHOWN of them, one problem naming the first few. */
function goneProblems(gone: readonly PublishedItem[], source: string, report: Report, escape: string): Problem[] {
  if (gone.length <= SHOWN) {
    return gone.map((p) =>
      report(
        source,
        undefined,
        undefined,
        `${JSON.stringify(p.title)} (${p.id}) was published and is gone from the content: subscribers keep the copy they have, and it can no longer be corrected. If it moved, keep its title and date, or pin its id: "${p.id}"; to withdraw it, keep the file with draft: true; ${escape}`,
      ),
    );
  }
  const named = gone.slice(0, SHOWN).map((p) => `${JSON.stringify(p.title)} (${p.id})`);
  return [
    report(
      source,
      undefined,
      undefined,
      `${gone.length} published articles are gone from the content: ${named.join(", ")}, and ${gone.length - SHOWN} more. Subscribers keep the copies they have, and they can no longer be corrected. ` +
        `If they moved, keep their titles and dates, or pin their ids (feedwright adopt pins them all); to withdraw them, keep the files with draft: true; ${escape}`,
    ),
  ];
}

/**
 * Published articles that this build's now would schedule: each leaves every feed. A now from
 * SOURCE_DATE_EPOCH or --now is the likely cause (0 and 315532800, 1980-01-01, are defaults some
 * build systems set), so the message names it; with the clock, each article's date is.
 */
function hiddenProblems(hidden: readonly { item: PublishedItem; article: CurrentArticle }[], source: string, context: DriftContext, report: Report, escape: string): Problem[] {
  if (hidden.length === 0) return [];
  const now = context.now ?? { iso: "now", source: "the clock" };
  if (now.source === "the clock") {
    return hidden.map(({ article }) =>
      report(
        article.file,
        undefined,
        "date",
        `is after now (${now.iso}, the clock), and ${source} published this article: it would count as scheduled and leave every feed until then. To withdraw it, set draft: true; ${escape}`,
      ),
    );
  }
  const setting = now.source.startsWith("--now") ? "--now" : "SOURCE_DATE_EPOCH";
  const named = hidden.slice(0, SHOWN).map(({ item, article }) => `${JSON.stringify(item.title)} (${article.file})`);
  const more = hidden.length > SHOWN ? `, and ${hidden.length - SHOWN} more` : "";
  const fix =
    setting === "--now"
      ? "pass a later --now, or none for the clock"
      : "unset SOURCE_DATE_EPOCH, or set it to the last commit's time (git log -1 --format=%ct)";
  return [
    report(
      setting,
      undefined,
      undefined,
      `${now.source} sets now to ${now.iso}, before the date of ${hidden.length} article${hidden.length === 1 ? "" : "s"} that ${source} published: ${named.join(", ")}${more}. ` +
        `They would count as scheduled and leave every feed. If now is wrong, ${fix}; ${escape}`,
    ),
  ];
}

function dateNote(p: PublishedItem): string {
  return p.published === undefined ? "" : ` (dated ${new Date(p.published).toISOString()})`;
}

/** Titles as feeds carry them: whitespace runs are one space, and ends are trimmed. */
/** A title as readers compare them: NFC, runs of blanks as one space, trimmed. */
export function normalTitle(title: string): string {
  return title.normalize("NFC").replace(/\s+/g, " ").trim();
}

function titleDate(title: string, published: number): string {
  return `${normalTitle(title)}\u0000${published}`;
}
