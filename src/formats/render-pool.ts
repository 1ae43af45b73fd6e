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

/** Below this many documents, starting workers (about 0.3 s each under tsx) costs more than it saves. */
export const WORKER_THRESHOLD = 400;

export function defaultThreads(documents: number): number {
  return documents < WORKER_THRESHOLD ? 0 : Math.min(4, availableParallelism());
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
  type Job = { resolve: (fragments: Fragment[]) => void; reject: (e: Error) => void };
  const jobs = new Map<number, Job>();
  let nextId = 0;
  const workers = Array.from({ length: threads }, () => {
    // Compiled (the published package), the worker is plain JavaScript; from source, the entry registers tsx first.
    const worker = new Worker(new URL(import.meta.url.endsWith(".ts") ? "./render-worker-entry.mjs" : "./render-worker.js", import.meta.url));
    worker.on("message", (message: { id: number; fragments?: Fragment[]; error?: string }) => {
      const job = jobs.get(message.id);
      jobs.delete(message.id);
      if (message.fragments !== undefined) job?.resolve(message.fragments);
      else job?.reject(new Error(message.error ?? "render worker failed"));
    });
    worker.on("error", (e) => {
      for (const job of jobs.values()) job.reject(e);
      jobs.clear();
    });
    return worker;
  });
  return {
    threads,
    items(format, items, language) {
      const id = nextId++;
      const worker = workers[id % workers.length]!;
      return new Promise<Fragment[]>((resolve, reject) => {
        jobs.set(id, { resolve, reject });
        worker.postMessage({ id, format, language, items: items.map(toWire) });
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
