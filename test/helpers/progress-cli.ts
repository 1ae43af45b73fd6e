/**
 * Test-only entry point: `node --import tsx test/helpers/progress-cli.ts <afterMs> <args...>` runs
 * the command line as bin/feedwright.js does, on the real process's terminal or pipes, with live
 * progress shown after `afterMs` instead of a second: the hook is a parameter of `main`'s Io
 * (`progressAfterMs`), never an environment variable the product reads.
 */
import { main, processIo } from "../../src/cli.ts";

const [afterMs, ...args] = process.argv.slice(2);
process.exitCode = await main(args, { ...processIo(new AbortController().signal), progressAfterMs: Number(afterMs) });
