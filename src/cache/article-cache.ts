/**
 * The build cache: what reading and rendering one article produced, keyed by everything that
 * could change it (feedwright's version, the site settings, the file's path and bytes). Entries
 * are only ever trusted when their key matches; a corrupt or stale cache is ignored, never
 * trusted, and deleting the folder is always safe.
 *
 *   <dir>/index.json       key → article fields (small; read once per build)
 *   <dir>/html/<key>.html  the rendered body, read only when a document that shows it is written
 *   <dir>/outputs/<h>.json what the last build wrote to one output folder, by document digest
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { existsSync } from "node:fs";

/** Bumped when the shape of an entry changes. */
const FORMAT = 1;

export interface CacheEntry {
  /** JSON-safe article fields (dates as ISO strings). */
  readonly article: Record<string, unknown>;
  readonly excerpt: string;
  /** sha256 of the rendered body, checked whenever it is read back; undefined when not rendered. */
  readonly htmlHash: string | undefined;
}

export interface OutputRecord {
  readonly digest: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export class ArticleCache {
  #entries = new Map<string, CacheEntry>();
  #used = new Set<string>();
  #dirty = false;
  /** Rendered bodies kept in memory this run, up to a budget; the rest is read back from disk. */
  #memory = new Map<string, string>();
  #memoryBytes = 0;

  private constructor(
    readonly dir: string,
    /** A cache that lives only for this run (`--no-cache`): removed by close(). */
    readonly ephemeral: boolean,
    readonly memoryBudget: number,
  ) {}

  static async open(dir: string | undefined, memoryBudget = 192 * 1024 * 1024): Promise<ArticleCache> {
    if (dir === undefined) {
      const temp = join(tmpdir(), `feedwright-run-${process.pid}-${randomBytes(4).toString("hex")}`);
      await mkdir(join(temp, "html"), { recursive: true });
      return new ArticleCache(temp, true, memoryBudget);
    }
    const cache = new ArticleCache(resolve(dir), false, memoryBudget);
    try {
      const index = JSON.parse(await readFile(join(cache.dir, "index.json"), "utf8")) as { format?: unknown; entries?: unknown };
      if (index.format === FORMAT && index.entries !== null && typeof index.entries === "object") {
        for (const [key, value] of Object.entries(index.entries as Record<string, unknown>)) {
          if (isEntry(value)) cache.#entries.set(key, value);
        }
      }
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
    return cache;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#used.add(key);
    return entry;
  }

  async put(key: string, article: Record<string, unknown>, excerpt: string, html: string | undefined): Promise<void> {
    const entry: CacheEntry = { article, excerpt, htmlHash: html === undefined ? undefined : sha256(html) };
    this.#entries.set(key, entry);
    this.#used.add(key);
    this.#dirty = true;
    if (html === undefined) return;
    // Two bytes a character: the worst case for a string in V8, so the budget is never exceeded.
    if (this.#memoryBytes + 2 * html.length <= this.memoryBudget) {
      this.#memory.set(key, html);
      this.#memoryBytes += 2 * html.length;
      if (this.ephemeral) return;
    }
    await mkdir(join(this.dir, "html"), { recursive: true });
    await writeAtomically(join(this.dir, "html", `${key}.html`), html);
  }

  /** The rendered body, or undefined when it is missing or does not match its recorded hash. */
  async html(key: string): Promise<string | undefined> {
    const kept = this.#memory.get(key);
    if (kept !== undefined) return kept;
    const expected = this.#entries.get(key)?.htmlHash;
    if (expected === undefined) return undefined;
    const html = await readFile(join(this.dir, "html", `${key}.html`), "utf8").catch(() => undefined);
    return html !== undefined && sha256(html) === expected ? html : undefined;
  }

  async outputs(outDir: string): Promise<Map<string, OutputRecord>> {
    if (this.ephemeral) return new Map();
    try {
      const data = JSON.parse(await readFile(this.#outputsFile(outDir), "utf8")) as Record<string, OutputRecord>;
      return new Map(Object.entries(data).filter(([, r]) => typeof r?.digest === "string" && typeof r.size === "number" && typeof r.mtimeMs === "number"));
    } catch {
      return new Map();
    }
  }

  async saveOutputs(outDir: string, records: ReadonlyMap<string, OutputRecord>): Promise<void> {
    if (this.ephemeral) return;
    await mkdir(join(this.dir, "outputs"), { recursive: true });
    await writeAtomically(this.#outputsFile(outDir), JSON.stringify(Object.fromEntries(records)));
  }

  /** Writes the index (keeping only entries this build used) and ends the run. */
  async close(): Promise<void> {
    if (this.ephemeral) {
      await rm(this.dir, { recursive: true, force: true });
      return;
    }
    if (!this.#dirty && this.#used.size === this.#entries.size) return;
    const kept: Record<string, CacheEntry> = {};
    for (const key of [...this.#used].sort()) kept[key] = this.#entries.get(key)!;
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(join(this.dir, "index.json"), JSON.stringify({ format: FORMAT, entries: kept }));
  }

  #outputsFile(outDir: string): string {
    return join(this.dir, "outputs", `${createHash("sha256").update(resolve(outDir)).digest("hex").slice(0, 32)}.json`);
  }
}

/** Where the cache lives by default: beside the project's dependencies, as other tools do. */
export function defaultCacheDir(cwd: string, env: NodeJS.ProcessEnv): string {
  if (env.FEEDWRIGHT_CACHE_DIR) return resolve(cwd, env.FEEDWRIGHT_CACHE_DIR);
  if (existsSync(join(cwd, "node_modules"))) return join(cwd, "node_modules", ".cache", "feedwright");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "feedwright");
}

export function cacheKey(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest("hex").slice(0, 40);
}

function isEntry(value: unknown): value is CacheEntry {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return v.article !== null && typeof v.article === "object" && typeof v.excerpt === "string" && (v.htmlHash === undefined || typeof v.htmlHash === "string");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}
