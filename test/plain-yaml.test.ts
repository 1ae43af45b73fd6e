/**
 * The plain-YAML shortcut (src/content/plain-yaml.ts) reads exactly what yaml reads, or leaves
 * the block to yaml: compared on generated front matter full of YAML's corner cases, on every
 * front matter in the sample content and fixtures, and on the bench's generated articles.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import matter from "gray-matter";
import { readYamlDocument, type Shape } from "../src/content/front-matter.ts";
import { readPlainYaml } from "../src/content/plain-yaml.ts";
import { generateArticle } from "./bench/generate.ts";
import { ROOT } from "./helpers/cli.ts";

const TEXT_KEYS = new Set(["title", "summary"]);
const SHAPE: Shape = { language: "YAML", endLine: 1, body: "", bodyLine: 2 };

/** Whether the shortcut, when it answers, answers as yaml does; and whether it answered. */
function agrees(block: string, lead = 0): boolean {
  const plain = readPlainYaml(block, lead, TEXT_KEYS);
  if (plain === undefined) return false;
  const full = readYamlDocument("f.md", block, lead, TEXT_KEYS, SHAPE);
  assert.deepEqual(full.problems, [], `yaml found problems in a block the shortcut read: ${JSON.stringify(block)}`);
  assert.ok(full.ok);
  assert.deepStrictEqual({ data: plain.data, lines: plain.lines }, { data: full.value.data, lines: full.value.lines }, JSON.stringify(block));
  return true;
}

/** The YAML block gray-matter hands over, as the build gets it. */
function blockOf(text: string): string | undefined {
  let block: string | undefined;
  matter(text, { engines: { yaml: (source: string) => ((block = source), {}) } });
  return block;
}

// Characters that send a whole block to yaml are rare here, so that most blocks test the rest.
const piece = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom("a", "B", "z", "0", "7", " ", "  ", ":", ": ", "-", "- ", "'", "''", '"', "[", "]", ",", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "?", ".", "~", "é", "日", "😀", "\u00a0", "x: y") },
  { weight: 1, arbitrary: fc.constantFrom("#", " #", "\t", "\\", "\u0085", "\u2028", "\ud800", "\u0007", "\r") },
);
const tokens = fc.constantFrom(
  "true", "True", "TRUE", "tRue", "false", "FALSE", "null", "Null", "NULL", "~", "yes", "no", "on", "007", "0755", "1.5", "1.", ".5", "0x1F", "0o17", "0b1", ".inf", "-.INF", ".nan", ".NaN",
  "1e3", "1E-3", "-3", "+3", "-0", "12345678901234567890", "123456789012345", "1_000", "2024-05-06", "2024-05-06 10:30", "10:30", "1:30", "http://x.org/a?b=c", "a, b", "<b>", "&amp;", "",
);
const plainText = fc.oneof({ weight: 3, arbitrary: tokens }, { weight: 2, arbitrary: fc.string({ unit: piece, maxLength: 8 }) });
const quoted = plainText.map((t) => fc.constantFrom(`"${t}"`, `'${t.replaceAll("'", "''")}'`, `'${t}'`)).chain((q) => q);
const scalarValue = fc.oneof(plainText, quoted);
const flowList = fc.array(scalarValue, { maxLength: 4 }).chain((items) => fc.constantFrom(`[${items.join(", ")}]`, `[${items.join(",")}]`, `[ ${items.join(" , ")} ]`, `[${items.join(", ")},]`, `[${items.join(", ")}`));
const key = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("title", "summary", "tags", "date", "draft", "x-y", "_a", "A9", "k") },
  { weight: 1, arbitrary: fc.constantFrom("null", "True", "__proto__", "a.b", "a b", "'q'", "-k", "title") },
);
const keyLine = fc.tuple(key, fc.constantFrom(":", ": ", ": ", ":  ", " :"), fc.oneof(scalarValue, flowList, fc.constant("")), fc.constantFrom("", " ", "  ")).map(([k, sep, v, end]) => `${k}${sep}${v}${end}`);
const itemLine = fc.tuple(fc.constantFrom("", " ", "  ", "   "), fc.constantFrom("- ", "-", "-  "), scalarValue).map(([indent, dash, v]) => `${indent}${dash}${v}`);
const nestedLine = fc.tuple(fc.constantFrom("  ", "   ", "    ", " "), key, fc.constantFrom(": ", ":", ":  "), fc.oneof(scalarValue, flowList, fc.constant(""))).map(([indent, k, sep, v]) => `${indent}${k}${sep}${v}`);
const otherLine = fc.constantFrom("", "   ", "# a comment", "  indented", "    deeper: value", "...", "---", "%YAML 1.2", "? a", ": b", "- top");
const block = fc.array(fc.oneof({ weight: 8, arbitrary: keyLine }, { weight: 3, arbitrary: itemLine }, { weight: 3, arbitrary: nestedLine }, { weight: 1, arbitrary: otherLine }), { maxLength: 6 }).map((lines) => `\n${lines.join("\n")}\n`);

describe("the plain-YAML shortcut", () => {
  it("reads what yaml reads, or leaves the block to yaml (generated front matter)", () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(block, fc.nat(3), (text, lead) => {
        runs++;
        if (agrees(text, lead)) read++;
      }),
      { numRuns: 3000 },
    );
    // A shortcut that never answers would pass the above: most generated blocks hold some corner case, but not all.
    assert.ok(read > runs / 8, `read ${read} of ${runs}`);
  });

  it("reads what yaml reads, or leaves the block to yaml (one value at a time)", () => {
    const one = fc.oneof(
      keyLine.map((line) => `\n${line}\n`),
      fc.tuple(key, fc.array(itemLine, { minLength: 1, maxLength: 3 })).map(([k, items]) => `\n${k}:\n${items.join("\n")}\n`),
      fc.tuple(key, fc.array(nestedLine, { minLength: 1, maxLength: 3 }), fc.constantFrom("", "  more", "- x", "k2: v")).map(([k, lines, after]) => `\n${k}:\n${lines.join("\n")}\n${after}\n`),
    );
    let read = 0;
    fc.assert(
      fc.property(one, (text) => {
        if (agrees(text)) read++;
      }),
      { numRuns: 6000 },
    );
    assert.ok(read > 1000, `read ${read} of 6000`);
  });

  it("reads the usual front matter itself", () => {
    const usual = `
title: Hello, world
date: 2024-05-06 10:30
updated: "2024-05-07T08:00:00+02:00"
draft: false
weight: 3
tags: [news, "release notes", 'it''s']
categories:
  - Updates
  - Tools
authors:
- Ada Lovelace
author:
  name: Ada
  url: "https://ada.example.org/"
  links: [a, b]
summary: 2023
image: /img/cover.png
`;
    assert.ok(agrees(usual));
    assert.deepEqual(readPlainYaml(usual, 0, TEXT_KEYS)?.data, {
      title: "Hello, world",
      date: "2024-05-06 10:30",
      updated: "2024-05-07T08:00:00+02:00",
      draft: false,
      weight: 3,
      tags: ["news", "release notes", "it's"],
      categories: ["Updates", "Tools"],
      authors: ["Ada Lovelace"],
      author: { name: "Ada", url: "https://ada.example.org/", links: ["a", "b"] },
      summary: "2023",
      image: "/img/cover.png",
    });
  });

  it("agrees on every YAML front matter in the sample content and the fixtures", () => {
    let read = 0;
    let seen = 0;
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(md|markdown)$/.test(name)) {
          const text = readFileSync(path, "utf8");
          if (!/^---\r?\n/.test(text)) continue;
          let block: string | undefined;
          try {
            block = blockOf(text);
          } catch {
            continue;
          }
          if (block === undefined) continue;
          seen++;
          if (agrees(block)) read++;
        }
      }
    };
    walk(join(ROOT, "content"));
    walk(join(ROOT, "test/fixtures"));
    assert.ok(seen > 50 && read > seen / 2, `read ${read} of ${seen}`);
  });

  it("reads every front matter of the bench's generated blog itself", () => {
    for (let i = 0; i < 300; i++) {
      const block = blockOf(generateArticle(42, 1000, i).text);
      assert.ok(block !== undefined && agrees(block), `article ${i}: ${JSON.stringify(block)}`);
    }
  });
});
