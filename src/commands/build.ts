import { build, type BuildOptions, type Plan, type Progress } from "../build.ts";
import { defaultCacheDir } from "../cache/article-cache.ts";
import { guardIds } from "../guard/index.ts";
import type { PublishReport } from "../output/publish.ts";
import { hasErrors, sortProblems, type Problem } from "../problems.ts";
import { renderJson, reportProblems } from "../report/index.ts";
import { COMMON, flag, resolveNow, text, UsageError, type Args, type Command, type OptionSpec } from "./args.ts";
import { EXIT, type Io } from "./io.ts";

/** The id-drift guard's flags, shared by build and check. */
export const GUARD_OPTIONS = {
  previous: { type: "string", value: "<file|url>", description: "compare ids with this published feed (Atom or JSON Feed) instead of the output folder's" },
  "accept-id-changes": { type: "boolean", description: "let changed article ids through (as warnings)" },
} as const satisfies Record<string, OptionSpec>;

/** Flags for how the work is done; they never change the output. */
export const WORK_OPTIONS = {
  "no-cache": { type: "boolean", description: "neither read nor write the build cache (node_modules/.cache/feedwright)" },
  threads: { type: "string", value: "<n>", description: "worker threads rendering documents (default: some for large sites, else 0)" },
} as const satisfies Record<string, OptionSpec>;

export const buildCommand: Command = {
  name: "build",
  summary: "Markdown articles to RSS 2.0, Atom 1.0 and JSON Feed 1.1",
  positionals: { name: "", min: 0, max: 0 },
  options: { ...COMMON, ...GUARD_OPTIONS, ...WORK_OPTIONS },
  run: runBuild,
};

export function buildOptions(args: Args, env: NodeJS.ProcessEnv): BuildOptions {
  const siteUrl = text(args, "site-url");
  const threads = text(args, "threads");
  if (threads !== undefined && !/^\d{1,2}$/.test(threads)) throw new UsageError(`--threads: expected a whole number from 0 to 99 (got ${JSON.stringify(threads)})`);
  return {
    ...(flag(args, "no-cache") ? {} : { cacheDir: defaultCacheDir(process.cwd(), env) }),
    ...(threads === undefined ? {} : { threads: Number(threads) }),
    contentDir: text(args, "content") ?? "content",
    outDir: text(args, "out") ?? "dist",
    ...(siteUrl === undefined ? {} : { siteUrl }),
    now: resolveNow(text(args, "now"), env),
  };
}

/**
 * Guard settings for a run, or undefined when the guard does not apply: a `--site-url` build is
 * a deploy preview, whose ids nobody subscribes to.
 */
export function guardFor(args: Args, options: BuildOptions) {
  if (options.siteUrl !== undefined) return undefined;
  const previous = text(args, "previous");
  return {
    outDir: options.outDir,
    ...(previous === undefined ? {} : { previous }),
    accept: flag(args, "accept-id-changes"),
  };
}

export interface BuildOutcome {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  readonly plan: Plan | undefined;
  readonly report: PublishReport | undefined;
}

/** plan → id-drift guard → publish: the output folder changes only when all three agree. */
export async function buildOnce(args: Args, options: BuildOptions): Promise<BuildOutcome> {
  const guard = guardFor(args, options);
  const result = await build(options, guard === undefined ? undefined : (plan) => guardIds(guard, { articles: plan.articles, siteFile: plan.siteFile, siteUrl: plan.site.url }));
  const problems = sortProblems(result.problems);
  if (result.plan === undefined || result.report === undefined || hasErrors(problems)) return { ok: false, problems, plan: result.plan, report: undefined };
  return { ok: true, problems, plan: result.plan, report: result.report };
}

/** The one-line summary of a successful build: scripts and tests read it, so it stays as it is. */
export function summaryLine(plan: Plan, report: PublishReport, ms: number): string {
  const { counts } = plan;
  return (
    `feedwright: ${counts.articles} articles read (${counts.drafts} drafts, ${counts.scheduled} scheduled), ` +
    `${counts.items} items per feed, ${counts.feeds} feeds, ${report.changed.length} files written, ${report.unchanged} unchanged, ${ms} ms\n`
  );
}

export function failureLine(problems: readonly Problem[], outDir: string): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  return `feedwright: ${errors} error${errors === 1 ? "" : "s"}; ${outDir}/ left as it was\n`;
}

/**
 * Live progress on a terminal, for builds that take more than a second: one line, redrawn at
 * most ten times a second, cleared when the build ends. Logs and pipes never see it.
 */
export function progressLine(io: Io, started: number, afterMs = Number(io.env.FEEDWRIGHT_PROGRESS_AFTER_MS ?? 1000)) {
  let last = 0;
  let shown = false;
  return {
    update(p: Progress): void {
      const now = performance.now();
      if (now - started < afterMs || now - last < 100) return;
      last = now;
      shown = true;
      const writing = p.documents === 0 ? "" : `, ${p.written}/${p.documents} documents written`;
      io.stderr(`\r\x1b[Kfeedwright: ${p.read}/${p.articles} files read, ${p.rendered} articles rendered${writing}`);
    },
    clear(): void {
      if (shown) io.stderr("\r\x1b[K");
    },
  };
}

export async function runBuild(args: Args, io: Io): Promise<number> {
  const started = performance.now();
  const json = flag(args, "json");
  const progress = io.isTTY && !json ? progressLine(io, started) : undefined;
  const options = { ...buildOptions(args, io.env), ...(progress === undefined ? {} : { progress: (p: Progress) => progress.update(p) }) };
  const outcome = await buildOnce(args, options);
  progress?.clear();
  if (json) {
    io.stdout(renderJson("build", outcome.ok, outcome.problems, outcome.plan, { written: outcome.report?.changed ?? [], unchanged: outcome.report?.unchanged ?? 0 }));
    return outcome.ok ? EXIT.ok : EXIT.failed;
  }
  reportProblems(outcome.problems, io);
  if (!outcome.ok || outcome.plan === undefined || outcome.report === undefined) {
    io.stderr(failureLine(outcome.problems, options.outDir));
    return EXIT.failed;
  }
  io.stdout(summaryLine(outcome.plan, outcome.report, Math.round(performance.now() - started)));
  return EXIT.ok;
}
