import { DEFAULT_MAX_FILE_BYTES, planBuild, type BuildOptions, type Plan } from "../build.ts";
import { guardIds } from "../guard/index.ts";
import { publish, type PublishReport } from "../output/publish.ts";
import { hasErrors, sortProblems, type Problem } from "../problems.ts";
import { renderJson, reportProblems } from "../report/index.ts";
import { COMMON, flag, resolveNow, text, type Args, type Command, type OptionSpec } from "./args.ts";
import { EXIT, type Io } from "./io.ts";

/** The id-drift guard's flags, shared by build and check. */
export const GUARD_OPTIONS = {
  previous: { type: "string", value: "<file|url>", description: "compare ids with this published feed (Atom or JSON Feed) instead of the output folder's" },
  "accept-id-changes": { type: "boolean", description: "let changed article ids through (as warnings)" },
} as const satisfies Record<string, OptionSpec>;

export const buildCommand: Command = {
  name: "build",
  summary: "Markdown articles to RSS 2.0, Atom 1.0 and JSON Feed 1.1",
  positionals: { name: "", min: 0, max: 0 },
  options: { ...COMMON, ...GUARD_OPTIONS },
  run: runBuild,
};

export function buildOptions(args: Args, env: NodeJS.ProcessEnv): BuildOptions {
  const siteUrl = text(args, "site-url");
  return {
    contentDir: text(args, "content") ?? "content",
    outDir: text(args, "out") ?? "dist",
    ...(siteUrl === undefined ? {} : { siteUrl }),
    now: resolveNow(text(args, "now"), env),
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
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
    contentDir: options.contentDir,
    outDir: options.outDir,
    ...(previous === undefined ? {} : { previous }),
    accept: flag(args, "accept-id-changes"),
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
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
  const planned = await planBuild(options);
  const guard = guardFor(args, options);
  const guarded = planned.plan === undefined || guard === undefined ? [] : await guardIds(guard);
  const problems = sortProblems([...planned.problems, ...guarded]);
  if (planned.plan === undefined || hasErrors(problems)) return { ok: false, problems, plan: planned.plan, report: undefined };
  const report = await publish(options.outDir, planned.plan.files);
  return { ok: true, problems, plan: planned.plan, report };
}

/** The one-line summary of a successful build: scripts and tests read it, so it stays as it is. */
export function summaryLine(plan: Plan, report: PublishReport, ms: number): string {
  const { counts } = plan;
  return (
    `feedwright: ${counts.articles} articles read (${counts.drafts} drafts, ${counts.scheduled} scheduled), ` +
    `${counts.items} items per feed, ${report.changed.length} files written, ${report.unchanged} unchanged, ${ms} ms\n`
  );
}

export function failureLine(problems: readonly Problem[], outDir: string): string {
  const errors = problems.filter((p) => p.severity === "error").length;
  return `feedwright: ${errors} error${errors === 1 ? "" : "s"}; ${outDir}/ left as it was\n`;
}

export async function runBuild(args: Args, io: Io): Promise<number> {
  const started = performance.now();
  const options = buildOptions(args, io.env);
  const json = flag(args, "json");
  const outcome = await buildOnce(args, options);
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
