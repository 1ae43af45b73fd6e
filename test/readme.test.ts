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

/** The keys named in the first column of the first table under a heading. */
function tableKeys(heading: string): string[] {
  const start = README.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `README has no section "## ${heading}"`);
  const lines = README.slice(start).split("\n").slice(1);
  const table = lines.slice(lines.findIndex((l) => l.startsWith("|")));
  const rows = table.slice(0, table.findIndex((l) => !l.startsWith("|"))).slice(2);
  return rows.flatMap((row) => [...(row.split(/(?<!\\)\|/)[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

describe("the README's references stay true", () => {
  it("site settings: one row per key of the schema", () => {
    assert.deepEqual(tableKeys("Site settings").sort(), Object.keys(siteSchema.shape).sort());
  });

  it("article front matter: one row per key of the schema", () => {
    assert.deepEqual(tableKeys("Articles").sort(), Object.keys(articleSchema.shape).sort());
  });

  it("section settings: one row per key of the schema", () => {
    assert.deepEqual(tableKeys("Sections").sort(), Object.keys(sectionSchema.shape).sort());
  });

  it("every command is in the command table", () => {
    const named = tableKeys("Commands").filter((cell) => cell.startsWith("feedwright ")).map((cell) => cell.split(" ")[1]);
    assert.deepEqual(named.sort(), COMMANDS.map((c) => c.name).sort());
  });

  it("opens with the two set-up commands", () => {
    const first = README.split("\n").slice(0, 8).join("\n");
    assert.match(first, /npm ci && npm run build/);
    assert.match(first, /npm test/);
  });
});
