import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync, appendFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { build, planBuild } from "../src/pipeline/index.ts";
import { ROOT, snapshot, tempDir } from "./helpers/cli.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

function bytes(dir: string): Map<string, string> {
  return new Map([...snapshot(dir)].map(([path, { bytes: b }]) => [path, b]));
}

describe("the same bytes at one thread and at many, with and without the cache", () => {
  it("worker threads render exactly what the main thread renders", async () => {
    const contentDir = join(ROOT, "content");
    const one = await planBuild({ contentDir, outDir: "unused", now: NOW, threads: 0 });
    const many = await planBuild({ contentDir, outDir: "unused", now: NOW, threads: 2 });
    assert.ok(one.plan !== undefined && many.plan !== undefined);
    assert.deepEqual(many.plan.files, one.plan.files);
  });

  it("a cold build, a warm build and a build after one change agree with a build without cache", async () => {
    const dir = tempDir();
    const contentDir = join(dir, "content");
    cpSync(join(ROOT, "content"), contentDir, { recursive: true });
    const cacheDir = join(dir, "cache");
    const cached = (out: string) => build({ contentDir, outDir: join(dir, out), now: NOW, cacheDir, threads: 0 });
    const uncached = (out: string) => build({ contentDir, outDir: join(dir, out), now: NOW, threads: 2 });

    const cold = await cached("a");
    assert.equal(cold.plan?.counts.rendered, cold.plan?.counts.published);
    const warm = await cached("a");
    assert.equal(warm.plan?.counts.rendered, 0, "nothing rendered when nothing changed");
    assert.equal(warm.report?.changed.length, 0);
    assert.equal(warm.report?.skipped, warm.plan?.counts.documents, "no document rendered either");
    await uncached("b");
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "b")));

    appendFileSync(join(contentDir, "2023-05-17-why-rss-still-matters.md"), "\nOne more line.\n");
    const one = await cached("a");
    assert.equal(one.plan?.counts.rendered, 1);
    assert.ok(one.report!.changed.length > 0 && one.report!.changed.length < 20, one.report!.changed.join(" "));
    await uncached("c");
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "c")));
  });

  it("a damaged or deleted cache is never trusted", async () => {
    const dir = tempDir();
    const contentDir = join(ROOT, "content");
    const cacheDir = join(dir, "cache");
    await build({ contentDir, outDir: join(dir, "reference"), now: NOW });
    await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir });
    // Damage every cached body, and forget what was written, so documents are rendered again.
    for (const name of readdirSync(join(cacheDir, "html"))) writeFileSync(join(cacheDir, "html", name), "<p>tampered</p>");
    rmSync(join(cacheDir, "outputs"), { recursive: true });
    rmSync(join(dir, "a"), { recursive: true });
    await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir });
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "reference")));
    // A corrupt index is ignored as a whole.
    writeFileSync(join(cacheDir, "index.json"), "{not json");
    const again = await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir });
    assert.equal(again.plan?.counts.rendered, again.plan?.counts.published);
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "reference")));
    assert.ok(!readFileSync(join(dir, "a", "rss.xml"), "utf8").includes("tampered"));
  });
});
