/**
 * How far the heap may grow past what a collection left live, for builds that hold a great many
 * articles while workers read them. V8 lets the old generation grow to a multiple of its live size
 * (about 1.7 here) before it collects again; the main thread's live heap grows all through reading
 * (100,000 articles: to about 420 MiB), so that multiple, committed at once, made the peak:
 * 880-1,117 MiB over seven cold builds of 100,000 articles (116-172 s). At 1.5 the same build
 * peaked at 744-753 MiB in 148-166 s (five runs). The setting is V8's own
 * (`--heap-growing-percent`, read at every collection) and holds for the rest of the process;
 * it costs collections, so a build the cache mostly serves (one article edited at 50,000: 0.3 s
 * more) or a smaller site never sets it.
 */
import { setFlagsFromString } from "node:v8";

/** Articles to read and parse on the workers from which the heap's growth is bounded. */
export const BOUNDED_HEAP_FROM = 20_000;

/** Whether a build bounds its heap's growth: workers read, and at least BOUNDED_HEAP_FROM articles are not served by the cache. */
export function boundsHeap(workers: number, articles: number, known: number): boolean {
  return workers > 0 && articles - known >= BOUNDED_HEAP_FROM;
}

let bounded = false;

/** Lets the heap grow by at most half what a collection left live, from now on, in this process. */
export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  setFlagsFromString("--heap-growing-percent=50");
}
