/**
 * The build cache: what reading and rendering one article produced, keyed by everything that
 * could change it (feedwright's version, the site settings, the file's path and bytes).
 *
 * The cache can only cost time. Every entry carries a digest of its key and its whole content,
 * checked when it is read: an entry edited, truncated or damaged in any way is not the one that
 * was written, so it is ignored and the article read and rendered again. A cache folder that
 * cannot be written (read-only, full, a file in its place) is a warning at most: the build goes
 * on without it. Anything in it that is not a regular file (a link, a FIFO) is never opened.
 * Deleting the folder is always safe.
 *
 *   <dir>/index/<xx>.json  key → article fields (small; read once per build), and each
 *                          content file's stamp (size, times, inode, digest of its bytes), in
 *                          256 shards by a digest of the key or path (`shardOf`): a build that
 *                          changed a few articles rewrites a few shards, not the whole index
 *   <dir>/html/<key>.html  the rendered body, read only when a document that shows it is written
 *   <dir>/outputs/<h>.json what the last build wrote to one output folder, by document digest
 *   <dir>/builds/<h>.json  the last successful build to one output folder (last-build.ts)
 *
 * The digests guard against damage, not against someone who can write the cache on purpose:
 * they could as well edit the content. See docs/security.md.
 */
import { createHash, hash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as z from "zod";
import { shownPath } from "../content/read.ts";
import { fsReason } from "../fs-errors.ts";
import { writeAtomically } from "../output/atomic.ts";
import { saveLastBuild, type LastBuild, type RunKey } from "./last-build.ts";
import { sealed, unsealed } from "./sealed.ts";
import type { FileRecord } from "../output/publish.ts";
import type { FileStamp } from "../pipeline/read-one.ts";
import { readRegular } from "../output/tree.ts";
import { warning, type Problem } from "../problems.ts";

/**
 * Bumped when the shape or the meaning of an entry or a stamp changes. 6: a stamp's digest is of
 * the file's bytes, no longer of its decoded text; an entry keyed by the old digest would be
 * served by a stamp and then not found again by the bytes (the same version number, a local pack).
 */
const FORMAT = 6;

const EntrySchema = z.object({
  /** JSON-safe article fields (dates as an instant and an offset). */
  article: z.record(z.string(), z.unknown()),
  excerpt: z.string(),
  /** sha256 of the rendered body, checked whenever it is read back; absent when not rendered. */
  htmlHash: z.string().optional(),
});
export type CacheEntry = z.infer<typeof EntrySchema>;

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A shard of the index, sealed (sealed.ts): a file that is byte for byte what a build wrote holds
 * entries of the shape written, so none is checked one by one (at 10,000 articles, checking each
 * entry with the schema and a digest of its own cost a quarter of a second of every build): the
 * maps are taken as they are (`z.custom`). Any damage discards the whole shard: its articles are
 * read again, as the cache can only cost time. Shards from different builds mix safely: an entry
 * is found only by a key that digests everything it was made from, and a stamp serves only while
 * the file's size, times and inode are what it says.
 */
const IndexSchema = z.object({ format: z.literal(FORMAT), entries: z.custom<Record<string, unknown>>(isMap), stamps: z.custom<Record<string, unknown>>(isMap) });

/** Whether two stamps say the same (the same object when the file was not read again, so mostly compared by reference). */
function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

interface Shard {
  readonly entries: Record<string, CacheEntry>;
  readonly stamps: Record<string, FileStamp>;
}

function shardText(shard: Shard): string {
  return sealed({ format: FORMAT, entries: shard.entries, stamps: shard.stamps });
}

function readShard(bytes: Uint8Array): Shard | undefined {
  const parsed = IndexSchema.safeParse(unsealed(bytes));
  return parsed.success ? { entries: parsed.data.entries as Record<string, CacheEntry>, stamps: parsed.data.stamps as Record<string, FileStamp> } : undefined;
}

/** The index's folder, and the name of each of its shards. */
const INDEX_DIR = "index";
const SHARD_FILE = /^[0-9a-f]{2}\.json$/;
/** Where the index was one file (before format 5): removed once the shards are written. */
const OLD_INDEX_FILE = "index.json";

/**
 * The shard that keeps an entry's key or a file's path: the low byte of its 32-bit FNV-1a hash,
 * in hex. Not a digest that must resist anyone, only a spread: at 50,000 articles a shard holds
 * about 200 of each, so one article edited rewrites three shards of some 150 KB.
 */
export function shardOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h & 0xff).toString(16).padStart(2, "0");
}

const RecordSchema = z.object({ digest: z.string(), size: z.number(), mtimeMs: z.number(), ctimeMs: z.number(), ino: z.number() });
const OutputsSchema = z.object({ records: z.record(z.string(), RecordSchema), check: z.string() });

export class ArticleCache {
  #entries = new Map<string, CacheEntry>();
  #used = new Set<string>();
  /** Rendered bodies kept in memory this run, up to a budget; the rest is read back from disk. */
  #memory = new Map<string, string>();
  #memoryBytes = 0;
  /**
   * A run-only cache's bodies past the memory budget: one file, appended to and read back by
   * offset. A file, a folder check and a rename per body cost the full job at 10,000 articles
   * seconds of the main thread and of system time.
   */
  #spill: { readonly file: FileHandle; size: number; readonly at: Map<string, readonly [offset: number, bytes: number]> } | undefined;
  /** The persistent cache's folder of bodies, made once a run. */
  #htmlFolder: Promise<unknown> | undefined;
  /** Why the cache could not be written, once it could not: nothing more is tried this run. */
  #unwritable: string | undefined;
  /** Each content file's stamp as the last build left it, and as this one leaves it. */
  #stamps = new Map<string, FileStamp>();
  #newStamps = new Map<string, FileStamp>();
  /** The shards read, for a cache opened for a few keys and paths (`openFor`); undefined when all were. */
  #partial: Set<string> | undefined;
  /** Shards this run put an entry in, or found damaged: written (or removed) by close(). */
  #changedShards = new Set<string>();

  private constructor(
    readonly dir: string,
    /** A cache that lives only for this run (`--no-cache`): removed by close(). */
    readonly ephemeral: boolean,
    readonly memoryBudget: number,
  ) {}

  static async open(dir: string | undefined, memoryBudget = 192 * 1024 * 1024): Promise<ArticleCache> {
    if (dir === undefined) {
      const temp = join(tmpdir(), `feedwright-run-${process.pid}-${randomBytes(4).toString("hex")}`);
      const cache = new ArticleCache(temp, true, memoryBudget);
      await cache.#write(async () => {
        await mkdir(temp, { recursive: true });
        cache.#spill = { file: await open(join(temp, "bodies"), "w+"), size: 0, at: new Map() };
      });
      return cache;
    }
    const cache = new ArticleCache(resolve(dir), false, memoryBudget);
    const names = (await readdir(join(cache.dir, INDEX_DIR)).catch(() => [] as string[])).filter((n) => SHARD_FILE.test(n)).sort();
    await cache.#load(names);
    return cache;
  }

  /**
   * The persistent cache with only the shards that keep these keys and paths read (`shardOf`):
   * for a build that touches a few articles (src/pipeline/patch.ts). Every entry and stamp read
   * is kept as it is, used or not; close() writes only the shards this run changed.
   */
  static async openFor(dir: string, memoryBudget: number, keysAndPaths: readonly string[]): Promise<ArticleCache> {
    const cache = new ArticleCache(resolve(dir), false, memoryBudget);
    cache.#partial = new Set();
    await cache.more(keysAndPaths);
    return cache;
  }

  /** A cache opened for some keys and paths (`openFor`): reads the shards of these too. */
  async more(keysAndPaths: readonly string[]): Promise<void> {
    const read = this.#partial;
    if (read === undefined) return;
    const names = [...new Set(keysAndPaths.map(shardOf))].filter((name) => !read.has(name));
    for (const name of names) read.add(name);
    const entries = new Set(this.#entries.keys());
    const stamps = new Set(this.#stamps.keys());
    await this.#load(names.sort().map((name) => `${name}.json`));
    // What was read stays as it was, used or not: only what this run changes is written.
    for (const key of this.#entries.keys()) if (!entries.has(key)) this.#used.add(key);
    for (const [path, stamp] of this.#stamps) if (!stamps.has(path)) this.#newStamps.set(path, stamp);
  }

  async #load(names: readonly string[]): Promise<void> {
    // Read all at once: one after another, a build at 10,000 articles waited 0.1 s on the disk.
    const reads = await Promise.all(names.map((name) => readRegular(join(this.dir, INDEX_DIR, name)).catch(() => undefined)));
    for (const [i, name] of names.entries()) {
      const read = reads[i];
      const shard = read?.kind === "file" ? readShard(read.bytes) : undefined;
      // Damaged, or not a file: its articles are read again, and close() writes it anew.
      if (shard === undefined) this.#changedShards.add(name.slice(0, 2));
      else {
        for (const key in shard.entries) this.#entries.set(key, shard.entries[key]!);
        for (const path in shard.stamps) this.#stamps.set(path, shard.stamps[path]!);
      }
    }
  }

  /** Every entry, without counting it as used: what reading may take from the cache. */
  *entries(): IterableIterator<[string, CacheEntry]> {
    yield* this.#entries;
  }

  /** By path under the content folder: each file's stamp when the last build read it. */
  stamps(): ReadonlyMap<string, FileStamp> {
    return this.#stamps;
  }

  /** Keeps a content file's stamp for the next build. */
  stamp(path: string, stamp: FileStamp): void {
    if (!this.ephemeral) this.#newStamps.set(path, stamp);
  }

  get(key: string): CacheEntry | undefined {
    // A run-only cache starts empty and is never read back: what this run put is not an answer.
    if (this.ephemeral) return undefined;
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#used.add(key);
    return entry;
  }

  async put(key: string, article: Record<string, unknown>, excerpt: string, html: string | undefined): Promise<void> {
    const htmlHash = html === undefined ? {} : { htmlHash: sha256(html) };
    // A run-only cache keeps only what reads its bodies back (their digests): each article's
    // fields besides would be held twice through the build, ~1.2 KB an article. Otherwise through
    // JSON and back, so the entry checked on reading is exactly the one written.
    this.#entries.set(key, this.ephemeral ? { article: {}, excerpt: "", ...htmlHash } : (JSON.parse(JSON.stringify({ article, excerpt, ...htmlHash })) as CacheEntry));
    this.#used.add(key);
    this.#changedShards.add(shardOf(key));
    if (html === undefined) return;
    // Two bytes a character: the worst case for a string in V8, so the budget is never exceeded.
    if (this.#memoryBytes + 2 * html.length <= this.memoryBudget) {
      this.#memory.set(key, html);
      this.#memoryBytes += 2 * html.length;
      if (this.ephemeral) return;
    }
    if (this.ephemeral) return this.#write(() => this.#append(key, html));
    await this.#write(async () => {
      await (this.#htmlFolder ??= mkdir(join(this.dir, "html"), { recursive: true }));
      await writeAtomically(join(this.dir, "html", `${key}.html`), html);
    });
  }

  /** A run-only cache's body, appended to its spill file (its place taken before the write, so writes never overlap). */
  async #append(key: string, html: string): Promise<void> {
    const spill = this.#spill;
    if (spill === undefined) return;
    const bytes = Buffer.from(html, "utf8");
    const offset = spill.size;
    spill.size += bytes.length;
    await spill.file.write(bytes, 0, bytes.length, offset);
    spill.at.set(key, [offset, bytes.length]);
  }

  /** The rendered body, or undefined when it is missing or does not match its recorded hash. */
  async html(key: string): Promise<string | undefined> {
    const kept = this.#memory.get(key);
    if (kept !== undefined) return kept;
    const expected = this.#entries.get(key)?.htmlHash;
    if (expected === undefined) return undefined;
    const html = this.ephemeral ? await this.#spilled(key) : await readRegular(join(this.dir, "html", `${key}.html`)).then((read) => (read.kind === "file" ? read.bytes.toString("utf8") : undefined), () => undefined);
    return html !== undefined && sha256(html) === expected ? html : undefined;
  }

  async #spilled(key: string): Promise<string | undefined> {
    const place = this.#spill?.at.get(key);
    if (place === undefined) return undefined;
    const [offset, length] = place;
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.#spill!.file.read(buffer, 0, length, offset).catch(() => ({ bytesRead: -1 }));
    return bytesRead === length ? buffer.toString("utf8") : undefined;
  }

  /** What the last build wrote to `outDir`; empty when unknown, damaged or not this cache's. */
  async outputs(outDir: string): Promise<Map<string, FileRecord>> {
    if (this.ephemeral) return new Map();
    const parsed = OutputsSchema.safeParse(await readJson(this.#outputsFile(outDir)));
    if (!parsed.success || parsed.data.check !== sha256(JSON.stringify(parsed.data.records))) return new Map();
    return new Map(Object.entries(parsed.data.records));
  }

  async saveOutputs(outDir: string, records: ReadonlyMap<string, FileRecord>): Promise<void> {
    if (this.ephemeral) return;
    const data = JSON.parse(JSON.stringify(Object.fromEntries(records))) as Record<string, FileRecord>;
    await this.#write(async () => {
      await mkdir(join(this.dir, "outputs"), { recursive: true });
      await writeAtomically(this.#outputsFile(outDir), JSON.stringify({ records: data, check: sha256(JSON.stringify(data)) }));
    });
  }

  /** Keeps a successful build's record (src/cache/last-build.ts), so that the next one may find it has nothing to do. */
  async saveLastBuild(run: RunKey, build: LastBuild): Promise<void> {
    if (!this.ephemeral) await this.#write(() => saveLastBuild(this.dir, run, build));
  }

  /**
   * Writes the index, keeping only the entries this build used and the stamps it took, and ends
   * the run. Only the shards whose part of either changed are written. Never throws.
   */
  async close(): Promise<void> {
    if (this.ephemeral) {
      await this.#spill?.file.close().catch(() => undefined);
      await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
      return;
    }
    const changed = new Set(this.#changedShards);
    // Every key used is an entry's: as many entries as are left over go unused, and once they are
    // found the rest need no lookup (one article edited: one old key, among 50,000).
    let unused = this.#entries.size - this.#used.size;
    for (const key of this.#entries.keys()) {
      if (unused === 0) break;
      if (!this.#used.has(key)) {
        changed.add(shardOf(key));
        unused--;
      }
    }
    for (const [path, stamp] of this.#newStamps) {
      const old = this.#stamps.get(path);
      if (old === undefined || !sameStamp(old, stamp)) changed.add(shardOf(path));
    }
    for (const path of this.#stamps.keys()) if (!this.#newStamps.has(path)) changed.add(shardOf(path));
    // Nothing put, nothing dropped, every stamp as it was: the index stands as it is.
    if (changed.size === 0) return;
    // Each changed shard's keys and paths, then each shard in code-unit order: the same index, the same bytes.
    const keys = new Map<string, { keys: string[]; paths: string[] }>([...changed].sort().map((name) => [name, { keys: [], paths: [] }]));
    for (const key of this.#used) keys.get(shardOf(key))?.keys.push(key);
    for (const path of this.#newStamps.keys()) keys.get(shardOf(path))?.paths.push(path);
    const inOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const shards = new Map<string, Shard>();
    for (const [name, held] of keys) {
      const shard: Shard = { entries: {}, stamps: {} };
      for (const key of held.keys.sort(inOrder)) shard.entries[key] = this.#entries.get(key)!;
      for (const path of held.paths.sort(inOrder)) shard.stamps[path] = this.#newStamps.get(path)!;
      shards.set(name, shard);
    }
    await this.#write(async () => {
      await mkdir(join(this.dir, INDEX_DIR), { recursive: true });
      for (const [name, shard] of shards) {
        const file = join(this.dir, INDEX_DIR, `${name}.json`);
        if (Object.keys(shard.entries).length === 0 && Object.keys(shard.stamps).length === 0) await rm(file, { force: true });
        else await writeAtomically(file, shardText(shard));
      }
      await rm(join(this.dir, OLD_INDEX_FILE), { force: true });
    });
  }

  /** A warning when the cache could not be written this run (the build went on without it). */
  problems(): Problem[] {
    if (this.#unwritable === undefined || this.ephemeral) return [];
    return [warning(shownPath(this.dir), undefined, undefined, `build cache not written: ${this.#unwritable}; builds work without it, only slower (set FEEDWRIGHT_CACHE_DIR, or pass --no-cache)`)];
  }

  /** Runs one write to the cache; the first failure is remembered and later writes skipped. */
  async #write(action: () => Promise<unknown>): Promise<void> {
    if (this.#unwritable !== undefined) return;
    try {
      await action();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.#unwritable = code === "EEXIST" || code === "ENOTDIR" ? `a part of ${shownPath(this.dir)} is a file, not a folder (${code})` : fsReason(e);
    }
  }

  #outputsFile(outDir: string): string {
    return join(this.dir, "outputs", `${createHash("sha256").update(resolve(outDir)).digest("hex").slice(0, 32)}.json`);
  }
}

/** sha256 of each part after its length (so no two lists of parts give one text), in one call. */
export function cacheKey(parts: readonly string[]): string {
  let text = "";
  for (const part of parts) text += `${part.length}:${part}`;
  return hash("sha256", text).slice(0, 40);
}

/** A JSON file of the cache, or undefined when it is missing, not a regular file or not JSON. */
async function readJson(path: string): Promise<unknown> {
  try {
    const read = await readRegular(path);
    return read.kind === "file" ? JSON.parse(read.bytes.toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * sha256 of a text or bytes, in hex: what the index, bodies and content files are checked by. One-shot
 * `crypto.hash`: for the many small texts digested per article, faster than a `createHash` each.
 */
export function sha256(text: string | Uint8Array): string {
  return hash("sha256", text);
}

