import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { main } from "../src/cli.ts";
import { boundedSlug, MAX_SLUG_BYTES } from "../src/commands/new.ts";
import type { Io } from "../src/commands/io.ts";
import { slugify } from "../src/content/permalink.ts";
import { project } from "./helpers/cli.ts";

describe("new: a bounded slug", () => {
  it("a 5,000-character title writes a file with a short name and the whole title", async () => {
    const dir = project({});
    const title = "Ünïcödé and a very long title ".repeat(170).slice(0, 5000);
    const err: string[] = [];
    const io: Io = { stdout: () => undefined, stderr: (t) => void err.push(t), isTTY: false, env: {}, signal: new AbortController().signal };
    assert.equal(await main(["new", title, "--content", join(dir, "content"), "--now", "2024-05-01T10:00:00Z"], io), 0, err.join(""));
    const written = readdirSync(join(dir, "content")).filter((n) => n !== "_index.md");
    assert.equal(written.length, 1);
    assert.ok(Buffer.byteLength(written[0]!) <= 11 + MAX_SLUG_BYTES + 3, written[0]);
    assert.match(written[0]!, /^2024-05-01-ünïcödé-and-a-very-long-title-ünïcödé-.*[^-]\.md$/);
    assert.ok(readFileSync(join(dir, "content", written[0]!), "utf8").includes(title.trim()));
  });

  it("property: at most MAX_SLUG_BYTES, a prefix of the slug, no dash at either end", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (title) => {
        const slug = slugify(title);
        const bounded = boundedSlug(slug);
        assert.ok(Buffer.byteLength(bounded) <= MAX_SLUG_BYTES);
        assert.ok(slug.startsWith(bounded));
        assert.ok(!bounded.startsWith("-") && !bounded.endsWith("-"));
        if (Buffer.byteLength(slug) <= MAX_SLUG_BYTES) assert.equal(bounded, slug);
      }),
      { numRuns: 300 },
    );
  });
});
