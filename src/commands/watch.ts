import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from "node:fs";
import { join } from "node:path";
import type { Io } from "./io.ts";

/** Waits this long after the last change before rebuilding: editors write a file in several steps. */
const DEBOUNCE_MS = 150;

/**
 * Calls `rebuild` after changes under `dir`, one run at a time (changes during a run make one
 * more), until the command's signal is aborted (Ctrl-C); resolves once everything is stopped.
 */
export async function watchContent(dir: string, io: Io, rebuild: () => Promise<void>): Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): void => {
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await rebuild().catch((e: unknown) => io.stderr(`feedwright: rebuild failed: ${e instanceof Error ? e.message : String(e)}\n`));
      } while (again && !io.signal.aborted);
      running = undefined;
    })();
  };
  let timer: NodeJS.Timeout | undefined;
  const tree = watchTree(
    dir,
    () => {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    },
    (message) => io.stderr(`feedwright: ${message}\n`),
  );
  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener("abort", () => done(), { once: true });
  });
  clearTimeout(timer);
  tree.close();
  await running;
}

/**
 * Watches `dir` and every folder under it, one `fs.watch` per folder: a folder's watcher reports
 * each name written, renamed or removed in it. Not Node's recursive watcher, which on Linux
 * (Node 20) stops reporting a file in a subfolder once it was replaced by a rename, as `sed -i`
 * and most editors save; nor one watcher per file (chokidar), which at 50,000 articles would pass
 * the system's limit on watches. A folder that appears is watched from then on; one that is
 * removed, or replaced, is let go (or watched anew).
 */
export function watchTree(dir: string, changed: () => void, tell: (message: string) => void): { close(): void } {
  const watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  let closed = false;
  /**
   * Watches `folder` and the folders under it. `anew`: its parent reported it (made, removed,
   * renamed): a watcher it had is replaced, and so are its subfolders', since a folder removed
   * and made again can have the same inode number (ext4 hands it back) and its old watcher
   * reports nothing any more.
   */
  const add = (folder: string, anew: boolean): void => {
    if (closed) return;
    const info = statSync(folder, { throwIfNoEntry: false });
    if (info === undefined || !info.isDirectory()) return;
    const held = watchers.get(folder);
    if (held !== undefined) {
      if (!anew && held.ino === info.ino) return;
      held.watcher.close();
      watchers.delete(folder);
    }
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (event, name) => {
        changed();
        // A name made, removed or renamed here ("rename"); a file written is only "change".
        if (name !== null && event === "rename") add(join(folder, name.toString()), true);
      });
    } catch (e) {
      tell(`cannot watch ${folder} (${e instanceof Error ? e.message : String(e)}); changes in it make no rebuild`);
      return;
    }
    // The folder was removed: its watcher ends (its parent's reports the removal).
    watcher.on("error", () => {
      watcher.close();
      if (watchers.get(folder)?.watcher === watcher) watchers.delete(folder);
    });
    watchers.set(folder, { watcher, ino: info.ino });
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      // Gone already: its watcher's error lets it go.
    }
    for (const entry of entries) if (entry.isDirectory()) add(join(folder, entry.name), anew);
  };
  add(dir, false);
  if (watchers.size === 0) tell(`cannot watch ${dir}: no such folder; no rebuilds`);
  return {
    close: () => {
      closed = true;
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
