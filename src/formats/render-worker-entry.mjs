// Worker threads do not inherit the tsx loader the main thread registered: register it, then
// load the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.ts");
