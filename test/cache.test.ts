/**
 * The cache can only cost time: whatever is in it (edited, damaged, a FIFO) and wherever it is
 * (read-only, full, a file in its place), the build publishes the same bytes and succeeds, with
 * a warning at most. In process, on small sites.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { build } from "../src/pipeline/index.ts";
import { formatProblem } from "../src/problems.ts";
import { snapshot, tempDir } from "./helpers/cli.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

function bytesOf(dir: string): Map<string, string> {
  return new Map([...snapshot(dir)].map(([path, { bytes }]) => [path, bytes]));
}

/** A small site: a few articles in a few tags, one with an excerpt and an image. */
function site(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "content"));
  writeFileSync(join(dir, "content/_index.md"), "---\ntitle: Cache\nurl: https://example.org/\n---\n");
  for (let i = 0; i < 4; i++) {
    writeFileSync(join(dir, "content", `p${i}.md`), `---\ntitle: Post ${i}\ndate: 2020-01-0${i + 1}T10:00:00+02:00\ntags: [t${i % 2}]\n---\nFirst paragraph of ${i}.\n\n<!--more-->\n\nMore of ${i}.\n`);
  }
  writeFileSync(join(dir, "content/draft.md"), "---\ntitle: Draft\ndate: 2020-02-01\ndraft: true\n---\nD.\n");
  return dir;
}

async function run(dir: string, cacheDir: string | undefined, out: string) {
  const result = await build({ contentDir: join(dir, "content"), outDir: out, now: NOW, threads: 0, ...(cacheDir === undefined ? {} : { cacheDir }) });
  const errors = result.problems.filter((p) => p.severity === "error").map(formatProblem);
  assert.deepEqual(errors, []);
  assert.ok(result.report !== undefined);
  return result;
}

/** Builds `dir` with the cache in `cacheDir`, asserts that the output is `expected`, and removes the cache. */
async function assertOutputWith(dir: string, cacheDir: string, expected: Map<string, string>): Promise<void> {
  const out = join(tempDir(), "dist");
  await run(dir, cacheDir, out);
  assert.deepEqual(bytesOf(out), expected);
  rmSync(cacheDir, { recursive: true, force: true });
}

/** The index's shards in a cache folder, by path in it. */
function shardFiles(dir: string): string[] {
  return readdirSync(join(dir, "index")).map((name) => `index/${name}`);
}

type Entry = { article: Record<string, unknown>; excerpt: string };

/** Every shard of the index in a cache folder, parsed, by path in it. */
function shards(dir: string): Map<string, { entries: Record<string, Entry> }> {
  return new Map(shardFiles(dir).map((name) => [name, JSON.parse(readFileSync(join(dir, name), "utf8")) as { entries: Record<string, Entry> }]));
}

/** Every file of a cache folder. */
function cacheFiles(dir: string): string[] {
  return [...snapshot(dir).keys()];
}

describe("what the cache holds never changes the output", () => {
  it("editing any field of a well-formed entry, or putting a control character in it, means that entry is rebuilt", async () => {
    const dir = site();
    const reference = join(dir, "reference");
    await run(dir, undefined, reference);
    const expected = bytesOf(reference);
    const pristine = join(dir, "cache");
    await run(dir, pristine, join(dir, "first"));
    const index = shards(pristine);
    assert.ok([...index.values()].some((shard) => Object.keys(shard.entries).length > 0));
    const edits: [string, (e: Entry) => void][] = [
      ["title", (e) => (e.article.title = "Forged")],
      ["date", (e) => (e.article.date = [0, 0])],
      ["offset", (e) => ((e.article.date as number[])[1] = 600)],
      ["draft", (e) => (e.article.draft = !e.article.draft)],
      ["url", (e) => (e.article.url = "https://evil.example/")],
      ["excerpt", (e) => (e.excerpt = "Forged excerpt")],
      ["tags", (e) => (e.article.tags = ["forged"])],
      ["control character", (e) => (e.article.title = "Bad\u0001title")],
    ];
    for (const [name, edit] of edits) {
      const cacheDir = join(tempDir(), "cache");
      cpSync(pristine, cacheDir, { recursive: true });
      for (const [name, shard] of index) {
        const copy = structuredClone(shard);
        for (const entry of Object.values(copy.entries)) edit(entry);
        writeFileSync(join(cacheDir, name), JSON.stringify(copy));
      }
      const out = join(tempDir(), "dist");
      const result = await run(dir, cacheDir, out);
      assert.deepEqual(bytesOf(out), expected, `${name}: the output changed`);
      assert.equal(result.plan?.counts.rendered, 4, `${name}: every published entry rendered again`);
    }
  });

  it("random byte edits to any cache file never change the output", async () => {
    const dir = site();
    const reference = join(dir, "reference");
    await run(dir, undefined, reference);
    const expected = bytesOf(reference);
    const pristine = join(dir, "cache");
    await run(dir, pristine, join(dir, "first"));
    const names = cacheFiles(pristine);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (name, edits) => {
          const cacheDir = join(tempDir(), "cache");
          cpSync(pristine, cacheDir, { recursive: true });
          const bytes = readFileSync(join(cacheDir, name));
          for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
          writeFileSync(join(cacheDir, name), bytes);
          await assertOutputWith(dir, cacheDir, expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("random values put into well-formed entries (any field, any JSON value) never change the output", async () => {
    const dir = site();
    const reference = join(dir, "reference");
    await run(dir, undefined, reference);
    const expected = bytesOf(reference);
    const pristine = join(dir, "cache");
    await run(dir, pristine, join(dir, "first"));
    const index = shards(pristine);
    // Every leaf of every entry, as its shard and a path of keys.
    const leaves: [string, (string | number)[]][] = [];
    const walk = (name: string, value: unknown, path: (string | number)[]): void => {
      if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(name, v, [...path, Array.isArray(value) ? Number(k) : k]);
      else leaves.push([name, path]);
    };
    for (const [name, shard] of index) walk(name, shard.entries, []);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...leaves), fc.jsonValue({ maxDepth: 1 }), async ([name, path], value) => {
        const copy = structuredClone(index.get(name)!) as { entries: Record<string, unknown> };
        let at = copy.entries as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
        at[path.at(-1)!] = value;
        const cacheDir = join(tempDir(), "cache");
        cpSync(pristine, cacheDir, { recursive: true });
        writeFileSync(join(cacheDir, name), JSON.stringify(copy));
        await assertOutputWith(dir, cacheDir, expected);
      }),
      { numRuns: 40 },
    );
  });
});

const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync("umount", [m]);
});

/** A small tmpfs, when this machine lets us mount one (root in CI); else undefined. */
function tmpfs(size: string): string | undefined {
  const dir = tempDir("feedwright-tmpfs-");
  if (spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

describe("where the cache is never stops a build", () => {
  async function assertWarnsOnly(dir: string, cacheDir: string): Promise<void> {
    const out = join(tempDir(), "dist");
    const result = await run(dir, cacheDir, out);
    const warnings = result.problems.filter((p) => p.severity === "warning").map(formatProblem);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0]!, /build cache not written: .*builds work without it, only slower/);
    const reference = join(tempDir(), "dist");
    await run(dir, undefined, reference);
    assert.deepEqual(bytesOf(out), bytesOf(reference));
  }

  it("a cache path that is a file", async () => {
    const dir = site();
    writeFileSync(join(dir, "cache"), "not a folder");
    await assertWarnsOnly(dir, join(dir, "cache"));
    await assertWarnsOnly(dir, join(dir, "cache/feedwright"));
    assert.equal(readFileSync(join(dir, "cache"), "utf8"), "not a folder");
  });

  it("a read-only cache folder, after a build filled it", async (t) => {
    const mount = tmpfs("4m");
    if (mount === undefined) return t.skip("cannot mount a tmpfs here");
    const dir = site();
    await run(dir, join(mount, "cache"), join(tempDir(), "dist"));
    writeFileSync(join(dir, "content/p9.md"), "---\ntitle: New\ndate: 2021-01-01\n---\nNew.\n");
    assert.equal(spawnSync("mount", ["-o", "remount,ro", mount]).status, 0);
    try {
      await assertWarnsOnly(dir, join(mount, "cache"));
    } finally {
      spawnSync("mount", ["-o", "remount,rw", mount]);
    }
  });

  it("a full cache disk", async (t) => {
    const mount = tmpfs("64k");
    if (mount === undefined) return t.skip("cannot mount a tmpfs here");
    writeFileSync(join(mount, "filler"), Buffer.alloc(60 * 1024));
    const dir = site();
    for (let i = 10; i < 30; i++) writeFileSync(join(dir, "content", `big${i}.md`), `---\ntitle: Big ${i}\ndate: 2021-01-01\n---\n${"Words. ".repeat(2000)}\n`);
    await assertWarnsOnly(dir, join(mount, "cache"));
  });

  it("a FIFO in place of a cache file is never opened", async (t) => {
    const dir = site();
    const cacheDir = join(dir, "cache");
    await run(dir, cacheDir, join(dir, "first"));
    const html = readdirSync(join(cacheDir, "html"));
    for (const name of [...shardFiles(cacheDir), ...html.map((h) => `html/${h}`)]) {
      rmSync(join(cacheDir, name));
      if (spawnSync("mkfifo", [join(cacheDir, name)]).status !== 0) return t.skip("no mkfifo here");
    }
    const out = join(dir, "second");
    const result = await run(dir, cacheDir, out);
    assert.equal(result.plan?.counts.rendered, 4);
    assert.deepEqual(bytesOf(out), bytesOf(join(dir, "first")));
  });
});

describe("a run-only cache (--no-cache)", () => {
  it("gives back each body, from memory or its folder, and never an article's fields", async () => {
    const { ArticleCache } = await import("../src/cache/article-cache.ts");
    // A budget of one short body: the second is read back from the run's folder and checked.
    const cache = await ArticleCache.open(undefined, 2 * "<p>one</p>".length);
    try {
      await cache.put("k1", { title: "One" }, "one", "<p>one</p>");
      await cache.put("k2", { title: "Two" }, "two", "<p>two, on disk</p>");
      await cache.put("k3", { title: "Three" }, "three", undefined);
      assert.equal(await cache.html("k1"), "<p>one</p>");
      assert.equal(await cache.html("k2"), "<p>two, on disk</p>");
      assert.equal(await cache.html("k3"), undefined);
      assert.deepEqual([cache.get("k1"), cache.get("k2"), cache.get("k3")], [undefined, undefined, undefined]);
      assert.deepEqual([...cache.entries()].map(([key, entry]) => [key, entry.article, entry.excerpt]), [["k1", {}, ""], ["k2", {}, ""], ["k3", {}, ""]]);
    } finally {
      await cache.close();
    }
  });

  it("keeps the bodies past its budget in one file, each read back whole, and removes it when closed", async () => {
    const { ArticleCache } = await import("../src/cache/article-cache.ts");
    const cache = await ArticleCache.open(undefined, 0);
    const bodies = fc.sample(fc.string({ unit: fc.constantFrom("a", "é", "日", "😀", "<", "\n"), maxLength: 300 }), { numRuns: 200, seed: 7 });
    try {
      // Put at once, as reading does: each body's place is taken before its write.
      await Promise.all(bodies.map((body, i) => cache.put(`k${i}`, {}, "", body)));
      assert.deepEqual(await Promise.all(bodies.map((_, i) => cache.html(`k${i}`))), bodies);
      assert.deepEqual(readdirSync(cache.dir), ["bodies"]);
      // Damaged in place: that body is not given back (the build renders it again), the others are.
      const spill = join(cache.dir, "bodies");
      const bytes = readFileSync(spill);
      const first = Buffer.byteLength(bodies[0]!) > 0 ? 0 : bodies.findIndex((b) => b !== "");
      const at = bodies.slice(0, first).reduce((n, b) => n + Buffer.byteLength(b), 0);
      bytes[at] = bytes[at]! ^ 1;
      writeFileSync(spill, bytes);
      assert.equal(await cache.html(`k${first}`), undefined);
      assert.equal(await cache.html(`k${bodies.length - 1}`), bodies.at(-1));
    } finally {
      await cache.close();
    }
    assert.equal(existsSync(cache.dir), false);
  });
});

describe("the index, in shards", () => {
  /** A site of `n` articles, enough to spread the index over many shards. */
  function manyArticles(n: number): string {
    const dir = site();
    for (let i = 10; i < 10 + n; i++) writeFileSync(join(dir, "content", `m${i}.md`), `---\ntitle: Many ${i}\ndate: 2021-01-01T00:${String(i % 60).padStart(2, "0")}:00Z\ntags: [t${i % 3}]\n---\nBody ${i}.\n`);
    // Written a day ago, as a blog's files are: a file modified moments before a build is read
    // again by the next, its stamp proving nothing (src/cache/stamp.ts).
    const dayAgo = new Date(Date.now() - 86_400_000);
    for (const name of readdirSync(join(dir, "content"))) utimesSync(join(dir, "content", name), dayAgo, dayAgo);
    return dir;
  }

  /** Every entry's key and every stamp's path the shards hold, whatever the shard. */
  function indexed(cacheDir: string): { keys: string[]; paths: string[] } {
    const all = [...shardFiles(cacheDir)].map((name) => JSON.parse(readFileSync(join(cacheDir, name), "utf8")) as { entries: object; stamps: object });
    return { keys: all.flatMap((s) => Object.keys(s.entries)).sort(), paths: all.flatMap((s) => Object.keys(s.stamps)).sort() };
  }

  it("an edited article rewrites at most three shards (its old key's, its new key's, its path's), and they hold what a fresh cache would", async () => {
    const dir = manyArticles(200);
    const cacheDir = join(dir, "cache");
    await run(dir, cacheDir, join(dir, "out"));
    assert.ok(shardFiles(cacheDir).length > 100, `${shardFiles(cacheDir).length} shards`);
    const before = snapshot(cacheDir);
    writeFileSync(join(dir, "content/m42.md"), "---\ntitle: Many 42, edited\ndate: 2021-01-01T00:42:00Z\n---\nEdited.\n");
    // Its mtime set back too (its change time still says it changed): else the next build reads it again.
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(join(dir, "content/m42.md"), dayAgo, dayAgo);
    rmSync(join(cacheDir, "builds"), { recursive: true });
    const edited = await run(dir, cacheDir, join(dir, "out"));
    assert.equal(edited.plan?.counts.rendered, 1);
    const after = snapshot(cacheDir);
    const rewritten = shardFiles(cacheDir).filter((name) => before.get(name)?.bytes !== after.get(name)!.bytes || before.get(name)?.mtimeMs !== after.get(name)!.mtimeMs);
    assert.ok(rewritten.length >= 1 && rewritten.length <= 3, `rewritten: ${rewritten.join(", ")}`);
    const fresh = join(dir, "fresh-cache");
    await run(dir, fresh, join(dir, "fresh-out"));
    assert.deepEqual(indexed(cacheDir), indexed(fresh));
    // And the next build takes every article from the shards, and rewrites none of them.
    rmSync(join(cacheDir, "builds"), { recursive: true });
    const settled = snapshot(cacheDir);
    assert.equal((await run(dir, cacheDir, join(dir, "out"))).plan?.counts.rendered, 0);
    const again = snapshot(cacheDir);
    assert.deepEqual(shardFiles(cacheDir).filter((name) => settled.get(name)?.mtimeMs !== again.get(name)!.mtimeMs), []);
  });

  it("shards from two builds, mixed any way, never change the output", async () => {
    const dir = manyArticles(60);
    const reference = join(dir, "reference");
    const first = join(dir, "first-cache");
    await run(dir, first, join(dir, "first"));
    for (const i of [12, 30, 55]) writeFileSync(join(dir, "content", `m${i}.md`), `---\ntitle: Changed ${i}\ndate: 2022-02-02T00:00:00Z\ntags: [new]\n---\nChanged ${i}.\n`);
    rmSync(join(dir, "content/m20.md"));
    await run(dir, undefined, reference);
    const second = join(dir, "second-cache");
    cpSync(first, second, { recursive: true });
    rmSync(join(second, "builds"), { recursive: true });
    await run(dir, second, join(dir, "second"));
    const names = [...new Set([...shardFiles(first), ...shardFiles(second)])].sort();
    const expected = bytesOf(reference);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }), async (fromFirst) => {
        const cacheDir = join(tempDir(), "cache");
        mkdirSync(join(cacheDir, "index"), { recursive: true });
        cpSync(join(second, "html"), join(cacheDir, "html"), { recursive: true });
        cpSync(join(first, "html"), join(cacheDir, "html"), { recursive: true, force: false });
        names.forEach((name, i) => {
          const from = join(fromFirst[i] ? first : second, name);
          if (existsSync(from)) cpSync(from, join(cacheDir, name));
        });
        await assertOutputWith(dir, cacheDir, expected);
      }),
      { numRuns: 25 },
    );
  });

  it("a damaged shard is written anew, or removed when it should hold nothing, by the next build that reads it", async () => {
    const dir = manyArticles(40);
    const cacheDir = join(dir, "cache");
    await run(dir, cacheDir, join(dir, "out"));
    const { unsealed } = await import("../src/cache/sealed.ts");
    // One that holds a rendered article (the draft's entry has no body): its loss is rendered again.
    // Which shard that is follows from the keys, so from the code's version: looked for, not assumed.
    const name = shardFiles(cacheDir).find((n) => readFileSync(join(cacheDir, n), "utf8").includes('"htmlHash"'));
    writeFileSync(join(cacheDir, name!), readFileSync(join(cacheDir, name!), "utf8").replace("title", "titel"));
    assert.equal(unsealed(readFileSync(join(cacheDir, name!))), undefined);
    // And a shard no key or path of this site falls in, holding garbage: nothing read puts anything there.
    const unused = Array.from({ length: 256 }, (_, i) => `index/${i.toString(16).padStart(2, "0")}.json`).find((n) => !shardFiles(cacheDir).includes(n))!;
    writeFileSync(join(cacheDir, unused), "{garbage");
    rmSync(join(cacheDir, "builds"), { recursive: true });
    const again = await run(dir, cacheDir, join(dir, "out"));
    assert.ok((again.plan?.counts.rendered ?? 0) >= 1);
    assert.ok(!existsSync(join(cacheDir, name!)) || unsealed(readFileSync(join(cacheDir, name!))) !== undefined, `${name} is still damaged`);
    assert.equal(existsSync(join(cacheDir, unused)), false, `${unused} is still there`);
  });

  it("an index of the old shape (one index.json) is ignored, then removed once the shards are written", async () => {
    const dir = manyArticles(5);
    const cacheDir = join(dir, "cache");
    mkdirSync(cacheDir);
    writeFileSync(join(cacheDir, "index.json"), '{"format":4,"entries":{},"stamps":{},"check":"0"}');
    const first = await run(dir, cacheDir, join(dir, "out"));
    assert.equal(first.plan?.counts.rendered, first.plan?.counts.published);
    assert.equal(existsSync(join(cacheDir, "index.json")), false);
    assert.ok(shardFiles(cacheDir).length > 0);
  });

  it("spreads keys and paths over all 256 shards, and names each by two hex digits", async () => {
    const { shardOf } = await import("../src/cache/article-cache.ts");
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(shardOf(`posts/2021-01-01-post-${i}.md`));
    assert.equal(seen.size, 256);
    fc.assert(fc.property(fc.string(), (text) => assert.match(shardOf(text), /^[0-9a-f]{2}$/)));
  });
});

describe("sealed files (the index's shards, the last build's record)", () => {
  it("give back what was sealed, and nothing once any byte of them changed, or any was added or cut", async () => {
    const { sealed, unsealed } = await import("../src/cache/sealed.ts");
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, unit: "binary" }), fc.oneof(fc.jsonValue(), fc.string({ unit: "binary" })), { minKeys: 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (value, at, flip) => {
        const text = sealed(value);
        // ASCII only, any character past it escaped (lone surrogates included), so it decodes to a one-byte string.
        assert.match(text, /^[\x00-\x7f]*$/);
        const bytes = Buffer.from(text);
        const { check, ...back } = unsealed(bytes) ?? {};
        assert.equal(typeof check, "string");
        assert.deepEqual(back, JSON.parse(JSON.stringify(value)));
        // Nor with anything added or cut at either end.
        for (const other of [`${text} `, `${text}"}`, ` ${text}`, text.slice(0, -1), text.slice(1)]) assert.equal(unsealed(Buffer.from(other)), undefined);
        // A view into a larger buffer reads as its own bytes; nothing once any byte is changed.
        assert.deepEqual(unsealed(Buffer.concat([Buffer.from("xx"), bytes, Buffer.from("yy")]).subarray(2, -2)), unsealed(bytes));
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ flip;
        assert.equal(unsealed(bytes), undefined);
      }),
    );
  });

  it("sealed in parts (the kept plan), the same text wherever the JSON is cut", async () => {
    const { sealed, sealedParts } = await import("../src/cache/sealed.ts");
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, unit: "binary" }), fc.oneof(fc.jsonValue(), fc.string({ unit: "binary" })), { minKeys: 1 }), fc.array(fc.nat()), (value, cuts) => {
        const json = JSON.stringify(value).slice(0, -1);
        const at = [...new Set(cuts.map((c) => c % (json.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((from, i) => json.slice(from, [...at, json.length][i]));
        assert.equal([...sealedParts(parts)].join(""), sealed(value));
      }),
    );
  });
});
