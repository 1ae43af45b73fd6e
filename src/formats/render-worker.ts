import { parentPort } from "node:worker_threads";
import type { FormatName } from "../feeds/model.ts";
import { formatNamed } from "./index.ts";
import { fromWire, type WireItem } from "./wire.ts";

/** A worker thread that renders item fragments: the same renderers, on another core. */
parentPort!.on("message", (job: { id: number; format: FormatName; language: string | undefined; items: WireItem[] }) => {
  try {
    const format = formatNamed(job.format);
    parentPort!.postMessage({ id: job.id, fragments: job.items.map((item) => format.item(fromWire(item), job.language)) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
