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
  /** The signal whose default action ended the process (code null), else null. */
  readonly killedBy: NodeJS.Signals | null;
  /** Whether the build printed its summary line (src/commands/build.ts summaryLine): its work was done. */
  readonly finished: boolean;
  readonly stderr: string;
  /** From the signal to the process's exit. */
  readonly stopMs: number;
}

/**
 * Whether a run whose signal came too late to stop it ended as a finished build should: its
 * summary printed and then either exit 0 (the signal came once the work was done; src/cli.ts keeps
 * its handlers, so the process exits with what the command returned) or, in node's teardown
 * (tens of milliseconds: worker threads and, in a checkout, tsx's loader thread end), no handler
 * any more and node's default action for `signal` (`code` null), which a shell reports as
 * 128 + the signal's number, the same 130 or 143 feedwright returns itself. A run that printed no
 * summary never counts as finished, whatever its exit code.
 */
export function finishedAnyway(run: Interrupted, signal: "SIGINT" | "SIGTERM"): boolean {
  if (!run.finished) return false;
  return run.code === 0 || (run.code === null && run.killedBy === signal);
}

/**
 * Runs `feedwright build` in `dir` with an empty cache folder, and sends `signal` `delayMs` after
 * the build has begun (its first rendered article in the cache: feedwright is listening by then).
 */
export function interruptBuild(dir: string, signal: "SIGINT" | "SIGTERM", delayMs: number, cacheDir: string): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "build", "--now", NOW], { cwd: dir, env: childEnv(dir, { FEEDWRIGHT_CACHE_DIR: cacheDir }) });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
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
    child.on("close", (code, killedBy) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, killedBy, finished: /^feedwright: \d+ articles read .* files written/m.test(stdout), stderr, stopMs: sentAt === undefined ? Number.NaN : performance.now() - sentAt });
    });
  });
}
