// Fallback for machines without GNU time: preloaded with `node --import`, it writes this
// process's peak RSS (KiB) and CPU time (ms) to $FEEDWRIGHT_BENCH_USAGE when the process exits.
import { writeFileSync } from "node:fs";

const file = process.env.FEEDWRIGHT_BENCH_USAGE;
if (file !== undefined && file !== "") {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
