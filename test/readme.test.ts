import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { articleSchema } from "../src/content/article.ts";
import { sectionSchema } from "../src/site/section.ts";
import { siteSchema } from "../src/site/settings.ts";
import { COMMANDS } from "../src/cli.ts";
import { ROOT } from "./helpers/cli.ts";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
/** Article and section front matter: the reference beside the README. */
const CONTENT = readFileSync(join(ROOT, "docs/content.md"), "utf8");

/** The keys named in the first column of the first table under a heading. */
function tableKeys(heading: string, text = README): string[] {
  const start = text.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `no section "## ${heading}"`);
  const lines = text.slice(start).split("\n").slice(1);
  const table = lines.slice(lines.findIndex((l) => l.startsWith("|")));
  const rows = table.slice(0, table.findIndex((l) => !l.startsWith("|"))).slice(2);
  return rows.flatMap((row) => [...(row.split(/(?<!\\)\|/)[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

describe("the README's references stay true", () => {
  it("site settings: one row per key of the schema", () => {
    assert.deepEqual(tableKeys("Site settings").sort(), Object.keys(siteSchema.shape).sort());
  });

  it("article front matter: one row per key of the schema", () => {
    assert.deepEqual(tableKeys("Articles", CONTENT).sort(), Object.keys(articleSchema.shape).sort());
  });

  it("section settings: one row per key of the schema", () => {
    assert.deepEqual(tableKeys("Sections", CONTENT).sort(), Object.keys(sectionSchema.shape).sort());
  });

  it("every command is in the command table", () => {
    const named = tableKeys("Commands").filter((cell) => cell.startsWith("feedwright ")).map((cell) => cell.split(" ")[1]);
    assert.deepEqual(named.sort(), COMMANDS.map((c) => c.name).sort());
  });

  it("opens with exactly two commands: build the feeds, run the tests", () => {
    const block = /^# feedwright\n\n```sh\n([^`]*)```\n/.exec(README);
    assert.ok(block !== null, "the README opens with a sh block");
    const lines = block[1]!.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^npm ci && npm run build /);
    assert.match(lines[1]!, /^npm test /);
  });

  it("is at most 10 KB; the rest is in docs/", () => {
    assert.ok(Buffer.byteLength(README) <= 10 * 1024, `README.md is ${Buffer.byteLength(README)} bytes`);
  });
});
