import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { basename, relative, sep } from "node:path";
import { isUtf8 } from "node:buffer";
import type { Stat } from "../cache/stamp.ts";
import { fsReason } from "../fs-errors.ts";
import { compareText, error, warning, type Problem } from "../problems.ts";
import { codeDataFileWarning, dataFileOf, parseDataFile, type DataFile, type DataLayer } from "./directory-data.ts";

/** A Markdown file under the content folder, read and decoded. */
export interface SourceFile {
  /** As shown in messages: relative to the working directory (`content/2023-04-12-news.md`). */
  readonly file: string;
  /** Relative to the content folder, with `/` separators (`notes/idea.md`). */
  readonly path: string;
  readonly text: string;
  /** The bytes `text` was decoded from: what a cache key digests (no second encoding of the text). */
  readonly bytes: Uint8Array;
  /** The open file's stat, taken before it was read: a stamp of the bytes read is no newer than they are. */
  readonly stat: Stat;
}

/** A Markdown file found under the content folder, not yet read. */
export interface ContentEntry {
  readonly file: string;
  readonly path: string;
  /** Absolute path on disk. */
  readonly location: string;
  /** A page bundle's featured image: `featured.*` or `cover.*` beside its `index.md` (Hugo's convention). */
  readonly bundleImage?: string;
}

/** What the content folder holds besides the articles it lists. */
export interface Listing {
  readonly entries: ContentEntry[];
  readonly problems: Problem[];
  /** Files that look like posts but are not read (`.mdx`, `.html` with front matter, `.md~`), as shown in messages. */
  readonly skipped: string[];
  /** Every other file: images, data, anything not read. */
  readonly others: number;
  /** Eleventy's JSON directory and template data files (`blog/blog.json`), read for their defaults. */
  readonly dataFiles: (DataFile & { readonly location: string; readonly path: string })[];
}

/**
 * The file names read as Markdown articles: `.md` and `.markdown`, and the older endings Jekyll
 * (`markdown_ext`: `.mkdown`, `.mkdn`, `.mkd`), Hugo (`.mdown`) and Astro (`.mdwn` besides) read
 * as Markdown too. The one list: listing, slugs and links to articles all use it.
 */
export const MARKDOWN = /\.(md|markdown|mdown|mkdn|mkd|mkdown|mdwn)$/i;

/** A page bundle's own file (`post/index.md`). */
export const BUNDLE_INDEX = new RegExp(`^index${MARKDOWN.source}`, "i");

/** What looks like a post but is not read: Astro's MDX (it holds code), editors' backups. */
const POST_LIKE = /\.(mdx|md~|markdown~)$/i;
/** Hugo's content adapter: a template that makes pages when run, which feedwright never does. */
const CONTENT_ADAPTER = /^_content\.gotmpl$/;
/** A page bundle's featured image (Hugo): the image of the bundle's index.md. */
const FEATURED = /^(featured|cover)\.(png|jpe?g|gif|webp|avif|svg)$/i;
/**
 * Pages the generators read when they open with front matter: HTML (Jekyll, Hugo, Eleventy),
 * Eleventy's template languages, and Hugo's other content formats (AsciiDoc, Org, reST, Pandoc).
 * A blog may keep posts in them; they are named, never read as Markdown.
 */
const HTML = /\.(html?|njk|liquid|webc|hbs|mustache|ejs|haml|pug|adoc|asciidoc|org|rst|pandoc|pdc|textile)$/i;

/**
 * A file in a folder, for a folder path that is already normal (a real path, or one made from it
 * here) and a name or listing path with no `.` or `..` in it: joined by hand, since `path.join`
 * normalises again (50,000 joins took 70-100 ms, a concatenation 1 ms).
 */
export function inFolder(dir: string, path: string): string {
  return dir.endsWith(sep) ? dir + path : dir + sep + path;
}

/**
 * Lists every `.md` and `.markdown` file under the content folder, in code-unit order of their
 * paths, so the result never depends on the order the file system returns. Refuses anything that
 * would read outside the folder (a symlink resolving elsewhere) or is not a regular file; a file
 * too large is refused when it is read (`readSource`). A file that looks like a post but is not
 * read is named in one warning.
 */
export async function listContent(contentDir: string): Promise<Listing> {
  const problems: Problem[] = [];
  const entries: ContentEntry[] = [];
  const skipped: string[] = [];
  const dataFiles: Listing["dataFiles"] = [];
  let others = 0;
  let root: string;
  try {
    root = await realpath(contentDir);
    if (!(await stat(root)).isDirectory()) throw new Error("not a folder");
  } catch {
    return { entries, skipped, others, dataFiles, problems: [error(shownPath(contentDir), undefined, undefined, `content folder not found or not a folder`)] };
  }

  // `hiddenBy`: the `_` folder this one is in, whose Markdown files Jekyll and Astro never read.
  const walk = async (dir: string, hiddenBy?: string): Promise<void> => {
    let listing;
    try {
      listing = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(error(shownPath(dir), undefined, undefined, `cannot read folder: ${reason(e)}`));
      return;
    }
    listing.sort((a, b) => compareText(a.name, b.name));
    const folder = relative(root, dir).split(sep).join("/");
    const folderName = basename(dir);
    const markdown = new Set(listing.filter((e) => MARKDOWN.test(e.name)).map((e) => e.name));
    const featured = listing.find((e) => FEATURED.test(e.name))?.name;
    // As shownPath gives each entry's path, and its path under the content folder, with
    // path.relative once per folder, not once per file (10,000 calls cost 0.1 s).
    const fromCwd = relative(process.cwd(), dir);
    const shownIn = (fromCwd.startsWith("..") ? dir : fromCwd).split(sep).join("/");
    const under = (name: string) => (folder === "" ? name : `${folder}/${name}`);
    for (const entry of listing) {
      if (entry.name.startsWith(".")) continue;
      const full = inFolder(dir, entry.name);
      const shown = shownIn === "" || shownIn.endsWith("/") ? `${shownIn}${entry.name}` : `${shownIn}/${entry.name}`;
      // The directory listing already says what each entry is: only symlinks cost another call.
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        if (target === undefined) {
          problems.push(error(shown, undefined, undefined, `broken symbolic link`));
          continue;
        }
        if (target !== root && !target.startsWith(root + sep)) {
          problems.push(error(shown, undefined, undefined, `symbolic link points outside the content folder (to ${target}); refused`));
          continue;
        }
        const info = await stat(full).catch(() => undefined);
        if (info === undefined) continue;
        isDirectory = info.isDirectory();
        isFile = info.isFile();
      }
      if (isDirectory) {
        await walk(full, hiddenBy ?? (isHidden(entry.name) && !JEKYLL_FOLDERS.has(entry.name) ? `${shown}/` : undefined));
        continue;
      }
      if (isFile && MARKDOWN.test(entry.name) && (hiddenBy !== undefined || (isHidden(entry.name) && entry.name !== "_index.md"))) {
        skipped.push(`${shown} (${hiddenBy === undefined ? "its" : `in ${hiddenBy}: the folder's`} leading "_" hides it, as in Jekyll and Astro)`);
        continue;
      }
      if (hiddenBy !== undefined) {
        if (isFile) others++;
        continue;
      }
      if (!MARKDOWN.test(entry.name)) {
        const data = isFile ? dataFileOf(entry.name, folder, folderName, markdown) : undefined;
        if (data !== undefined) {
          if (data.code) problems.push(codeDataFileWarning(shown));
          dataFiles.push({ ...data, file: shown, location: full, path: under(entry.name) });
        } else if (isFile && CONTENT_ADAPTER.test(entry.name)) skipped.push(`${shown} (a Hugo content adapter: a template, never run)`);
        else if (isFile && (POST_LIKE.test(entry.name) || (HTML.test(entry.name) && opensWithFrontMatter(full)))) skipped.push(shown);
        else if (isFile) others++;
        continue;
      }
      if (!isFile) {
        problems.push(error(shown, undefined, undefined, `not a regular file; refused`));
        continue;
      }
      const bundleImage = featured !== undefined && BUNDLE_INDEX.test(entry.name) ? featured : undefined;
      entries.push({ file: shown, path: under(entry.name), location: full, ...(bundleImage === undefined ? {} : { bundleImage }) });
    }
  };
  await walk(root);
  if (skipped.length > 0) {
    const names = skipped.length > 5 ? `${skipped.slice(0, 5).join(", ")} and ${skipped.length - 5} more` : skipped.join(", ");
    problems.push(warning(shownPath(contentDir), undefined, undefined, `${skipped.length} file(s) look like posts but are not read (only .md and .markdown are): ${names}`));
  }
  return { entries, problems, skipped, others, dataFiles };
}

/** Reads and parses the listed JSON data files (a JavaScript one was named when listed, and is never read). */
export function readDataFiles(files: Listing["dataFiles"], maxFileBytes: number): { files: (DataFile & DataLayer)[]; problems: Problem[] } {
  const read: (DataFile & DataLayer)[] = [];
  const problems: Problem[] = [];
  for (const entry of files) {
    if (entry.code) continue;
    const source = readSource(entry, maxFileBytes);
    if (!("text" in source)) {
      problems.push(source);
      continue;
    }
    const parsed = parseDataFile(entry.file, source.text);
    problems.push(...parsed.problems);
    if (parsed.ok) read.push({ ...entry, data: parsed.value });
  }
  return { files: read, problems };
}

/** A leading `_` keeps a file or folder out of Jekyll's site and Astro's collections (drafts, partials, `_includes`). */
function isHidden(name: string): boolean {
  return name.startsWith("_");
}

/** Jekyll's `_` folders that hold posts. */
const JEKYLL_FOLDERS = new Set(["_posts", "_drafts"]);

/** Whether a file starts (after a byte-order mark) with `---`, as Jekyll's and Hugo's HTML pages with front matter do. */
function opensWithFrontMatter(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(6);
    const n = readSync(fd, head, 0, head.length, 0);
    return /^(\uFEFF)?(---|\+\+\+)/.test(head.subarray(0, n).toString("utf8"));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether `readSource` gave the file (else the problem that stopped it). */
export function isSource(value: SourceFile | Problem): value is SourceFile {
  return "text" in value;
}

/**
 * Reads and decodes one listed file. Synchronous on purpose: for thousands of small files one
 * blocking read each is faster than the thread-pool round trips of fs/promises. The size cap is
 * checked on the open file, before reading, since files change between listing and reading.
 */
export function readSource(entry: ContentEntry, maxFileBytes: number): SourceFile | Problem {
  const raw = readRaw(entry, maxFileBytes);
  return isRaw(raw) ? decodeSource(entry, raw) : raw;
}

/** A file's bytes as read, not yet decoded, with the open file's stat and when it was taken: what a thread that only reads hands over. */
export interface RawSource {
  readonly bytes: Uint8Array;
  readonly stat: Stat;
  /** When the stat was taken (ms since the epoch). */
  readonly at: number;
}

export function isRaw(value: RawSource | Problem): value is RawSource {
  return "bytes" in value;
}

/** Opens, stats and reads one listed file (readSource's first half: no decoding, so any thread may run it). */
export function readRaw(entry: Pick<ContentEntry, "file" | "location">, maxFileBytes: number): RawSource | Problem {
  let bytes: Buffer;
  let fd: number | undefined;
  let info: Stat;
  const at = Date.now();
  try {
    fd = openSync(entry.location, "r");
    const stat = fstatSync(fd);
    if (!stat.isFile()) return error(entry.file, undefined, undefined, `not a regular file; refused`);
    info = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
    if (info.size > maxFileBytes) {
      return error(entry.file, undefined, undefined, `file is ${info.size} bytes, over the limit of ${maxFileBytes} (setting maxFileBytes)`);
    }
    bytes = readOpen(fd, info.size);
  } catch (e) {
    return error(entry.file, undefined, undefined, `cannot read file: ${reason(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  // Past the cap only where the file system gave no size and the file was read to its end.
  if (bytes.length > maxFileBytes) {
    return error(entry.file, undefined, undefined, `file is ${bytes.length} bytes, over the limit of ${maxFileBytes} (setting maxFileBytes)`);
  }
  return { bytes, stat: info, at };
}

/**
 * Files read one after another up to `budget` bytes, for a thread that only reads (the worker of
 * src/content/read-ahead.ts): the rest are left to the thread that asked (null). Each buffer is
 * its own, so that it can be handed over (`transfer`) rather than copied: a small read shares
 * Buffer's pool, so it is copied into one of its own first.
 */
export function readBatch(entries: readonly Pick<ContentEntry, "file" | "location">[], maxFileBytes: number, budget: number): { read: (RawSource | Problem | null)[]; transfer: ArrayBuffer[] } {
  const read: (RawSource | Problem | null)[] = [];
  const transfer: ArrayBuffer[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const one = bytes >= budget ? null : readRaw(entry, maxFileBytes);
    if (one === null || !isRaw(one)) {
      read.push(one);
      continue;
    }
    const own = one.bytes.byteOffset === 0 && one.bytes.byteLength === one.bytes.buffer.byteLength ? one.bytes : new Uint8Array(one.bytes);
    transfer.push(own.buffer as ArrayBuffer);
    bytes += own.byteLength;
    read.push({ bytes: own, stat: one.stat, at: one.at });
  }
  return { read, transfer };
}

/** readSource's second half: the text decoded from the bytes read (the size cap was readRaw's). */
export function decodeSource(entry: Pick<ContentEntry, "file" | "path">, raw: RawSource): SourceFile | Problem {
  const { bytes } = raw;
  const decoded = decodeUtf8(bytes);
  if (typeof decoded !== "string") {
    return error(entry.file, lineOfByte(bytes, decoded.offset), undefined, `not valid UTF-8 at byte offset ${decoded.offset}; save the file as UTF-8`);
  }
  return { file: entry.file, path: entry.path, text: decoded, bytes, stat: raw.stat };
}

/**
 * An open regular file's bytes, as many as its `fstat` gave: what `readFileSync(fd)` reads, without
 * the second `fstat` it makes (for 10,000 articles, 20 ms); fewer where it was cut short meanwhile.
 */
function readOpen(fd: number, size: number): Buffer {
  // Some file systems (procfs, a few FUSE ones) say 0 for a file that has bytes: read to its end.
  if (size === 0) return readFileSync(fd);
  const buffer = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const n = readSync(fd, buffer, length, size - length, null);
    if (n === 0) break;
    length += n;
  }
  return length === size ? buffer : buffer.subarray(0, length);
}

/**
 * Decodes UTF-8, dropping a byte-order mark and turning CRLF and CR line ends into LF. Valid
 * bytes are decoded by Buffer, and searched for CR natively before any replacing: for 10,000
 * posts 55 ms against 150 ms with a TextDecoder and a replace over every text.
 */
export function decodeUtf8(bytes: Uint8Array): string | { offset: number } {
  if (!isUtf8(bytes)) return { offset: firstInvalidByte(bytes) };
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString("utf8");
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return buffer.includes(0x0d) ? unmarked.replace(/\r\n?/g, "\n") : unmarked;
}

/**
 * Where the first bad sequence starts. A streaming strict decoder rejects a prefix only at the
 * byte that proves a sequence bad, which may come after it (`E9 0A`: the newline ends an
 * incomplete sequence); the sequence starts where the longest complete valid prefix ends.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const proof = firstRejectedByte(bytes);
  let start = proof;
  while (start > 0 && proof - start < 3 && !isUtf8(bytes.subarray(0, start))) start--;
  return start;
}

/** Smallest prefix that a streaming strict decoder rejects: the byte that proves it is its last. */
function firstRejectedByte(bytes: Uint8Array): number {
  let lo = 1;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo - 1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel === "" || rel.startsWith("..") ? path : rel).split(sep).join("/");
}

/** Why a file or folder could not be read; a file listed but gone was most likely just removed. */
function reason(e: unknown): string {
  return fsReason(e, { meanings: { ENOENT: "it is gone (removed or renamed while the build ran?)" } });
}
