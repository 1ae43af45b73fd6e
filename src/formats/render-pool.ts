import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FeedItem, FormatName } from "../feeds/model.ts";
import type { Fragment } from "./fragment.ts";
import { formatNamed } from "./index.ts";
import { toWire } from "./wire.ts";

/** Renders item fragments, on worker threads when there are enough documents to pay for starting them. */
export interface Renderer {
  items(format: FormatName, items: readonly FeedItem[], language: string | undefined): Promise<Fragment[]>;
  close(): Promise<void>;
  readonly threads: number;
}

/**
 * How much work pays for starting workers, by kind: each costs about 0.25 s of CPU to load its
 * modules and warms up its own JIT, and on two cores a second busy thread slows the first.
 * Measured on the bench corpus (two vCPUs, full job, `--no-cache`, three runs each): files read
 * and rendered on two workers took as long as on this thread alone at 1,000 and 2,000 articles
 * (3.8-5.3 s against 3.6-4.6 s; 6.6-6.8 s against 6.1-7.3 s) at 25-80% more CPU time and
 * 35-55% more memory, as long or a little less at 4,000 (9.9-11.3 s against 11.1-11.8 s), and
 * 22% less at 10,000 (18.1-20.8 s against 23.5-25.8 s); rendering the ~1,000 bodies the same
 * job's feeds show ran 0.3-0.9 s slower on workers than here, as did its ~1,100 item fragments
 * (about 0.15 ms each).
 */
export const WORKER_THRESHOLD = {
  /** Content files, each read, parsed and rendered. */
  files: 4000,
  /** Article bodies rendered from Markdown (about 0.8 ms each). */
  renders: 2000,
  /** Item fragments (one item in one format). */
  fragments: 6000,
} as const;

export function defaultThreads(units: number, threshold: number = WORKER_THRESHOLD.files): number {
  return units < threshold ? 0 : Math.min(4, availableParallelism());
}

/** In this thread: the reference every worker must agree with byte for byte. */
export function inlineRenderer(): Renderer {
  return {
    threads: 0,
    items: async (format, items, language) => {
      const f = formatNamed(format);
      return items.map((item) => f.item(item, language));
    },
    close: async () => undefined,
  };
}

export function workerRenderer(threads: number): Renderer {
  if (threads <= 0) return inlineRenderer();
  const pool = new WorkerPool(threads);
  return {
    threads,
    items: (format, items, language) => pool.request<Fragment[]>({ kind: "items", format, language, items: items.map(toWire) }),
    close: () => pool.close(),
  };
}

/**
 * Worker threads running src/formats/render-worker.ts, which answers each message with one
 * reply: rendering item fragments, and reading articles (src/pipeline/read-one.ts). Each
 * request goes to the worker with the fewest unanswered ones.
 */
export class WorkerPool {
  readonly #workers: { worker: Worker; pending: number }[];
  readonly #jobs = new Map<number, { resolve: (value: never) => void; reject: (e: unknown) => void; slot: { pending: number } }>();
  #next = 0;
  #closed: unknown;

  constructor(readonly threads: number) {
    this.#workers = Array.from({ length: threads }, () => {
      // Compiled (the published package), the worker is plain JavaScript; from source, the entry registers tsx first.
      const worker = new Worker(new URL(import.meta.url.endsWith(".ts") ? "./render-worker-entry.mjs" : "./render-worker.js", import.meta.url));
      const slot = { worker, pending: 0 };
      worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
        const job = this.#jobs.get(message.id);
        if (job === undefined) return;
        this.#jobs.delete(message.id);
        job.slot.pending--;
        if (message.error === undefined) job.resolve(message.result as never);
        else job.reject(new Error(message.error));
      });
      worker.on("error", (e) => this.#fail(e));
      return slot;
    });
  }

  /** Sends every worker the same message, answered by none: what they need before the requests that follow. */
  broadcast(message: object): void {
    for (const { worker } of this.#workers) worker.postMessage(message);
  }

  request<T>(message: object): Promise<T> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#next++;
    const slot = this.#workers.reduce((a, b) => (b.pending < a.pending ? b : a));
    slot.pending++;
    return new Promise<T>((resolve, reject) => {
      this.#jobs.set(id, { resolve: resolve as (value: never) => void, reject, slot });
      slot.worker.postMessage({ ...message, id });
    });
  }

  /** Stops every worker at once; what is still unanswered is rejected with `reason`. */
  async close(reason: unknown = new Error("worker pool closed")): Promise<void> {
    if (this.#closed === undefined) this.#fail(reason);
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  #fail(reason: unknown): void {
    this.#closed ??= reason;
    for (const job of this.#jobs.values()) job.reject(reason);
    this.#jobs.clear();
  }
}
