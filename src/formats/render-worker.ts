import { parentPort } from "node:worker_threads";
import { FORMATS } from "./index.ts";
import { fromWire, type WireModel } from "./wire.ts";

/** A worker thread that renders feed documents: the same renderers, on another core. */
parentPort!.on("message", (job: { id: number; format: string; model: WireModel }) => {
  try {
    const format = FORMATS.find((f) => f.name === job.format)!;
    parentPort!.postMessage({ id: job.id, content: format.render(fromWire(job.model)) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
