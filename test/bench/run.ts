/**
 * `npm run bench`: times feedwright against a naive baseline and a read-only floor on generated
 * corpora, each run in its own child process, and prints medians, ratios and peak RSS; writes the
 * table as JSON, Markdown and an SVG chart under test/bench/results/.
 *
 *   npm run bench -- [--sizes 1000,10000] [--full] [--runs N] [--variants cold,warm,...]
 *                    [--threads N] [--feedwright DIR] [--label TEXT] [--name latest] [--timeout SEC]
 *
 * Variants, per size:
 *   startup  `feedwright --version`: Node + tsx start-up, for reference
 *   node     `node -e 0`: Node's own start-up, the floor for the next row
 *   package  `feedwright --version` as installed: the compiled lib/ (tsc -p src) under plain node; target ≤ 0.15 s
 *   floor    read every file, sequentially, in plain node (test/bench/floor.mjs)
 *   naive    the naive baseline (test/bench/naive.ts)
 *   cold     feedwright build, fresh output folder, --no-cache when the CLI has it
 *   warm     the same build again, nothing changed (after one untimed priming build)
 *   changed  the newest published article's body edited before each run
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderChart, type ChartPanel } from "./chart.ts";
import { DEFAULT_NOW, DEFAULT_SEED, editVictim, ensureCorpus, restoreVictim, type Corpus, type CorpusMeta } from "./generate.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const HERE = import.meta.dirname;

export const VARIANTS = ["startup", "node", "package", "floor", "naive", "cold", "warm", "changed"] as const;
export type Variant = (typeof VARIANTS)[number];

const LABELS: Record<Variant, string> = {
  startup: "feedwright --version",
  node: "node -e 0",
  package: "installed feedwright --version",
  floor: "read-only floor",
  naive: "naive baseline",
  cold: "feedwright cold",
  warm: "feedwright, nothing changed",
  changed: "feedwright, one changed",
};

const COLORS: Record<Variant, string> = {
  startup: "#b0b0b0",
  node: "#d0d0d0",
  package: "#8c564b",
  floor: "#7f7f7f",
  naive: "#d62728",
  cold: "#1f77b4",
  warm: "#2ca02c",
  changed: "#9467bd",
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
  readonly name: string;
  readonly resultsDir: string;
  readonly timeoutMs: number;
  readonly keep: boolean;
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
      feedwright: { type: "string", default: ROOT },
      label: { type: "string" },
      name: { type: "string", default: "latest" },
      timeout: { type: "string", default: "1800" },
      keep: { type: "boolean", default: false },
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
  if (values.threads !== undefined) whole(values.threads, "--threads");
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    runs: values.runs === undefined ? undefined : whole(values.runs, "--runs"),
    seed: whole(values.seed, "--seed"),
    now: values.now,
    variants: VARIANTS.filter((v) => variants.includes(v)),
    feedwright: resolve(values.feedwright),
    label: values.label,
    threads: values.threads,
    name: values.name,
    resultsDir: join(HERE, "results"),
    timeoutMs: whole(values.timeout, "--timeout") * 1000,
    keep: values.keep,
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
 * Runs `node nodeArgs…` in `cwd`. feedwright keeps its cache in `<cwd>/node_modules/.cache` when
 * `<cwd>/node_modules` exists, else under $XDG_CACHE_HOME: both point into `cwd`, the run's own
 * work folder, so no cache outlives the bench or leaks between sizes.
 */
function timeChild(meter: Meter, nodeArgs: readonly string[], cwd: string, timeoutMs: number): Promise<RunRecord> {
  const usageFile = join(tmpdir(), `feedwright-bench-usage-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const env: NodeJS.ProcessEnv = { ...process.env, FEEDWRIGHT_BENCH_USAGE: usageFile, XDG_CACHE_HOME: join(cwd, "xdg-cache") };
  delete env.NODE_OPTIONS;
  const [command, args] =
    meter.kind === "gnu-time"
      ? ["/usr/bin/time", ["-f", "%M %U %S", "-o", usageFile, process.execPath, ...nodeArgs]]
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
}

export interface SizeResult {
  readonly size: number;
  readonly corpus: CorpusMeta & { readonly dir: string; readonly reusedFromCache: boolean };
  readonly variants: VariantResult[];
  readonly loadavg: { before: number[]; after?: number[] };
  /** Byte-identical output of the cold build and the cached builds, when both ran. */
  readonly checks: Record<string, boolean | string>;
}

export interface Target {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
}

export interface Results {
  readonly when: string;
  readonly machine: { cpus: number; model: string; memoryGiB: number; node: string; platform: string; meter: string };
  readonly feedwright: { dir: string; label: string; flags: { noCache: boolean; threads: boolean; cacheDir: boolean }; threads: string | undefined };
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

function evaluateTargets(results: Results): Target[] {
  const at = (size: number, variant: Variant) => results.sizes.find((s) => s.size === size)?.variants.find((v) => v.variant === variant);
  const s = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);
  const targets: Target[] = [];
  {
    const cold = at(10_000, "cold");
    const naive = at(10_000, "naive");
    const ratio = cold?.medianMs !== undefined && naive?.medianMs !== undefined ? cold.medianMs / naive.medianMs : undefined;
    targets.push({
      target: "10,000 cold ≤ 0.15 × naive",
      measured: ratio === undefined ? "not measured" : `${ratio.toFixed(2)} × (${s(cold?.medianMs)} vs ${s(naive?.medianMs)})`,
      met: ratio === undefined ? undefined : ratio <= 0.15,
    });
  }
  {
    const warm = at(10_000, "warm");
    const floor = at(10_000, "floor");
    const ratio = warm?.medianMs !== undefined && floor?.medianMs !== undefined ? warm.medianMs / floor.medianMs : undefined;
    const note = results.feedwright.flags.noCache ? "" : "; this build has no cache";
    targets.push({
      target: "10,000 nothing changed ≤ 2 × read-only floor",
      measured: ratio === undefined ? "not measured" : `${ratio.toFixed(2)} × (${s(warm?.medianMs)} vs ${s(floor?.medianMs)})${note}`,
      met: ratio === undefined ? undefined : ratio <= 2,
    });
  }
  {
    const warm = at(10_000, "warm");
    const changed = at(10_000, "changed");
    const ratio = warm?.medianMs !== undefined && changed?.medianMs !== undefined ? changed.medianMs / warm.medianMs : undefined;
    const note = results.feedwright.flags.noCache ? "" : "; trivially, this build has no cache";
    targets.push({
      target: "10,000 one changed within 10% of nothing changed",
      measured: ratio === undefined ? "not measured" : `${ratio.toFixed(2)} × (${s(changed?.medianMs)} vs ${s(warm?.medianMs)})${note}`,
      met: ratio === undefined ? undefined : ratio <= 1.1,
    });
  }
  {
    const cold = at(1000, "cold");
    targets.push({
      target: "1,000 cold < 1 s wall",
      measured: cold?.medianMs === undefined ? (cold?.error ?? "not measured") : s(cold.medianMs),
      met: cold?.medianMs === undefined ? (cold?.error === undefined ? undefined : false) : cold.medianMs < 1000,
    });
  }
  {
    const cold = at(100_000, "cold");
    const rss = cold?.peakRssKiB;
    targets.push({
      target: "100,000 completes, peak RSS < 1 GiB",
      measured:
        cold === undefined
          ? "not measured"
          : cold.error !== undefined
            ? `failed after ${s(cold.runs.at(-1)?.ms)} at ${mib(cold.runs.at(-1)?.rssKiB)}: ${cold.error.split("\n")[0]}`
            : `completed in ${s(cold.medianMs)}; peak RSS ${rss === undefined ? "unknown" : `${(rss / 1024).toFixed(0)} MiB`}`,
      met: cold === undefined ? undefined : cold.error === undefined && rss !== undefined && rss < 1024 * 1024,
    });
  }
  {
    const checks = results.sizes.flatMap((x) => Object.entries(x.checks).map(([k, v]) => [`${x.size}: ${k}`, v] as const));
    const bad = checks.filter(([, v]) => v !== true);
    targets.push({
      target: "output byte-identical with and without the cache (bench check, not the test)",
      measured:
        (checks.length === 0 ? "not measured" : bad.length === 0 ? `identical (${checks.map(([k]) => k).join("; ")})` : bad.map(([k, v]) => `${k}: ${String(v)}`).join("; ")) +
        (checks.length > 0 && !results.feedwright.flags.noCache ? "; trivially, this build has no cache" : ""),
      met: checks.length === 0 ? undefined : bad.length === 0,
    });
  }
  return targets;
}

// ---------------------------------------------------------------------------------------------
// Printing.

const secs = (ms: number | undefined) => (ms === undefined ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`);
const mib = (kib: number | undefined) => (kib === undefined ? "—" : `${Math.round(kib / 1024)} MiB`);
const ratio = (x: number | undefined) => (x === undefined ? "—" : `${x.toFixed(2)} ×`);
const thousands = (n: number) => n.toLocaleString("en-US");

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
        ratio(v.xNaive),
        ratio(v.xFloor),
        failed === undefined ? mib(v.peakRssKiB) : `${mib(failed.rssKiB)} at failure`,
        v.error === undefined ? "" : v.error.split("\n")[0]!.slice(0, 100),
      ]);
    }
  }
  return out;
}

const HEAD = ["articles", "variant", "runs", "median wall", "min", "median CPU", "× naive", "× floor", "peak RSS", "failure"];

function textTable(results: Results): string {
  const all = rows(results);
  const failures = all.some((r) => r[9] !== "");
  const table = [HEAD, ...all].map((r) => (failures ? r : r.slice(0, 9)));
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const right = new Set([2, 3, 4, 5, 6, 7, 8]);
  return table
    .map((r, n) => {
      const line = r.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
      return n === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

function markdown(results: Results): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const all = rows(results);
  const failures = all.some((r) => r[9] !== "");
  const head = failures ? HEAD : HEAD.slice(0, 9);
  const lines = [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i < 2 || i === 9 ? "---" : "---:")).join(" | ")} |`,
    ...all.map((r) => `| ${(failures ? r : r.slice(0, 9)).map(esc).join(" | ")} |`),
  ];
  const m = results.machine;
  const t = results.targets.map((x) => `| ${esc(x.target)} | ${esc(x.measured)} | ${x.met === undefined ? "not measured" : x.met ? "met" : "**not met**"} |`);
  return [
    `feedwright ${results.feedwright.label}; ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}; seed ${results.seed}; ${results.when}`,
    "",
    ...lines,
    "",
    ...results.sizes.map((x) => {
      const from = (x as SizeResult & { from?: string }).from;
      const load = `load average ${x.loadavg.before[0]} before, ${x.loadavg.after?.[0] ?? "?"} after`;
      const wrote = x.variants
        .filter((v) => v.output !== undefined)
        .map((v) => `${v.variant === "cold" ? "feedwright" : v.variant} wrote ${thousands(v.output!.files)} files, ${(v.output!.bytes / 2 ** 20).toFixed(0)} MiB`)
        .join(", ");
      return `- ${thousands(x.size)} articles: ${(x.corpus.bytes / 2 ** 20).toFixed(0)} MiB of Markdown, ${x.corpus.drafts} drafts, ${x.corpus.future} dated after --now, ${x.corpus.large} of ~100 KB; ${load}${wrote === "" ? "" : `; ${wrote}`}${from === undefined ? "" : `; from ${from}`}`;
    }),
    "",
    "| target | measured | |",
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
      note: v.error !== undefined ? `failed after ${secs(v.runs.at(-1)?.ms)} at ${mib(v.runs.at(-1)?.rssKiB)}: ${v.error.split("\n")[0]!.replace(/^exit \d+: (FATAL ERROR: )?/, "").slice(0, 40)}` : [v.xNaive === undefined || v.variant === "naive" ? "" : `${v.xNaive.toFixed(2)} × naive`, v.peakRssKiB === undefined ? "" : mib(v.peakRssKiB)].filter((x) => x !== "").join(" · "),
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
  process.stdout.write(`\n${textTable(results)}\n\n`);
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
    seed: o.seed,
    now: o.now,
    sizes: [],
    targets: [],
  };
  log(`bench: feedwright ${results.feedwright.label} at ${o.feedwright}; flags: ${Object.entries(flags).filter(([, v]) => v).map(([k]) => k).join(", ") || "none of --no-cache/--threads/--cache-dir"}`);
  const workBase = mkdtempSync(join(tmpdir(), "feedwright-bench-work-"));
  mkdirSync(o.resultsDir, { recursive: true });

  const buildArgs = (corpus: Corpus, out: string, cache: "off" | "on", cacheDir: string): string[] => [
    bin,
    "build",
    "--content",
    corpus.content,
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
      const work = join(workBase, String(size));
      mkdirSync(join(work, "node_modules"), { recursive: true });
      const cacheDir = join(work, "cache");
      const result: SizeResult = {
        size,
        corpus: { ...corpus.meta, dir: corpus.content, reusedFromCache: corpus.cached },
        variants: [],
        loadavg: { before: loadavg().map((x) => Math.round(x * 100) / 100) },
        checks: {},
      };
      results.sizes.push(result);
      const variant = (v: Variant, command: string[]): VariantResult => {
        const r: VariantResult = { variant: v, label: LABELS[v], command: command.map((a) => a.replace(workBase, "$WORK")), runs: [] };
        result.variants.push(r);
        return r;
      };
      const has = (v: Variant) => o.variants.includes(v);
      const timed = async (r: VariantResult, args: string[], i: number, n: number): Promise<boolean> => {
        if (r.error !== undefined) return false;
        const run = await timeChild(meter, args, work, o.timeoutMs);
        r.runs.push(run);
        log(`bench: ${thousands(size)} ${r.variant} ${i}/${n}: ${secs(run.ms)}, ${mib(run.rssKiB)}${run.ok ? "" : ` FAILED (exit ${run.exit}${run.signal === null ? "" : `, ${run.signal}`}${run.timedOut ? ", timed out" : ""})`}${run.summary === "" ? "" : `  | ${run.summary}`}`);
        if (!run.ok) {
          r.error = failure(run, o.timeoutMs);
          return false;
        }
        return true;
      };

      // Warm the page cache so the first timed variant does not pay for the disk.
      await timeChild(meter, [join(HERE, "floor.mjs"), corpus.content], work, o.timeoutMs);

      const startup = has("startup") ? variant("startup", [bin, "--version"]) : undefined;
      const nodeOnly = has("node") ? variant("node", ["-e", "0"]) : undefined;
      const packagedArgs = has("package") ? [compiledPackage(o.feedwright, workBase), "--version"] : [];
      const packaged = has("package") ? variant("package", packagedArgs) : undefined;
      const floor = has("floor") ? variant("floor", [join(HERE, "floor.mjs"), corpus.content]) : undefined;
      const naiveOut = (i: number) => join(work, `naive-${i}`);
      const naive = has("naive") ? variant("naive", ["--import", tsx, join(HERE, "naive.ts"), "--content", corpus.content, "--out", naiveOut(0), "--now", o.now]) : undefined;
      const coldOut = (i: number) => join(work, `cold-${i}`);
      const cold = has("cold") ? variant("cold", buildArgs(corpus, coldOut(0), "off", cacheDir)) : undefined;
      let coldHash: string | undefined;

      // Interleaved, so drift in the machine's load touches every variant alike.
      for (let i = 1; i <= runs; i++) {
        if (startup !== undefined) await timed(startup, [bin, "--version"], i, runs);
        if (nodeOnly !== undefined) await timed(nodeOnly, ["-e", "0"], i, runs);
        if (packaged !== undefined) await timed(packaged, packagedArgs, i, runs);
        if (floor !== undefined) await timed(floor, [join(HERE, "floor.mjs"), corpus.content], i, runs);
        if (naive !== undefined) {
          const ok = await timed(naive, ["--import", tsx, join(HERE, "naive.ts"), "--content", corpus.content, "--out", naiveOut(i), "--now", o.now], i, runs);
          if (ok && naive.output === undefined) naive.output = treeSize(naiveOut(i));
          if (!o.keep) rmSync(naiveOut(i), { recursive: true, force: true });
        }
        if (cold !== undefined) {
          const ok = await timed(cold, buildArgs(corpus, coldOut(i), "off", cacheDir), i, runs);
          if (ok && cold.output === undefined) cold.output = treeSize(coldOut(i));
          if (ok && coldHash === undefined && (has("warm") || has("changed"))) coldHash = hashTree(coldOut(i));
          if (!o.keep) rmSync(coldOut(i), { recursive: true, force: true });
        }
      }

      const cachedOut = join(work, "cached");
      const prime = async (what: string): Promise<RunRecord> => {
        const run = await timeChild(meter, buildArgs(corpus, cachedOut, "on", cacheDir), work, o.timeoutMs);
        log(`bench: ${thousands(size)} ${what} (untimed): ${secs(run.ms)}${run.ok ? "" : ` FAILED: ${run.stderrTail.trim().split("\n").pop()}`}`);
        return run;
      };
      if (has("warm") || has("changed")) {
        const primed = await prime("priming build");
        if (!primed.ok) {
          for (const v of ["warm", "changed"] as const) if (has(v)) variant(v, buildArgs(corpus, cachedOut, "on", cacheDir)).error = `priming build failed: ${primed.stderrTail.trim().split("\n").slice(-12).join("\n")}`;
        } else {
          if (has("warm")) {
            const warm = variant("warm", buildArgs(corpus, cachedOut, "on", cacheDir));
            for (let i = 1; i <= runs; i++) await timed(warm, buildArgs(corpus, cachedOut, "on", cacheDir), i, runs);
            if (coldHash !== undefined && warm.error === undefined) result.checks["cold = nothing changed"] = hashTree(cachedOut) === coldHash || "differs";
          }
          if (has("changed")) {
            const changed = variant("changed", buildArgs(corpus, cachedOut, "on", cacheDir));
            try {
              for (let i = 1; i <= runs; i++) {
                editVictim(corpus, i);
                await timed(changed, buildArgs(corpus, cachedOut, "on", cacheDir), i, runs);
              }
            } finally {
              restoreVictim(corpus);
            }
            if (coldHash !== undefined && changed.error === undefined) {
              const back = await prime("build after restoring the edited article");
              result.checks["cold = edited then restored"] = back.ok ? hashTree(cachedOut) === coldHash || "differs" : `build failed: ${back.stderrTail.trim().split("\n").pop()}`;
            }
          }
        }
      }
      result.loadavg.after = loadavg().map((x) => Math.round(x * 100) / 100);
      for (const v of result.variants) summarise(v);
      const naiveMs = result.variants.find((v) => v.variant === "naive")?.medianMs;
      const floorMs = result.variants.find((v) => v.variant === "floor")?.medianMs;
      for (const v of result.variants) {
        if (v.medianMs === undefined) continue;
        if (naiveMs !== undefined) v.xNaive = v.medianMs / naiveMs;
        if (floorMs !== undefined) v.xFloor = v.medianMs / floorMs;
      }
      if (!o.keep) rmSync(work, { recursive: true, force: true });
      results.targets = evaluateTargets(results);
      writeResults(o, results); // after every size, so a later failure keeps what was measured
    }
  } finally {
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
 * The package as npm installs it, without npm: lib/ compiled from the checkout, its bin and
 * package.json, and no src/ (so the bin runs lib/ with plain node). Returns the bin's path.
 */
function compiledPackage(checkout: string, workBase: string): string {
  const dir = join(workBase, "package");
  if (!existsSync(join(dir, "lib/cli.js"))) {
    mkdirSync(join(dir, "bin"), { recursive: true });
    const tsc = spawnSync(process.execPath, [join(checkout, "node_modules/typescript/bin/tsc"), "-p", join(checkout, "src"), "--outDir", join(dir, "lib")], { encoding: "utf8" });
    if (tsc.status !== 0) throw new Error(`bench: compiling the package failed: ${tsc.stdout}${tsc.stderr}`);
    writeFileSync(join(dir, "package.json"), readFileSync(join(checkout, "package.json")));
    writeFileSync(join(dir, "bin/feedwright.js"), readFileSync(join(checkout, "bin/feedwright.js")));
    symlinkSync(join(checkout, "node_modules"), join(dir, "node_modules"));
  }
  return join(dir, "bin/feedwright.js");
}
