/**
 * Bounded work: every tag is a feed and every feed repeats the item's whole tag list, so output
 * grew with the square of an article's tag count (one 4 KB article with 800 tags wrote 65 MB).
 * With `maxTags` and the 100-character tag limit it stays a bounded multiple of the input, and
 * going over either limit is an error naming the file and the line of `tags:`.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { planBuild, type PlanResult } from "../src/pipeline/index.ts";
import { shownPath } from "../src/content/read.ts";
import { MAX_TAG_CHARS } from "../src/feeds/tags.ts";
import { formatProblem } from "../src/problems.ts";
import { tempDir } from "./helpers/cli.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");
/** The default `maxTags`. */
const MAX_TAGS = 50;
/**
 * Each feed holding the article writes it in three formats: measured at most 6 bytes per byte of
 * the article (escaping `<` and `&` twice in Atom) and 8 KB of framing; asserted with room to spare.
 */
const PER_FEED_FACTOR = 8;
const PER_FEED_FRAMING = 12 * 1024;

async function planOf(settings: string, article: string): Promise<{ result: PlanResult; bytes: number; file: string }> {
  const dir = tempDir("feedwright-bounded-");
  try {
    mkdirSync(join(dir, "content"));
    writeFileSync(join(dir, "content/_index.md"), `---\ntitle: S\nurl: https://example.org/\n${settings}---\n`);
    writeFileSync(join(dir, "content/a.md"), article);
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    const bytes = result.plan?.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0) ?? 0;
    return { result, bytes, file: shownPath(join(dir, "content/a.md")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const articleWith = (tags: readonly string[], body: string) => `---\ntitle: T\ndate: 2024-01-01T00:00:00Z\ntags: ${JSON.stringify(tags)}\n---\n${body}\n`;

describe("bounded output", () => {
  it("any tags: refused at the tags line, or output at most a fixed multiple of the input (linear, whatever the tag count)", { timeout: 5 * 60_000 }, async () => {
    const base = (await planOf("", articleWith([], "x"))).bytes;
    const tag = fc.string({ unit: fc.constantFrom("a", "B", "<", "&", "\"", "é", "日", "😀", " ", "-", "#"), minLength: 1, maxLength: MAX_TAG_CHARS + 5, size: "max" }).filter((t) => t.trim() !== "");
    const body = fc.string({ unit: fc.constantFrom("a", " ", "<", "&", "*", "\n", "日", "`"), maxLength: 3000, size: "max" });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(tag, { maxLength: 2 * MAX_TAGS, selector: (t) => t.trim(), size: "max" }), body, async (tags, text) => {
        const source = articleWith(tags, text);
        const { result, bytes, file } = await planOf("", source);
        if (result.plan === undefined) {
          assert.ok(result.problems.length > 0 && result.problems.every((p) => p.file === file && p.line === 4 && p.field === "tags"), result.problems.map(formatProblem).join("\n"));
          return;
        }
        // One site feed and at most MAX_TAGS tag feeds hold the article: a constant times its size.
        const limit = base + (MAX_TAGS + 1) * (PER_FEED_FACTOR * Buffer.byteLength(source) + PER_FEED_FRAMING);
        assert.ok(bytes <= limit, `${tags.length} tags, ${Buffer.byteLength(source)} bytes in, ${bytes} bytes out, over ${limit}`);
      }),
      // Each case builds up to 100 feeds: no shrinking, the first counterexample is reported as found.
      { numRuns: Number(process.env.FUZZ_RUNS ?? 15), endOnFailure: true },
    );
  });

  it("the adversarial case: 800 tags on a 4 KB article is an error naming the file and the tags line, and writes nothing", async () => {
    const tags = Array.from({ length: 800 }, (_, i) => `tag-${i}`);
    const { result, file } = await planOf("", articleWith(tags, "word ".repeat(800)));
    assert.equal(result.plan, undefined);
    assert.deepEqual(result.problems.map(formatProblem), [`${file}:4 tags: 800 tags, over the limit of 50 (setting maxTags): every tag is a feed, and every feed repeats all of an article's tags`]);
  });

  it("50 tags build; 51 do not, unless maxTags allows them", async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    assert.deepEqual((await planOf("", articleWith(tags(50), "b"))).result.problems, []);
    assert.match((await planOf("", articleWith(tags(51), "b"))).result.problems.map(formatProblem).join("\n"), /a\.md:4 tags: 51 tags, over the limit of 50 \(setting maxTags\)/);
    assert.deepEqual((await planOf("maxTags: 60\n", articleWith(tags(51), "b"))).result.problems, []);
    assert.match((await planOf("maxTags: 1000\n", articleWith([], "b"))).result.problems.map(formatProblem).join("\n"), /_index\.md:4 maxTags: must be at most 200/);
  });

  it("a tag of 100 characters builds; of 101, or 300, is an error naming the file and line", async () => {
    assert.deepEqual((await planOf("", articleWith(["é".repeat(100)], "b"))).result.problems, []);
    for (const n of [101, 300]) {
      const { result, file } = await planOf("", articleWith(["x".repeat(n)], "b"));
      assert.equal(result.plan, undefined);
      const lines = result.problems.map(formatProblem);
      assert.equal(lines.length, 1);
      assert.ok(lines[0]!.startsWith(`${file}:4 tags: the tag "xxx`), lines[0]);
      assert.ok(lines[0]!.endsWith(`is ${n} characters long, over the limit of 100`), lines[0]);
    }
  });
});
