import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { planBuild } from "../src/pipeline/index.ts";
import { project } from "./helpers/cli.ts";

const BODY = `Intro.

<script>alert(1)</script><b onclick="steal()">bold</b> <a href="javascript:alert(2)">x</a> <a href="https://example.com/a">y</a>
<img src="pic.png" srcset="small.png 1x, big.png 2x" alt="pic">
`;

async function contentHtml(html: boolean | undefined): Promise<string> {
  const dir = project(
    { "post.md": `---\ntitle: Raw\ndate: 2023-01-01\n---\n${BODY}` },
    `---\ntitle: T\nurl: https://example.org/\n${html === undefined ? "" : `html: ${html}\n`}---\n`,
  );
  const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
  assert.ok(result.plan !== undefined, JSON.stringify(result.problems));
  const json = JSON.parse(result.plan.files.find((f) => f.path === "feed.json")!.content) as { items: { content_html: string }[] };
  return json.items[0]!.content_html;
}

describe("raw HTML in articles, through the whole build", () => {
  it("is text with html: false, and no URL inside a tag is made a link", async () => {
    const html = await contentHtml(false);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script|<b[ >]|<img|<a /);
  });

  for (const setting of [undefined, true]) it(`with html: ${setting ?? "unset (the default)"}, kept but sanitised, and its URLs made absolute`, async () => {
    const html = await contentHtml(setting);
    assert.match(html, /<b>bold<\/b>/);
    assert.doesNotMatch(html, /script|onclick|javascript:/i);
    assert.match(html, /src="https:\/\/example\.org\/post\/pic\.png"/);
    assert.match(html, /srcset="https:\/\/example\.org\/post\/small\.png 1x, https:\/\/example\.org\/post\/big\.png 2x"/);
  });
});

describe("link schemes through the whole build, with and without raw HTML", () => {
  async function feed(body: string): Promise<{ html: string; warnings: string[] }> {
    const dir = project({ "post.md": `---\ntitle: Links\ndate: 2023-01-01\n---\n${body}` }, `---\ntitle: T\nurl: https://example.org/\n---\n`);
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
    assert.ok(result.plan !== undefined, JSON.stringify(result.problems));
    const json = JSON.parse(result.plan.files.find((f) => f.path === "feed.json")!.content) as { items: { content_html: string }[] };
    return { html: json.items[0]!.content_html, warnings: result.problems.map((p) => p.message) };
  }

  // The report: these three kept their href in every feed unless the article also held a tag.
  it("an article's links are the same whether or not it holds a tag", async () => {
    const links = "[x](chrome://flags/#x) [y](hhttp://example.com/) [z](intent://scan/#Intent;end) [m](mailto:a@example.org) [r](../r/)\n";
    const plain = await feed(links);
    const tagged = await feed(`${links}\n<span>hi</span>\n`);
    const want = `<p><a>x</a> <a>y</a> <a>z</a> <a href="mailto:a@example.org">m</a> <a href="https://example.org/r/">r</a></p>\n`;
    assert.equal(plain.html, want);
    assert.equal(tagged.html, `${want}<p><span>hi</span></p>\n`);
    assert.equal(plain.warnings.length, 3);
    assert.deepEqual(tagged.warnings, plain.warnings);
  });
});
