/**
 * Issue 12's targets, evaluated on a bench run's results: pure, so a test can hand it a table.
 *
 * Which variant is held against which (docs/performance.md says why):
 * - against Hugo: feedwright doing Hugo's job (`formats: [rss]`, `archives: false`: the same
 *   feeds, items and bodies), cold against cold, nothing changed against Hugo run again, one
 *   edited against Hugo after the same edit. The full job's ratio is shown beside it, for reading,
 *   and beside a cold one the same job's single-threaded floor's (same-floor.mjs): where the floor
 *   itself is slower than Hugo, no build on that stack and one thread meets the target.
 * - the full job (three formats, archives) against its own single-threaded floor, and 10,000
 *   against 50,000 for growth; 100,000 for memory.
 */
import type { Results, Variant, VariantResult } from "./run.ts";

export interface Target {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
  readonly ratio?: number;
  readonly limit?: number;
}

const s = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);
const mib = (kib: number | undefined) => (kib === undefined ? "—" : `${Math.round(kib / 1024)} MiB`);
const n = (x: number) => x.toLocaleString("en-US");

function find(results: Results, size: number, variant: Variant): VariantResult | undefined {
  return results.sizes.find((x) => x.size === size)?.variants.find((v) => v.variant === variant);
}

/** Why a side has no number: failed (its first line), or not run. */
function missing(v: VariantResult | undefined, name: string): string {
  if (v === undefined) return `${name} not run`;
  if (v.error !== undefined) return `${name} failed: ${v.error.split("\n")[0]}`;
  return `${name} has no successful run`;
}

type Pick = (v: VariantResult) => number | undefined;
const wall: Pick = (v) => v.medianMs;
const peak: Pick = (v) => v.peakRssKiB;

/**
 * `a / b ≤ limit`. A failed numerator is a target not met; a missing denominator (Hugo absent,
 * size not run) leaves it unmeasured.
 */
function ratioTarget(
  target: string,
  a: VariantResult | undefined,
  aName: string,
  b: VariantResult | undefined,
  bName: string,
  limit: number,
  pick: Pick = wall,
  show: (x: number | undefined) => string = s,
  aside = "",
): Target {
  const x = a === undefined ? undefined : pick(a);
  const y = b === undefined ? undefined : pick(b);
  if (x === undefined || y === undefined) {
    const failedA = a?.error !== undefined;
    const why = a === undefined && b === undefined ? "not run" : [x === undefined ? missing(a, aName) : "", y === undefined ? missing(b, bName) : ""].filter((w) => w !== "").join("; ");
    return { target, measured: why + aside, met: failedA && y !== undefined ? false : undefined, limit };
  }
  const ratio = x / y;
  return { target, measured: `${ratio.toFixed(2)} × (${aName} ${show(x)}, ${bName} ${show(y)})${aside}`, met: ratio <= limit, ratio, limit };
}

/** Another variant's ratio to a Hugo variant, as an aside to the same job's: `; <name> r × (x)`. */
function aside(results: Results, size: number, name: string, other: Variant, hugo: Variant, pick: Pick = wall, show = s): string {
  const a = find(results, size, other);
  const b = find(results, size, hugo);
  const x = a === undefined ? undefined : pick(a);
  const y = b === undefined ? undefined : pick(b);
  return x === undefined || y === undefined ? "" : `; ${name} ${(x / y).toFixed(2)} × (${show(x)})`;
}

/** The full job's ratio to a Hugo variant, as an aside to the same job's. */
const fullAside = (results: Results, size: number, full: Variant, hugo: Variant, pick: Pick = wall, show = s): string => aside(results, size, "full job", full, hugo, pick, show);

export function evaluateTargets(results: Results): Target[] {
  const targets: Target[] = [];
  for (const size of [1000, 10_000, 50_000]) {
    targets.push(
      ratioTarget(`same job as Hugo, cold, ${n(size)} articles ≤ 1.0 × Hugo cold`, find(results, size, "same-cold"), "feedwright", find(results, size, "hugo-cold"), "Hugo", 1.0, wall, s, fullAside(results, size, "cold", "hugo-cold") + aside(results, size, "same-job floor", "same-floor", "hugo-cold")),
    );
  }
  targets.push(ratioTarget("full job, cold, 10,000 articles ≤ 0.5 × its single-threaded floor", find(results, 10_000, "cold"), "feedwright", find(results, 10_000, "job-floor"), "floor", 0.5));
  targets.push(ratioTarget("full job, cold, 10,000 → 50,000 articles grows ≤ 5.5 ×", find(results, 50_000, "cold"), "50,000", find(results, 10_000, "cold"), "10,000", 5.5));
  for (const size of [10_000, 50_000]) {
    targets.push(
      ratioTarget(`same job, nothing changed, ${n(size)} articles ≤ 0.25 × Hugo's`, find(results, size, "same-warm"), "feedwright", find(results, size, "hugo-warm"), "Hugo", 0.25, wall, s, fullAside(results, size, "warm", "hugo-warm")),
    );
  }
  for (const size of [10_000, 50_000]) {
    targets.push(
      ratioTarget(`same job, one edited, ${n(size)} articles ≤ 0.3 × Hugo's`, find(results, size, "same-changed"), "feedwright", find(results, size, "hugo-changed"), "Hugo", 0.3, wall, s, fullAside(results, size, "changed", "hugo-changed")),
    );
  }
  targets.push(
    ratioTarget("same job, cold, 10,000 articles: peak RSS ≤ Hugo's", find(results, 10_000, "same-cold"), "feedwright", find(results, 10_000, "hugo-cold"), "Hugo", 1.0, peak, mib, fullAside(results, 10_000, "cold", "hugo-cold", peak, mib)),
  );
  {
    const cold = find(results, 100_000, "cold");
    const rss = cold?.peakRssKiB;
    const last = cold?.runs.at(-1);
    targets.push({
      target: "full job, cold, 100,000 articles, default flags: peak RSS < 1 GiB",
      measured:
        cold === undefined
          ? "not run"
          : cold.error !== undefined
            ? `failed after ${s(last?.ms)} at ${mib(last?.rssKiB)}: ${cold.error.split("\n")[0]}`
            : `${mib(rss)} (completed in ${s(cold.medianMs)})`,
      met: cold === undefined ? undefined : cold.error === undefined && rss !== undefined && rss < 1024 * 1024,
      ...(rss === undefined ? {} : { ratio: rss / (1024 * 1024) }),
      limit: 1,
    });
  }
  {
    const checks = results.sizes.flatMap((x) => Object.entries(x.checks).filter(([k]) => k.startsWith("cold = ")).map(([k, v]) => [`${n(x.size)}: ${k}`, v] as const));
    const bad = checks.filter(([, v]) => v !== true);
    targets.push({
      target: "output byte-identical with and without the cache (the bench's own check)",
      measured: checks.length === 0 ? "not run" : bad.length === 0 ? `identical (${checks.map(([k]) => k).join("; ")})` : bad.map(([k, v]) => `${k}: ${String(v)}`).join("; "),
      met: checks.length === 0 ? undefined : bad.length === 0,
    });
  }
  return targets;
}
