import type { Plan } from "../pipeline/index.ts";
import { error, FeedwrightError, type Problem } from "../problems.ts";

export type FeedSummary = Plan["feeds"][number];

export interface JsonReport {
  readonly command: string;
  readonly ok: boolean;
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  readonly feeds: readonly FeedSummary[];
  readonly counts: Plan["counts"] | null;
  readonly [extra: string]: unknown;
}

/** The `--json` report: one JSON document on stdout, for scripts and other tools. */
export function renderJson(command: string, ok: boolean, problems: readonly Problem[], plan: Plan | undefined, extra: Record<string, unknown> = {}): string {
  const report: JsonReport = {
    command,
    ok,
    errors: problems.filter((p) => p.severity === "error"),
    warnings: problems.filter((p) => p.severity === "warning"),
    feeds: plan?.feeds ?? [],
    counts: plan?.counts ?? null,
    ...extra,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * A failure that was thrown rather than reported (a write that failed mid-publish, a usage
 * error) as problems, so `--json` still prints its one document.
 */
export function thrownProblems(e: unknown): readonly Problem[] {
  if (e instanceof FeedwrightError) return e.problems;
  return [error("feedwright", undefined, undefined, e instanceof Error ? e.message : String(e))];
}
