import type { BuildOptions, Counts, Plan, Progress } from "../pipeline/index.ts";
import { defaultCacheDir } from "../cache/folder.ts";
import { changedSince, MOST_EDITED, type EditedSince, type Unchanged } from "../cache/last-build.ts";
import { saveRecord } from "../websub/ping.ts";
import { nowSource } from "../guard/now.ts";
import type { PublishReport } from "../output/publish.ts";
import { shownPath } from "../content/read.ts";
import { outDirRefusal } from "../output/place.ts";
import { error, hasErrors, sortProblems, type Problem } from "../problems.ts";
import { renderJson, reportProblems, thrownProblems } from "../report/index.ts";
import { DateTime } from "luxon";
import { flag, text, UsageError, type Args } from "./args.ts";
import { resolveNow } from "./now.ts";
import { EXIT, type Io } from "./io.ts";

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
    ...(flag(args, "drafts") ? { drafts: true } : {}),
    // `--future`: nothing is dated after the end of time, so every scheduled article is in.
    now: flag(args, "future") ? END_OF_TIME : resolveNow(text(args, "now"), env),
  };
}

const END_OF_TIME = DateTime.fromISO("9999-12-31T23:59:59Z", { zone: "UTC" });

/**
 * Guard settings for a run, or undefined when the guard does not apply: a `--site-url` build is
 * a deploy preview, whose ids nobody subscribes to.
 */
export function guardFor(args: Args, options: BuildOptions, env: NodeJS.ProcessEnv = {}) {
  if (options.siteUrl !== undefined) return undefined;
  const previous = text(args, "previous");
  return {
    outDir: options.outDir,
    ...(previous === undefined ? {} : { previous }),
    accept: flag(args, "accept-id-changes"),
    nowSource: nowSource(text(args, "now"), env),
  };
}

/** What the guard needs from a plan and the run. */
export function guardInput(plan: Plan, options: BuildOptions) {
  return { articles: plan.articles, leftOut: plan.leftOut, siteFile: plan.siteFile, siteUrl: plan.site.url, now: options.now.toUTC().toISO({ suppressMilliseconds: true }) ?? "" };
}

export interface BuildOutcome {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  readonly plan: Plan | undefined;
  readonly report: PublishReport | undefined;
}

/** The build and the guard, loaded only when needed: a build with nothing to do (`upToDate`) never loads a parser or renderer. */
const loadBuilder = () => Promise.all([import("../pipeline/index.ts"), import("../guard/index.ts"), import("../pipeline/patch.ts")]);

/** plan → id-drift guard → publish: the output folder changes only when all three agree. */
export async function buildOnce(args: Args, options: BuildOptions, env: NodeJS.ProcessEnv = {}): Promise<BuildOutcome> {
  const [{ build }, { guardIds }] = await loadBuilder();
  const guard = guardFor(args, options, env);
  const result = await build(options, guard === undefined ? undefined : (plan) => guardIds(guard, guardInput(plan, options)));
  const problems = sortProblems(result.problems);
  if (result.plan === undefined || result.report === undefined || hasErrors(problems)) return { ok: false, problems, plan: result.plan, report: undefined };
  return { ok: true, problems, plan: result.plan, report: result.report };
}

/**
 * The last build's outcome when nothing has changed since (src/cache/last-build.ts), after doing
 * what such a build still does: telling `feedwright ping` that no feed changed; or the few
 * articles edited since, when nothing else changed. Undefined when the build must run the long
 * way (and then that is left to it, warnings and all).
 */
async function upToDate(options: BuildOptions): Promise<Unchanged | EditedSince | undefined> {
  if (options.cacheDir === undefined) return undefined;
  const same = await changedSince(options.cacheDir, options, options.now.toMillis(), MOST_EDITED);
  if (same === undefined || "paths" in same || same.hub === null) return same;
  try {
    await saveRecord(options.cacheDir, options.outDir, { hub: same.hub, topics: [] });
    return same;
  } catch {
    return undefined;
  }
}

/** The one-line summary of a successful build: scripts and tests read it, so it stays as it is. */
export function summaryLine(counts: Counts, report: Pick<PublishReport, "changed" | "unchanged">, ms: number): string {
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
 * Progress for builds that take a while. On a terminal: one line after the first second,
 * redrawn at most ten times a second, cleared when the build ends. In a log (CI): a plain line
 * every `everyMs`, so a long build is not mistaken for a hung one; short builds print none.
 */
export function progressLine(
  io: Io,
  started: number,
  { afterMs = io.progressAfterMs ?? 1000, everyMs = 5000, clock = () => performance.now() }: { afterMs?: number; everyMs?: number; clock?: () => number } = {},
) {
  const live = io.live === true;
  let last = live ? 0 : started;
  let shown = false;
  return {
    update(p: Progress): void {
      const now = clock();
      if (live ? now - started < afterMs || now - last < 100 : now - last < everyMs) return;
      last = now;
      shown = true;
      const writing = p.documents === 0 ? "" : `, ${p.written}/${p.documents} documents written`;
      const line = `feedwright: ${p.read}/${p.articles} files read, ${p.rendered} articles rendered${writing}`;
      io.stderr(live ? `\r\x1b[K${line}` : `${line} (${Math.round((now - started) / 1000)} s)\n`);
    },
    clear(): void {
      if (shown && live) io.stderr("\r\x1b[K");
    },
  };
}

export async function runBuild(args: Args, io: Io): Promise<number> {
  if (!flag(args, "watch")) return buildAndReport(args, io);
  const { watchContent } = await import("./watch.ts");
  let code = await buildAndReport(args, io);
  await watchContent(text(args, "content") ?? "content", io, async () => void (code = await buildAndReport(args, io)));
  return code;
}

async function buildAndReport(args: Args, io: Io): Promise<number> {
  const started = performance.now();
  const json = flag(args, "json");
  const quiet = flag(args, "quiet");
  // Made once the build is loaded: loading is not the wait progress tells of (from a checkout, tsx compiles it first).
  let progress: ReturnType<typeof progressLine> | undefined;
  let options: BuildOptions;
  let outcome: BuildOutcome;
  try {
    options = { ...buildOptions(args, io.env), signal: io.signal, ...(json || quiet ? {} : { progress: (p: Progress) => progress?.update(p) }) };
    // Before anything is read: an output folder feedwright must not write into is a usage error.
    const refusal = await outDirRefusal(options.outDir, options.contentDir);
    if (refusal !== undefined) throw new UsageError(refusal);
    // Nothing changed since the last build: its outcome, without reading a file. Not for --json,
    // which prints the whole plan, nor --previous, whose feed is not a file this build can stamp.
    const same = json || text(args, "previous") !== undefined ? undefined : await upToDate(options);
    if (io.signal.aborted) return interrupted(io, options.outDir, json);
    if (same !== undefined && !("paths" in same)) {
      io.way?.("unchanged");
      reportProblems(sortProblems(same.problems), io);
      if (!quiet) io.stdout(summaryLine(same.counts, { changed: [], unchanged: same.counts.documents }, Math.round(performance.now() - started)));
      return EXIT.ok;
    }
    const [, , { patchBuild }] = await loadBuilder();
    // A few articles' bodies edited: their items patched into the last build's documents.
    const patched = same === undefined ? undefined : await patchBuild(options, same);
    if (patched !== undefined) {
      io.way?.("patched");
      reportProblems(sortProblems(patched.problems), io);
      if (flag(args, "verbose")) for (const path of patched.report.changed) io.stdout(`  ${path}\n`);
      if (!quiet) io.stdout(summaryLine(patched.counts, patched.report, Math.round(performance.now() - started)));
      return EXIT.ok;
    }
    progress = json || quiet ? undefined : progressLine(io, performance.now());
    io.way?.("long");
    outcome = await buildOnce(args, options, io.env);
  } catch (e) {
    progress?.clear();
    if (io.signal.aborted) return interrupted(io, text(args, "out") ?? "dist", json);
    if (!json) throw e;
    // --json prints its one document whatever happened.
    io.stdout(renderJson("build", false, thrownProblems(e), undefined, { written: [], unchanged: 0 }));
    return e instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
  progress?.clear();
  if (io.signal.aborted) return interrupted(io, options.outDir, json, outcome.report !== undefined);
  if (json) {
    io.stdout(renderJson("build", outcome.ok, outcome.problems, outcome.plan, { written: outcome.report?.changed ?? [], unchanged: outcome.report?.unchanged ?? 0 }));
    return outcome.ok ? EXIT.ok : EXIT.failed;
  }
  reportProblems(outcome.problems, io);
  if (!outcome.ok || outcome.plan === undefined || outcome.report === undefined) {
    io.stderr(failureLine(outcome.problems, options.outDir));
    return EXIT.failed;
  }
  if (flag(args, "verbose")) for (const path of outcome.report.changed) io.stdout(`  ${path}\n`);
  if (!quiet) io.stdout(summaryLine(outcome.plan.counts, outcome.report, Math.round(performance.now() - started)));
  return EXIT.ok;
}

/**
 * A build stopped by Ctrl-C (exit 130) or SIGTERM (143), as shells count them (128 + signal).
 * Stopped before publishing's commit point, nothing was published; after it, publishing
 * completed first. The message says which.
 */
function interrupted(io: Io, outDir: string, json: boolean, published = false): number {
  const name = io.signal.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
  const state = published ? `${outDir}/ holds the new build (it was already being published)` : `${outDir}/ left as it was`;
  if (json) io.stdout(renderJson("build", false, [error(shownPath(outDir), undefined, undefined, `build stopped by ${name}; ${state}`)], undefined, { written: [], unchanged: 0 }));
  else io.stderr(`feedwright: stopped by ${name}; ${state}\n`);
  return name === "SIGTERM" ? 143 : 130;
}
