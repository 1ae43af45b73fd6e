import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { Io } from "../../src/commands/io.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin/feedwright.js");
export const FIXTURES = join(ROOT, "test/fixtures");

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a CLI subprocess gets: a clean one, with the build cache inside the test's own folder, never ~/.cache. */
export function childEnv(cwd: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Beside the test folder, not in it: tests that prove a command writes nothing list the folder.
  return { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: `${cwd.replace(/\/+$/, "")}.cache`, ...env };
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a command line in this process, through the programmatic entry point (`main(argv, io)` of
 * src/cli.ts): what it writes to stdout and stderr is captured, its exit code returned, and its
 * environment is `env` on a clean base (childEnv), never this process's. The same as `runCli`
 * without node's start-up (about 0.8 s a run), for every test that is not about the process itself.
 *
 * The commands resolve relative paths and show file names against the working directory, which
 * is no parameter of theirs: the runner enters `cwd` for the run and leaves it after, one run at
 * a time (calls are queued).
 */
export function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, hooks: Pick<Io, "way"> = {}): Promise<Run> {
  const run = queue.then(async (): Promise<Run> => {
    const { main, fancyOutput } = await import("../../src/cli.ts");
    let stdout = "";
    let stderr = "";
    const fullEnv = childEnv(cwd, env);
    const before = process.cwd();
    process.chdir(cwd);
    try {
      const status = await main(args, {
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        // What a spawned CLI sees: stderr is a pipe, so fancy output only when FORCE_COLOR asks.
        isTTY: fancyOutput(false, fullEnv),
        live: false,
        env: fullEnv,
        signal: new AbortController().signal,
        ...hooks,
      });
      return { status, stdout, stderr };
    } finally {
      process.chdir(before);
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Runs the real CLI as a subprocess, in `cwd`, the way a user would. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: childEnv(cwd, env),
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const made: string[] = [];

/**
 * A fresh folder per test: never a shared, mutable fixture. It goes when the test file's process
 * exits, with every sibling named after it (the cache `childEnv` puts beside it, a test's `-twin`
 * copy), unless FEEDWRIGHT_KEEP_TEMP is set, to look at after a failure.
 */
export function tempDir(prefix = "feedwright-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.length === 0 && process.env.FEEDWRIGHT_KEEP_TEMP === undefined) process.once("exit", removeMade);
  made.push(dir);
  return dir;
}

function removeMade(): void {
  const byParent = new Map<string, string[]>();
  for (const dir of made) byParent.set(dirname(dir), [...(byParent.get(dirname(dir)) ?? []), basename(dir)]);
  for (const [parent, names] of byParent) {
    for (const entry of readdirSync(parent)) {
      if (!names.some((name) => entry === name || entry.startsWith(`${name}.`) || entry.startsWith(`${name}-`))) continue;
      // A test may leave a folder read-only or a file locked: what cannot go stays, and the run's result does not change.
      try {
        rmSync(join(parent, entry), { recursive: true, force: true, maxRetries: 2 });
      } catch {}
    }
  }
}

export const SITE_INDEX = `---
title: Test Site
url: https://example.org/
---
A site for tests.
`;

/** A project folder with `content/` holding `_index.md` and the given files. */
export function project(files: Record<string, string | Buffer>, index = SITE_INDEX): string {
  const dir = tempDir();
  mkdirSync(join(dir, "content"));
  writeFileSync(join(dir, "content/_index.md"), index);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, "content", name, ".."), { recursive: true });
    writeFileSync(join(dir, "content", name), text);
  }
  return dir;
}

export function copyFixture(name: string): string {
  const dir = tempDir();
  cpSync(join(FIXTURES, name), join(dir, "content"), { recursive: true });
  return dir;
}

/** Every file under `dir` with its bytes and modification time: to prove a folder was left alone. */
export function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const found = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else found.set(rel, { bytes: readFileSync(join(dir, rel), "latin1"), mtimeMs: statSync(join(dir, rel)).mtimeMs });
    }
  };
  walk("");
  return found;
}
