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
