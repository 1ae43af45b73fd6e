import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { isPublished, parseArticle, type Article } from "../src/content/article.ts";
import { formatProblem } from "../src/problems.ts";
import { parseSite, type Site } from "../src/site/settings.ts";

function site(settings = ""): Site {
  const result = parseSite("content/_index.md", `---\ntitle: Blog\nurl: https://example.org/blog/\n${settings}---\n`, {});
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join("\n"));
  return result.value;
}

/** Reads one article; fails the test on any error, hands back the article and its warnings. */
function read(path: string, text: string, options: { settings?: string; permalink?: string } = {}): { article: Article; warnings: string[] } {
  const s = site(options.settings);
  const result = parseArticle(`content/${path}`, path, text, options.permalink === undefined ? { site: s } : { site: s, permalink: options.permalink });
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join("\n"));
  return { article: result.value, warnings: result.problems.map(formatProblem) };
}

function refused(path: string, text: string): string[] {
  const result = parseArticle(`content/${path}`, path, text, { site: site() });
  assert.equal(result.ok, false, "expected the article to be refused");
  return result.problems.map(formatProblem);
}

const NOW = DateTime.fromISO("2024-01-01T00:00:00Z");

describe("held back: published: false, draft, _drafts/, Eleventy", () => {
  it("published: false is not published (Jekyll)", () => {
    const { article } = read("a.md", `---\ntitle: A\ndate: 2023-01-01\npublished: false\n---\n`);
    assert.equal(isPublished(article, NOW), false);
    assert.equal(isPublished(read("a.md", `---\ntitle: A\ndate: 2023-01-01\npublished: true\n---\n`).article, NOW), true);
  });

  it("TOML draft = true, a file in _drafts/, permalink: false and eleventyExcludeFromCollections are held back", () => {
    assert.equal(read("a.md", `+++\ntitle = "A"\ndate = 2023-01-01\ndraft = true\n+++\n`).article.draft, true);
    assert.equal(read("_drafts/a.md", `---\ntitle: A\ndate: 2023-01-01\n---\n`).article.draft, true);
    assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\npermalink: false\n---\n`).article.draft, true);
    assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\neleventyExcludeFromCollections: true\n---\n`).article.draft, true);
  });
});

describe("dates: publishDate, expiryDate, lastmod, the file name's date", () => {
  it("publishDate: not published before it; Hugo's published: <date> is the same", () => {
    for (const key of ["publishDate", "published"]) {
      const { article } = read("a.md", `---\ntitle: A\ndate: 2023-01-01\n${key}: 2024-02-01\n---\n`);
      assert.equal(article.date.toISODate(), "2023-01-01");
      assert.equal(isPublished(article, NOW), false, key);
      assert.equal(isPublished(article, DateTime.fromISO("2024-02-01T00:00:00Z")), true, key);
    }
  });

  it("publishDate alone is the date", () => {
    assert.equal(read("a.md", `---\ntitle: A\npublishDate: 2023-05-01\n---\n`).article.date.toISODate(), "2023-05-01");
  });

  it("expiryDate: left out from then on", () => {
    const { article } = read("a.md", `---\ntitle: A\ndate: 2023-01-01\nexpiryDate: 2023-12-31\n---\n`);
    assert.equal(isPublished(article, DateTime.fromISO("2023-12-30T00:00:00Z")), true);
    assert.equal(isPublished(article, NOW), false);
  });

  it("lastmod, last_modified_at and Astro's updatedDate are updated", () => {
    for (const key of ["lastmod", "last_modified_at", "updatedDate"]) {
      assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\n${key}: 2023-02-01\n---\n`).article.updated?.toISODate(), "2023-02-01", key);
    }
    assert.equal(read("a.md", `---\ntitle: A\npubDate: 2023-01-01\n---\n`).article.date.toISODate(), "2023-01-01");
  });

  it("a Jekyll file name gives the date and the slug", () => {
    const { article } = read("_posts/2016-03-10-making-it-easier.md", `---\ntitle: Easier\n---\n`);
    assert.equal(article.date.toISODate(), "2016-03-10");
    assert.equal(article.slug, "making-it-easier");
    assert.equal(article.url, "https://example.org/blog/making-it-easier/");
  });

  it("no date anywhere: the error says where one may be", () => {
    assert.deepEqual(refused("news.md", `---\ntitle: A\n---\n`), [`content/news.md:1 date: is required (or a file name that starts with it, as in 2016-03-10-news.md)`]);
  });

  it("updated date-only on the day of a timed date means that day; earlier is a warning, never an error", () => {
    const same = read("a.md", `---\ntitle: A\ndate: 2016-08-22 05:54\nupdated: 2016-08-22\n---\n`);
    assert.deepEqual(same.warnings, []);
    assert.equal(same.article.updated, undefined);
    const before = read("a.md", `---\ntitle: A\ndate: 2016-08-22\nupdated: 2016-08-01\n---\n`);
    assert.equal(before.article.updated, undefined);
    assert.deepEqual(before.warnings, [`content/a.md:4 warning: updated: is before the date (2016-08-22); ignored, an update cannot precede publication`]);
  });
});

describe("fields", () => {
  it("tags and categories: lists, Jekyll's space-separated strings, comma-separated strings, singular keys", () => {
    const { article } = read("a.md", `---\ntitle: A\ndate: 2023-01-01\ntags: ruby jekyll\ncategories: "Web, Ruby on Rails"\n---\n`);
    assert.deepEqual(article.tags, ["ruby", "jekyll"]);
    assert.deepEqual(article.categories, ["Web", "Ruby on Rails"]);
    const single = read("a.md", `---\ntitle: A\ndate: 2023-01-01\ntag: machine learning\ncategory: Notes\n---\n`).article;
    assert.deepEqual([single.tags, single.categories], [["machine learning"], ["Notes"]]);
  });

  it("an empty tag in a list (Hugo and Astro build tags: [\"\", \"总结\"]) is left out with a warning at its line; the others stay", () => {
    const { article, warnings } = read("posts/x.md", `---\ntitle: A\ndate: 2023-01-01\ntags: ["", "总结"]\n---\n`);
    assert.deepEqual(article.tags, ["总结"]);
    assert.deepEqual(warnings, [`content/posts/x.md:4 warning: tags[0]: an empty tag, left out (got "")`]);
    const only = read("posts/x.md", `---\ntitle: A\ndate: 2023-01-01\ntags: [""]\n---\n`);
    assert.deepEqual([only.article.tags, only.warnings], [[], [`content/posts/x.md:4 warning: tags[0]: an empty tag, left out (got "")`]]);
  });

  it("a tag or category of white space only is empty too: left out, each with a warning", () => {
    const { article, warnings } = read("a.md", `---\ntitle: A\ndate: 2023-01-01\ntags:\n  - go\n  - "  "\n  - "\\t"\ncategories: [Notes, " "]\n---\n`);
    assert.deepEqual([article.tags, article.categories], [["go"], ["Notes"]]);
    assert.deepEqual(warnings, [
      `content/a.md:4 warning: tags[1]: an empty tag, left out (got "  ")`,
      `content/a.md:4 warning: tags[2]: an empty tag, left out (got "\\t")`,
      `content/a.md:8 warning: categories[1]: an empty category, left out (got " ")`,
    ]);
  });

  it("folders above Jekyll's _posts are categories, before those in front matter", () => {
    assert.deepEqual(read("work/_posts/2023-01-01-a.md", `---\ntitle: A\ncategories: [notes]\n---\n`).article.categories, ["work", "notes"]);
  });

  it("summary, excerpt, description: the first set is the summary, silently", () => {
    assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\nexcerpt: From Jekyll\ndescription: For meta tags\n---\n`).article.summary, "From Jekyll");
    const both = read("a.md", `---\ntitle: A\ndate: 2023-01-01\nsummary: S\ndescription: D\n---\n`);
    assert.deepEqual([both.article.summary, both.warnings], ["S", []]);
  });

  it("images: the first is the item image, relative to the article; jekyll-seo-tag's map; Astro's heroImage", () => {
    assert.equal(read("posts/p/index.md", `---\ntitle: A\ndate: 2023-01-01\nimages: [cover.png, other.png]\n---\n`, { permalink: "/:section/:slug/" }).article.image, "https://example.org/blog/posts/p/cover.png");
    assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\nimage:\n  path: /img/a.png\n  alt: x\n---\n`).article.image, "https://example.org/img/a.png");
    assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\nheroImage: ./hero.jpg\n---\n`).article.image, "https://example.org/blog/a/hero.jpg");
  });

  it("link: the external URL of a link post; not http(s) is an error", () => {
    assert.equal(read("a.md", `---\ntitle: A\ndate: 2023-01-01\nlink: https://other.example/post\n---\n`).article.externalUrl, "https://other.example/post");
    assert.deepEqual(refused("a.md", `---\ntitle: A\ndate: 2023-01-01\nlink: javascript:alert(1)\n---\n`), [`content/a.md:4 link: expected an http(s) URL (got "javascript:alert(1)")`]);
  });

  it("unknown keys are handed back with their lines; generator keys and ignoreKeys are not", () => {
    const { article, warnings } = read("a.md", `---\ntitle: A\ndate: 2023-01-01\nlayout: post\nweight: 3\nhero: x\nmine: y\n---\n`, { settings: "ignoreKeys: [mine]\n" });
    assert.deepEqual(warnings, []);
    assert.deepEqual(article.unknownKeys, { hero: 6 });
  });
});

describe("URLs as the old site had them", () => {
  it("the slug is kept as written: case and dots", () => {
    const { article } = read("2015-05-15-Rust-1.0.md", `---\ntitle: Rust\n---\n`, { settings: "permalink: /:year/:month/:day/:title.html\n" });
    assert.equal(article.slug, "Rust-1.0");
    assert.equal(article.url, "https://example.org/blog/2015/05/15/Rust-1.0.html");
  });

  it(".markdown is read like .md", () => {
    assert.equal(read("2016-01-01-old.markdown", `---\ntitle: Old\n---\n`).article.slug, "old");
  });

  it("so are the older endings Jekyll, Hugo and Astro read as Markdown: .mdown .mkdn .mkd .mkdown .mdwn", async () => {
    for (const ending of ["mdown", "mkdn", "mkd", "mkdown", "mdwn", "MKD"]) {
      assert.equal(read(`2016-01-01-old.${ending}`, `---\ntitle: Old\n---\n`).article.slug, "old", ending);
      assert.equal(read(`old/index.${ending}`, `---\ntitle: Old\ndate: 2016-01-01\n---\n`).article.slug, "old", `a bundle's index.${ending}`);
    }
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { listContent } = await import("../src/content/read.ts");
    const dir = mkdtempSync(join(tmpdir(), "feedwright-endings-"));
    try {
      mkdirSync(join(dir, "content"));
      for (const name of ["a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "f.mkdown", "g.mdwn", "h.mdx", "i.html"]) writeFileSync(join(dir, "content", name), "---\ntitle: T\n---\n");
      const listed = await listContent(join(dir, "content"));
      assert.deepEqual(listed.entries.map((e) => e.path), ["a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "f.mkdown", "g.mdwn"]);
      assert.equal(listed.skipped.length, 2, listed.skipped.join(", "));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a page bundle's slug is its folder, and images beside index.md resolve under its URL", () => {
    const { article } = read("news/0.89.3-relnotes/index.md", `---\ntitle: Release\ndate: 2021-11-15\nimage: featured.png\n---\n`, { permalink: "/:section/:slug/" });
    assert.equal(article.slug, "0.89.3-relnotes");
    assert.equal(article.url, "https://example.org/blog/news/0.89.3-relnotes/");
    assert.equal(article.image, "https://example.org/blog/news/0.89.3-relnotes/featured.png");
  });

  it("a bundle's featured image file is the image when front matter names none", () => {
    const s = site();
    const text = `---\ntitle: T\ndate: 2023-01-01\n---\n`;
    const bundled = parseArticle("content/p/index.md", "p/index.md", text, { site: s, bundleImage: "featured.png" });
    assert.equal(bundled.ok && bundled.value.image, "https://example.org/blog/p/featured.png");
    const named = parseArticle("content/p/index.md", "p/index.md", `---\ntitle: T\ndate: 2023-01-01\nimage: other.png\n---\n`, { site: s, bundleImage: "featured.png" });
    assert.equal(named.ok && named.value.image, "https://example.org/blog/p/other.png");
  });

  it("Jekyll's default style: categories, date and .html; _posts is not a folder of the URL", () => {
    const { article } = read("_posts/2016-03-10-welcome.md", `---\ntitle: W\ncategories: jekyll update\n---\n`, { settings: "permalink: date\n" });
    assert.equal(article.url, "https://example.org/blog/jekyll/update/2016/03/10/welcome.html");
    assert.equal(read("_posts/2016-03-10-welcome.md", `---\ntitle: W\n---\n`, { settings: "permalink: date\n" }).article.url, "https://example.org/blog/2016/03/10/welcome.html");
  });

  it("Hugo placeholders: :section, :sections, :filename, and Eleventy's :path", () => {
    const text = `---\ntitle: T\ndate: 2023-04-05\nslug: other\n---\n`;
    assert.equal(read("docs/guide/x.md", text, { permalink: "/:sections/:filename/" }).article.url, "https://example.org/blog/docs/guide/x/");
    assert.equal(read("docs/guide/x.md", text, { permalink: "/:section/:year/:i_month/:slug/" }).article.url, "https://example.org/blog/docs/2023/4/other/");
    assert.equal(read("posts/2023-04-05-x.md", text, { permalink: "/:path/" }).article.url, "https://example.org/blog/posts/2023-04-05-x/");
  });

  it("per-post permalink (placeholders allowed; Eleventy's index.html is its folder) and url", () => {
    const base = `---\ntitle: T\ndate: 2023-04-05\n`;
    assert.equal(read("a.md", `${base}permalink: /:year/custom.html\n---\n`).article.url, "https://example.org/blog/2023/custom.html");
    assert.equal(read("a.md", `${base}permalink: /notes/a/index.html\n---\n`).article.url, "https://example.org/blog/notes/a/");
    assert.equal(read("a.md", `${base}url: /old/Path.html\n---\n`).article.url, "https://example.org/blog/old/Path.html");
  });

  it("a permalink or url that leaves the site, is a URL, or holds template code is an error", () => {
    const base = `---\ntitle: T\ndate: 2023-04-05\n`;
    assert.deepEqual(refused("a.md", `${base}url: /../../x/\n---\n`), [`content/a.md:4 url: leaves the site (https://example.org/x/ is not under https://example.org/blog/)`]);
    assert.deepEqual(refused("a.md", `${base}url: https://evil.example/\n---\n`), [`content/a.md:4 url: expected a path on the site, like /2016/03/news/ (got "https://evil.example/")`]);
    assert.deepEqual(refused("a.md", `${base}permalink: "/blog/{{ title | slugify }}/"\n---\n`), [
      `content/a.md:4 permalink: template code is not run (got "/blog/{{ title | slugify }}/"); write the path, or use placeholders such as /:year/:slug/`,
    ]);
  });
});

describe("reading: a front-matter key given twice", () => {
  it("builds the article with the last value and passes the warning on", () => {
    const { warnings } = read("_posts/2016-09-21-one.md", `---\ntitle: 1.0.0\nredirect_from: /a/\nredirect_from: /b/\n---\nBody\n`);
    assert.deepEqual(warnings, ["content/_posts/2016-09-21-one.md:4 warning: redirect_from: given twice (also on line 3): this last one is used, as Jekyll reads it"]);
  });
});

describe("reading: external_url, JSON Feed's name for a link post's subject", () => {
  it("is read as link is", () => {
    const { article, warnings } = read("2024-10-02-v3.md", `---\ntitle: v3\nexternal_url: https://github.com/11ty/eleventy/releases/tag/v3.0.0\n---\nBody\n`);
    assert.equal(article.externalUrl, "https://github.com/11ty/eleventy/releases/tag/v3.0.0");
    assert.deepEqual(warnings, []);
  });
});
