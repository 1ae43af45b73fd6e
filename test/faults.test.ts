/**
 * A hostile machine: the build killed while publishing, a full disk, a read-only or unusable
 * output folder, two builds at once. Each time dist/ must be exactly the old feed set or exactly
 * the new one, never a mix, and the next build must recover without leftovers. The build killed
 * at every step of publishing, and at random moments, is test/interop/kill.test.ts (minutes long).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DateTime } from "luxon";
import { build as buildInProcess, type Progress } from "../src/pipeline/index.ts";
import { formatProblem } from "../src/problems.ts";
import { BIN, cli, snapshot, tempDir } from "./helpers/cli.ts";
import { bytesOf, deepEqual, leftovers, NOW, writeContent } from "./helpers/faults.ts";

/** `feedwright build --now NOW` in `dir`, in process (cli()), the cache in `dir`/.cache unless `env` says otherwise. */
function build(dir: string, env: NodeJS.ProcessEnv = {}) {
  return cli(["build", "--now", NOW], dir, { FEEDWRIGHT_CACHE_DIR: join(dir, ".cache"), ...env });
}

const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync("umount", [m]);
});

/** A small tmpfs, when this machine lets us mount one (root in CI); else undefined. */
function tmpfs(size: string): string | undefined {
  const dir = tempDir("feedwright-tmpfs-");
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
  if (r.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

describe("an output folder that cannot be written", () => {
  it("a parent that is a file: a clear message, exit 1", async () => {
    const dir = tempDir();
    writeContent(dir, 3, "a");
    writeFileSync(join(dir, "blocker"), "not a folder");
    const run = await cli(["build", "--now", NOW, "--out", "blocker/dist"], dir, { FEEDWRIGHT_CACHE_DIR: join(dir, ".cache") });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /blocker/);
    assert.match(run.stderr, /ENOTDIR|not a directory|not a folder/i);
  });

  it("a read-only file system: a clear message, exit 1, the old dist/ intact", async (t) => {
    const mount = tmpfs("8m");
    if (mount === undefined) return t.skip("cannot mount a tmpfs here");
    writeContent(mount, 5, "old");
    assert.equal((await build(mount, { FEEDWRIGHT_CACHE_DIR: join(tempDir(), "cache") })).status, 0);
    const before = snapshot(join(mount, "dist"));
    writeContent(mount, 5, "new");
    assert.equal(spawnSync("mount", ["-o", "remount,ro", mount]).status, 0);
    try {
      const run = await build(mount, { FEEDWRIGHT_CACHE_DIR: join(tempDir(), "cache") });
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stderr, /EROFS|read-only/i);
      assert.ok(run.stderr.trim().split("\n").length <= 3, `not one clear message:\n${run.stderr}`);
      assert.deepEqual(snapshot(join(mount, "dist")), before);
    } finally {
      spawnSync("mount", ["-o", "remount,rw", mount]);
    }
  });

  it("a full disk: a clear message, exit 1, the old dist/ intact, no leftovers", async (t) => {
    const mount = tmpfs("2m");
    if (mount === undefined) return t.skip("cannot mount a tmpfs here");
    const project = tempDir();
    writeContent(project, 5, "small");
    const out = join(mount, "dist");
    const cache = join(tempDir(), "cache");
    assert.equal((await cli(["build", "--now", NOW, "--out", out], project, { FEEDWRIGHT_CACHE_DIR: cache })).status, 0);
    const before = snapshot(out);
    writeContent(project, 400, "big"); // several MiB of feeds: more than the 2 MiB left
    const run = await cli(["build", "--now", NOW, "--out", out], project, { FEEDWRIGHT_CACHE_DIR: cache });
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stderr, /ENOSPC|no space/i);
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(leftovers(mount, join(mount, "dist")), []);
  });
});

/**
 * Runs the CLI as a user without the rights a test takes away. Root may write anything, so as
 * root the build runs as `nobody` (setpriv, util-linux); as anyone else, as themselves. Undefined
 * when neither works here (nobody cannot reach the checkout, or setpriv is missing).
 */
function buildWithoutRights(dir: string, cache: string): { status: number | null; stdout: string; stderr: string } | undefined {
  const args = [BIN, "build", "--now", NOW];
  const env = { PATH: process.env.PATH, HOME: cache, FEEDWRIGHT_CACHE_DIR: cache };
  if (process.getuid?.() !== 0) {
    const r = spawnSync(process.execPath, args, { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath];
  const probe = spawnSync("setpriv", [...nobody, "-e", `require("fs").accessSync(${JSON.stringify(BIN)}, require("fs").constants.R_OK)`], { cwd: dir, env });
  if (probe.status !== 0) return undefined;
  const r = spawnSync("setpriv", [...nobody, ...args], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("missing permissions", () => {
  /** A project built once (dist/ as that build left it), then changed, readable by everyone. */
  async function changedProject(): Promise<{ dir: string; cache: string; before: ReturnType<typeof snapshot> }> {
    const dir = tempDir();
    writeContent(dir, 5, "old");
    assert.equal((await build(dir)).status, 0);
    writeContent(dir, 5, "new");
    chmodSync(dir, 0o755);
    const cache = tempDir();
    chmodSync(cache, 0o777);
    return { dir, cache, before: snapshot(join(dir, "dist")) };
  }

  it("an output folder this user may not write: a clear message, exit 1, the old dist/ intact", async (t) => {
    const { dir, cache, before } = await changedProject();
    // The output's parent (the project folder) is not writable: no staging folder, no lock.
    if (process.getuid?.() !== 0) chmodSync(dir, 0o555);
    try {
      const run = buildWithoutRights(dir, cache);
      if (run === undefined) return t.skip("cannot run the build as an unprivileged user here");
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stderr, /cannot publish to dist\/: permission denied \(EACCES/);
      assert.match(run.stderr, /left as it was/);
      assert.ok(run.stderr.trim().split("\n").length <= 3, `not one clear message:\n${run.stderr}`);
      assert.deepEqual(snapshot(join(dir, "dist")), before);
      assert.deepEqual(leftovers(dir), []);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it("a content file this user may not read: an error naming it, exit 1, the old dist/ intact", async (t) => {
    const { dir, cache, before } = await changedProject();
    chmodSync(join(dir, "content/post-2.md"), 0o000);
    const run = buildWithoutRights(dir, cache);
    if (run === undefined) return t.skip("cannot run the build as an unprivileged user here");
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /post-2\.md.*cannot read file: permission denied \(EACCES\)/);
    assert.deepEqual(snapshot(join(dir, "dist")), before);
  });
});

describe("two builds at once", () => {
  it("on one output folder: both succeed or fail cleanly, and dist/ is one whole set", { timeout: 5 * 60_000 }, async () => {
    const a = tempDir();
    const b = tempDir();
    writeContent(a, 300, "A");
    writeContent(b, 300, "B");
    const out = join(tempDir(), "dist");
    // Each project's set, built alone.
    const setA = join(tempDir(), "dist");
    const setB = join(tempDir(), "dist");
    assert.equal((await cli(["build", "--now", NOW, "--out", setA], a, { FEEDWRIGHT_CACHE_DIR: join(a, ".cache") })).status, 0);
    assert.equal((await cli(["build", "--now", NOW, "--out", setB], b, { FEEDWRIGHT_CACHE_DIR: join(b, ".cache") })).status, 0);
    const A = bytesOf(setA);
    const B = bytesOf(setB);

    for (let round = 0; round < 4; round++) {
      const run = (cwd: string) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, "build", "--now", NOW, "--out", out], { cwd, env: { PATH: process.env.PATH, FEEDWRIGHT_CACHE_DIR: join(cwd, ".cache") } });
          let stderr = "";
          child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
          child.on("exit", (code) => resolve({ code, stderr }));
        });
      const results = await Promise.all([run(a), run(b)]);
      for (const r of results) assert.ok(r.code === 0 || (r.code === 1 && r.stderr.trim() !== ""), `exit ${r.code}: ${r.stderr}`);
      assert.ok(results.some((r) => r.code === 0), results.map((r) => r.stderr).join("\n"));
      const now = bytesOf(out);
      assert.ok(deepEqual(now, A) || deepEqual(now, B), `round ${round}: dist/ is a mix of both builds`);
      assert.deepEqual(leftovers(join(out, ".."), out), [], `round ${round}: leftovers`);
    }
  });
});

describe("unchanged output is not rewritten", () => {
  it("a build after an unrelated change leaves unchanged files' times alone", async () => {
    const dir = tempDir();
    writeContent(dir, 30, "v");
    assert.equal((await build(dir)).status, 0);
    const before = snapshot(join(dir, "dist"));
    // A draft changes nothing any feed shows.
    writeFileSync(join(dir, "content/draft.md"), `---\ntitle: Draft\ndate: 2021-01-01\ndraft: true\n---\nx\n`);
    const run = await build(dir);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(snapshot(join(dir, "dist")), before);
  });
});

describe("content removed while the build runs", () => {
  // In process, so the removal happens at a known point: the progress callback runs just before
  // each article is read (`read` counts them) and after each document is written (`written`).
  const at = DateTime.fromISO(NOW);
  const options = (dir: string, progress: (p: Progress) => void) => ({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), cacheDir: join(dir, ".cache"), now: at, progress });

  /** A project built once, then edited, with its dist/ as that first build left it. */
  async function built(n: number): Promise<{ dir: string; before: ReturnType<typeof snapshot> }> {
    const dir = tempDir();
    writeContent(dir, n, "old");
    const first = await buildInProcess(options(dir, () => {}));
    assert.deepEqual(first.problems.map(formatProblem), []);
    writeFileSync(join(dir, "content/post-0.md"), `---\ntitle: Post 0 edited\ndate: 2020-01-01T00:00:00Z\ntags: [t0, all]\n---\nEdited.\n`);
    return { dir, before: snapshot(join(dir, "dist")) };
  }

  it("a file listed but gone when it is read: an error naming it, the old dist/ intact", async () => {
    const { dir, before } = await built(6);
    const gone = join(dir, "content/post-3.md");
    const result = await buildInProcess(options(dir, (p) => {
      if (p.read === 1 && p.written === 0 && existsSync(gone)) unlinkSync(gone);
    }));
    assert.equal(result.report, undefined);
    const errors = result.problems.filter((p) => p.severity === "error").map(formatProblem);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0]!, /post-3\.md cannot read file: it is gone \(removed or renamed while the build ran\?\) \(ENOENT\)/);
    assert.deepEqual(snapshot(join(dir, "dist")), before);
    assert.deepEqual(leftovers(dir), []);
  });

  it("the whole content folder removed after listing: each file named, the old dist/ intact", async () => {
    const { dir, before } = await built(4);
    const result = await buildInProcess(options(dir, (p) => {
      if (p.read === 1 && p.written === 0) rmSync(join(dir, "content"), { recursive: true, force: true });
    }));
    assert.equal(result.report, undefined);
    const errors = result.problems.filter((p) => p.severity === "error").map(formatProblem);
    // _index.md was read before the articles; every article is named.
    assert.equal(errors.length, 4, errors.join("\n"));
    for (let i = 0; i < 4; i++) assert.ok(errors.some((e) => e.includes(`post-${i}.md cannot read file`)), errors.join("\n"));
    assert.deepEqual(snapshot(join(dir, "dist")), before);
  });

  it("a file removed while feeds are written, its cached body gone too: the build publishes the content as it read it, whole, and the next build drops the file", async () => {
    // Each item is rendered once per format and held until its last document is written, so a
    // source or cache entry removed after reading cannot mix two states into one output.
    const { dir } = await built(30);
    const gone = join(dir, "content/post-2.md");
    const done = await buildInProcess(options(dir, (p) => {
      if (p.written === 1 && existsSync(gone)) {
        unlinkSync(gone);
        rmSync(join(dir, ".cache"), { recursive: true, force: true });
      }
    }));
    assert.equal(existsSync(gone), false, "the removal happened during the build");
    assert.deepEqual(done.problems.map(formatProblem), []);
    assert.deepEqual(leftovers(dir), []);
    // Every title in the site feed and its archive pages, which together hold every article once.
    const titles = () =>
      readdirSync(join(dir, "dist"), { recursive: true, encoding: "utf8" })
        .filter((f) => /^(archive\/\d+\/)?feed\.json$/.test(f))
        .flatMap((f) => (JSON.parse(readFileSync(join(dir, "dist", f), "utf8")) as { items: { title: string }[] }).items.map((i) => i.title));
    assert.equal(titles().length, 30);
    assert.ok(titles().includes("Post 2 old"), "published as read: post-2 is in it");
    assert.ok(titles().includes("Post 0 edited"), "published as read: the edit is in it");
    // Run again on what is there now: post-2 is gone from every feed.
    const again = await buildInProcess(options(dir, () => {}));
    assert.deepEqual(again.problems.map(formatProblem), []);
    assert.ok(again.report !== undefined && again.report.changed.length > 0);
    assert.equal(titles().length, 29);
    assert.ok(!titles().includes("Post 2 old"));
    assert.deepEqual(leftovers(dir), []);
  });
});
