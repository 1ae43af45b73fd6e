import { parentPort } from "node:worker_threads";
import type { FormatName } from "../feeds/model.ts";
import type { readerFromSetup, ReadJob, ReadSetup } from "../pipeline/read-one.ts";
import { formatNamed } from "./index.ts";
import { fromWire, type WireItem } from "./wire.ts";

type Message =
  | { kind: "items"; id: number; format: FormatName; language: string | undefined; items: WireItem[] }
  | { kind: "read-setup"; setup: ReadSetup }
  | { kind: "read"; id: number; job: ReadJob }
  | { kind: "shown"; id: number; job: ReadJob; key: string };

/**
 * A worker thread: the same renderers and the same article reader as the main thread, on
 * another core. The reader (Markdown and all) is loaded only by a pool that reads articles.
 */
let reader: Promise<ReturnType<typeof readerFromSetup>> | undefined;

parentPort!.on("message", async (message: Message) => {
  if (message.kind === "read-setup") {
    const { setup } = message;
    reader = import("../pipeline/read-one.ts").then((m) => m.readerFromSetup(setup));
    // Failing here fails every read that follows, each with this reason.
    reader.catch(() => undefined);
    return;
  }
  try {
    if (message.kind === "read" || message.kind === "shown") {
      if (reader === undefined) throw new Error("read before read-setup");
      const { read, shown } = await reader;
      parentPort!.postMessage({ id: message.id, result: message.kind === "read" ? read(message.job) : shown(message.job, message.key) });
      return;
    }
    const format = formatNamed(message.format);
    parentPort!.postMessage({ id: message.id, result: message.items.map((item) => format.item(fromWire(item), message.language)) });
  } catch (e) {
    parentPort!.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) });
  }
});
