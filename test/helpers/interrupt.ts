/**
 * Interrupting a real build: a spawned CLI gets SIGINT or SIGTERM after `delayMs`, and the
 * result says how it ended, how long it took to stop, and what the output folder then held.
 * Used by test/interrupt.test.ts (a few, fast) and test/interop/interrupt.test.ts (many).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, childEnv, snapshot } from "./cli.ts";

export const NOW = "2030-01-01T00:00:00Z";

/** A content folder of `n` articles in a few tags; `version` changes every article's text. */
export function writeContent(dir: string, n: number, version: string): void {
  rmSync(join(dir, "content"), { recursive: true, force: true });
  mkdirSync(join(dir, "content"), { recursive: true });
  writeFileSync(join(dir, "content/_index.md"), `---\ntitle: Interrupt ${version}\nurl: https://example.org/\nlimit: 10\n---\n`);
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().slice(0, 19);
    writeFileSync(join(dir, "content", `post-${i}.md`), `---\ntitle: Post ${i} ${version}\ndate: ${day}Z\ntags: [t${i % 13}, all]\n---\n${`Paragraph ${i} of ${version}. `.repeat(60)}\n`);
  }
}

/** The output folder's files and their bytes, without bookkeeping a killed build could leave. */
export function bytesOf(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map([...snapshot(dir)].filter(([path]) => !path.startsWith(".feedwright-staging/") && path !== ".feedwright-lock").map(([path, { bytes }]) => [path, bytes]));
}

/** Staging folders or locks left in or beside the output folder. */
export function leftovers(out: string): string[] {
  const inside = existsSync(out) ? readdirSync(out).filter((n) => n === ".feedwright-staging" || n === ".feedwright-lock") : [];
  return [...readdirSync(join(out, "..")).filter((n) => n.startsWith(".dist.")), ...inside];
}

export interface Interrupted {
  /** Exit code, or null when the signal's default action ended the process (before feedwright listened). */
  readonly code: number | null;
  readonly stderr: string;
  /** From the signal to the process's exit. */
  readonly stopMs: number;
}

/**
 * Runs `feedwright build` in `dir` with an empty cache folder, and sends `signal` `delayMs` after
 * the build has begun (its first rendered article in the cache: feedwright is listening by then).
 */
export function interruptBuild(dir: string, signal: "SIGINT" | "SIGTERM", delayMs: number, cacheDir: string): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "build", "--now", NOW], { cwd: dir, env: childEnv(dir, { FEEDWRIGHT_CACHE_DIR: cacheDir }) });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    let sentAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (!existsSync(join(cacheDir, "html"))) return;
      clearInterval(poll);
      timer = setTimeout(() => {
        sentAt = performance.now();
        child.kill(signal);
      }, delayMs);
    }, 10);
    child.on("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, stderr, stopMs: sentAt === undefined ? Number.NaN : performance.now() - sentAt });
    });
  });
}
