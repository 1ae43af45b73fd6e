import type { ArticleSummary } from "../pipeline/index.ts";
import { shownPath } from "../content/read.ts";
import type { Problem, Result } from "../problems.ts";
import { checkIdDrift, type WithdrawnDraft } from "./drift.ts";
import { readOutDir, readPrevious, type PreviousFeed } from "./previous.ts";

export interface GuardOptions {
  readonly outDir: string;
  /** A file or http(s) URL of the published feed; else the feeds feedwright wrote in the output folder, in the formats it wrote. */
  readonly previous?: string;
  readonly accept: boolean;
  /** Where this build's now came from (`SOURCE_DATE_EPOCH=0`), for the message when it hides articles. */
  readonly nowSource?: string;
}

/** What the build found, drafts and scheduled articles included. */
export interface GuardInput {
  readonly articles: readonly ArticleSummary[];
  /** Drafts left out for their problems (a plan's `leftOut`): withdrawals, as drafts are. */
  readonly leftOut?: readonly WithdrawnDraft[];
  readonly siteFile: string;
  readonly siteUrl: string;
  /** This build's now. */
  readonly now?: string;
}

/**
 * The id-drift guard, run after a successful plan and before publishing: the problems it finds.
 * It takes the articles from the plan, drafts and scheduled ones included (a draft is a
 * deliberate withdrawal, not a disappearance), because the feeds hold only what is published.
 */
export async function guardIds(options: GuardOptions, input: GuardInput): Promise<readonly Problem[]> {
  const previous: Result<PreviousFeed> | undefined =
    options.previous === undefined ? await readOutDir(options.outDir, shownPath(options.outDir)) : await readPrevious(options.previous);
  if (previous === undefined) return [];
  // A damaged output folder must not block every build: --accept-id-changes builds without the guard.
  if (!previous.ok) return options.accept && options.previous === undefined ? previous.problems.map((p) => ({ ...p, severity: "warning" as const })) : previous.problems;
  const articles = input.articles.map((a) => ({ file: a.file, id: a.id, url: a.url, title: a.title, published: a.dateMs, scheduled: a.scheduled }));
  const now = input.now === undefined ? {} : { now: { iso: input.now, source: options.nowSource ?? "the clock" } };
  return checkIdDrift(previous.value, articles, { siteFile: input.siteFile, siteUrl: input.siteUrl, accept: options.accept, ...now }, input.leftOut);
}
