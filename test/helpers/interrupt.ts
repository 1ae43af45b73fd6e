/**
 * Interrupting a real build: a spawned CLI gets SIGINT or SIGTERM after `delayMs`, and the
 * result says how it ended, how long it took to stop, and what the output folder then held.
 * Used by test/interrupt.test.ts (a few, fast) and test/interop/interrupt.test.ts (many).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BIN, childEnv } from "./cli.ts";
import { NOW } from "./faults.ts";

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
