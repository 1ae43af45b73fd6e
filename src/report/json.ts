import type { Plan } from "../build.ts";
import type { Problem } from "../problems.ts";

export interface FeedSummary {
  /** Folder under the output folder: `""` for the site feed. */
  readonly folder: string;
  readonly files: readonly string[];
  readonly items: number;
}

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
    feeds: plan === undefined ? [] : feedSummaries(plan),
    counts: plan?.counts ?? null,
    ...extra,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One entry per feed folder, its item count read back from the JSON Feed it holds. */
export function feedSummaries(plan: Plan): FeedSummary[] {
  const folders = new Map<string, string[]>();
  for (const file of plan.files) {
    const cut = file.path.lastIndexOf("/") + 1;
    const folder = file.path.slice(0, cut);
    folders.set(folder, [...(folders.get(folder) ?? []), file.path]);
  }
  return [...folders].map(([folder, files]) => {
    const json = plan.files.find((f) => f.path === `${folder}feed.json`);
    let items = 0;
    if (json !== undefined) {
      const parsed = JSON.parse(json.content) as { items?: unknown[] };
      items = parsed.items?.length ?? 0;
    }
    return { folder, files, items };
  });
}
