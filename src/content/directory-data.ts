import { error, failed, ok, warning, type Problem, type Result } from "../problems.ts";

/**
 * Eleventy's directory and template data files (https://www.11ty.dev/docs/data-template-dir/):
 * `blog/blog.json` or `blog/blog.11tydata.json` give every post in `blog/` and below its
 * defaults; `blog/post.json` or `blog/post.11tydata.json` give `blog/post.md` its own. Only JSON
 * is read: a `.11tydata.js` file is code, which feedwright never runs.
 */
export interface DataFile {
  /** As shown in messages. */
  readonly file: string;
  /** The folder it applies to, under the content folder, `/`-separated (`""` for the content folder itself). */
  readonly folder: string;
  /** For a template data file, the one article it applies to (its path under the content folder). */
  readonly article?: string;
  /** Eleventy's order within one place: `.json` before `.11tydata.json` (the later wins). */
  readonly rank: number;
  /** JavaScript: named in a warning, never run. */
  readonly code: boolean;
}

/** A data file read: what it gives, lowest priority first when in a list. */
export interface DataLayer {
  readonly file: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Which data file a file name in `folder` is, if any: `siblings` are the names of the Markdown
 * files beside it (a template data file needs its template). `folderName` is the folder's own name
 * (the content folder's real name for its top level).
 */
export function dataFileOf(name: string, folder: string, folderName: string, siblings: ReadonlySet<string>): Omit<DataFile, "file"> | undefined {
  const match = /^(.+?)(\.11tydata)?\.(json|js|cjs|mjs)$/.exec(name);
  if (match === null) return undefined;
  const [, stem = "", eleventy, extension] = match;
  const code = extension !== "json";
  // A bare `x.js` is anyone's script; only the `.11tydata.` name says it is Eleventy's data.
  if (code && eleventy === undefined) return undefined;
  const rank = code ? 2 : eleventy === undefined ? 0 : 1;
  if (stem === folderName) return { folder, rank, code };
  const template = [`${stem}.md`, `${stem}.markdown`].find((n) => siblings.has(n));
  if (template === undefined) return undefined;
  return { folder, article: folder === "" ? template : `${folder}/${template}`, rank, code };
}

/** Pure: reads one JSON data file's text; it must hold one object. */
export function parseDataFile(file: string, text: string): Result<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return failed([error(file, undefined, undefined, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`)]);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return failed([error(file, undefined, undefined, `expected one JSON object of front-matter keys, as Eleventy reads a data file`)]);
  }
  return ok(parsed as Record<string, unknown>);
}

/** The warning for a JavaScript data file: named, never run. */
export function codeDataFileWarning(file: string): Problem {
  return warning(file, undefined, undefined, `Eleventy data file in JavaScript: not read, feedwright never runs code; the defaults it gives the posts are missing (write them as JSON in a .11tydata.json file, or in each post)`);
}

/**
 * The data files that apply to the article at `path`, lowest priority first: the content
 * folder's, then each folder down to the article's own, then its template data file, as
 * Eleventy's data cascade orders them.
 */
export function layersFor(path: string, files: readonly (DataFile & DataLayer)[]): readonly DataLayer[] {
  // Most sites have no data files: once per article, nothing to split or sort.
  if (files.length === 0) return NO_LAYERS;
  const folders = path.split("/").slice(0, -1);
  const chain = ["", ...folders.map((_, i) => folders.slice(0, i + 1).join("/"))];
  const depth = (f: DataFile) => (f.article !== undefined ? chain.length : chain.indexOf(f.folder));
  return files
    .filter((f) => !f.code && (f.article === undefined ? chain.includes(f.folder) : f.article === path))
    .sort((a, b) => depth(a) - depth(b) || a.rank - b.rank)
    .map(({ file, data }) => ({ file, data }));
}

const NO_LAYERS: readonly DataLayer[] = Object.freeze([]);

/**
 * Eleventy's deep data merge (https://www.11ty.dev/docs/data-deep-merge/): a key of a higher
 * layer wins, except that two lists are joined (the higher layer's first, as the data cascade's
 * documented `tags` example shows) and two maps are merged key by key; `override:key` replaces
 * the value instead of merging. A key with no value (`tags:` in YAML) is no value at all.
 */
export function mergeData(layers: readonly Readonly<Record<string, unknown>>[]): Record<string, unknown> {
  // One layer (an article with no data file above it) merges into nothing: only its `override:` prefixes and empty values go.
  if (layers.length === 1 && !Object.keys(layers[0]!).some((key) => key.startsWith("override:"))) return dropEmpty(layers[0]!);
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeTwo(merged, layer);
  return dropEmpty(merged);
}

function mergeTwo(lower: Readonly<Record<string, unknown>>, higher: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...lower };
  for (const [rawKey, value] of Object.entries(higher)) {
    const override = rawKey.startsWith("override:");
    const key = override ? rawKey.slice("override:".length) : rawKey;
    // Own keys only: `out["__proto__"]` would be Object.prototype, a map to merge into.
    const below = Object.hasOwn(out, key) ? out[key] : undefined;
    let next: unknown = value;
    // Eleventy reads a lone string where a list goes (`tags: post`) as a list of one before merging.
    const asList = (v: unknown) => (typeof v === "string" && (Array.isArray(below) || Array.isArray(value)) ? [v] : v);
    const [low, high] = [asList(below), asList(value)];
    if (!override && Array.isArray(low) && Array.isArray(high)) next = [...high, ...low];
    else if (!override && isMap(below) && isMap(value)) next = mergeTwo(below, value);
    // defineProperty: a `__proto__` key stays a key and never becomes a prototype.
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The data without its keys that have no value; the same object when it has none such (most front matter), not a copy. */
function dropEmpty(data: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(data);
  if (keys.every((key) => data[key] !== null && data[key] !== undefined)) return data;
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null && value !== undefined));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
