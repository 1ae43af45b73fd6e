import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { READ_AHEAD_FROM, ReadAhead } from "../src/content/read-ahead.ts";
import { isRaw, listContent, readRaw, type ContentEntry } from "../src/content/read.ts";
import { WorkerPool } from "../src/formats/render-pool.ts";
import { build } from "../src/pipeline/index.ts";
import { snapshot, tempDir } from "./helpers/cli.ts";
import { opened } from "./helpers/opened.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

/** A site of `n` small articles, files over 1,024 bytes capped; with `bad`, two files that cannot be read as articles, listed last. */
function site(n: number, bad = false): { dir: string; contentDir: string } {
  const dir = tempDir();
  const contentDir = join(dir, "content");
  mkdirSync(join(contentDir, "notes"), { recursive: true });
  writeFileSync(join(contentDir, "_index.md"), "---\ntitle: Read ahead\nurl: https://example.org/\nlimit: 5\narchives: false\nformats: [rss]\nmaxFileBytes: 1024\n---\n");
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const folder = i % 3 === 0 ? "notes/" : "";
    writeFileSync(join(contentDir, `${folder}2024-02-${day}-post-${i}.md`), `---\ntitle: Post ${i}\ntags: [t${i % 7}]\n---\nBody of post ${i}, with *emphasis*.\n`);
  }
  if (bad) {
    // Past the cap, and not UTF-8: each a problem, whichever thread reads it.
    writeFileSync(join(contentDir, "2024-03-01-big.md"), `---\ntitle: Big\n---\n${"x".repeat(2000)}\n`);
    writeFileSync(join(contentDir, "2024-03-02-latin1.md"), Buffer.concat([Buffer.from("---\ntitle: Caf"), Buffer.from([0xe9]), Buffer.from("\n---\nBody.\n")]));
  }
  return { dir, contentDir };
}

/** The paths whose bytes differ between two output folders, or that only one has. */
function differing(a: string, b: string): string[] {
  const [left, right] = [snapshot(a), snapshot(b)];
  return [...new Set([...left.keys(), ...right.keys()])].filter((path) => left.get(path)?.bytes !== right.get(path)?.bytes);
}

/** Runs `action` with a ReadAhead over a site of `n` articles, closing it after. */
async function withReadAhead(n: number, action: (ahead: ReadAhead, entries: readonly ContentEntry[]) => Promise<void>): Promise<void> {
  const { contentDir } = site(n);
  const { entries } = await listContent(contentDir);
  const ahead = new ReadAhead(entries, 1024);
  try {
    await action(ahead, entries);
  } finally {
    await ahead.close();
  }
}

const problemsOf = (result: Awaited<ReturnType<typeof build>>) => result.problems.map((p) => `${p.severity} ${p.file}:${p.line ?? ""} ${p.message}`);

/** The niceness of each of this process's threads (Linux: /proc/self/task/TID/stat, field 19). */
function niceness(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe("files read ahead on a worker", () => {
  it("the thread reading ahead gives way to this one (Linux: its own niceness, 10; this thread's stays)", { skip: process.platform !== "linux" && "niceness is per thread on Linux only" }, async () => {
    const before = niceness();
    assert.ok(!before.includes(10), String(before));
    await withReadAhead(100, async (ahead) => {
      for (let i = 0; i < 100 && ahead.take(i) === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const during = niceness();
      assert.equal(during.filter((n) => n === 10).length, 1, `one thread at 10: ${during}`);
      assert.equal(during[0], before[0], "this thread's own niceness is unchanged");
    });
  });

  it("the worker reads a file as this thread does, and leaves what is past its byte budget to this thread", async () => {
    const { contentDir } = site(40, true);
    const { entries } = await listContent(contentDir);
    const pool = new WorkerPool(1);
    try {
      const sent = entries.map((e) => ({ file: e.file, location: e.location }));
      const all = await pool.request<unknown[]>({ kind: "raw", entries: sent, maxFileBytes: 1024, budget: 1 << 20 });
      assert.equal(all.length, entries.length);
      entries.forEach((entry, i) => {
        const here = readRaw(entry, 1024);
        const there = all[i] as ReturnType<typeof readRaw>;
        if (!isRaw(here)) return assert.deepEqual(there, here, entry.path);
        assert.ok(isRaw(there), entry.path);
        assert.deepEqual(Buffer.from(there.bytes), Buffer.from(here.bytes), entry.path);
        assert.deepEqual(there.stat, here.stat, entry.path);
      });
      // A budget of 200 bytes: the files up to the one that passes it are read, the rest left (null).
      const some = await pool.request<unknown[]>({ kind: "raw", entries: sent, maxFileBytes: 1024, budget: 200 });
      const read = some.findIndex((r) => r === null);
      assert.ok(read > 0 && read < sent.length, `read ${read} of ${sent.length}`);
      assert.ok(some.slice(read).every((r) => r === null));
    } finally {
      await pool.close();
    }
  });

  it("hands over each file in order as the worker read it, and nothing for the first files, which this thread reads while the worker starts", async () => {
    await withReadAhead(300, async (ahead, entries) => {
      let given = 0;
      for (const [i, entry] of entries.entries()) {
        let got = ahead.take(i);
        // Waits for the worker here, so that the test sees every file it reads (a build never waits).
        for (let tries = 0; got === undefined && i >= 64 && tries < 5000; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          got = ahead.take(i);
        }
        if (i < 64) {
          assert.equal(got, undefined, `${entry.path}: the first two batches are this thread's`);
          continue;
        }
        assert.ok(got !== undefined, `${entry.path} never arrived`);
        given++;
        const here = readRaw(entry, 1024);
        if (!isRaw(here) || !isRaw(got)) assert.deepEqual(got, here, entry.path);
        else assert.deepEqual([Buffer.from(got.bytes), got.stat], [Buffer.from(here.bytes), here.stat], entry.path);
      }
      assert.equal(given, entries.length - 64);
    });
  });

  it("keeps no batch that arrives after this thread has passed it (found by review: the late ones were held until the end)", async () => {
    await withReadAhead(600, async (ahead, entries) => {
      // This thread passes every file before any batch can arrive: it reads them all itself.
      for (const i of entries.keys()) assert.equal(ahead.take(i), undefined);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Only the batch it is in may be kept: the 17 before it arrived too late.
      assert.ok(ahead.held <= 1, `${ahead.held} batches held`);
    });
  });

  it(`a build of ${READ_AHEAD_FROM} articles or more reads them on the worker, and writes and reports what a build on one thread does`, async () => {
    // Three times the threshold: from source, the worker takes a few hundred milliseconds to start (tsx compiles it).
    const articles = 3 * READ_AHEAD_FROM;
    const { dir, contentDir } = site(articles);
    const one = await build({ contentDir, outDir: join(dir, "one"), now: NOW, threads: 0 });
    const ahead = await opened(contentDir, () => build({ contentDir, outDir: join(dir, "ahead"), now: NOW }), (path) => path.endsWith(".md") && !path.endsWith("_index.md"));
    assert.deepEqual(problemsOf(ahead.result), problemsOf(one));
    assert.ok((one.report?.changed.length ?? 0) > 0);
    assert.deepEqual(differing(join(dir, "ahead"), join(dir, "one")), []);
    // Read on this thread: the files before the worker was ready, and the shown ones read again to be rendered.
    const shown = ahead.result.plan?.counts.rendered ?? 0;
    const here = ahead.files.length - shown;
    process.stdout.write(`# read ahead: ${articles - here} of ${articles} files read by the worker\n`);
    assert.ok(here < articles, `${ahead.files.length} files opened on this thread`);
  });

  it("files that cannot be read are the same problems whichever thread reads them", async () => {
    const { dir, contentDir } = site(READ_AHEAD_FROM, true);
    const one = await build({ contentDir, outDir: join(dir, "one"), now: NOW, threads: 0 });
    const ahead = await build({ contentDir, outDir: join(dir, "ahead"), now: NOW });
    assert.deepEqual(problemsOf(ahead), problemsOf(one));
    assert.ok(problemsOf(one).some((p) => p.includes("over the limit")) && problemsOf(one).some((p) => p.includes("not valid UTF-8")), problemsOf(one).join("\n"));
  });
});
