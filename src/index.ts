/**
 * The package's programmatic API: `import { build, check } from "feedwright"`, for a site
 * generator's config (Astro, Eleventy) or a script. Options in, results and problems out: it
 * prints nothing and never exits the process; a problem is a value with `file:line`, and
 * `formatProblem` turns one into the line the command line prints.
 */
import { DateTime } from "luxon";
import { build as runBuild, type BuildOptions as PipelineOptions, type Counts, type DocumentSummary } from "./pipeline/index.ts";
import { defaultCacheDir } from "./cache/folder.ts";
import { checkSite } from "./commands/check.ts";
import { guardIds, type GuardOptions } from "./guard/index.ts";
import { error, FeedwrightError, hasErrors, sortProblems, type Problem } from "./problems.ts";
import type { FileDifference } from "./report/diff.ts";

export { formatProblem, type Problem, type Severity } from "./problems.ts";
export type { Counts, DocumentSummary } from "./pipeline/index.ts";
export type { FileDifference } from "./report/diff.ts";
export { VERSION } from "./version.ts";

export interface Options {
  /** Folder of Markdown articles; its `_index.md` holds the site settings. Default `content`. */
  readonly content?: string;
  /** Output folder. Default `dist`. */
  readonly out?: string;
  /** Another base URL for this run (a deploy preview); the id guard does not apply then. */
  readonly siteUrl?: string;
  /** Articles dated after this are left out. Default: the clock. */
  readonly now?: Date | string;
  /** Publish drafts too (a preview). */
  readonly drafts?: boolean;
  /** Publish articles dated in the future too (a preview). */
  readonly future?: boolean;
  /** Build cache folder, or `false` for none. Default `node_modules/.cache/feedwright`. */
  readonly cache?: string | false;
  /** Worker threads reading articles and rendering documents. Default: some for large sites, else none. */
  readonly threads?: number;
  /** The id-drift guard: compare with this published feed (`previous`), let changes through (`acceptIdChanges`), or `false` for none. */
  readonly guard?: { readonly previous?: string; readonly acceptIdChanges?: boolean } | false;
}

export interface BuildResult {
  /** True when the output folder now holds the new feeds. */
  readonly ok: boolean;
  /** Errors and warnings, sorted by file and line. On errors the output folder is as it was. */
  readonly problems: readonly Problem[];
  /** Files written or removed, relative to the output folder. */
  readonly written: readonly string[];
  readonly unchanged: number;
  readonly counts: Counts | undefined;
  readonly feeds: readonly DocumentSummary[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  /** Whether there was an output folder to compare with. */
  readonly compared: boolean;
  /** Files of the output folder that a build would change. */
  readonly differences: readonly FileDifference[];
  readonly counts: Counts | undefined;
}

/** Builds the feeds into the output folder, as `feedwright build` does. */
export async function build(options: Options = {}): Promise<BuildResult> {
  return caught<BuildResult>(async () => {
    const pipeline = pipelineOptions(options);
    const guard = guardOptions(options, pipeline);
    const result = await runBuild(pipeline, guard === undefined ? undefined : (plan) => guardIds(guard, { articles: plan.articles, leftOut: plan.leftOut, siteFile: plan.siteFile, siteUrl: plan.site.url }));
    const problems = sortProblems(result.problems);
    const ok = result.report !== undefined && !hasErrors(problems);
    return {
      ok,
      problems,
      written: ok ? (result.report?.changed ?? []) : [],
      unchanged: ok ? (result.report?.unchanged ?? 0) : 0,
      counts: result.plan?.counts,
      feeds: result.plan?.feeds ?? [],
    };
  }, (problems) => ({ ok: false, problems, written: [], unchanged: 0, counts: undefined, feeds: [] }));
}

/** Checks the content, and that the output folder (if any) is what a build makes; writes nothing. */
export async function check(options: Options = {}): Promise<CheckResult> {
  return caught<CheckResult>(async () => {
    const pipeline = pipelineOptions(options);
    const outcome = await checkSite(pipeline, guardOptions(options, pipeline));
    return { ok: outcome.passed, problems: outcome.problems, compared: outcome.compared, differences: outcome.differences, counts: outcome.plan?.counts };
  }, (problems) => ({ ok: false, problems, compared: false, differences: [], counts: undefined }));
}

function pipelineOptions(options: Options): PipelineOptions {
  const now = options.future === true ? DateTime.fromISO("9999-12-31T23:59:59Z", { zone: "UTC" }) : toDateTime(options.now);
  const cacheDir = options.cache === false ? undefined : (options.cache ?? defaultCacheDir(process.cwd(), process.env));
  return {
    contentDir: options.content ?? "content",
    outDir: options.out ?? "dist",
    now,
    ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }),
    ...(options.drafts === true ? { drafts: true } : {}),
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  };
}

function toDateTime(now: Date | string | undefined): DateTime {
  if (now === undefined) return DateTime.now().toUTC();
  const parsed = typeof now === "string" ? DateTime.fromISO(now, { zone: "UTC" }) : DateTime.fromJSDate(now, { zone: "UTC" });
  if (!parsed.isValid) throw new FeedwrightError([error("feedwright", undefined, "now", `expected an ISO 8601 date like 2023-06-01T12:00:00Z (got ${JSON.stringify(String(now))})`)], "usage");
  return parsed;
}

/** A preview URL's ids are nobody's subscription: the guard applies only to the real site. */
function guardOptions(options: Options, pipeline: PipelineOptions): GuardOptions | undefined {
  if (options.guard === false || pipeline.siteUrl !== undefined) return undefined;
  return { outDir: pipeline.outDir, accept: options.guard?.acceptIdChanges === true, ...(options.guard?.previous === undefined ? {} : { previous: options.guard.previous }) };
}

/** A FeedwrightError (bad options, an output folder that cannot be written) becomes problems. */
async function caught<T>(work: () => Promise<T>, failed: (problems: readonly Problem[]) => T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof FeedwrightError) return failed(e.problems);
    throw e;
  }
}
