/**
 * The build killed while publishing: at every step (a kill hook in src/output/publish.ts) and at
 * random moments (a real SIGKILL from outside). Each time dist/ must be exactly the old feed set
 * or exactly the new one, or (killed past publishing's commit point) a mix of whole files with a journal the
 * next build plays forward; and the next build must recover without leftovers. Minutes
 * long (a build per step), so it runs in `npm run test:interop`, not `npm test`.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BIN, childEnv, ROOT, tempDir } from "../helpers/cli.ts";
import { build, bytesOf, deepEqual, leftovers, NOW, writeContent, type Snapshot } from "../helpers/faults.ts";

const KILL_BUILD = join(ROOT, "test/helpers/kill-build.ts");

describe("killed while publishing", () => {
  /** The old and the new feed set for one project, each built once, undisturbed. */
  function states(n: number): { dir: string; oldDist: string; OLD: Snapshot; NEW: Snapshot } {
    const dir = tempDir();
    writeContent(dir, n, "old");
    assert.equal(build(dir).status, 0);
    const oldDist = join(tempDir(), "dist");
    cpSync(join(dir, "dist"), oldDist, { recursive: true });
    // Half the articles change: the new set has files written anew and files linked unchanged.
    // Each keeps its date, so the id guard sees an edit of the same article, not a reused id.
    for (let i = 0; i < n; i += 2) {
      const day = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().slice(0, 19);
      writeFileSync(join(dir, "content", `post-${i}.md`), `---\ntitle: Post ${i} changed\ndate: ${day}Z\ntags: [t${i % 7}]\n---\nNew text.\n`);
    }
    const probe = tempDir();
    cpSync(join(dir, "content"), join(probe, "content"), { recursive: true });
    assert.equal(build(probe).status, 0);
    const NEW = bytesOf(join(probe, "dist"));
    const OLD = bytesOf(oldDist);
    assert.notDeepEqual(OLD, NEW);
    return { dir, oldDist, OLD, NEW };
  }

  /**
   * After a kill: dist/ is exactly one set, or, killed past publishing's commit point, each file
   * is its old or its new self and a journal is there for the next build to play forward.
   */
  function assertWhole(dir: string, OLD: Snapshot, NEW: Snapshot, at: string): "old" | "new" | "midway" {
    const now = bytesOf(join(dir, "dist"));
    if (deepEqual(now, NEW)) return "new";
    if (deepEqual(now, OLD)) return "old";
    assert.ok(existsSync(join(dir, "dist/.feedwright-staging/journal.json")), `${at}: dist/ is neither the old nor the new set, and no journal completes it`);
    for (const [path, bytes] of now) assert.ok(bytes === OLD.get(path) || bytes === NEW.get(path), `${at}: ${path} is neither old nor new`);
    return "midway";
  }

  /** A build in `dir` killed before publishing's k-th change (test/helpers/kill-build.ts). */
  function killBuild(dir: string, k: number) {
    const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), KILL_BUILD, String(k)], { cwd: dir, encoding: "utf8", env: childEnv(dir), timeout: 60_000 });
    return { status: run.status, stderr: run.stderr };
  }

  function resetTo(dir: string, oldDist: string): void {
    for (const name of readdirSync(dir)) if (name === "dist" || name.startsWith(".dist.")) rmSync(join(dir, name), { recursive: true, force: true });
    cpSync(oldDist, join(dir, "dist"), { recursive: true });
  }

  // test/helpers/kill-build.ts builds through the programmatic pipeline with publish()'s
  // `beforeChange` hook set to kill the process before its k-th change to the file system, for
  // every k until the build gets through.
  it("at every step of publishing, dist/ is the old or the new set, and the next build recovers", { timeout: 10 * 60_000 }, () => {
    const { dir, oldDist, OLD, NEW } = states(5);
    const seen = { old: 0, new: 0, midway: 0 };
    let k = 1;
    for (; k < 500; k++) {
      resetTo(dir, oldDist);
      const killed = killBuild(dir, k);
      if (killed.status === 0) break; // fewer steps than k: the build ran to the end
      assert.equal(killed.status, null, `step ${k}: ${killed.stderr}`);
      seen[assertWhole(dir, OLD, NEW, `killed before step ${k}`)]++;
      const next = build(dir);
      assert.equal(next.status, 0, next.stderr);
      const after = bytesOf(join(dir, "dist"));
      const differing = [...new Set([...after.keys(), ...NEW.keys()])].filter((p) => after.get(p) !== NEW.get(p));
      assert.deepEqual(differing, [], `step ${k}: the next build did not produce the new set (${next.stdout.trim()})`);
      assert.deepEqual(leftovers(dir), [], `step ${k}: leftovers`);
    }
    assert.ok(seen.old > 2 && seen.new > 0 && seen.midway > 0, JSON.stringify(seen));
    if (process.env.FAULTS_REPORT === "1") process.stdout.write(`# faults: ${k - 1} kill points: ${JSON.stringify(seen)}\n`);
  });

  it("killed at random moments of a larger build (real SIGKILL from outside)", { timeout: 10 * 60_000 }, async () => {
    const { dir, oldDist, OLD, NEW } = states(120);
    const probe = tempDir();
    cpSync(join(dir, "content"), join(probe, "content"), { recursive: true });
    const t0 = performance.now();
    assert.equal(build(probe).status, 0);
    const fullMs = performance.now() - t0;
    for (const fraction of [0.6, 0.8, 0.9, 1.0]) {
      resetTo(dir, oldDist);
      const child = spawn(process.execPath, [BIN, "build", "--now", NOW], { cwd: dir, env: { PATH: process.env.PATH, FEEDWRIGHT_CACHE_DIR: join(dir, ".cache") }, stdio: "ignore" });
      const exited = new Promise((r) => child.once("exit", r));
      await new Promise((r) => setTimeout(r, fullMs * fraction));
      child.kill("SIGKILL");
      await exited;
      assertWhole(dir, OLD, NEW, `killed at ${Math.round(fullMs * fraction)} ms`);
      const next = build(dir);
      assert.equal(next.status, 0, next.stderr);
      assert.ok(deepEqual(bytesOf(join(dir, "dist")), NEW));
      assert.deepEqual(leftovers(dir), []);
    }
  });
});

