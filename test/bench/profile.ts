/**
 * Where a cold build spends its time: runs one `feedwright build` under `node --cpu-prof` on a
 * generated corpus and summarises the profile: self time by function and by package or source
 * file, and inclusive time of feedwright's own functions.
 *
 *   tsx test/bench/profile.ts [--size 10000] [--warm] [--feedwright DIR] [--top 25] [--name profile-10000]
 *
 * With --warm, one untimed build fills the build cache first and the profiled build is the
 * nothing-changed one.
 *
 * Writes test/bench/results/NAME.md (and keeps the .cpuprofile next to it only with --keep,
 * since it is large; open it in Chrome DevTools or speedscope).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_NOW, DEFAULT_SEED, ensureCorpus } from "./generate.ts";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Row {
  readonly key: string;
  readonly ms: number;
  readonly share: number;
}

export interface Summary {
  readonly totalMs: number;
  readonly selfByFunction: Row[];
  readonly selfByModule: Row[];
  readonly inclusiveOwn: Row[];
}

const ROOT = resolve(import.meta.dirname, "../..");

/** "markdown-it", "src/pipeline/index.ts", "node:internal", or the special V8 frames. */
export function moduleOf(url: string, name: string, root: string): string {
  if (url === "") return name.startsWith("(") ? name : "(native)";
  if (url.startsWith("node:")) return "node:internal";
  const path = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return path.startsWith(root) ? relative(root, path) : path;
}

export function summarise(profile: CpuProfile, root: string, top = 25): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fnKey = (f: CallFrame) => {
    const mod = moduleOf(f.url, f.functionName, root);
    return f.url === "" ? f.functionName || "(anonymous)" : `${f.functionName || "(anonymous)"}  ${mod}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const selfModule = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]!);
    if (node === undefined) continue;
    if (node.callFrame.functionName === "(idle)") continue;
    total += dt;
    add(self, fnKey(node.callFrame), dt);
    add(selfModule, moduleOf(node.callFrame.url, node.callFrame.functionName, root), dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      const mod = moduleOf(f.url, f.functionName, root);
      if (!mod.startsWith("src/")) continue;
      const k = fnKey(f);
      if (seen.has(k)) continue;
      seen.add(k);
      add(inclusive, k, dt);
    }
  }
  const rows = (m: Map<string, number>): Row[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, ms]) => ({ key, ms, share: total > 0 ? ms / total : 0 }));
  return { totalMs: total, selfByFunction: rows(self), selfByModule: rows(selfModule), inclusiveOwn: rows(inclusive) };
}

function table(title: string, rows: readonly Row[]): string {
  return [
    `### ${title}`,
    "",
    "| ms | share | |",
    "| ---: | ---: | --- |",
    ...rows.map((r) => `| ${Math.round(r.ms)} | ${(r.share * 100).toFixed(1)}% | \`${r.key.replace(/\|/g, "\\|").replace(/`/g, "'")}\` |`),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "10000" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      now: { type: "string", default: DEFAULT_NOW },
      feedwright: { type: "string", default: ROOT },
      top: { type: "string", default: "25" },
      name: { type: "string" },
      keep: { type: "boolean", default: false },
      warm: { type: "boolean", default: false },
      args: { type: "string", default: "" },
    },
  });
  const size = Number(values.size);
  const fw = resolve(values.feedwright);
  const corpus = ensureCorpus({ size, seed: Number(values.seed), now: values.now });
  const work = mkdtempSync(join(tmpdir(), "feedwright-bench-profile-"));
  try {
    // The build cache, if any, stays in the work folder (see run.ts).
    mkdirSync(join(work, "node_modules"));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: join(work, "xdg-cache") };
    delete env.NODE_OPTIONS;
    const help = spawnSync(process.execPath, [join(fw, "bin/feedwright.js"), "build", "--help"], { encoding: "utf8" }).stdout;
    const build = [
      join(fw, "bin/feedwright.js"),
      "build",
      "--content",
      corpus.content,
      "--out",
      join(work, "out"),
      "--now",
      values.now,
      ...(!values.warm && /--no-cache\b/.test(help) ? ["--no-cache"] : []),
      ...values.args.split(" ").filter((a) => a !== ""),
    ];
    if (values.warm) {
      const first = spawnSync(process.execPath, build, { cwd: work, env, encoding: "utf8", maxBuffer: 1 << 26 });
      if (first.status !== 0) throw new Error(`priming build failed (exit ${first.status}):\n${first.stderr.slice(-3000)}`);
    }
    const args = ["--cpu-prof", "--cpu-prof-dir", join(work, "prof"), ...build];
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: work, env, encoding: "utf8", maxBuffer: 1 << 26 });
    const wall = performance.now() - started;
    if (run.status !== 0) throw new Error(`build failed (exit ${run.status}):\n${run.stderr.slice(-3000)}`);
    const files = readdirSync(join(work, "prof")).filter((f) => f.endsWith(".cpuprofile"));
    // The main thread's profile is the largest; worker threads write their own.
    const sized = files.map((f) => ({ f, n: readFileSync(join(work, "prof", f)).length })).sort((a, b) => b.n - a.n);
    const resultsDir = join(import.meta.dirname, "results");
    mkdirSync(resultsDir, { recursive: true });
    const name = values.name ?? `profile-${size}${values.warm ? "-warm" : ""}`;
    const parts: string[] = [
      `## CPU profile: one ${values.warm ? "nothing-changed (cache warm)" : "cold"} build of ${size.toLocaleString("en-US")} articles`,
      "",
      `feedwright at ${fw}; \`node --cpu-prof\`; wall ${(wall / 1000).toFixed(1)} s with the profiler on; ${run.stdout.trim().split("\n").pop() ?? ""}`,
      "",
    ];
    for (const [i, { f }] of sized.entries()) {
      const summary = summarise(JSON.parse(readFileSync(join(work, "prof", f), "utf8")) as CpuProfile, fw, Number(values.top));
      parts.push(
        `### ${i === 0 ? "Main thread" : `Thread ${i}`}: ${(summary.totalMs / 1000).toFixed(1)} s sampled (idle excluded)`,
        "",
        table("Self time by package or source file", summary.selfByModule.slice(0, 15)),
        table("Self time by function", summary.selfByFunction),
        table("Inclusive time of feedwright's own functions (src/)", summary.inclusiveOwn),
      );
      if (values.keep) copyFileSync(join(work, "prof", f), join(resultsDir, `${name}-${i}.cpuprofile`));
    }
    const text = parts.join("\n");
    writeFileSync(join(resultsDir, `${name}.md`), text);
    process.stdout.write(`${text}\nwrote ${relative(process.cwd(), join(resultsDir, `${name}.md`))}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((e: unknown) => {
    process.stderr.write(`profile: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
