/**
 * Publishing: makes the files feedwright owns in an output folder exactly the new set, touching
 * nothing else there. The folder may be shared with a site generator's output (Hugo's public/,
 * Jekyll's _site/): the manifest (manifest.ts) says which files are feedwright's.
 *
 * Every changed file is first written into a hidden staging folder inside the output folder (so
 * on the same file system), with the new manifest. Then a journal listing the renames and
 * removals is written there and renamed into place: that rename is the commit point. After it,
 * each staged file is renamed over its old one (each file is whole at every instant), removed
 * files are unlinked, the manifest is renamed last and the staging folder removed. A build killed
 * before the commit point leaves the old files (the next build clears the staging folder); one
 * killed after it leaves a journal the next build plays forward before it does anything else.
 * Files whose bytes did not change are never touched, so their modification times stay.
 *
 * What is done once per file (looking, staging, renaming) is done with synchronous calls, as
 * reading the content is: for files this small one blocking call each is faster than a round trip
 * through libuv's thread pool (10,000 articles, same job: 0.1 s the main thread spent waiting
 * on 60 files), and there is nothing to do meanwhile that is not on this thread already.
 */
import { closeSync, lstatSync, mkdirSync, openSync, renameSync, writeSync, type Stats } from "node:fs";
import { lstat, mkdir, readdir, realpath, rename, rm, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import * as z from "zod";
import { fsReason } from "../fs-errors.ts";
import { checkpoint } from "../interrupt.ts";
import { takeLock, isAlive } from "./lock.ts";
import { isBookkeeping, LOCK_FILE, MANIFEST_FILE, STAGING_DIR } from "./bookkeeping.ts";
import { isSafePath, readManifest, renderManifest } from "./manifest.ts";
import { sameStat } from "../cache/stamp.ts";
import { kindOf, listTree, readRegular } from "./tree.ts";

/** Files being rendered ahead of the one being written: bounds memory, keeps workers busy. */
const RENDER_AHEAD = 8;

/**
 * A file's pieces are encoded into a buffer this large and written when it is full: few writes,
 * and no string the size of a file (an archive page is megabytes, and every string that large is
 * garbage only a full collection frees).
 */
const WRITE_BUFFER = 64 * 1024;

/** A file to publish, relative to the output folder with `/` separators. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** A file rendered only when it has to be written: `digest` stands for its bytes. */
export interface PendingFile {
  readonly path: string;
  readonly digest: string;
  /** The file's text in pieces (strings, or text already encoded as UTF-8), in order: written one after another, never joined. */
  readonly render: () => Promise<readonly (string | Uint8Array)[]>;
}

/**
 * What the last publish wrote, per file: lets the next one skip rendering unchanged files. The
 * change time and inode number are part of it because a hand edit can keep size and mtime
 * (`touch -r`), but not the change time, which only the system sets.
 */
export interface FileRecord {
  readonly digest: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
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

export interface PublishOptions {
  /** What the last publish to this folder wrote (from the cache): lets unchanged files go unrendered. */
  readonly previous?: ReadonlyMap<string, FileRecord>;
  /** Aborted (Ctrl-C, SIGTERM): before the commit point, nothing is published and the staging folder is removed. */
  readonly signal?: AbortSignal;
  /**
   * Called just before each change publishing makes to the file system (a folder made, a file
   * written, renamed or removed). A test hook: test/interop/kill.test.ts kills the process at the
   * n-th call, through test/helpers/kill-build.ts, to stop a build at every step.
   */
  readonly beforeChange?: () => void;
}

/** Thrown for a publish that was refused or failed: its message is the one line a user reads. */
export class PublishError extends Error {
  override name = "PublishError";
}

/** Makes feedwright's files in `outDir` exactly `files`, all old or all new (see above). */
export async function publish(outDir: string, files: readonly (OutputFile | PendingFile)[], options: PublishOptions = {}): Promise<PublishReport> {
  const signal = options.signal;
  signal?.throwIfAborted();
  let dir: string;
  let created: boolean;
  try {
    ({ dir, created } = await openFolder(outDir));
  } catch (e) {
    if (e instanceof PublishError) throw e;
    throw publishError(outDir, e, "before", await fileInPath(dirname(resolve(outDir))));
  }
  let release: () => Promise<void>;
  try {
    release = await takeLock(join(dir, LOCK_FILE), signal === undefined ? {} : { signal });
  } catch (e) {
    if (signal?.aborted === true) throw signal.reason;
    throw publishError(outDir, e, "before");
  }
  const phase = { committed: false };
  const step = options.beforeChange ?? noop;
  let failure: unknown;
  try {
    await recover(dir, phase, step);
    phase.committed = false;
    return await publishLocked(dir, files, options, phase);
  } catch (e) {
    failure = e;
  } finally {
    await release().catch(() => undefined);
  }
  // A folder this build made and could not fill goes again.
  if (created) await rmdir(dir).catch(() => undefined);
  if (signal?.aborted === true && !phase.committed) throw signal.reason;
  throw publishError(outDir, failure, phase.committed ? "during" : "before");
}

async function publishLocked(dir: string, files: readonly (OutputFile | PendingFile)[], options: PublishOptions, phase: { committed: boolean }): Promise<PublishReport> {
  const { signal, previous = new Map<string, FileRecord>() } = options;
  const step = options.beforeChange ?? noop;
  const manifest = await readManifest(dir);
  const owned = manifest.kind === "ok" ? new Set(manifest.files) : await adoptLegacy(dir, files);
  const wanted = new Set(files.map((f) => f.path));
  for (const path of wanted) if (!isSafePath(path)) throw new Error(`refusing to write ${JSON.stringify(path)}: not a plain path inside the output folder`);
  const blockedBy = ancestors(dir);
  const staging = join(dir, STAGING_DIR);
  let staged = false;
  // The staging folder is new and this build's alone (under the lock): each folder in it is made once.
  const folders = new Set<string>();
  const stage = async (path: string, pieces: readonly (string | Uint8Array)[]): Promise<void> => {
    if (!staged) {
      // Not recursive: a read-only or full file system then fails with its own code.
      step();
      await mkdir(staging);
      staged = true;
    }
    const dest = join(staging, "files", ...path.split("/"));
    if (!folders.has(dirname(dest))) {
      mkdirSync(dirname(dest), { recursive: true });
      folders.add(dirname(dest));
    }
    step();
    writePieces(dest, pieces);
  };

  const changed: string[] = [];
  const conflicts: string[] = [];
  let same = 0;
  let skipped = 0;
  try {
    // First the cheap pass: what is in the way, and which files the last publish wrote exactly so.
    type Todo = { readonly file: OutputFile | PendingFile; readonly size: number | undefined; readonly mine: boolean };
    const toRender: Todo[] = [];
    for (const file of files) {
      await checkpoint(signal);
      const blocked = blockedBy(file.path);
      if (blocked !== undefined) {
        conflicts.push(blocked);
        continue;
      }
      const info = lstatOrUndefined(join(dir, file.path));
      const mine = owned.has(file.path);
      if (info !== undefined && (info.isDirectory() || (!info.isFile() && !mine))) {
        conflicts.push(`${file.path} (${kindOf(info)})`);
        continue;
      }
      const record = "digest" in file ? previous.get(file.path) : undefined;
      if (mine && info?.isFile() === true && record !== undefined && record.digest === (file as PendingFile).digest && sameStat(info, record)) {
        same++;
        skipped++;
      } else toRender.push({ file, size: info?.isFile() === true ? info.size : undefined, mine });
    }
    // Then render the rest, a few ahead of the one being written (renders may run on other
    // threads), comparing each with the file it replaces.
    const pending = new Map<number, Promise<readonly (string | Uint8Array)[]>>();
    const start = (i: number) => {
      const todo = toRender[i];
      if (todo === undefined) return;
      const rendering = "content" in todo.file ? Promise.resolve([todo.file.content]) : todo.file.render();
      // Awaited in order below; when an earlier one fails, the loop stops and those rendered
      // ahead are never awaited: their failures must not surface as unhandled rejections.
      rendering.catch(() => undefined);
      pending.set(i, rendering);
    };
    for (let i = 0; i < RENDER_AHEAD; i++) start(i);
    for (let i = 0; i < toRender.length; i++) {
      await checkpoint(signal);
      const { file, size, mine } = toRender[i]!;
      const pieces = await pending.get(i)!;
      pending.delete(i);
      start(i + RENDER_AHEAD);
      if (size !== undefined && size === totalBytes(pieces)) {
        const old = await readRegular(join(dir, file.path));
        // The same bytes: left alone, and a file feedwright did not list becomes its own.
        if (old.kind === "file" && holds(old.bytes, pieces)) {
          same++;
          continue;
        }
      }
      if (size !== undefined && !mine) {
        conflicts.push(file.path);
        continue;
      }
      changed.push(file.path);
      if (conflicts.length === 0) await stage(file.path, pieces);
    }
    if (conflicts.length > 0) {
      // A folder in the way of many files (a link where `tags/` goes) is named once.
      const distinct = [...new Set(conflicts)].sort();
      const listed = distinct.slice(0, 5).join(", ") + (distinct.length > 5 ? ` and ${distinct.length - 5} more` : "");
      const why =
        manifest.kind === "malformed"
          ? ` (its ${MANIFEST_FILE} is unreadable: ${manifest.why})`
          : manifest.kind === "absent" && (await writtenByFeedwright(dir))
            ? ` (an older feedwright's output with other files added: its feed files can be removed once, and this build run again)`
            : "";
      const one = distinct.length === 1;
      throw new PublishError(`feedwright did not write ${one ? "this file" : `these ${distinct.length} files`}, so it leaves ${one ? "it" : "them"} alone${why}: ${listed}; move ${one ? "it" : "them"} away, or choose another --out`);
    }

    // Files it wrote before and writes no more: removed (a folder put in their place is not).
    const removed: string[] = [];
    for (const path of owned) {
      if (wanted.has(path) || blockedBy(path) !== undefined) continue;
      const info = lstatOrUndefined(join(dir, path));
      if (info === undefined || info.isDirectory()) continue;
      removed.push(path);
      changed.push(path);
    }

    const text = renderManifest(wanted);
    const manifestChanged = manifest.kind !== "ok" || manifest.text !== text;
    if (changed.length === 0 && !manifestChanged) return { changed: [], unchanged: same, skipped, records: await recordsOf(dir, files) };
    if (manifestChanged) {
      if (!staged) {
        step();
        await mkdir(staging);
        staged = true;
      }
      step();
      await writeFile(join(staging, "manifest.json"), text);
    }
    // The last moment to stop with nothing published.
    signal?.throwIfAborted();
    const journal: Journal = { renames: changed.filter((p) => wanted.has(p)), removes: removed, manifest: manifestChanged };
    step();
    await writeFile(join(staging, "journal.tmp"), JSON.stringify(journal));
    step();
    await rename(join(staging, "journal.tmp"), join(staging, "journal.json"));
    phase.committed = true;
    await apply(dir, journal, step);
  } catch (e) {
    if (staged && !phase.committed) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  return { changed: changed.sort(), unchanged: same, skipped, records: await recordsOf(dir, files) };
}

const JournalSchema = z.object({ renames: z.array(z.string().refine(isSafePath)), removes: z.array(z.string().refine(isSafePath)), manifest: z.boolean() });
type Journal = z.infer<typeof JournalSchema>;

/** Plays a committed journal forward: every step may already be done (a kill may come at any). */
async function apply(dir: string, journal: Journal, step: () => void): Promise<void> {
  const staging = join(dir, STAGING_DIR);
  const blockedBy = ancestors(dir);
  const made = new Set<string>();
  for (const path of journal.renames) {
    const blocked = blockedBy(path);
    if (blocked !== undefined) throw new PublishError(`${blocked} is in the way of ${path}`);
    const to = join(dir, ...path.split("/"));
    if (!made.has(dirname(to))) {
      step();
      mkdirSync(dirname(to), { recursive: true });
      made.add(dirname(to));
    }
    step();
    try {
      renameSync(join(staging, "files", ...path.split("/")), to);
    } catch (e) {
      ignoreMissing(e);
    }
  }
  const emptied = new Set<string>();
  for (const path of journal.removes) {
    if (blockedBy(path) !== undefined) continue;
    step();
    await unlink(join(dir, ...path.split("/"))).catch(ignoreMissing);
    for (let at = dirname(path); at !== "."; at = dirname(at)) emptied.add(at);
  }
  // Folders left empty by the removals (a tag's): deepest first; one still holding anything stays.
  for (const folder of [...emptied].sort((a, b) => b.split("/").length - a.split("/").length)) {
    await rmdir(join(dir, ...folder.split("/"))).catch(() => undefined);
  }
  if (journal.manifest) {
    step();
    await rename(join(staging, "manifest.json"), join(dir, MANIFEST_FILE)).catch(ignoreMissing);
  }
  step();
  await rm(staging, { recursive: true, force: true });
}

/** Before anything else: a committed journal is played forward; an uncommitted staging folder removed. */
async function recover(dir: string, phase: { committed: boolean }, step: () => void): Promise<void> {
  const staging = join(dir, STAGING_DIR);
  const info = await lstat(staging).catch(() => undefined);
  if (info === undefined) return;
  if (info.isDirectory()) {
    const read = await readRegular(join(staging, "journal.json"));
    const journal = read.kind === "file" ? parseJournal(read.bytes.toString("utf8")) : undefined;
    if (journal !== undefined) {
      phase.committed = true;
      await apply(dir, journal, step);
      return;
    }
  }
  step();
  await rm(staging, { recursive: true, force: true });
}

function parseJournal(text: string): Journal | undefined {
  try {
    const parsed = JournalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The output folder, ready to write into: a symbolic link to a folder is followed (the feeds go
 * into its target, the link stays), a missing folder is made. A file, a link to a file and a
 * link to nothing are refused, never replaced.
 */
async function openFolder(outDir: string): Promise<{ dir: string; created: boolean }> {
  const target = resolve(outDir);
  const info = await lstat(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw e;
  });
  if (info?.isSymbolicLink() === true) {
    const to = await stat(target).catch(() => undefined);
    if (to === undefined) throw refused(outDir, "it is a symbolic link to a folder that does not exist; create that folder, or remove the link");
    if (!to.isDirectory()) throw refused(outDir, "it is a symbolic link to a file, not a folder");
    return { dir: await realpath(target), created: false };
  }
  if (info !== undefined && !info.isDirectory()) throw refused(outDir, "it is a file, not a folder; feedwright leaves it as it is");
  if (info !== undefined) return { dir: target, created: false };
  if (await restoreLegacy(target)) return { dir: target, created: false };
  await mkdir(dirname(target), { recursive: true });
  try {
    // Not recursive: a read-only or full file system then fails here with its own error code.
    await mkdir(target);
  } catch (e) {
    // Made meanwhile by another build: one folder, publishes taking turns under its lock.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return openFolder(outDir);
    throw e;
  }
  return { dir: target, created: true };
}

/**
 * feedwright before 2 swapped whole output folders: a build of that version killed between its
 * two renames left the folder aside as `.<name>.old-<pid>-<hex>`. It is put back, and the
 * staging and retired folders of dead builds beside it are cleared.
 */
async function restoreLegacy(target: string): Promise<boolean> {
  const parent = dirname(target);
  const name = basename(target);
  const entries = await readdir(parent).catch(() => [] as string[]);
  const ours = entries.filter((e) => e.startsWith(`.${name}.old-`) || e.startsWith(`.${name}.staging-`));
  const olds = ours.filter((e) => e.startsWith(`.${name}.old-`)).sort();
  let restored = false;
  if (olds.length > 0) {
    await rename(join(parent, olds.pop()!), target);
    restored = true;
  }
  for (const entry of ours) {
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(entry)?.[1]);
    if (!isAlive(pid)) await rm(join(parent, entry), { recursive: true, force: true });
  }
  return restored;
}

/**
 * A folder without a manifest: the files to treat as feedwright's. When the folder is exactly
 * what an older feedwright left (it replaced the whole folder, so held nothing else), all of
 * it: every file bears a name feedwright writes and the site's Atom feed names feedwright as
 * its generator. Otherwise none: a file in the way is adopted only if it already holds the new
 * bytes, and any other is refused.
 */
async function adoptLegacy(dir: string, files: readonly (OutputFile | PendingFile)[]): Promise<Set<string>> {
  const found = await listTree(dir, isBookkeeping);
  if (found === undefined || found.size === 0) return new Set();
  const names = new Set(files.map((f) => basename(f.path)));
  for (const path of found) if (!names.has(basename(path))) return new Set();
  if (!(await writtenByFeedwright(dir))) return new Set();
  for (const path of found) if ((await readRegular(join(dir, path))).kind !== "file") return new Set();
  return found;
}

/** Whether the folder's site Atom feed names feedwright as its generator. */
async function writtenByFeedwright(dir: string): Promise<boolean> {
  const atom = await readRegular(join(dir, "atom.xml"));
  return atom.kind === "file" && /<generator[^>]*>feedwright</.test(atom.bytes.subarray(0, 4096).toString("utf8"));
}

/**
 * For a path inside `dir`: the first folder on the way that is not a real folder (a file, or a
 * symbolic link, which is never written through), or undefined. Answers are kept per folder.
 */
function ancestors(dir: string): (path: string) => string | undefined {
  const seen = new Map<string, string | undefined | "missing">();
  return (path) => {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      let answer = seen.get(folder);
      if (!seen.has(folder)) {
        const info = lstatOrUndefined(join(dir, folder));
        answer = info === undefined ? "missing" : info.isDirectory() ? undefined : `${folder} (${kindOf(info)})`;
        seen.set(folder, answer);
      }
      if (answer === "missing") return undefined;
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
}

async function recordsOf(dir: string, files: readonly (OutputFile | PendingFile)[]): Promise<Map<string, FileRecord>> {
  const records = new Map<string, FileRecord>();
  for (const file of files) {
    if (!("digest" in file)) continue;
    const info = lstatOrUndefined(join(dir, file.path));
    if (info?.isFile() === true) records.set(file.path, { digest: file.digest, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino });
  }
  return records;
}

function byteLength(piece: string | Uint8Array): number {
  return typeof piece === "string" ? Buffer.byteLength(piece) : piece.byteLength;
}

function totalBytes(pieces: readonly (string | Uint8Array)[]): number {
  let bytes = 0;
  for (const piece of pieces) bytes += byteLength(piece);
  return bytes;
}

/** Whether `bytes` are exactly `pieces`, encoded and joined: compared piece by piece, through one buffer. */
function holds(bytes: Buffer, pieces: readonly (string | Uint8Array)[]): boolean {
  const scratch = Buffer.allocUnsafe(WRITE_BUFFER);
  let at = 0;
  for (const piece of pieces) {
    const length = byteLength(piece);
    if (at + length > bytes.length) return false;
    const encoded = typeof piece !== "string" ? piece : length <= scratch.length ? scratch.subarray(0, scratch.write(piece)) : Buffer.from(piece);
    if (!bytes.subarray(at, at + length).equals(encoded)) return false;
    at += length;
  }
  return at === bytes.length;
}

/** Writes a new file holding `pieces`, one after another, through one buffer (see WRITE_BUFFER). */
function writePieces(path: string, pieces: readonly (string | Uint8Array)[]): void {
  const fd = openSync(path, "w");
  try {
    const buffer = Buffer.allocUnsafe(WRITE_BUFFER);
    let used = 0;
    const write = (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
    };
    for (const piece of pieces) {
      const length = byteLength(piece);
      if (used + length > buffer.length) {
        write(buffer.subarray(0, used));
        used = 0;
      }
      if (length > buffer.length) write(typeof piece === "string" ? Buffer.from(piece) : piece);
      else if (typeof piece === "string") used += buffer.write(piece, used);
      else used += Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).copy(buffer, used);
    }
    write(buffer.subarray(0, used));
  } finally {
    closeSync(fd);
  }
}

/** A path's own status (a link is not followed), or undefined where there is nothing, or it cannot be looked at. */
function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
}

function noop(): void {}

function refused(outDir: string, why: string): PublishError {
  return new PublishError(`cannot publish to ${outDir}/: ${why}; ${outDir}/ left as it was`);
}

/** One clear line for a failed publish: the folder, what failed, the system's reason, and the folder's state. */
function publishError(outDir: string, e: unknown, when: "before" | "during", blocker?: string): Error {
  if (blocker !== undefined) return refused(outDir, `${blocker} is a file, not a folder (ENOTDIR)`);
  const err = e as NodeJS.ErrnoException;
  if (err.message?.startsWith("cannot publish to ")) return err;
  const reason = e instanceof PublishError ? e.message : fsReason(e, { withPath: true });
  if (when === "during") return new PublishError(`cannot publish to ${outDir}/: ${reason}; the publish stopped part-way: the next build completes it`);
  return refused(outDir, reason);
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
