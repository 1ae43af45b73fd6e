/**
 * Every problem of a file in one run (issue 13, point 6: a tags error hid a date error): the
 * article and settings parsers report all their fields' problems at once, each at its line, and
 * no field twice.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseArticle } from "../src/content/article.ts";
import { formatProblem, sortProblems, type Result } from "../src/problems.ts";
import { parseSection } from "../src/site/section.ts";
import { parseSite, type Site } from "../src/site/settings.ts";

function value<T>(result: Result<T>): T {
  assert.ok(result.ok, result.ok ? "" : result.problems.map(formatProblem).join("\n"));
  return result.value;
}
const errors = (result: Result<unknown>) => sortProblems(result.problems).filter((p) => p.severity === "error").map(formatProblem);
const site: Site = value(parseSite("content/_index.md", `---\ntitle: S\nurl: https://every.example.org/\n---\n`, {}));
const read = (source: string, path = "news.md") => parseArticle(`content/${path}`, path, source, { site });

describe("an article's problems, all in one run", () => {
  it("a bad tag, a bad date, a bad id and a bad image: four problems, each at its line", () => {
    const result = read(`---\ntitle: T\ntags: [fine, 2023]\ndate: Walk 18\nid: not a uri\nimage: "javascript:alert(1)"\n---\nBody.\n`);
    assert.equal(result.ok, false);
    const lines = errors(result);
    assert.equal(lines.length, 4, lines.join("\n"));
    assert.match(lines[0] ?? "", /^content\/news\.md:3 tags\[1\]: each tag must be text/);
    assert.match(lines[1] ?? "", /^content\/news\.md:4 date: expected a date/);
    assert.match(lines[2] ?? "", /^content\/news\.md:5 id: expected an absolute URI/);
    assert.match(lines[3] ?? "", /^content\/news\.md:6 image: /);
  });

  it("a schema problem does not hide the problems that need a date or a URL", () => {
    const lines = errors(read(`---\ntitle: [not, text]\ndate: 2023-04-12\nlink: "http://[bad"\npermalink: "/{{ page.x }}/"\n---\n`));
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0] ?? "", /^content\/news\.md:2 title: expected text/);
    assert.match(lines[1] ?? "", /^content\/news\.md:4 link: expected a URL/);
    assert.match(lines[2] ?? "", /^content\/news\.md:5 permalink: template code is not run/);
  });

  it("no field twice: a date of the wrong kind is not also 'required', a missing title not also 'empty'", () => {
    const lines = errors(read(`---\ndate: [2023]\nid: nope\n---\n`));
    assert.deepEqual(
      lines.map((l) => l.split(":")[1]?.split(" ")[1]),
      ["title", "date", "id"],
      lines.join("\n"),
    );
  });

  it("a file with one problem still gives one line", () => {
    assert.deepEqual(errors(read(`---\ntitle: T\ndate: 2023-04-12\ntags: {a: 1}\n---\n`)), [`content/news.md:4 tags: expected a list of tags or one comma- or space-separated string (got {"a":1})`]);
  });
});

describe("settings: every problem in one run", () => {
  it("the site: a schema problem beside a bad icon, id and archives", () => {
    const result = parseSite("content/_index.md", `---\ntitle: S\nurl: https://every.example.org/\nlimit: -3\nicon: "javascript:x"\nid: nope\nformats: [rss]\narchives: [atom]\n---\n`, {});
    const lines = errors(result);
    assert.equal(lines.length, 4, lines.join("\n"));
    assert.match(lines[0] ?? "", /^content\/_index\.md:4 limit: must be at least 1/);
    assert.match(lines[1] ?? "", /^content\/_index\.md:5 icon: /);
    assert.match(lines[2] ?? "", /^content\/_index\.md:6 id: /);
    assert.match(lines[3] ?? "", /^content\/_index\.md:8 archives: atom is not written/);
  });

  it("a section: every bad setting at its line", () => {
    const lines = errors(parseSection("content/notes/_index.md", "notes", `---\ntitle: ""\ninSiteFeed: maybe\npermalink: 5\n---\n`));
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0] ?? "", /:2 title: /);
    assert.match(lines[1] ?? "", /:3 inSiteFeed: /);
    assert.match(lines[2] ?? "", /:4 permalink: /);
  });
});
