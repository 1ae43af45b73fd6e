import { constants } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * The `/`-separated path of every entry under `dir` that is not a folder (files, and also
 * symbolic links, FIFOs and the like, which are listed but never followed), in no particular
 * order; undefined when `dir` cannot be listed (it does not exist). A subfolder that cannot be
 * listed is passed over. `skip` leaves out top-level names (feedwright's own bookkeeping).
 */
export async function listTree(dir: string, skip: (name: string) => boolean = () => false): Promise<Set<string> | undefined> {
  const files = new Set<string>();
  const walk = async (sub: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      if (sub === "" && skip(entry.name)) continue;
      const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
      // A Dirent describes the entry itself: a symbolic link to a folder is not a folder here.
      if (entry.isDirectory()) await walk(path);
      else files.add(path);
    }
    return true;
  };
  return (await walk("")) ? files : undefined;
}

/** A file read without following a link or opening anything that is not a regular file. */
export type Read = { readonly kind: "file"; readonly bytes: Buffer } | { readonly kind: "missing" } | { readonly kind: "other"; readonly what: string };

/**
 * Reads `path` only when it is a regular file. A symbolic link is never followed (it could point
 * anywhere, and printing its target's bytes would leak them) and a FIFO or device is never read
 * (a FIFO without a writer blocks for ever): both come back as `other`, named.
 */
export async function readRegular(path: string): Promise<Read> {
  let info;
  try {
    info = await lstat(path);
  } catch (e) {
    if (isMissing(e)) return { kind: "missing" };
    throw e;
  }
  if (!info.isFile()) return { kind: "other", what: kindOf(info) };
  // O_NOFOLLOW and O_NONBLOCK close the gap between lstat and open: a link or FIFO put there
  // meanwhile fails to open or opens without blocking, and fstat then tells.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((e: unknown) => {
    if (isMissing(e)) return undefined;
    if ((e as NodeJS.ErrnoException).code === "ELOOP") return "link" as const;
    throw e;
  });
  if (handle === undefined) return { kind: "missing" };
  if (handle === "link") return { kind: "other", what: "a symbolic link" };
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { kind: "other", what: kindOf(opened) };
    return { kind: "file", bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/** What a file-system entry is, in words. */
export function kindOf(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isFile()) return "a file";
  if (info.isDirectory()) return "a folder";
  if (info.isSymbolicLink()) return "a symbolic link";
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  return "a device";
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
