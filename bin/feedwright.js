#!/usr/bin/env node
// The published package runs the compiled JavaScript in lib/ (built by `npm pack` through the
// prepack script) with plain node. A checkout has src/ and runs it through tsx instead, so the
// repository needs no compile step and never runs a stale lib/.
import { existsSync, readFileSync } from "node:fs";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  // Start-up is the whole cost of --version: answer it before loading any module of ours
  // (src/version.ts reads the same field for everything else).
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  const source = new URL("../src/cli.ts", import.meta.url);
  let main;
  if (existsSync(source)) {
    const { register } = await import("tsx/esm/api");
    register();
    ({ main } = await import(source.href));
  } else {
    ({ main } = await import("../lib/cli.js"));
  }
  process.exitCode = await main(argv);
}
