/**
 * Test-only entry point: `node --import tsx test/helpers/kill-build.ts <k>` builds the project in
 * the working directory the way `feedwright build --now NOW` does (content/ to dist/, the cache in
 * .cache/, as helpers/faults.ts's build), and kills its own process (SIGKILL) just before
 * publishing's k-th change to the file system. The hook is a parameter of the build
 * (`beforeChange`), never an environment variable the product reads.
 */
import { join } from "node:path";
import { DateTime } from "luxon";
import { build } from "../../src/pipeline/index.ts";
import { hasErrors } from "../../src/problems.ts";
import { NOW } from "./faults.ts";

const killAt = Number(process.argv[2]);
if (!Number.isInteger(killAt) || killAt < 1) throw new Error(`usage: kill-build.ts <k>, k a whole number from 1 (got ${process.argv[2]})`);
let steps = 0;
const result = await build({
  contentDir: "content",
  outDir: "dist",
  now: DateTime.fromISO(NOW, { zone: "UTC" }),
  cacheDir: join(process.cwd(), ".cache"),
  beforeChange: () => {
    if (++steps === killAt) process.kill(process.pid, "SIGKILL");
  },
});
if (hasErrors(result.problems)) {
  process.stderr.write(`${result.problems.map((p) => p.message).join("\n")}\n`);
  process.exitCode = 1;
}
