import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { planBuild, type PlanResult } from "../src/pipeline/index.ts";
import { formatProblem } from "../src/problems.ts";
import { copyFixture } from "./helpers/cli.ts";

// Each fixture is a content folder written by us after each generator's documented conventions
// (docs/migrating.md); only its _index.md (the site settings) is feedwright's.
const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

async function plan(fixture: string): Promise<{ result: PlanResult; items: { url: string; tags?: string[]; external_url?: string; image?: string; date_published: string; date_modified: string }[] }> {
  const dir = copyFixture(fixture);
  const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW, cacheDir: join(dir, "cache") });
  const feed = result.plan?.files.find((f) => f.path === "feed.json");
  assert.ok(feed !== undefined, result.problems.map(formatProblem).join("\n"));
  return { result, items: (JSON.parse(String(feed.content)) as { items: never[] }).items };
}

const messages = (result: PlanResult) => result.problems.map((p) => `${p.severity} ${p.message}`);

describe("moved in with no edit to any post", () => {
  it("Jekyll: _posts, _drafts, published: false, dates from file names, the date style with categories, .markdown, a per-post permalink", async () => {
    const { result, items } = await plan("jekyll");
    assert.deepEqual(messages(result), [`warning 1 file(s) look like posts but are not read (only .md and .markdown are): ${result.problems[0]?.file}/about.html`]);
    assert.deepEqual(items.map((i) => i.url), [
      "https://jekyll.example/notes/2019/02/02/a-note.html",
      "https://jekyll.example/about-feeds.html",
      "https://jekyll.example/2018/05/01/a-link-worth-reading.html",
      "https://jekyll.example/2016/08/22/Rust-1.0.html",
      "https://jekyll.example/jekyll/update/2016/03/10/welcome-to-jekyll.html",
    ]);
    const rust = items[3]!;
    assert.deepEqual(rust.tags, ["rust", "release"]);
    assert.equal(rust.date_modified, rust.date_published, "a date-only update on the day of the post is that day");
    assert.equal(items[2]?.external_url, "https://other.example/essay");
    assert.equal(items[4]?.date_published, "2016-03-10T05:54:00-08:00");
  });

  it("Hugo: TOML, YAML and JSON front matter, page bundles, a section's permalink, url, publishDate, expiryDate, draft", async () => {
    const { result, items } = await plan("hugo");
    assert.deepEqual(messages(result), []);
    assert.deepEqual(items.map((i) => i.url), ["https://hugo.example/legacy/json-post.html", "https://hugo.example/posts/2023/04/my-first-post/", "https://hugo.example/news/0.89.3-relnotes/"]);
    const bundle = items[1]!;
    assert.equal(bundle.image, "https://hugo.example/posts/2023/04/my-first-post/featured.png");
    assert.deepEqual(bundle.tags, ["hugo", "bundles", "Notes"]);
    assert.equal(items[2]?.image, "https://hugo.example/news/0.89.3-relnotes/cover.jpg", "a bundle's cover.* is its image");
    assert.equal(bundle.date_modified, "2023-05-01T08:00:00Z");
    assert.ok(result.plan?.files.some((f) => f.path === "posts/feed.json"));
  });

  it("Eleventy: the input path as URL, permalink …/index.html, permalink: false, eleventyExcludeFromCollections, page keys silent", async () => {
    const { result, items } = await plan("eleventy");
    assert.deepEqual(messages(result), []);
    assert.deepEqual(items.map((i) => i.url), ["https://eleventy.example/blog/second/", "https://eleventy.example/posts/firstpost/"]);
  });

  it("Astro: pubDate (its template's 'Jul 08 2022' too), updatedDate, heroImage; .mdx named and skipped", async () => {
    const { result, items } = await plan("astro");
    assert.deepEqual(messages(result), [`warning 1 file(s) look like posts but are not read (only .md and .markdown are): ${result.problems[0]?.file}/using-mdx.mdx`]);
    assert.deepEqual(items.map((i) => [i.url, i.date_published, i.date_modified, i.image]), [
      ["https://astro.example/blog/second-post/", "2022-07-15T00:00:00Z", "2022-08-01T00:00:00Z", undefined],
      ["https://astro.example/blog/first-post/", "2022-07-08T00:00:00Z", "2022-07-08T00:00:00Z", "https://astro.example/blog-placeholder-3.jpg"],
    ]);
  });
});
