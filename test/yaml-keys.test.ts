import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFrontMatter } from "../src/content/front-matter.ts";
import { formatProblem } from "../src/problems.ts";

describe("YAML complex keys", () => {
  it("a list or a map as a key is refused at its line, and Node prints no warning", async () => {
    const warnings: string[] = [];
    const listen = (w: Error) => void warnings.push(w.message);
    process.on("warning", listen);
    try {
      for (const [text, line] of [
        ["---\ntitle: A\ndate: 2023-01-01\n? [a, b]\n: c\n---\nBody.\n", 4],
        ["---\ntitle: A\nextra:\n  ? {x: 1}\n  : y\n---\nBody.\n", 4],
      ] as const) {
        const parsed = parseFrontMatter("content/a.md", text, new Set());
        assert.equal(parsed.ok, false);
        assert.deepEqual(parsed.problems.map(formatProblem), [`content/a.md:${line} a key that is a list or a map ("? [a, b]") is not allowed: use a plain name`]);
      }
      await new Promise((done) => setImmediate(done));
      assert.deepEqual(warnings, []);
    } finally {
      process.off("warning", listen);
    }
  });
});
