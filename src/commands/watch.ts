import { watch, type FSWatcher } from "node:fs";
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
  let watcher: FSWatcher | undefined;
  try {
    // Recursive watching works on Linux from Node 20 (on macOS and Windows for longer).
    watcher = watch(dir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    watcher.on("error", (e) => io.stderr(`feedwright: stopped watching ${dir}: ${e.message}\n`));
  } catch (e) {
    io.stderr(`feedwright: cannot watch ${dir} (${e instanceof Error ? e.message : String(e)}); no rebuilds\n`);
  }
  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener("abort", () => done(), { once: true });
  });
  clearTimeout(timer);
  watcher?.close();
  await running;
}
