/**
 * When a file's stat proves it unchanged since a stamp of it: the one rule for the article cache
 * (src/pipeline/read-one.ts), publishing (src/output/publish.ts) and the last build's record
 * (last-build.ts). Loads nothing.
 */

/** What a stamp keeps of a file's stat. */
export interface Stat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/**
 * A file modified this close to when its stamp was taken may have been modified again within
 * the file system's timestamp granularity (FAT: 2 s) with the same size: its stamp proves
 * nothing, and it is read and hashed (Git's "racy" case).
 */
export const RACY_MS = 2000;

/**
 * Same size, modification time, change time and inode. A hand edit can keep size and mtime
 * (`touch -r`), but not the change time, which only the system sets.
 */
export function sameStat(info: Stat, stamp: Stat): boolean {
  return info.size === stamp.size && info.mtimeMs === stamp.mtimeMs && info.ctimeMs === stamp.ctimeMs && info.ino === stamp.ino;
}

/** `sameStat`, and the stamp was taken (`at`, ms since the epoch) more than RACY_MS after the file's modification. */
export function provenUnchanged(info: Stat, stamp: Stat & { readonly at: number }): boolean {
  return sameStat(info, stamp) && stamp.mtimeMs < stamp.at - RACY_MS;
}
