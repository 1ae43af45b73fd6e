import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import type { FormatName } from "../feeds/model.ts";
import type { readerFromSetup, ReadJob, ReadSetup } from "../pipeline/read-one.ts";
import { readBatch, type ContentEntry } from "../content/read.ts";
import type { WireItem } from "./wire.ts";

type Message =
  | { kind: "items"; id: number; format: FormatName; language: string | undefined; items: WireItem[] }
  | { kind: "read-setup"; setup: ReadSetup }
  | { kind: "read"; id: number; job: ReadJob }
  | { kind: "shown"; id: number; job: ReadJob; key: string }
  | { kind: "raw"; id: number; entries: Pick<ContentEntry, "file" | "location">[]; maxFileBytes: number; budget: number };

/**
 * A worker thread: the same renderers and the same article reader as the main thread, on
 * another core. Each loads only with its first message: the reader (Markdown and all) for a pool
 * that reads articles, the feed formats for one that renders items; a pool that only reads files
 * ahead (`raw`) loads neither, so it starts at once.
 */
/**
 * The thread that reads ahead sleeps between batches, and woken by the main thread's request it
 * took that thread's core from it (Linux's scheduler favours a thread that slept): at 10,000
 * articles the main thread's requests came to about 0.1 s of its profile, 13 ms with this
 * thread's niceness at 10, and the build 3 % sooner (ten interleaved runs each: medians 1.88 s
 * against 1.94 s). On Linux the niceness is the calling thread's own; elsewhere it would be the
 * whole process's, so it is left alone there.
 */
const READ_AHEAD_NICENESS = 10;
let niced = false;
function yieldToMainThread(): void {
  if (niced || process.platform !== "linux") return;
  niced = true;
  try {
    setPriority(0, READ_AHEAD_NICENESS);
  } catch {
    // Not allowed (a sandbox): the files are read ahead all the same.
  }
}

let reader: Promise<ReturnType<typeof readerFromSetup>> | undefined;
let formats: Promise<[typeof import("./index.ts"), typeof import("./wire.ts")]> | undefined;

parentPort!.on("message", async (message: Message) => {
  if (message.kind === "read-setup") {
    const { setup } = message;
    reader = import("../pipeline/read-one.ts").then((m) => m.readerFromSetup(setup));
    // Failing here fails every read that follows, each with this reason.
    reader.catch(() => undefined);
    return;
  }
  try {
    if (message.kind === "raw") {
      yieldToMainThread();
      // Files read ahead of the main thread (src/content/read-ahead.ts).
      const { read, transfer } = readBatch(message.entries, message.maxFileBytes, message.budget);
      parentPort!.postMessage({ id: message.id, result: read }, transfer);
      return;
    }
    if (message.kind === "read" || message.kind === "shown") {
      if (reader === undefined) throw new Error("read before read-setup");
      const { read, shown } = await reader;
      parentPort!.postMessage({ id: message.id, result: message.kind === "read" ? read(message.job) : shown(message.job, message.key) });
      return;
    }
    formats ??= Promise.all([import("./index.ts"), import("./wire.ts")]);
    const [{ formatNamed }, { fromWire }] = await formats;
    const format = formatNamed(message.format);
    parentPort!.postMessage({ id: message.id, result: message.items.map((item) => format.item(fromWire(item), message.language)) });
  } catch (e) {
    parentPort!.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) });
  }
});
