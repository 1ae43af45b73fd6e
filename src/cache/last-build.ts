/**
 * The last build, kept so that a build with nothing to do does nothing, as `make` does: when the
 * options and the code are the same, every file the last successful build read from the content
 * folder and every file it wrote to the output folder are as it left them, and now has passed no
 * article's scheduled or expiry time, that build's outcome is this one's, and nothing is read,
 * parsed or rendered.
 *
 *   <cacheDir>/builds/<h>.json   one per output folder, written after each successful build
 *
 * A file is "as it was" when its size, modification time, change time and inode number are, as
 * the article cache decides it (`provenUnchanged` in stamp.ts): an edit that keeps size and mtime
 * still changes the change time, which only the system sets; and a stamp taken within RACY_MS of
 * the file's modification proves nothing, so such a file sends the build the long way. The
 * listing itself is compared whole (every article, data file, skipped or other file), so a file
 * added, removed or renamed anywhere in the folder does too. The problems kept are the content's
 * (warnings; a build with errors keeps no record): the id-drift guard's are not, because the
 * output folder it compares with is now the one this build's plan wrote.
 *
 * The same comparison tells when only a few of the files read changed and nothing else did
 * (`changedSince`): then src/pipeline/patch.ts may patch those articles' items into the output,
 * from the plan the record names (kept-plan.ts).
 *
 * This module loads no parser or renderer: a build with nothing to do starts in the time it
 * takes to list the folder and stat its files.
 */
import { hash } from "node:crypto";
import { lstatSync, realpathSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { inFolder, listContent, type Listing } from "../content/read.ts";
import { writeAtomically } from "../output/atomic.ts";
import { LOCK_FILE, MANIFEST_FILE, STAGING_DIR } from "../output/bookkeeping.ts";
import { readRegular } from "../output/tree.ts";
import type { Counts } from "../pipeline/types.ts";
import type { Problem } from "../problems.ts";
import { codeVersion } from "./code-version.ts";
import { sealed, unsealed } from "./sealed.ts";
import { savePlan, type KeptPlan } from "./kept-plan.ts";
import { provenUnchanged, sameStat } from "./stamp.ts";

/** Bumped when the record's shape changes. */
const FORMAT = 4;

/** A file as a build found it, and when the stat was taken (an article's is its cache stamp as it is); null when there was none. */
export type InputStamp = { readonly size: number; readonly mtimeMs: number; readonly ctimeMs: number; readonly ino: number; readonly at: number } | null;

/** A file as a build wrote it: size, mtimeMs, ctimeMs, inode. */
export type OutputStamp = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** What a build with nothing to do reports: the last build's counts and the content's problems. */
export interface Unchanged {
  readonly counts: Counts;
  readonly problems: readonly Problem[];
  /** The site's WebSub hub: a build with nothing to do still tells `feedwright ping` that no feed changed. */
  readonly hub: string | null;
}

/** Everything besides the files that decides a build's outcome. */
export interface RunKey {
  readonly contentDir: string;
  readonly outDir: string;
  readonly siteUrl?: string | undefined;
  readonly drafts?: boolean | undefined;
  readonly maxFileBytes?: number | undefined;
}

export interface LastBuild extends Unchanged {
  /** The first and last instant (ms) at which every article's status is what it was (`statusWindow`): null for no bound. */
  readonly window: { readonly from: number | null; readonly until: number | null };
  /** Every file the build read, by path under the content folder (the id pins' file as null when there was none). */
  readonly inputs: ReadonlyMap<string, InputStamp>;
  /** Every file it left in the output folder, by path in it, the manifest included. */
  readonly outputs: ReadonlyMap<string, OutputStamp>;
  readonly listing: string;
  /** What a build that finds a few articles edited patches (kept-plan.ts); undefined when none was kept. */
  readonly plan?: KeptPlan | undefined;
}

/** At most this many files edited are patched in (src/pipeline/patch.ts): past it, the long way costs little more. */
export const MOST_EDITED = 8;

/** A build since which only some articles changed, by path under the content folder: src/pipeline/patch.ts may patch their items into its output. */
export interface EditedSince {
  readonly paths: readonly string[];
  /** The content folder as listed now: as the last build listed it. */
  readonly listing: Listing;
  readonly last: LastBuild;
  /** The record's file, and the digest of its plan's (kept-plan.ts); null when it kept none. */
  readonly recordFile: string;
  readonly plan: string | null;
}

/** The stamp of the file at `path` as it is now (taken before the file is read), or null. */
export function inputStamp(path: string): InputStamp {
  const at = Date.now();
  const info = statSync(path, { throwIfNoEntry: false });
  return info === undefined ? null : { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, at };
}

/** The listing, digested: any file added, removed or renamed, or a warning about one, changes it. */
export function listingDigest(listed: Listing): string {
  const files = listed.entries.map((e) => [e.path, e.bundleImage ?? null]);
  return hash("sha256", JSON.stringify([files, listed.dataFiles.map((d) => d.path), listed.skipped, listed.others, listed.problems]));
}

/**
 * The last build's outcome, when nothing it depends on has changed since; undefined otherwise
 * (or when there is no record, or it is damaged: then the build takes the long way, never a
 * wrong one).
 */
export async function unchangedSince(cacheDir: string, run: RunKey, now: number): Promise<Unchanged | undefined> {
  const found = await changedSince(cacheDir, run, now, 0);
  return found !== undefined && !("paths" in found) ? found : undefined;
}

/**
 * Like `unchangedSince`, but where at most `most` files the last build read changed, nothing
 * else did, and no file was added, removed or renamed: those files' paths, and the record.
 */
export async function changedSince(cacheDir: string, run: RunKey, now: number, most: number): Promise<Unchanged | EditedSince | undefined> {
  try {
    const file = recordFile(cacheDir, run.outDir);
    const record = await readRecord(file);
    const found = await compare(record, run, now, most);
    if (found === undefined || record === undefined) return undefined;
    if (found.edited.length === 0) return { counts: record.counts, problems: record.problems, hub: record.hub };
    return { paths: found.edited, listing: found.listed, last: lastBuildOf(record), recordFile: file, plan: record.plan };
  } catch {
    // A record of another shape (written by another version of the same number): the long way.
    return undefined;
  }
}

/** The paths of the files read that changed (none: nothing did); undefined when more than `most` did, or anything else changed. */
async function compare(record: RecordJson | undefined, run: RunKey, now: number, most: number): Promise<{ edited: string[]; listed: Listing } | undefined> {
  if (record === undefined || record.key !== runDigest(run)) return undefined;
  const { from, until } = record.window;
  if ((from !== null && now < from) || (until !== null && now >= until)) return undefined;
  // A build running, or one stopped mid-publish: the long way waits for it, or plays it forward.
  const out = resolve(run.outDir);
  if (lstatSync(join(out, LOCK_FILE), { throwIfNoEntry: false }) !== undefined || lstatSync(join(out, STAGING_DIR), { throwIfNoEntry: false }) !== undefined) return undefined;
  const { paths: written, stamps: writtenAs } = record.outputs;
  for (let i = 0; i < written.length; i++) {
    const info = lstatSync(join(out, written[i]!), { throwIfNoEntry: false });
    const [size, mtimeMs, ctimeMs, ino] = writtenAs.slice(4 * i, 4 * i + 4) as [number, number, number, number];
    if (info === undefined || !info.isFile() || !sameStat(info, { size, mtimeMs, ctimeMs, ino })) return undefined;
  }
  // Newest last in most blogs' listings, and an edit is most likely there: compared from the end,
  // before the folder is listed again (files added, removed or renamed), which costs more.
  const content = resolve(run.contentDir);
  const { paths: read, stamps: readAs } = record.inputs;
  const edited: string[] = [];
  for (let i = read.length - 1; i >= 0; i--) {
    // Paths as the listing gives them (under the folder's real path): under the folder as given,
    // a link to it included, they name the same files.
    const info = statSync(inFolder(content, read[i]!), { throwIfNoEntry: false });
    const [size, mtimeMs, ctimeMs, ino, at] = readAs.slice(5 * i, 5 * i + 5) as [number, number, number, number, number];
    // A size of -1: the file was not there (the id pins' file, which is optional).
    if (size === -1 ? info === undefined : info !== undefined && provenUnchanged(info, { size, mtimeMs, ctimeMs, ino, at })) continue;
    if (edited.length === most) return undefined;
    edited.push(read[i]!);
  }
  const listed = await listContent(run.contentDir);
  if (listingDigest(listed) !== record.listing) return undefined;
  return { edited, listed };
}

/** The record as the build that wrote it had it (its plan aside: read only when needed). */
function lastBuildOf(record: RecordJson): LastBuild {
  const inputs = new Map<string, InputStamp>();
  record.inputs.paths.forEach((path, i) => {
    const [size, mtimeMs, ctimeMs, ino, at] = record.inputs.stamps.slice(5 * i, 5 * i + 5) as [number, number, number, number, number];
    inputs.set(path, size === -1 ? null : { size, mtimeMs, ctimeMs, ino, at });
  });
  const outputs = new Map<string, OutputStamp>(record.outputs.paths.map((path, i) => [path, record.outputs.stamps.slice(4 * i, 4 * i + 4) as unknown as OutputStamp]));
  return { counts: record.counts, problems: record.problems, hub: record.hub, window: record.window, inputs, outputs, listing: record.listing };
}

/** Keeps a successful build's record for the next one (a cache that cannot be written is the caller's warning). */
export async function saveLastBuild(cacheDir: string, run: RunKey, build: LastBuild): Promise<void> {
  await mkdir(join(cacheDir, "builds"), { recursive: true });
  const file = recordFile(cacheDir, run.outDir);
  // The plan first: a record names only a plan already whole on disk.
  const plan = build.plan === undefined ? null : await savePlan(file, build.plan);
  const text = sealed({
    format: FORMAT,
    key: runDigest(run),
    window: build.window,
    listing: build.listing,
    // Paths under the content folder and flat lists of numbers: at 50,000 articles the record is
    // read by every build that has something to do, before it does it.
    inputs: flat(build.inputs, (path) => path, (stamp) => (stamp === null ? [-1, -1, -1, -1, -1] : [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, stamp.at])),
    outputs: flat(build.outputs, (path) => path, (stamp) => stamp),
    counts: build.counts,
    problems: build.problems,
    hub: build.hub,
    plan,
  });
  await writeAtomically(file, text);
}

/** The output folder's stamps as publishing left them, its manifest added. */
export function outputStamps(outDir: string, written: ReadonlyMap<string, { size: number; mtimeMs: number; ctimeMs: number; ino: number }>): Map<string, OutputStamp> | undefined {
  const manifest = lstatSync(join(outDir, MANIFEST_FILE), { throwIfNoEntry: false });
  if (manifest === undefined) return undefined;
  const stamps = new Map<string, OutputStamp>([...written].map(([path, r]) => [path, [r.size, r.mtimeMs, r.ctimeMs, r.ino]]));
  stamps.set(MANIFEST_FILE, [manifest.size, manifest.mtimeMs, manifest.ctimeMs, manifest.ino]);
  return stamps;
}

/** Files and their stamps' numbers, one after another: far quicker to parse than an object of arrays. */
interface Flat {
  readonly paths: string[];
  readonly stamps: number[];
}

function flat<T>(stamps: ReadonlyMap<string, T>, path: (key: string) => string, numbers: (stamp: T) => readonly number[]): Flat {
  const flattened: Flat = { paths: [], stamps: [] };
  for (const [key, stamp] of stamps) {
    flattened.paths.push(path(key));
    flattened.stamps.push(...numbers(stamp));
  }
  return flattened;
}

interface RecordJson {
  readonly key: string;
  readonly window: { readonly from: number | null; readonly until: number | null };
  readonly listing: string;
  /** 5 numbers a file: size, mtimeMs, ctimeMs, inode, when the stamp was taken; a size of -1 for a file that was not there. */
  readonly inputs: Flat;
  /** 4 numbers a file: size, mtimeMs, ctimeMs, inode. */
  readonly outputs: Flat;
  readonly counts: Counts;
  readonly problems: Problem[];
  readonly hub: string | null;
  readonly plan: string | null;
}

/** The record, when it is byte for byte what a build wrote (sealed.ts) in this format. */
async function readRecord(file: string): Promise<RecordJson | undefined> {
  const read = await readRegular(file).catch(() => undefined);
  const record = read?.kind === "file" ? unsealed(read.bytes) : undefined;
  return record?.format === FORMAT ? (record as unknown as RecordJson) : undefined;
}

/**
 * The options, the working directory and the content folder's real path (messages name files by
 * them: a content folder reached by a link whose target was renamed names other files), the code
 * and Node (its ICU writes the front door's dates).
 */
function runDigest(run: RunKey): string {
  const content = resolve(run.contentDir);
  let real: string | null = null;
  try {
    real = realpathSync(content);
  } catch {
    // No such folder: listing it says so.
  }
  const parts = [codeVersion(), process.version, process.cwd(), content, real, resolve(run.outDir), run.siteUrl ?? null, run.drafts === true, run.maxFileBytes ?? null];
  return hash("sha256", JSON.stringify(parts));
}

function recordFile(cacheDir: string, outDir: string): string {
  return join(cacheDir, "builds", `${hash("sha256", resolve(outDir)).slice(0, 32)}.json`);
}
