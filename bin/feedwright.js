#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so no compile step is needed.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
