import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFrontMatter } from "../src/content/front-matter.ts";
import { formatProblem } from "../src/problems.ts";

const NONE = new Set<string>();

function read(text: string, textKeys: ReadonlySet<string> = NONE) {
  const result = parseFrontMatter("a.md", text, textKeys);
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join("\n"));
  return result.value;
}

function problems(text: string): string[] {
  const result = parseFrontMatter("a.md", text, NONE);
  assert.equal(result.ok, false, "expected the front matter to be refused");
  return result.problems.map(formatProblem);
}

describe("front matter: YAML, TOML and JSON, split once", () => {
  it("YAML: keys, their lines, the body and its first line", () => {
    const fm = read(`---\ntitle: Hi\ndate: 2023-04-12\n---\nBody\n`);
    assert.equal(fm.language, "YAML");
    assert.deepEqual(fm.data, { title: "Hi", date: "2023-04-12" });
    assert.deepEqual([...fm.lines], [["title", 2], ["date", 3]]);
    assert.equal(fm.endLine, 4);
    assert.equal(fm.body, "Body\n");
    assert.equal(fm.bodyLine, 5);
  });

  it("a byte-order mark and blank lines before the opening line are allowed, and lines still count from the file's first", () => {
    const fm = read(`\uFEFF\n\n  \n---\ntitle: Hi\n---\nBody\n`);
    assert.deepEqual(fm.data, { title: "Hi" });
    assert.equal(fm.lines.get("title"), 5);
    assert.equal(fm.bodyLine, 7);
    assert.deepEqual(problems(`\n\n---\ntitle: [\n---\n`), [`a.md:4 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`]);
  });

  it("a quote never closed is named on the line it opens, not where yaml ran out of text", () => {
    const never = "invalid YAML: the quoted value that starts on this line is never closed (add the closing quote)";
    assert.deepEqual(problems(`---\ntitle: "Unclosed quote\ndate: 2024-01-05\ntags: [a]\nsummary: x\n---\nBody\n`), [`a.md:2 ${never}`]);
    assert.deepEqual(problems(`---\ntitle: ok\nauthor: 'it''s\ndate: 2024-01-05\n---\n`), [`a.md:3 ${never}`]);
    assert.deepEqual(problems(`\n---\ntitle: ok\ntags:\n  - a\n  - "b\n  - c\n---\n`), [`a.md:6 ${never}`]);
    // Quotes that are closed keep yaml's own message and line (found by a review).
    assert.deepEqual(problems(`---\ntitle: t1\n"just a quoted line"\ndate: 2024-01-01\n---\n`), [`a.md:3 invalid YAML: Implicit map keys need to be followed by map values`]);
    assert.deepEqual(problems(`---\ntitle: t2\ntags: ["a" "b"]\n---\n`), [`a.md:3 invalid YAML: Missing , or : between flow sequence items`]);
    assert.deepEqual(problems(`---\ntitle: t3\ntags: {'a' 'b'}\n---\n`), [`a.md:3 invalid YAML: Missing , or : between flow map items`]);
  });

  it("TOML between +++ lines: dates come back as the text written, numbers under text keys as text", () => {
    const fm = read(`+++\ntitle = 2023\ndate = 2023-04-12T09:30:00+02:00\nday = 2023-04-12\ntags = ["a", "b"]\ndraft = true\n[params]\nx = 1\n+++\nBody\n`, new Set(["title"]));
    assert.equal(fm.language, "TOML");
    assert.deepEqual(fm.data, { title: "2023", date: "2023-04-12T09:30:00.000+02:00", day: "2023-04-12", tags: ["a", "b"], draft: true, params: { x: 1 } });
    assert.equal(fm.lines.get("date"), 3);
    assert.equal(fm.lines.get("params"), 7);
    assert.equal(fm.body, "Body\n");
    assert.equal(fm.bodyLine, 10);
  });

  it("TOML errors name TOML and the line", () => {
    assert.deepEqual(problems(`\n+++\ntitle = "x"\ndate = \n+++\n`), [`a.md:4 invalid TOML: invalid value`]);
    assert.deepEqual(problems(`+++\ntitle = "x"\n`), [`a.md:1 front matter is not closed: add a line "+++" after the TOML`]);
  });

  it("JSON: the object up to its closing brace, strings holding braces included", () => {
    const fm = read(`{\n  "title": "a } b",\n  "params": {\n"x": "{"\n},\n  "date": "2023-04-12"\n}\nBody\n`);
    assert.equal(fm.language, "JSON");
    assert.deepEqual(fm.data, { title: "a } b", params: { x: "{" }, date: "2023-04-12" });
    assert.equal(fm.lines.get("title"), 2);
    assert.equal(fm.lines.get("date"), 6);
    assert.equal(fm.lines.has("x"), false);
    assert.equal(fm.body, "Body\n");
    assert.equal(fm.bodyLine, 8);
    assert.deepEqual(read(`{"title": "one line"}\nBody`).data, { title: "one line" });
  });

  it("JSON errors name JSON and the line", () => {
    assert.deepEqual(problems(`{\n "title": "x",\n "date" 2\n}\n`), [`a.md:3 invalid JSON: Unexpected number`]);
    assert.deepEqual(problems(`{\n "title": "x"\n`), [`a.md:1 front matter is not closed: the JSON object opened by "{" has no closing "}"`]);
  });

  it("a __proto__ key stays a key", () => {
    for (const text of [`{"__proto__": {"polluted": 1}, "title": "x"}\n`, `+++\n"__proto__" = { polluted = 1 }\n+++\n`]) {
      const fm = read(text);
      assert.equal(Object.getPrototypeOf(fm.data), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }
  });

  it("---<language> is refused, naming what is read", () => {
    for (const language of ["js", "javascript", "coffee", "json", "toml", "yaml"]) {
      assert.deepEqual(problems(`---${language}\n({ title: "x" })\n---\n`), [
        `a.md:1 front matter opened by "---${language}" is refused: only "---" (YAML), "+++" (TOML) or "{" (JSON) front matter is read; other front-matter languages can run code`,
      ]);
    }
  });

  it("no front matter says which openers are read", () => {
    assert.deepEqual(problems(`# Title\n`), [`a.md:1 no front matter: the file must start with "---" (YAML), "+++" (TOML) or "{" (JSON), then the front matter (title, date), then the closing line`]);
  });

  it("a closing line with trailing blanks closes, and the body starts after it", () => {
    const fm = read(`---\ntitle: Hi\n---  \nBody\n`);
    assert.equal(fm.body, "Body\n");
    assert.deepEqual(problems(`---\ntitle: Hi\n----\nBody\n`), [`a.md:3 front matter must be closed by a line of exactly "---" (got "----")`]);
  });
});

describe("front matter: a key given twice", () => {
  it("is read as Jekyll reads it: the last one wins, with a warning naming both lines", () => {
    const result = parseFrontMatter("a.md", `---\ntitle: One\nredirect_from: /old/\nredirect_from: /older/\n---\nBody\n`, NONE);
    assert.equal(result.ok, true, result.problems.map(formatProblem).join("\n"));
    if (!result.ok) return;
    assert.equal(result.value.data.redirect_from, "/older/");
    assert.equal(result.value.lines.get("redirect_from"), 4);
    assert.deepEqual(result.problems.map(formatProblem), ["a.md:4 warning: redirect_from: given twice (also on line 3): this last one is used, as Jekyll reads it"]);
  });
});
