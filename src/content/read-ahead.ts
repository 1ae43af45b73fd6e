import { WorkerPool } from "../formats/render-pool.ts";
import type { Problem } from "../problems.ts";
import type { ContentEntry, RawSource } from "./read.ts";

/**
 * A build that reads every file on this thread (archives off, or few enough articles that no
 * worker renders them) has the files opened, stat-ed and read on a worker ahead of it, so that
 * this thread only decodes and parses them: at 50,000 articles the system calls were 0.9 s of
 * this thread's time. From this many files on: below, the worker's start costs about what it saves.
 */
export const READ_AHEAD_FROM = 2000;

/** Files per request to the worker. */
const BATCH = 32;
/** Requests in flight ahead of the file this thread is at. */
const BATCHES_AHEAD = 8;
/** What one request may read: the rest of its files are left to this thread, so what waits here stays small whatever the files weigh. */
export const BATCH_BYTES = 2 * 1024 * 1024;
/**
 * This thread reads the first files itself while the worker starts (about 35 ms): the worker
 * begins this many batches in, where this thread will be about when it is ready.
 */
const FIRST_BATCH = 2;

/**
 * Files read by a worker (`readRaw`, src/content/read.ts), in order, a few batches ahead of
 * `take`. A file the worker has not read yet, or read past its batch's byte budget, or one whose
 * batch failed, is `undefined`: the caller reads it itself, as it would without a worker. The
 * worker's bytes and stat are those of one read of the file, as this thread's would be.
 */
export class ReadAhead {
  readonly #pool = new WorkerPool(1);
  readonly #arrived = new Map<number, readonly (RawSource | Problem | null)[]>();
  #next = FIRST_BATCH;
  /** The batch `take` is in: one arriving behind it is not kept (its files were read on this thread). */
  #at = 0;

  constructor(
    readonly entries: readonly ContentEntry[],
    readonly maxFileBytes: number,
  ) {
    for (let k = 0; k < BATCHES_AHEAD; k++) this.#request();
  }

  /** Entry `i`'s file as the worker read it, if it has arrived. Called with each `i` in order, once. */
  take(i: number): RawSource | Problem | undefined {
    const batch = Math.floor(i / BATCH);
    if (batch !== this.#at) {
      this.#at = batch;
      for (const held of this.#arrived.keys()) if (held < batch) this.#arrived.delete(held);
      while (this.#next <= batch + BATCHES_AHEAD) this.#request();
    }
    return this.#arrived.get(batch)?.[i % BATCH] ?? undefined;
  }

  /** How many batches are held: at most the few ahead of `take` (a test's view of what this keeps). */
  get held(): number {
    return this.#arrived.size;
  }

  close(): Promise<void> {
    this.#arrived.clear();
    return this.#pool.close();
  }

  #request(): void {
    const batch = this.#next++;
    const entries = this.entries.slice(batch * BATCH, (batch + 1) * BATCH).map((e) => ({ file: e.file, location: e.location }));
    if (entries.length === 0) return;
    this.#pool.request<(RawSource | Problem | null)[]>({ kind: "raw", entries, maxFileBytes: this.maxFileBytes, budget: BATCH_BYTES }).then(
      (read) => {
        if (batch >= this.#at) this.#arrived.set(batch, read);
      },
      // Closed, or the worker failed: this thread reads those files itself.
      () => undefined,
    );
  }
}
