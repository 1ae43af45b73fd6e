#!/usr/bin/env node
// The published package runs the compiled JavaScript in lib/ (built by `npm pack` through the
// prepack script) with plain node. A checkout has src/ and runs it through tsx instead, so the
// repository needs no compile step and never runs a stale lib/.
import { existsSync } from "node:fs";

const source = new URL("../src/cli.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../lib/cli.js"));
}
process.exitCode = await main(process.argv.slice(2));
