/**
 * Ctrl-C and SIGTERM stop a build: soon, with nothing published (or, past publishing's commit
 * point, everything), no staging folder or lock left, and exit 130 or 143. A few real processes
 * here; many, at random moments, in test/interop/interrupt.test.ts.
 */
import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, tempDir } from "./helpers/cli.ts";
import { bytesOf, leftovers, NOW, writeContent } from "./helpers/faults.ts";
import { interruptBuild, finishedAnyway } from "./helpers/interrupt.ts";

describe("an interrupted build", () => {
  it("stops on SIGINT and SIGTERM with the old output folder whole, exit 130 and 143", { timeout: 10 * 60_000 }, async () => {
    const dir = tempDir();
    writeContent(dir, 200, "old");
    assert.equal((await cli(["build", "--now", NOW], dir, { FEEDWRIGHT_CACHE_DIR: join(tempDir(), "cache") })).status, 0);
    const OLD = bytesOf(join(dir, "dist"));
    writeContent(dir, 200, "new");
    const probe = tempDir();
    cpSync(join(dir, "content"), join(probe, "content"), { recursive: true });
    assert.equal((await cli(["build", "--now", NOW], probe, { FEEDWRIGHT_CACHE_DIR: join(tempDir(), "cache") })).status, 0);
    const NEW = bytesOf(join(probe, "dist"));

    const stops: number[] = [];
    for (const [signal, delay] of [["SIGINT", 0], ["SIGTERM", 150], ["SIGINT", 400]] as const) {
      const run = await interruptBuild(dir, signal, delay, join(tempDir(), "cache"));
      const now = bytesOf(join(dir, "dist"));
      assert.deepEqual(leftovers(dir), [], `${signal} at +${delay} ms: leftovers`);
      if (Number.isNaN(run.stopMs) || finishedAnyway(run, signal)) {
        // Finished before the signal could be sent, or before it could stop the build: then it
        // must have published whole. (A fast machine finishes 200 articles within 400 ms.)
        if (Number.isNaN(run.stopMs)) assert.equal(run.code, 0, run.stderr);
        assert.ok(deepEqual(now, NEW), `${signal} at +${delay} ms: finished, but dist/ is not the new set`);
        continue;
      }
      assert.equal(run.code, signal === "SIGINT" ? 130 : 143, `${signal} at +${delay} ms: ${run.stderr}`);
      stops.push(Math.round(run.stopMs));
      if (/left as it was/.test(run.stderr)) assert.ok(deepEqual(now, OLD), `${signal} at +${delay} ms: said "left as it was", but dist/ changed`);
      else {
        assert.match(run.stderr, /holds the new build/);
        assert.ok(deepEqual(now, NEW), `${signal} at +${delay} ms: dist/ is not the new set`);
      }
    }
    assert.ok(stops.length > 0, "no run was interrupted");
    // A second is the promise; a loaded test machine gets some slack.
    for (const ms of stops) assert.ok(ms < 4000, `stopped after ${ms} ms`);
    if (process.env.FAULTS_REPORT === "1") process.stdout.write(`# interrupt: stopped after ${stops.join(", ")} ms\n`);
  });
});

function deepEqual(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
