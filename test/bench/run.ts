/**
 * `npm run bench`: times feedwright beside Hugo, a naive baseline and three floors on generated
 * corpora, each run in its own child process, and prints medians, ratios, peak RSS and what each
 * run wrote, then issue 12's targets, met or not; writes the table as JSON, Markdown and an SVG
 * chart under test/bench/results/.
 *
 *   npm run bench -- [--sizes 1000,10000] [--full] [--runs N] [--variants cold,warm,...]
 *                    [--threads N] [--feedwright DIR] [--label TEXT] [--name latest] [--timeout SEC]
 *
 * Variants, per size:
 *   startup       `feedwright --version` from the checkout: Node + tsx start-up, for reference
 *   node          `node -e 0`: Node's own start-up, the floor for the next row
 *   package       `node_modules/.bin/feedwright --version` in a temporary project that installed
 *                 the `npm pack` tarball
 *   floor         read every file, sequentially, in plain node (test/bench/floor.mjs)
 *   job-floor     the full job's single-threaded floor: read, gray-matter, markdown-it for every
 *                 article, and the files and bytes the full cold build wrote (job-floor.mjs)
 *   same-floor    the same job's single-threaded floor: read and gray-matter every article,
 *                 markdown-it for the bodies a feed shows, and the files and bytes the same job's
 *                 cold build wrote (same-floor.mjs)
 *   naive         the naive baseline (test/bench/naive.ts)
 *   cold          feedwright build, the full job, fresh output folder, --no-cache
 *   warm          the same build again, nothing changed (after one untimed priming build)
 *   changed       the newest published article's body edited before each run
 *   same-*        cold / warm / changed, feedwright doing Hugo's job (formats: [rss], archives: false)
 *   hugo-*        cold / warm / changed, Hugo on the same articles, RSS only (same-job.ts);
 *                 skipped, saying so, where there is no `hugo`
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderChart, type ChartPanel } from "./chart.ts";
import { DEFAULT_NOW, DEFAULT_SEED, editVictim, ensureCorpus, restoreVictim, type Corpus, type CorpusMeta } from "./generate.ts";
import { compareFeeds, editSameJobVictim, ensureSameJob, feedItems, hugoVersion, restoreSameJobVictim, SAME_JOB_LIMIT } from "./same-job.ts";
import { evaluateTargets, type Target } from "./targets.ts";
import { install, pack } from "../helpers/package.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const HERE = import.meta.dirname;

export const VARIANTS = [
  "startup",
  "node",
  "package",
  "floor",
  "job-floor",
  "same-floor",
  "naive",
  "cold",
  "warm",
  "changed",
  "same-cold",
  "same-warm",
  "same-changed",
  "hugo-cold",
  "hugo-warm",
  "hugo-changed",
] as const;
export type Variant = (typeof VARIANTS)[number];

const LABELS: Record<Variant, string> = {
  startup: "feedwright --version",
  node: "node -e 0",
  package: "installed feedwright --version",
  floor: "read-only floor",
  "job-floor": "full-job floor, 1 thread",
  "same-floor": "same-job floor, 1 thread",
  naive: "naive baseline",
  cold: "feedwright full job, cold",
  warm: "feedwright full job, nothing changed",
  changed: "feedwright full job, one changed",
  "same-cold": "feedwright same job, cold",
  "same-warm": "feedwright same job, nothing changed",
  "same-changed": "feedwright same job, one changed",
  "hugo-cold": "Hugo, cold",
  "hugo-warm": "Hugo, nothing changed",
  "hugo-changed": "Hugo, one changed",
};

const COLORS: Record<Variant, string> = {
  startup: "#b0b0b0",
  node: "#d0d0d0",
  package: "#8c564b",
  floor: "#7f7f7f",
  "job-floor": "#5f5f5f",
  "same-floor": "#9e9e9e",
  naive: "#d62728",
  cold: "#1f77b4",
  warm: "#2ca02c",
  changed: "#9467bd",
  "same-cold": "#6baed6",
  "same-warm": "#74c476",
  "same-changed": "#b5a3d3",
  "hugo-cold": "#ff7f0e",
  "hugo-warm": "#ffbb78",
  "hugo-changed": "#e6a15c",
};

/** The Hugo variant each feedwright variant is held against, for the "× Hugo" column. */
const HUGO_PAIR: Partial<Record<Variant, Variant>> = {
  cold: "hugo-cold",
  warm: "hugo-warm",
  changed: "hugo-changed",
  "same-cold": "hugo-cold",
  "same-warm": "hugo-warm",
  "same-changed": "hugo-changed",
};

// ---------------------------------------------------------------------------------------------
// Options.

interface Options {
  readonly sizes: readonly number[];
  readonly runs: number | undefined;
  readonly seed: number;
  readonly now: string;
  readonly variants: readonly Variant[];
  readonly feedwright: string;
  readonly label: string | undefined;
  readonly threads: string | undefined;
  /** Which feedwright the builds run: the installed package (compiled, plain node) or the checkout (src/ through tsx). */
  readonly from: "package" | "checkout";
  readonly name: string;
  readonly resultsDir: string;
  readonly timeoutMs: number;
  readonly keep: boolean;
  /** The Hugo to run beside feedwright. */
  readonly hugo: string;
  /** Re-render these results files (merged, first wins per size) instead of running. */
  readonly render: readonly string[] | undefined;
}

const USAGE = `usage: npm run bench -- [options]

  --sizes 1000,10000    corpus sizes (default 1000,10000; --full adds 100000)
  --full                also 100,000 articles
  --runs N              runs per variant (default 5 at 1,000, 3 at 10,000, 1 above)
  --variants LIST       any of ${VARIANTS.join(",")} (default all)
  --seed N              corpus seed (default ${DEFAULT_SEED})
  --threads N           passed to feedwright build as --threads N when it has that flag
  --feedwright DIR      the feedwright checkout to time (default this one)
  --label TEXT          a name for that checkout in the results (default its git commit)
  --name NAME           results file names: test/bench/results/NAME.{json,md,svg} (default latest)
  --timeout SEC         per child process (default 1800)
  --keep                keep the output folders (printed at the end)
  --from package|checkout
                        builds run the package as users install it (npm pack, compiled lib/,
                        plain node; default) or the checkout's src/ through tsx
  --hugo PATH           the hugo to run (default: hugo on PATH; its rows are skipped without one)
  --render A,B          no run: redraw results/A.json, adding the sizes only B.json has,
                        and write them as NAME (e.g. a separate 100,000 run into latest)
`;

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string" },
      full: { type: "boolean", default: false },
      runs: { type: "string" },
      variants: { type: "string" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      now: { type: "string", default: DEFAULT_NOW },
      threads: { type: "string" },
      from: { type: "string", default: "package" },
      feedwright: { type: "string", default: ROOT },
      label: { type: "string" },
      name: { type: "string", default: "latest" },
      timeout: { type: "string", default: "1800" },
      keep: { type: "boolean", default: false },
      hugo: { type: "string", default: "hugo" },
      render: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const fail = (message: string): never => {
    process.stderr.write(`bench: ${message}\n${USAGE}`);
    process.exit(2);
  };
  const whole = (text: string, what: string): number => {
    const n = Number(text.replace(/[_,]/g, ""));
    if (!Number.isInteger(n) || n < 1) fail(`${what}: expected a whole number above 0 (got ${JSON.stringify(text)})`);
    return n;
  };
  const sizes = (values.sizes ?? "1000,10000").split(/[\s,]+/).filter((s) => s !== "").map((s) => whole(s, "--sizes"));
  if (values.full && !sizes.includes(100_000)) sizes.push(100_000);
  const variants = (values.variants ?? VARIANTS.join(",")).split(",").map((v) => v.trim());
  for (const v of variants) if (!(VARIANTS as readonly string[]).includes(v)) fail(`--variants: unknown ${JSON.stringify(v)}; use ${VARIANTS.join(", ")}`);
  if (!/^[\w.-]+$/.test(values.name)) fail(`--name: letters, digits, ".", "-" and "_" only`);
  // --threads 0 is feedwright's "everything on the main thread".
  if (values.threads !== undefined && values.threads !== "0") whole(values.threads, "--threads");
  if (values.from !== "package" && values.from !== "checkout") fail(`--from: package or checkout (got ${JSON.stringify(values.from)})`);
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    runs: values.runs === undefined ? undefined : whole(values.runs, "--runs"),
    seed: whole(values.seed, "--seed"),
    now: values.now,
    variants: VARIANTS.filter((v) => variants.includes(v)),
    feedwright: resolve(values.feedwright),
    label: values.label,
    threads: values.threads,
    from: values.from as "package" | "checkout",
    name: values.name,
    resultsDir: join(HERE, "results"),
    timeoutMs: whole(values.timeout, "--timeout") * 1000,
    keep: values.keep,
    hugo: values.hugo,
    render: values.render?.split(",").map((n) => n.trim()),
  };
}

const defaultRuns = (size: number) => (size <= 1000 ? 5 : size <= 10_000 ? 3 : 1);

// ---------------------------------------------------------------------------------------------
// Child processes: wall time measured here, peak RSS and CPU by GNU time (or a preloaded hook).

export interface RunRecord {
  readonly ms: number;
  readonly cpuMs: number | undefined;
  readonly rssKiB: number | undefined;
  readonly ok: boolean;
  readonly exit: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** The child's last stdout line (feedwright's summary). */
  readonly summary: string;
  readonly stderrTail: string;
}

type Meter = { kind: "gnu-time" } | { kind: "hook"; hook: string };

function findMeter(): Meter {
  const probe = join(tmpdir(), `feedwright-bench-time-${process.pid}`);
  const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S", "-o", probe, process.execPath, "-e", ""], { encoding: "utf8" });
  const ok = r.status === 0 && existsSync(probe) && /^\d+ [\d.]+ [\d.]+\s*$/.test(readFileSync(probe, "utf8").split("\n").filter((l) => l !== "").pop() ?? "");
  rmSync(probe, { force: true });
  return ok ? { kind: "gnu-time" } : { kind: "hook", hook: new URL("./rss-hook.mjs", import.meta.url).href };
}

/** The line of a failed child's stderr that says what happened, then its last lines. */
export function failure(run: RunRecord, timeoutMs: number): string {
  const status = run.timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit ${run.exit}${run.signal === null ? "" : ` (${run.signal})`}`;
  const lines = run.stderrTail.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const said =
    lines.find((l) => l.startsWith("FATAL ERROR:")) ??
    lines.find((l) => /\b(EMFILE|ENFILE|ENOMEM|ENOSPC|Maximum call stack size exceeded|heap out of memory)\b/.test(l)) ??
    lines.find((l) => /^(\w*Error|feedwright:)/.test(l)) ??
    lines.at(-1) ??
    "";
  return `${status}: ${said}\n${lines.slice(-12).join("\n")}`;
}

const tail = (text: string, max = 4000) => (text.length > max ? `…${text.slice(-max)}` : text);

/**
 * Runs `node args…` (or `exe args…`) in `cwd`. feedwright keeps its cache in
 * `<cwd>/node_modules/.cache` when `<cwd>/node_modules` exists, else under $XDG_CACHE_HOME: both
 * point into `cwd`, the run's own work folder, so no cache outlives the bench or leaks between
 * sizes or jobs. Without GNU time, only node children report their peak RSS (through the hook).
 */
function timeChild(meter: Meter, nodeArgs: readonly string[], cwd: string, timeoutMs: number, exe?: string): Promise<RunRecord> {
  const usageFile = join(tmpdir(), `feedwright-bench-usage-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const env: NodeJS.ProcessEnv = { ...process.env, FEEDWRIGHT_BENCH_USAGE: usageFile, XDG_CACHE_HOME: join(cwd, "xdg-cache") };
  delete env.NODE_OPTIONS;
  // A bin run by its `#!/usr/bin/env node` line finds this node first.
  env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ""}`;
  const [command, args] =
    meter.kind === "gnu-time"
      ? ["/usr/bin/time", ["-f", "%M %U %S", "-o", usageFile, exe ?? process.execPath, ...nodeArgs]]
      : exe !== undefined
        ? [exe, [...nodeArgs]]
        : [process.execPath, ["--import", meter.hook, ...nodeArgs]];
  return new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout = tail(stdout + d, 65536)));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = tail(stderr + d, 65536)));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL"); // the group we started: time and its node
        } catch {
          child.kill("SIGKILL");
        }
      }
    }, timeoutMs);
    child.on("close", (exit, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      let rssKiB: number | undefined;
      let cpuMs: number | undefined;
      if (existsSync(usageFile)) {
        // GNU time prefixes "Command exited with non-zero status N" on failure: take the last line.
        const line = readFileSync(usageFile, "utf8").split("\n").filter((l) => l.trim() !== "").pop() ?? "";
        const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(line.trim());
        if (m !== null) {
          rssKiB = Number(m[1]);
          cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
        }
        rmSync(usageFile, { force: true });
      }
      // GNU time reports the child's signal as its own exit code 128+N.
      const killed = signal ?? (exit !== null && exit > 128 && meter.kind === "gnu-time" && /Command terminated by signal/.test(stderr) ? `signal ${exit - 128}` : null);
      done({
        ms,
        cpuMs,
        rssKiB,
        ok: exit === 0 && !timedOut,
        exit,
        signal: killed,
        timedOut,
        summary: stdout.trim().split("\n").pop() ?? "",
        stderrTail: tail(stderr.replace(/^Command (exited with non-zero status|terminated by signal) \d+\n?/m, "")),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Output folders.

/** sha256 over every file's path and bytes, in sorted path order. */
export function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const entries = (() => {
        try {
          return readdirSync(full);
        } catch {
          return undefined;
        }
      })();
      if (entries !== undefined) walk(full);
      else hash.update(relative(dir, full)).update("\0").update(readFileSync(full)).update("\0");
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/** Files and bytes under `dir`. */
export function treeSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        files += 1;
        bytes += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** Each file under `dir` by path, as (inode, mtime in ns, size): what a write changes. */
export function outputState(dir: string): Map<string, string> {
  const state = new Map<string, string>();
  if (!existsSync(dir)) return state;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const st = statSync(full, { bigint: true });
        state.set(relative(dir, full), `${st.ino}:${st.mtimeNs}:${st.size}`);
      }
    }
  };
  walk(dir);
  return state;
}

/** Files and bytes a run wrote: those new or changed between two states of its output folder. */
export function writtenBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const [path, key] of after) {
    if (before.get(path) === key) continue;
    files += 1;
    bytes += Number(key.slice(key.lastIndexOf(":") + 1));
  }
  return { files, bytes };
}

// ---------------------------------------------------------------------------------------------
// Results.

export interface VariantResult {
  readonly variant: Variant;
  readonly label: string;
  readonly command: readonly string[];
  readonly runs: RunRecord[];
  medianMs?: number;
  minMs?: number;
  medianCpuMs?: number;
  peakRssKiB?: number;
  xNaive?: number;
  xFloor?: number;
  /** Why it stopped: the failing run's exit and its last lines of stderr. */
  error?: string;
  /** What the first successful run wrote (naive and cold). */
  output?: { files: number; bytes: number };
  /** Files and bytes the first successful run wrote (new or changed in its output folder). */
  written?: { files: number; bytes: number };
  xHugo?: number;
}

export interface SizeResult {
  readonly size: number;
  readonly corpus: CorpusMeta & { readonly dir: string; readonly reusedFromCache: boolean };
  readonly variants: VariantResult[];
  readonly loadavg: { before: number[]; after?: number[] };
  /** Byte-identical output of the cold build and the cached builds, when both ran. */
  readonly checks: Record<string, boolean | string>;
}


export interface Results {
  readonly when: string;
  readonly machine: { cpus: number; model: string; memoryGiB: number; node: string; platform: string; meter: string };
  readonly feedwright: { dir: string; label: string; flags: { noCache: boolean; threads: boolean; cacheDir: boolean }; threads: string | undefined; from?: string };
  /** `hugo version`, or why its rows were skipped. */
  readonly hugo?: { version: string | undefined; skipped?: string };
  /** How the `package` row's install was made. */
  package?: string;
  readonly seed: number;
  readonly now: string;
  readonly sizes: SizeResult[];
  targets: Target[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function summarise(v: VariantResult): void {
  const ok = v.runs.filter((r) => r.ok);
  if (ok.length === 0) return;
  v.medianMs = median(ok.map((r) => r.ms));
  v.minMs = Math.min(...ok.map((r) => r.ms));
  const cpu = ok.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  if (cpu.length > 0) v.medianCpuMs = median(cpu);
  const rss = ok.map((r) => r.rssKiB).filter((x): x is number => x !== undefined);
  if (rss.length > 0) v.peakRssKiB = Math.max(...rss);
}

// ---------------------------------------------------------------------------------------------
// Printing.

const secs = (ms: number | undefined) => (ms === undefined ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
const mib = (kib: number | undefined) => (kib === undefined ? "—" : `${Math.round(kib / 1024)} MiB`);
const ratio = (x: number | undefined) => (x === undefined ? "—" : `${x.toFixed(2)} ×`);
const thousands = (n: number) => n.toLocaleString("en-US");

const written = (w: { files: number; bytes: number } | undefined) => (w === undefined ? ["—", "—"] : [thousands(w.files), `${(w.bytes / 2 ** 20).toFixed(1)} MiB`]);

function rows(results: Results): string[][] {
  const out: string[][] = [];
  for (const size of results.sizes) {
    for (const v of size.variants) {
      const ok = v.runs.filter((r) => r.ok).length;
      const failed = v.runs.find((r) => !r.ok);
      out.push([
        thousands(size.size),
        v.label,
        v.error === undefined ? `${ok}` : `${ok}/${v.runs.length}`,
        failed === undefined ? secs(v.medianMs) : `failed after ${secs(failed.ms)}`,
        secs(v.minMs),
        secs(v.medianCpuMs ?? failed?.cpuMs),
        ratio(v.xHugo),
        ratio(v.xNaive),
        ratio(v.xFloor),
        failed === undefined ? mib(v.peakRssKiB) : `${mib(failed.rssKiB)} at failure`,
        ...written(v.written ?? v.output),
        v.error === undefined ? "" : v.error.split("\n")[0]!.slice(0, 100),
      ]);
    }
  }
  return out;
}

const HEAD = ["articles", "variant", "runs", "median wall", "min", "median CPU", "× Hugo", "× naive", "× floor", "peak RSS", "files written", "bytes written", "failure"];
const FAILURE = HEAD.length - 1;

function textTable(results: Results): string {
  const all = rows(results);
  const failures = all.some((r) => r[FAILURE] !== "");
  const table = [HEAD, ...all].map((r) => (failures ? r : r.slice(0, FAILURE)));
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table
    .map((r, n) => {
      const line = r.map((c, i) => (i >= 2 && i < FAILURE ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
      return n === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

/** One line per size: the corpus, the load, and the checks (cache byte-identity, Hugo's feeds). */
function sizeNotes(results: Results): string[] {
  return results.sizes.map((x) => {
    const from = (x as SizeResult & { from?: string }).from;
    const load = `load average ${x.loadavg.before[0]} before, ${x.loadavg.after?.[0] ?? "?"} after`;
    const checks = Object.entries(x.checks).map(([k, v]) => `${k}: ${v === true ? "yes" : v === false ? "no" : v}`);
    return `- ${thousands(x.size)} articles: ${(x.corpus.bytes / 2 ** 20).toFixed(0)} MiB of Markdown, ${x.corpus.drafts} drafts, ${x.corpus.future} dated after --now, ${x.corpus.large} of ~100 KB; ${load}${checks.length === 0 ? "" : `; ${checks.join("; ")}`}${from === undefined ? "" : `; from ${from}`}`;
  });
}

function markdown(results: Results): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const all = rows(results);
  const failures = all.some((r) => r[FAILURE] !== "");
  const head = failures ? HEAD : HEAD.slice(0, FAILURE);
  const lines = [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i < 2 || i === FAILURE ? "---" : "---:")).join(" | ")} |`,
    ...all.map((r) => `| ${(failures ? r : r.slice(0, FAILURE)).map(esc).join(" | ")} |`),
  ];
  const m = results.machine;
  const t = results.targets.map((x) => `| ${esc(x.target)} | ${esc(x.measured)} | ${x.met === undefined ? "not measured" : x.met ? "met" : "**not met**"} |`);
  const hugo = results.hugo === undefined ? [] : [`Hugo: ${results.hugo.version ?? "none"}${results.hugo.skipped === undefined ? "" : ` (${results.hugo.skipped})`}`, ""];
  return [
    `feedwright ${results.feedwright.label}${results.feedwright.from === undefined ? "" : `, builds run from ${results.feedwright.from}`}; ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}; seed ${results.seed}; ${results.when}`,
    "",
    ...hugo,
    ...lines,
    "",
    ...sizeNotes(results),
    "",
    "| target (issue 12) | measured | |",
    "| --- | --- | --- |",
    ...t,
    "",
  ].join("\n");
}

function chart(results: Results): string {
  const panels: ChartPanel[] = results.sizes.map((size) => ({
    title: `${thousands(size.size)} articles (${(size.corpus.bytes / 1024 / 1024).toFixed(0)} MiB of Markdown)`,
    bars: size.variants.map((v) => ({
      label: v.label,
      seconds: v.medianMs === undefined ? undefined : v.medianMs / 1000,
      cpuSeconds: v.medianCpuMs === undefined ? undefined : v.medianCpuMs / 1000,
      note: v.error !== undefined ? `failed after ${secs(v.runs.at(-1)?.ms)} at ${mib(v.runs.at(-1)?.rssKiB)}: ${v.error.split("\n")[0]!.replace(/^exit \d+: (FATAL ERROR: )?/, "").slice(0, 40)}` : [v.xHugo !== undefined ? `${v.xHugo.toFixed(2)} × Hugo` : v.xNaive === undefined || v.variant === "naive" ? "" : `${v.xNaive.toFixed(2)} × naive`, v.peakRssKiB === undefined ? "" : mib(v.peakRssKiB)].filter((x) => x !== "").join(" · "),
      color: COLORS[v.variant],
    })),
  }));
  const m = results.machine;
  return renderChart(
    "feedwright benchmark: median wall time per build",
    `feedwright ${results.feedwright.label} · ${m.cpus} × ${m.model} · Node ${m.node} · seed ${results.seed} · ${results.when.slice(0, 10)}`,
    panels,
    "bar: median wall time, child process start to exit · black tick: median CPU time (user + system)",
  );
}

// ---------------------------------------------------------------------------------------------
// The run.

function gitLabel(dir: string): string {
  const rev = spawnSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  if (rev.status !== 0) return relative(ROOT, dir) === "" ? "(this checkout)" : dir;
  const dirty = spawnSync("git", ["-C", dir, "status", "--porcelain", "--", "src", "bin", "package.json"], { encoding: "utf8" });
  return `${rev.stdout.trim()}${dirty.stdout.trim() === "" ? "" : " + uncommitted changes"}`;
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function render(o: Options, names: readonly string[]): void {
  const load = (name: string) => JSON.parse(readFileSync(join(o.resultsDir, `${name}.json`), "utf8")) as Results & { merged?: string[] };
  const results = load(names[0]!);
  for (const name of names.slice(1)) {
    const other = load(name);
    for (const size of other.sizes) {
      if (results.sizes.some((x) => x.size === size.size)) continue;
      results.sizes.push({ ...size, from: `${name}.json: feedwright ${other.feedwright.label}, ${other.when}` } as SizeResult);
    }
  }
  results.sizes.sort((a, b) => a.size - b.size);
  for (const size of results.sizes) {
    for (const v of size.variants) {
      const last = v.runs.at(-1);
      if (v.error !== undefined && last !== undefined && !last.ok) v.error = failure(last, last.ms);
    }
  }
  results.targets = evaluateTargets(results);
  writeResults(o, results);
  printResults(o, results);
}

function printResults(o: Options, results: Results): void {
  process.stdout.write(`\n${textTable(results)}\n\n${sizeNotes(results).join("\n")}\n\n`);
  if (results.hugo?.skipped !== undefined) process.stdout.write(`Hugo: ${results.hugo.skipped}\n\n`);
  for (const t of results.targets) process.stdout.write(`${t.met === undefined ? "  ·" : t.met ? "  ✓" : "  ✗"} ${t.target}: ${t.measured}\n`);
  const shown = (p: string) => relative(process.cwd(), p) || p;
  process.stdout.write(`\nwrote ${shown(join(o.resultsDir, `${o.name}.json`))}, ${shown(join(o.resultsDir, `${o.name}.md`))} and ${shown(join(o.resultsDir, `${o.name}.svg`))}\n`);
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  if (o.render !== undefined) return render(o, o.render);
  const bin = join(o.feedwright, "bin/feedwright.js");
  if (!existsSync(bin)) throw new Error(`no feedwright at ${bin}`);
  const help = spawnSync(process.execPath, [bin, "build", "--help"], { encoding: "utf8" });
  if (help.status !== 0) throw new Error(`feedwright build --help failed (exit ${help.status}):\n${tail(help.stderr, 2000)}`);
  const flags = { noCache: /--no-cache\b/.test(help.stdout), threads: /--threads\b/.test(help.stdout), cacheDir: /--cache-dir\b/.test(help.stdout) };
  if (o.threads !== undefined && !flags.threads) log(`bench: this feedwright has no --threads flag; --threads ${o.threads} ignored`);
  const meter = findMeter();
  const tsx = import.meta.resolve("tsx");
  const wantsHugo = o.variants.some((v) => v.startsWith("hugo-"));
  const hugo = wantsHugo ? hugoVersion(o.hugo) : undefined;
  const variants = wantsHugo && hugo === undefined ? o.variants.filter((v) => !v.startsWith("hugo-")) : o.variants;
  const results: Results = {
    when: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown",
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
      meter: meter.kind === "gnu-time" ? "/usr/bin/time -f %M (peak RSS of the child)" : "process.resourceUsage().maxRSS in the child",
    },
    feedwright: { dir: o.feedwright, label: o.label ?? gitLabel(o.feedwright), flags, threads: flags.threads ? o.threads : undefined },
    ...(wantsHugo ? { hugo: { version: hugo, ...(hugo === undefined ? { skipped: `no ${o.hugo} on PATH: the Hugo rows are skipped` } : {}) } } : {}),
    seed: o.seed,
    now: o.now,
    sizes: [],
    targets: [],
  };
  log(`bench: feedwright ${results.feedwright.label} at ${o.feedwright}; flags: ${Object.entries(flags).filter(([, v]) => v).map(([k]) => k).join(", ") || "none of --no-cache/--threads/--cache-dir"}`);
  if (wantsHugo) log(hugo === undefined ? `bench: no ${o.hugo} on PATH: the Hugo rows are skipped` : `bench: ${hugo}`);
  const workBase = mkdtempSync(join(tmpdir(), "feedwright-bench-work-"));
  mkdirSync(o.resultsDir, { recursive: true });
  const has = (v: Variant) => variants.includes(v);
  const installDirs: string[] = [];
  const installed = has("package") || o.from === "package" ? installedPackage(o.feedwright, installDirs) : undefined;
  if (installed !== undefined) {
    results.package = "error" in installed ? installed.error : installed.method;
    log(`bench: installed feedwright: ${results.package}`);
  }
  const installedBin = installed !== undefined && "bin" in installed ? installed.bin : undefined;
  if (o.from === "package" && installedBin === undefined) throw new Error(`--from package: ${results.package ?? "not installed"} (use --from checkout to run src/ through tsx)`);
  // The builds run the bin's script with the bench's node: the installed package's has no src/, so it runs lib/.
  const buildBin = o.from === "package" ? join(dirname(dirname(installedBin!)), "feedwright", "bin", "feedwright.js") : bin;
  results.feedwright.from = o.from === "package" ? `the installed package (${buildBin}: compiled lib/, plain node)` : `the checkout (${bin}: src/ through tsx)`;
  log(`bench: builds run ${results.feedwright.from}`);

  const buildArgs = (content: string, out: string, cache: "off" | "on", cacheDir: string): string[] => [
    buildBin,
    "build",
    "--content",
    content,
    "--out",
    out,
    "--now",
    o.now,
    ...(cache === "off" && flags.noCache ? ["--no-cache"] : []),
    ...(cache === "on" && flags.cacheDir ? ["--cache-dir", cacheDir] : []),
    ...(flags.threads && o.threads !== undefined ? ["--threads", o.threads] : []),
  ];

  try {
    for (const size of o.sizes) {
      const runs = o.runs ?? defaultRuns(size);
      const started = performance.now();
      const corpus = ensureCorpus({ size, seed: o.seed, now: o.now, onProgress: (d, n) => log(`bench: generating ${thousands(d)}/${thousands(n)}`) });
      log(`bench: ${thousands(size)} articles: ${corpus.cached ? "cached corpus" : `generated in ${secs(performance.now() - started)}`} at ${corpus.content}`);
      const needsJob = variants.some((v) => v.startsWith("same-") || v.startsWith("hugo-"));
      const job = needsJob ? ensureSameJob(corpus) : undefined;
      if (job !== undefined) {
        const a = job.adapted;
        log(`bench: same job at ${join(corpus.root, "same-job")}; Hugo's copy adapts ${a.dates} dates "YYYY-MM-DD HH:MM", ${a.tags} tag strings, ${a.future} articles dated after --now (made drafts)`);
      }
      // Each job builds in its own folder, so their caches (<cwd>/node_modules/.cache) stay apart.
      const work = join(workBase, String(size));
      const sameWork = join(work, "same");
      mkdirSync(join(work, "node_modules"), { recursive: true });
      mkdirSync(join(sameWork, "node_modules"), { recursive: true });
      const cacheDir = join(work, "cache");
      const result: SizeResult = {
        size,
        corpus: { ...corpus.meta, dir: corpus.content, reusedFromCache: corpus.cached },
        variants: [],
        loadavg: { before: loadavg().map((x) => Math.round(x * 100) / 100) },
        checks: {},
      };
      if (job !== undefined) (result.corpus as { hugoAdapted?: unknown }).hugoAdapted = job.adapted;
      results.sizes.push(result);
      const made = new Map<Variant, VariantResult>();
      const variant = (v: Variant, command: readonly string[]): VariantResult | undefined => {
        if (!has(v)) return undefined;
        const r: VariantResult = { variant: v, label: LABELS[v], command: command.map((a) => a.replaceAll(workBase, "$WORK")), runs: [] };
        made.set(v, r);
        return r;
      };
      const timed = async (r: VariantResult | undefined, args: readonly string[], i: number, n: number, cwd = work, exe?: string): Promise<RunRecord | undefined> => {
        if (r === undefined || r.error !== undefined) return undefined;
        const run = await timeChild(meter, args, cwd, o.timeoutMs, exe);
        r.runs.push(run);
        log(`bench: ${thousands(size)} ${r.variant} ${i}/${n}: ${secs(run.ms)}, ${mib(run.rssKiB)}${run.ok ? "" : ` FAILED (exit ${run.exit}${run.signal === null ? "" : `, ${run.signal}`}${run.timedOut ? ", timed out" : ""})`}${run.summary === "" ? "" : `  | ${run.summary}`}`);
        if (!run.ok) {
          r.error = failure(run, o.timeoutMs);
          return undefined;
        }
        return run;
      };

      // Warm the page cache so the first timed variant does not pay for the disk.
      await timeChild(meter, [join(HERE, "floor.mjs"), corpus.content], work, o.timeoutMs);
      if (job !== undefined) await timeChild(meter, [join(HERE, "floor.mjs"), job.hugoContent], work, o.timeoutMs);

      const out = (name: string, i: number) => join(work, `${name}-${i}`);
      const hugoCache = join(work, "hugo-cache");
      const hugoArgs = (dest: string) => (job === undefined ? [] : ["--source", job.hugoSite, "--destination", dest, "--cacheDir", hugoCache]);
      const jobFloorArgs = (i: number, w: { files: number; bytes: number } | undefined) => [join(HERE, "job-floor.mjs"), corpus.content, out("job-floor", i), String(w?.files ?? "FILES"), String(w?.bytes ?? "BYTES")];
      const sameFloorArgs = (i: number, w: { files: number; bytes: number } | undefined) => [join(HERE, "same-floor.mjs"), job?.content ?? "", out("same-floor", i), String(w?.files ?? "FILES"), String(w?.bytes ?? "BYTES"), String(SAME_JOB_LIMIT), o.now];

      // Every row in VARIANTS order, made before anything runs.
      const startup = variant("startup", [bin, "--version"]);
      const nodeOnly = variant("node", ["-e", "0"]);
      const packaged = variant("package", [installedBin ?? "node_modules/.bin/feedwright", "--version"]);
      if (packaged !== undefined && installedBin === undefined) packaged.error = results.package ?? "not installed";
      const floor = variant("floor", [join(HERE, "floor.mjs"), corpus.content]);
      const jobFloor = variant("job-floor", jobFloorArgs(0, undefined));
      const sameFloor = job === undefined ? undefined : variant("same-floor", sameFloorArgs(0, undefined));
      const naiveArgs = (i: number) => ["--import", tsx, join(HERE, "naive.ts"), "--content", corpus.content, "--out", out("naive", i), "--now", o.now];
      const naive = variant("naive", naiveArgs(0));
      const cold = variant("cold", buildArgs(corpus.content, out("cold", 0), "off", cacheDir));
      const cachedOut = join(work, "cached");
      const warm = variant("warm", buildArgs(corpus.content, cachedOut, "on", cacheDir));
      const changed = variant("changed", buildArgs(corpus.content, cachedOut, "on", cacheDir));
      const sameCold = job === undefined ? undefined : variant("same-cold", buildArgs(job.content, out("same-cold", 0), "off", cacheDir));
      const sameCached = join(sameWork, "cached");
      const sameWarm = job === undefined ? undefined : variant("same-warm", buildArgs(job.content, sameCached, "on", cacheDir));
      const sameChanged = job === undefined ? undefined : variant("same-changed", buildArgs(job.content, sameCached, "on", cacheDir));
      const hugoCold = job === undefined ? undefined : variant("hugo-cold", [o.hugo, ...hugoArgs(out("hugo-cold", 0))]);
      const hugoCached = join(work, "hugo-cached");
      const hugoWarm = job === undefined ? undefined : variant("hugo-warm", [o.hugo, ...hugoArgs(hugoCached)]);
      const hugoChanged = job === undefined ? undefined : variant("hugo-changed", [o.hugo, ...hugoArgs(hugoCached)]);
      result.variants.push(...VARIANTS.flatMap((v) => made.get(v) ?? []));

      let coldHash: string | undefined;
      let sameHash: string | undefined;
      let sameFirst: string | undefined;
      let hugoFirst: string | undefined;
      let hugoStderr = "";
      /** A cold run into a fresh folder: what it wrote is the folder; kept when `keep` says so. */
      const coldRun = async (r: VariantResult | undefined, args: readonly string[], dest: string, i: number, cwd = work, exe?: string): Promise<boolean> => {
        const run = await timed(r, args, i, runs, cwd, exe);
        if (run !== undefined && r!.written === undefined) r!.written = treeSize(dest);
        return run !== undefined;
      };

      /**
       * A floor's run, sized by what a cold build wrote (without that, it has nothing to match):
       * the first run checks it wrote the same files and bytes, and records its command.
       */
      const floorRun = async (floorR: VariantResult | undefined, argsOf: (i: number, w: { files: number; bytes: number } | undefined) => string[], build: VariantResult | undefined, name: string, needs: string, built: string, i: number): Promise<void> => {
        if (floorR === undefined || floorR.error !== undefined) return;
        const w = build?.written;
        if (w === undefined) {
          floorR.error = `needs ${needs} to have run: it writes what that build wrote`;
          return;
        }
        const dest = out(floorR.variant, i);
        const ok = await coldRun(floorR, argsOf(i, w), dest, i);
        if (ok && i === 1) result.checks[`${name} wrote what ${built} wrote`] = (floorR.written?.files === w.files && floorR.written.bytes === w.bytes) || `floor ${floorR.written?.files} files, ${floorR.written?.bytes} bytes; build ${w.files}, ${w.bytes}`;
        if (i === 1) (floorR as { command: readonly string[] }).command = argsOf(i, w).map((a) => a.replaceAll(workBase, "$WORK"));
        rmSync(dest, { recursive: true, force: true });
      };

      // Interleaved, so drift in the machine's load touches every variant alike.
      for (let i = 1; i <= runs; i++) {
        await timed(startup, [bin, "--version"], i, runs);
        await timed(nodeOnly, ["-e", "0"], i, runs);
        if (installedBin !== undefined) await timed(packaged, ["--version"], i, runs, work, installedBin);
        await timed(floor, [join(HERE, "floor.mjs"), corpus.content], i, runs);
        if (naive !== undefined) {
          await coldRun(naive, naiveArgs(i), out("naive", i), i);
          if (naive.output === undefined && naive.written !== undefined) naive.output = naive.written;
          if (!o.keep) rmSync(out("naive", i), { recursive: true, force: true });
        }
        if (cold !== undefined) {
          const ok = await coldRun(cold, buildArgs(corpus.content, out("cold", i), "off", cacheDir), out("cold", i), i);
          if (ok && cold.output === undefined) cold.output = cold.written;
          if (ok && coldHash === undefined && (warm !== undefined || changed !== undefined)) coldHash = hashTree(out("cold", i));
          if (!o.keep) rmSync(out("cold", i), { recursive: true, force: true });
        }
        await floorRun(jobFloor, jobFloorArgs, cold, "full-job floor", "the full job's cold build (variant cold)", "the full cold build", i);
        if (sameCold !== undefined && job !== undefined) {
          const dest = out("same-cold", i);
          const ok = await coldRun(sameCold, buildArgs(job.content, dest, "off", cacheDir), dest, i, sameWork);
          if (ok && sameFirst === undefined) {
            sameFirst = dest;
            if (sameWarm !== undefined || sameChanged !== undefined) sameHash = hashTree(dest);
          } else if (!o.keep) rmSync(dest, { recursive: true, force: true });
        }
        await floorRun(sameFloor, sameFloorArgs, sameCold, "same-job floor", "the same job's cold build (variant same-cold)", "the same-job cold build", i);
        if (hugoCold !== undefined) {
          const dest = out("hugo-cold", i);
          const ok = await coldRun(hugoCold, hugoArgs(dest), dest, i, work, o.hugo);
          if (ok && hugoFirst === undefined) {
            hugoFirst = dest;
            hugoStderr = hugoCold.runs.at(-1)?.stderrTail ?? "";
          } else if (!o.keep) rmSync(dest, { recursive: true, force: true });
        }
      }

      // Hugo's output, checked: no warnings, and the same articles in each feed as feedwright's same job.
      if (hugoFirst !== undefined) {
        const said = hugoStderr.split("\n").filter((l) => /^(WARN|ERROR)\b/.test(l.trim()));
        result.checks["Hugo warnings or errors"] = said.length === 0 ? "none" : `${said.length}: ${said[0]!.slice(0, 160)}`;
        const hugoFeeds = feedItems(hugoFirst, "index.xml");
        const counts = [...hugoFeeds.values()].map((p) => p.length);
        result.checks["Hugo feeds"] = `${hugoFeeds.size} feeds, ${counts.reduce((a, b) => a + b, 0)} items, ${Math.min(...counts)}–${Math.max(...counts)} per feed`;
        if (sameFirst !== undefined) {
          const c = compareFeeds(hugoFeeds, feedItems(sameFirst, "rss.xml"));
          const same = c.onlyA.length === 0 && c.onlyB.length === 0 && c.differ.length === 0;
          const list = (xs: readonly string[]) => `${xs.length} (${xs.slice(0, 5).join(", ")}${xs.length > 5 ? ", …" : ""})`;
          if (c.renamed.length > 0) result.checks["feed folders named differently (same items)"] = c.renamed.map(([h, f]) => `Hugo ${h} = feedwright ${f}`).join(", ");
          result.checks["same articles per feed, Hugo and feedwright same job"] = same
            ? true
            : [c.onlyA.length > 0 ? `only Hugo wrote ${list(c.onlyA)}` : "", c.onlyB.length > 0 ? `only feedwright wrote ${list(c.onlyB)}` : "", c.differ.length > 0 ? `items differ in ${list(c.differ)}` : ""]
                .filter((x) => x !== "")
                .join("; ");
        }
      }
      if (!o.keep) {
        if (sameFirst !== undefined) rmSync(sameFirst, { recursive: true, force: true });
        if (hugoFirst !== undefined) rmSync(hugoFirst, { recursive: true, force: true });
      }

      // Nothing changed and one changed: per tool, one untimed priming build, then the runs,
      // the tools interleaved; every edit is undone at the end, whatever happened.
      interface Tool {
        readonly name: string;
        readonly warm: VariantResult | undefined;
        readonly changed: VariantResult | undefined;
        readonly args: readonly string[];
        readonly dest: string;
        readonly cwd: string;
        readonly exe?: string;
        readonly coldHash: string | undefined;
        readonly check: string;
        readonly edit: (run: number) => void;
      }
      const tools: Tool[] = [
        { name: "full job", warm, changed, args: buildArgs(corpus.content, cachedOut, "on", cacheDir), dest: cachedOut, cwd: work, coldHash, check: "", edit: (run: number) => editVictim(corpus, run) },
        ...(job === undefined
          ? []
          : [
              { name: "same job", warm: sameWarm, changed: sameChanged, args: buildArgs(job.content, sameCached, "on", cacheDir), dest: sameCached, cwd: sameWork, coldHash: sameHash, check: " (same job)", edit: (run: number) => editSameJobVictim(corpus, job, 0, run) },
              { name: "Hugo", warm: hugoWarm, changed: hugoChanged, args: hugoArgs(hugoCached), dest: hugoCached, cwd: work, exe: o.hugo, coldHash: undefined, check: "", edit: (run: number) => editSameJobVictim(corpus, job, 1, run) },
            ]),
      ].filter((t) => t.warm !== undefined || t.changed !== undefined);
      const prime = async (t: Tool, what: string): Promise<RunRecord> => {
        const run = await timeChild(meter, t.args, t.cwd, o.timeoutMs, t.exe);
        log(`bench: ${thousands(size)} ${t.name} ${what} (untimed): ${secs(run.ms)}${run.ok ? "" : ` FAILED: ${run.stderrTail.trim().split("\n").pop()}`}`);
        return run;
      };
      const incremental = async (t: Tool, r: VariantResult | undefined, i: number): Promise<void> => {
        const before = outputState(t.dest);
        const run = await timed(r, t.args, i, runs, t.cwd, t.exe);
        if (run !== undefined && r!.written === undefined) r!.written = writtenBetween(before, outputState(t.dest));
      };
      const ready: Tool[] = [];
      for (const t of tools) {
        const primed = await prime(t, "priming build");
        if (primed.ok) ready.push(t);
        else for (const r of [t.warm, t.changed]) if (r !== undefined) r.error = `priming build failed: ${primed.stderrTail.trim().split("\n").slice(-12).join("\n")}`;
      }
      for (let i = 1; i <= runs; i++) for (const t of ready) await incremental(t, t.warm, i);
      for (const t of ready) {
        if (t.coldHash !== undefined && t.warm !== undefined && t.warm.error === undefined) result.checks[`cold = nothing changed${t.check}`] = hashTree(t.dest) === t.coldHash || "differs";
      }
      try {
        for (let i = 1; i <= runs; i++) {
          for (const t of ready) {
            if (t.changed === undefined || t.changed.error !== undefined) continue;
            t.edit(i);
            await incremental(t, t.changed, i);
          }
        }
      } finally {
        restoreVictim(corpus);
        if (job !== undefined) restoreSameJobVictim(corpus, job);
      }
      for (const t of ready) {
        if (t.coldHash === undefined || t.changed === undefined || t.changed.error !== undefined) continue;
        const back = await prime(t, "build after restoring the edited article");
        result.checks[`cold = edited then restored${t.check}`] = back.ok ? hashTree(t.dest) === t.coldHash || "differs" : `build failed: ${back.stderrTail.trim().split("\n").pop()}`;
      }

      result.loadavg.after = loadavg().map((x) => Math.round(x * 100) / 100);
      for (const v of result.variants) summarise(v);
      const ms = (v: Variant) => result.variants.find((x) => x.variant === v)?.medianMs;
      const naiveMs = ms("naive");
      const floorMs = ms("floor");
      for (const v of result.variants) {
        if (v.medianMs === undefined) continue;
        if (naiveMs !== undefined) v.xNaive = v.medianMs / naiveMs;
        if (floorMs !== undefined) v.xFloor = v.medianMs / floorMs;
        const pair = HUGO_PAIR[v.variant];
        const hugoMs = pair === undefined ? undefined : ms(pair);
        if (hugoMs !== undefined) v.xHugo = v.medianMs / hugoMs;
      }
      if (!o.keep) rmSync(work, { recursive: true, force: true });
      results.targets = evaluateTargets(results);
      writeResults(o, results); // after every size, so a later failure keeps what was measured
    }
  } finally {
    for (const dir of installDirs) rmSync(dir, { recursive: true, force: true });
    if (!o.keep) rmSync(workBase, { recursive: true, force: true });
    else log(`bench: output folders kept in ${workBase}`);
  }

  printResults(o, results);
}

function writeResults(o: Options, results: Results): void {
  writeFileSync(join(o.resultsDir, `${o.name}.json`), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(join(o.resultsDir, `${o.name}.md`), markdown(results));
  writeFileSync(join(o.resultsDir, `${o.name}.svg`), chart(results));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

/**
 * The package as a user installs it, by the tests' own helper: `npm pack` of a copy of the
 * checkout (its prepack compiles lib/), installed offline into a temporary project
 * (`npm ci --offline` from a lockfile made from the checkout's). Returns the project's bin, or
 * why it could not.
 */
function installedPackage(checkout: string, made: string[]): { bin: string; method: string } | { error: string } {
  try {
    const { tarball } = pack(checkout);
    made.push(dirname(tarball));
    const project = install(tarball, checkout);
    made.push(project);
    return { bin: join(project, "node_modules/.bin/feedwright"), method: "npm pack, npm ci --offline into a temporary project (test/helpers/package.ts)" };
  } catch (e) {
    return { error: `packing or installing the package failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
