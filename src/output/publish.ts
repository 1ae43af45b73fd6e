import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fsReason } from "../fs-errors.ts";
import { listTree } from "./tree.ts";

/** Files being rendered ahead of the one being written: bounds memory, keeps workers busy. */
const RENDER_AHEAD = 8;

/** A file to publish, relative to the output folder with `/` separators. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** A file rendered only when it has to be written: `digest` stands for its bytes. */
export interface PendingFile {
  readonly path: string;
  readonly digest: string;
  readonly render: () => Promise<string>;
}

/** What the last publish wrote, per file: lets the next one skip rendering unchanged files. */
export interface FileRecord {
  readonly digest: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface PublishReport {
  /** Files whose bytes changed, were added or were removed. */
  readonly changed: readonly string[];
  readonly unchanged: number;
  /** Files not even rendered: their digest and the file on disk matched the last publish. */
  readonly skipped: number;
  /** The output folder as it now is, for the next publish. */
  readonly records: ReadonlyMap<string, FileRecord>;
}

/**
 * Makes `outDir` hold exactly `files`, never showing a reader a mix of old and new.
 *
 * The new folder is written completely beside the old one, then swapped in with two renames;
 * files whose bytes did not change are hard-linked from the old folder, so their modification
 * times stay and deploy tools and HTTP caches see no change. A build killed at any point leaves
 * the old folder (or, between the two renames, an `.old` folder the next build puts back).
 *
 * Pending files are rendered one at a time and dropped once written, so memory does not grow
 * with the size of the output; one whose digest matches `previous` and whose file on disk is
 * the one recorded there is not rendered at all.
 */
export async function publish(
  outDir: string,
  files: readonly (OutputFile | PendingFile)[],
  previous: ReadonlyMap<string, FileRecord> = new Map(),
): Promise<PublishReport> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const name = basename(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    throw publishError(outDir, e, await fileInPath(parent));
  }
  let release: () => Promise<void>;
  try {
    release = await lock(parent, name);
  } catch (e) {
    throw publishError(outDir, e);
  }
  try {
    await recover(parent, name);
    return await publishLocked(target, parent, name, files, previous);
  } catch (e) {
    throw publishError(outDir, e);
  } finally {
    await release();
  }
}

async function publishLocked(
  target: string,
  parent: string,
  name: string,
  files: readonly (OutputFile | PendingFile)[],
  previous: ReadonlyMap<string, FileRecord>,
): Promise<PublishReport> {

  const existing = (await listTree(target)) ?? new Set<string>();
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(parent, `.${name}.staging-${tag}`);
  const retired = join(parent, `.${name}.old-${tag}`);
  const changed: string[] = [];
  const same: string[] = [];
  let skipped = 0;
  const digests = new Map<string, string>();
  // Made first, and not recursively: a read-only or full file system then fails here with its
  // own error code (a recursive mkdir reports ENOENT for EROFS).
  step();
  await mkdir(staging);
  try {
    // First the cheap pass: which files the last publish already wrote exactly so.
    const toRender: (OutputFile | PendingFile)[] = [];
    const onDiskSize = new Map<string, number>();
    for (const file of files) {
      const digest = "digest" in file ? file.digest : undefined;
      if (digest !== undefined) digests.set(file.path, digest);
      const onDisk = existing.has(file.path) ? await stat(join(target, file.path)).catch(() => undefined) : undefined;
      if (onDisk !== undefined) onDiskSize.set(file.path, onDisk.size);
      const record = previous.get(file.path);
      if (digest !== undefined && record?.digest === digest && onDisk?.size === record.size && onDisk.mtimeMs === record.mtimeMs) {
        same.push(file.path);
        skipped++;
      } else toRender.push(file);
    }
    // Then render the rest, a few ahead of the one being written (renders may run on other
    // threads), comparing each with the file it replaces.
    const pending = new Map<number, Promise<string>>();
    const start = (i: number) => {
      const file = toRender[i];
      if (file === undefined) return;
      const rendering = "content" in file ? Promise.resolve(file.content) : file.render();
      // Awaited in order below; when an earlier one fails, the loop stops and those rendered
      // ahead are never awaited: their failures must not surface as unhandled rejections.
      rendering.catch(() => undefined);
      pending.set(i, rendering);
    };
    for (let i = 0; i < RENDER_AHEAD; i++) start(i);
    for (let i = 0; i < toRender.length; i++) {
      const file = toRender[i]!;
      const content = await pending.get(i)!;
      pending.delete(i);
      start(i + RENDER_AHEAD);
      const size = onDiskSize.get(file.path);
      const old = size === undefined || size !== Buffer.byteLength(content) ? undefined : await readFile(join(target, file.path), "utf8").catch(() => undefined);
      if (old === content) {
        same.push(file.path);
        continue;
      }
      changed.push(file.path);
      const dest = join(staging, ...file.path.split("/"));
      await mkdir(dirname(dest), { recursive: true });
      step();
      await writeFile(dest, content);
    }
    const wanted = new Set(files.map((f) => f.path));
    for (const path of existing) if (!wanted.has(path)) changed.push(path);

    if (changed.length > 0) {
      for (const path of same) {
        const dest = join(staging, ...path.split("/"));
        await mkdir(dirname(dest), { recursive: true });
        step();
        await link(join(target, path), dest).catch(async () => writeFile(dest, await readFile(join(target, path))));
      }
      await mkdir(staging, { recursive: true });
      const hadTarget = await exists(target);
      step();
      if (hadTarget) await rename(target, retired);
      step();
      await rename(staging, target);
      step();
      if (hadTarget) await rm(retired, { recursive: true, force: true });
    } else await rm(staging, { recursive: true, force: true });
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }

  const records = new Map<string, FileRecord>();
  for (const [path, digest] of digests) {
    const info = await stat(join(target, path)).catch(() => undefined);
    if (info !== undefined) records.set(path, { digest, size: info.size, mtimeMs: info.mtimeMs });
  }
  return { changed: changed.sort(), unchanged: same.length, skipped, records };
}

/**
 * Test hook: with FEEDWRIGHT_TEST_KILL_AT=n the process kills itself (SIGKILL) just before its
 * n-th change to the file system, so test/faults.test.ts can stop a build at every step.
 */
const KILL_AT = Number(process.env.FEEDWRIGHT_TEST_KILL_AT ?? 0);
let steps = 0;
function step(): void {
  if (KILL_AT > 0 && ++steps === KILL_AT) process.kill(process.pid, "SIGKILL");
}

/** How long a build waits for another one publishing to the same folder. */
const LOCK_WAIT_MS = 120_000;

/**
 * Only one build publishes to a folder at a time: two at once would hard-link files from a
 * folder the other is swapping out, and leave a mix. The lock is a file beside the output folder
 * holding its owner's pid; one left by a killed build (its pid gone) is taken over. The next
 * build waits, then publishes in turn: the last to start wins, whole.
 */
async function lock(parent: string, name: string): Promise<() => Promise<void>> {
  const path = join(parent, `.${name}.lock`);
  const started = Date.now();
  for (;;) {
    try {
      await writeFile(path, String(process.pid), { flag: "wx" });
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = Number(await readFile(path, "utf8").catch(() => ""));
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    // An empty file is a lock being written; one still empty after a few seconds is stale.
    const stale = owner > 0 ? !isAlive(owner) : age > 5_000;
    if (stale) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new Error(`another build (pid ${owner}) has been publishing to this folder for over ${LOCK_WAIT_MS / 1000} s; if none runs, remove ${path}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One clear line for a failed publish: the folder, what failed, and the system's reason. */
function publishError(outDir: string, e: unknown, blocker?: string): Error {
  if (blocker !== undefined) return new Error(`cannot publish to ${outDir}/: ${blocker} is a file, not a folder (ENOTDIR); ${outDir}/ left as it was`);
  const err = e as NodeJS.ErrnoException;
  if (err.message?.startsWith("cannot publish to ")) return err;
  return new Error(`cannot publish to ${outDir}/: ${fsReason(e, { withPath: true })}; ${outDir}/ left as it was`);
}

/** The first part of `path` that exists and is not a folder, if any. */
async function fileInPath(path: string): Promise<string | undefined> {
  let at = path;
  const chain: string[] = [];
  while (dirname(at) !== at) {
    chain.unshift(at);
    at = dirname(at);
  }
  for (const part of chain) {
    const info = await stat(part).catch(() => undefined);
    if (info === undefined) return undefined;
    if (!info.isDirectory()) return part;
  }
  return undefined;
}

/** Puts back an output folder a killed build had moved aside, and clears its leftovers. */
async function recover(parent: string, name: string): Promise<void> {
  const target = join(parent, name);
  const entries = await readdir(parent).catch(() => [] as string[]);
  const olds = entries.filter((e) => e.startsWith(`.${name}.old-`)).sort();
  if (!(await exists(target)) && olds.length > 0) await rename(join(parent, olds.pop()!), target);
  for (const entry of entries) {
    if (!entry.startsWith(`.${name}.staging-`) && !entry.startsWith(`.${name}.old-`)) continue;
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(entry)?.[1]);
    if (pid !== process.pid && !isAlive(pid)) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
