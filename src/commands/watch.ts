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
  const add = (folder: string): void => {
    if (closed) return;
    const info = statSync(folder, { throwIfNoEntry: false });
    if (info === undefined || !info.isDirectory()) return;
    const held = watchers.get(folder);
    if (held !== undefined) {
      if (held.ino === info.ino) return;
      held.watcher.close();
    }
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => {
        changed();
        if (name !== null) add(join(folder, name.toString()));
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
    for (const entry of entries) if (entry.isDirectory()) add(join(folder, entry.name));
  };
  add(dir);
  if (watchers.size === 0) tell(`cannot watch ${dir}: no such folder; no rebuilds`);
  return {
    close: () => {
      closed = true;
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
