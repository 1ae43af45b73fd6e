import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { parseArticle, type Article, type ReadContext } from "../src/content/article.ts";
import { dataFileOf, layersFor, mergeData, type DataFile, type DataLayer } from "../src/content/directory-data.ts";
import { planBuild, type PlanResult } from "../src/pipeline/index.ts";
import { formatProblem } from "../src/problems.ts";
import { parseSection } from "../src/site/section.ts";
import { MAPPED_FIELDS, parseSite, siteSchema, type Site } from "../src/site/settings.ts";
import { articleSchema } from "../src/content/article.ts";
import { project } from "./helpers/cli.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

function site(settings = ""): Site {
  const result = parseSite("content/_index.md", `---\ntitle: Blog\nurl: https://example.org/\n${settings}---\n`, {});
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join("\n"));
  return result.value;
}

function read(path: string, text: string, context: Partial<ReadContext> = {}): { article: Article; warnings: string[] } {
  const result = parseArticle(`content/${path}`, path, text, { site: site(), ...context });
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join("\n"));
  return { article: result.value, warnings: result.problems.map(formatProblem) };
}

function problems(path: string, text: string, context: Partial<ReadContext> = {}): string[] {
  return parseArticle(`content/${path}`, path, text, { site: site(), ...context }).problems.map(formatProblem);
}

async function plan(files: Record<string, string>, index?: string): Promise<PlanResult> {
  const dir = project(files, index);
  return planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
}

const lines = (result: PlanResult) => result.problems.map(formatProblem);

/** An object with these own keys, `__proto__` included, as a front-matter parser makes it. */
function withOwnKeys(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

describe("Eleventy's data cascade: directory and template data files", () => {
  it("merges as Eleventy does: the post's own value wins, lists join (own first), maps merge, override: replaces, no value is none", () => {
    const dir = { tags: ["blog"], layout: "post.njk", author: { name: "Zach", url: "https://z.example/" }, permalink: "/blog/x/" };
    const own = { tags: ["release"], author: { name: "Ada" }, permalink: "/news/", title: null };
    assert.deepEqual(mergeData([dir, own]), { tags: ["release", "blog"], layout: "post.njk", author: { name: "Ada", url: "https://z.example/" }, permalink: "/news/" });
    assert.deepEqual(mergeData([dir, { "override:tags": ["only"] }]).tags, ["only"]);
    assert.deepEqual(mergeData([dir, { tags: "release" }]).tags, ["release", "blog"]);
    assert.deepEqual(mergeData([{ tags: "blog" }, { tags: ["a"] }]).tags, ["a", "blog"]);
    assert.equal(mergeData([{ layout: "a" }, { layout: "b" }]).layout, "b");
    assert.equal("tags" in mergeData([dir, { "override:tags": null }]), false);
  });

  it("an article with no data file above it reads as one under an empty data file, whatever its keys", async () => {
    const fc = (await import("fast-check")).default;
    // Keys a merge might treat specially: prototype names, `override:` prefixes, at any depth.
    const key = fc.constantFrom("title", "tags", "author", "__proto__", "constructor", "toString", "override:title", "override:tags", "override:__proto__", "name");
    const leaf = fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }));
    const map = fc.letrec((tie) => ({ map: fc.array(fc.tuple(key, fc.oneof({ depthSize: "small" }, leaf, tie("map"))), { maxLength: 4 }).map(withOwnKeys) })).map;
    fc.assert(
      fc.property(map, (layer) => {
        assert.deepEqual(mergeData([layer as Record<string, unknown>]), mergeData([{}, layer as Record<string, unknown>]));
      }),
      { numRuns: 2000 },
    );
    // Found by a review: a `__proto__` map was merged into Object.prototype, dropping the `override:` of its keys under a data file only.
    const proto = withOwnKeys([["__proto__", withOwnKeys([["override:title", "evil"], ["name", "nm"]])]]);
    assert.deepEqual(mergeData([proto]), mergeData([{}, proto]));
  });

  it("knows a folder's data files by name, a post's by its sibling, and JavaScript ones as code", () => {
    const md = new Set(["post.md"]);
    assert.deepEqual(dataFileOf("blog.json", "blog", "blog", md), { folder: "blog", rank: 0, code: false });
    assert.deepEqual(dataFileOf("blog.11tydata.json", "blog", "blog", md), { folder: "blog", rank: 1, code: false });
    assert.deepEqual(dataFileOf("blog.11tydata.js", "blog", "blog", md), { folder: "blog", rank: 2, code: true });
    assert.deepEqual(dataFileOf("post.11tydata.json", "blog", "blog", md), { folder: "blog", article: "blog/post.md", rank: 1, code: false });
    assert.equal(dataFileOf("other.json", "blog", "blog", md), undefined);
    assert.equal(dataFileOf("blog.js", "blog", "blog", md), undefined);
  });

  it("orders the layers from the content folder down to the post's own data file", () => {
    const file = (name: string, folder: string, rank: number, article?: string): DataFile & DataLayer => ({ file: name, folder, rank, code: false, data: {}, ...(article === undefined ? {} : { article }) });
    const files = [file("p.json", "blog", 0, "blog/p.md"), file("blog.11tydata.json", "blog", 1), file("blog.json", "blog", 0), file("content.json", "", 0), file("news.json", "news", 0)];
    assert.deepEqual(layersFor("blog/p.md", files).map((l) => l.file), ["content.json", "blog.json", "blog.11tydata.json", "p.json"]);
    assert.deepEqual(layersFor("blog/q.md", files).map((l) => l.file), ["content.json", "blog.json", "blog.11tydata.json"]);
  });

  it("a post reads its folder's defaults: tags joined, {{ page.fileSlug }} in the permalink, its own permalink winning", () => {
    const data = [{ file: "content/blog/blog.json", data: { tags: ["blog"], permalink: "/blog/{{ page.fileSlug }}/", layout: "layouts/blog.njk" } }];
    const { article, warnings } = read("blog/2020-08-10-discord.md", `---\ntitle: Discord\ntags: [news]\n---\n`, { data });
    assert.deepEqual(article.tags, ["news", "blog"]);
    assert.equal(article.url, "https://example.org/blog/discord/");
    assert.deepEqual(warnings, []);
    assert.equal(read("blog/2020-08-10-discord.md", `---\ntitle: Discord\npermalink: /x/\n---\n`, { data }).article.url, "https://example.org/x/");
  });

  it("a build reads blog/blog.json for every post below it, names a .11tydata.js as never run, and a data file's unknown key once, there", async () => {
    const result = await plan({
      "blog/blog.json": JSON.stringify({ tags: ["blog"], permalink: "/blog/{{ page.fileSlug }}/", postAuthor: "zachleat" }),
      "blog/blog.11tydata.js": "module.exports = { eleventyComputed: {} };",
      "blog/2020-01-01-one.md": `---\ntitle: One\n---\n`,
      "blog/deep/2020-01-02-two.md": `---\ntitle: Two\n---\n`,
    });
    const shown = lines(result);
    assert.ok(result.plan !== undefined, shown.join("\n"));
    assert.deepEqual(result.plan.articles.map((a) => [a.path, a.url]), [
      ["blog/2020-01-01-one.md", "https://example.org/blog/one/"],
      ["blog/deep/2020-01-02-two.md", "https://example.org/blog/two/"],
    ]);
    // The folder's tag is every post's: a tag feed with both.
    assert.ok(result.plan.feeds.some((f) => f.folder === "tags/blog/" && f.items === 2), JSON.stringify(result.plan.feeds.map((f) => [f.folder, f.items])));
    assert.equal(shown.filter((l) => l.includes("postAuthor")).length, 1);
    assert.match(shown.find((l) => l.includes("postAuthor")) ?? "", /content\/blog\/blog\.json warning: postAuthor: unknown key, ignored/);
    assert.ok(shown.some((l) => /content\/blog\/blog\.11tydata\.js warning: Eleventy data file in JavaScript: not read, feedwright never runs code/.test(l)), shown.join("\n"));
  });

  it("a bad value a post inherits names the data file it came from", () => {
    const data = [{ file: "content/blog/blog.json", data: { permalink: "/blog/{{ title | slugify }}/", tags: "x" } }];
    assert.deepEqual(problems("blog/2020-01-01-one.md", `---\ntitle: One\n---\n`, { data }), [
      `content/blog/2020-01-01-one.md permalink: template code is not run (got "/blog/{{ title | slugify }}/"); write the path, or use placeholders such as /:year/:slug/ (from content/blog/blog.json)`,
    ]);
  });

  it("a data file that is not one JSON object is an error naming it", async () => {
    const shown = lines(await plan({ "blog/blog.json": "[1, 2]", "blog/2020-01-01-one.md": `---\ntitle: One\n---\n` }));
    assert.ok(shown.some((l) => /content\/blog\/blog\.json expected one JSON object/.test(l)), shown.join("\n"));
  });
});

describe("listing pages are the generator's pages, not articles", () => {
  it("pagination, eleventyImport, or a loop over a collection: skipped with a note, no error", () => {
    assert.deepEqual(problems("blog.md", `---\npermalink: /blog/\neleventyImport:\n  collections: [blog]\n---\n# Blog\n`), [
      "content/blog.md:3 warning: eleventyImport: a listing page, not an article: skipped (it imports collections)",
    ]);
    assert.match(problems("page.md", `---\npagination:\n  data: collections.posts\n  size: 10\n---\n`)[0] ?? "", /pagination: a listing page, not an article: skipped/);
    assert.match(problems("list.md", `---\ntitle: All\n---\n{% for post in collections.blog | reverse %}\n- {{ post.url }}\n{% endfor %}\n`)[0] ?? "", /list\.md:4 warning: a listing page, not an article: skipped \(its body loops over collections\.blog\)/);
  });

  it("a post that shows such a loop as an example, in code, is an article", () => {
    const { article } = read("a.md", "---\ntitle: Loops\ndate: 2023-01-01\n---\n```liquid\n{% for post in site.posts %}\n{% endfor %}\n```\n{% raw %}\n{% for p in paginator.posts %}\n{% endraw %}\n");
    assert.equal(article.title, "Loops");
  });

  it("a build names every listing page in one warning", async () => {
    const list = `---\npagination:\n  data: collections.posts\n---\n`;
    const shown = lines(await plan({ "a.md": list, "b.md": list, "c.md": `---\ntitle: C\ndate: 2023-01-01\n---\n` }));
    assert.deepEqual(shown.filter((l) => l.includes("listing page")).length, 1);
    assert.match(shown.find((l) => l.includes("listing page")) ?? "", /2 listing pages, not articles: skipped: .*content\/a\.md \(it sets pagination\), .*content\/b\.md \(it sets pagination\)$/);
  });
});

describe("fields: an article field read from the key the old site's posts use", () => {
  it("title from newstitle, kept as text, with no unknown-key warning; title itself when the post has no newstitle", () => {
    const s = site("fields:\n  title: newstitle\n");
    const own = parseArticle("content/a.md", "a.md", `---\nnewstitle: 2023\ndate: 2023-01-01\n---\n`, { site: s });
    assert.ok(own.ok, own.problems.map(formatProblem).join("\n"));
    assert.equal(own.value.title, "2023");
    assert.deepEqual(own.value.unknownKeys, {});
    const plain = parseArticle("content/b.md", "b.md", `---\ntitle: Plain\ndate: 2023-01-01\n---\n`, { site: s });
    assert.equal(plain.ok && plain.value.title, "Plain");
  });

  it("a mapped key that is missing still says the field is required, at the file", () => {
    const s = site("fields:\n  title: newstitle\n");
    assert.deepEqual(parseArticle("content/a.md", "a.md", `---\ndate: 2023-01-01\n---\n`, { site: s }).problems.map(formatProblem), ["content/a.md:1 title: is required"]);
  });

  it("refuses a field feedwright does not have; every field it maps is an article key", () => {
    const result = parseSite("content/_index.md", `---\ntitle: B\nurl: https://example.org/\nfields:\n  headline: newstitle\n---\n`, {});
    assert.equal(result.ok, false);
    assert.match(result.problems.map(formatProblem).join("\n"), /content\/_index\.md:4 fields: maps only title, date, /);
    for (const field of MAPPED_FIELDS) assert.ok(field in articleSchema.shape, field);
    assert.ok("fields" in siteSchema.shape);
  });
});

describe("a Hugo section's _index.md as Hugo users write it", () => {
  it("url, layout and Hugo's other page keys are read silently; a typo still warns", () => {
    const ok = parseSection("content/post/_index.md", "post", `---\ntitle: Blog\nurl: "/blog/"\nlayout: list\nweight: 2\n---\n`);
    assert.ok(ok.ok);
    assert.deepEqual(ok.problems, []);
    const typo = parseSection("content/post/_index.md", "post", `---\ntitle: Blog\npermalnk: /:slug/\n---\n`);
    assert.deepEqual(typo.problems.map(formatProblem), ['content/post/_index.md:3 warning: permalnk: unknown key, ignored; did you mean "permalink"?']);
  });
});

describe("refused settings do not hide the articles' problems", () => {
  it("one run reports _index.md's errors and every article's together", async () => {
    const result = await plan({ "a.md": `---\ntitle: A\ndate: 2023-02-30\n---\n`, "b.md": `---\ndate: 2023-01-01\n---\n` }, `---\ntitle: Blog\nurl: /blog/\ntimezone: Mars/Base\n---\n`);
    const shown = lines(result);
    assert.equal(result.plan, undefined);
    assert.ok(shown.some((l) => /content\/_index\.md:3 url: expected an absolute http\(s\) URL/.test(l)), shown.join("\n"));
    assert.ok(shown.some((l) => /content\/_index\.md:4 timezone: /.test(l)), shown.join("\n"));
    assert.ok(shown.some((l) => /content\/a\.md:3 date: /.test(l)), shown.join("\n"));
    assert.ok(shown.some((l) => /content\/b\.md:1 title: is required/.test(l)), shown.join("\n"));
  });

  it("an _index.md that is not even YAML still lets the articles be checked", async () => {
    const shown = lines(await plan({ "b.md": `---\ndate: 2023-01-01\n---\n` }, `---\ntitle: [unclosed\n---\n`));
    assert.ok(shown.some((l) => /content\/_index\.md:\d+ invalid YAML/.test(l)), shown.join("\n"));
    assert.ok(shown.some((l) => /content\/b\.md:1 title: is required/.test(l)), shown.join("\n"));
  });
});

describe("an author's url holds no credentials", () => {
  it("is refused at its line in an article and in the site settings, as url and hub are", () => {
    assert.deepEqual(problems("a.md", `---\ntitle: A\ndate: 2023-01-01\nauthor:\n  name: Ada\n  url: https://ada:secret@example.org/\n---\n`), [
      'content/a.md:4 author.url: must not hold a user name or password: it would be published in every feed (got "https://ada:secret@example.org/")',
    ]);
    const result = parseSite("content/_index.md", `---\ntitle: B\nurl: https://example.org/\nauthor:\n  name: Ada\n  url: https://ada@example.org/\n---\n`, {});
    assert.equal(result.ok, false);
    assert.match(result.problems.map(formatProblem).join("\n"), /content\/_index\.md:4 author\.url: must not hold a user name or password/);
  });
});

describe("dates as the generators' users write them", () => {
  const dated = (value: string) => parseArticle("content/a.md", "a.md", `---\ntitle: A\ndate: ${value}\n---\n`, { site: site() });
  it("a day with its month named (Astro's z.coerce.date forms) or with slashes is that day in the site's zone", () => {
    for (const value of ["Jul 08 2022", "July 8, 2022", "8 July 2022", "Fri, 8 Jul 2022", "Sept 8, 2022", "2022/07/08"]) {
      const result = dated(value);
      assert.ok(result.ok, `${value}: ${result.problems.map(formatProblem).join("; ")}`);
      if (value.startsWith("Sept")) assert.equal(result.value.date.toISODate(), "2022-09-08");
      else assert.equal(result.value.date.toISODate(), "2022-07-08", value);
    }
    assert.equal(dated("Jly 8 2022").ok, false);
    assert.match(dated("2022/13/01").problems.map(formatProblem)[0] ?? "", /month does not exist/);
  });

  it("Eleventy's Last Modified and git Created are refused with why, at the line", () => {
    assert.deepEqual(dated("git Last Modified").problems.map(formatProblem), [
      `content/a.md:3 date: Eleventy's "git Last Modified" is the file's time on disk or in git, which changes with every checkout: write the date, like 2023-04-12`,
    ]);
  });

  it("an update written as a named day on the publication day is that day, silently", () => {
    const result = parseArticle("content/a.md", "a.md", `---\ntitle: A\ndate: 2022-07-08 09:30\nupdated: July 8, 2022\n---\n`, { site: site() });
    assert.ok(result.ok);
    assert.deepEqual(result.problems, []);
  });
});

describe("files Hugo turns into pages by running code", () => {
  it("a content adapter (_content.gotmpl) is named as never run", async () => {
    const shown = lines(await plan({ "news/_content.gotmpl": "{{ range . }}{{ end }}", "a.md": `---\ntitle: A\ndate: 2023-01-01\n---\n` }));
    assert.ok(shown.some((l) => /look like posts but are not read .*news\/_content\.gotmpl \(a Hugo content adapter: a template, never run\)$/.test(l)), shown.join("\n"));
  });
});

describe("posts kept in other template languages", () => {
  it("an Eleventy .njk or .liquid page, or a Hugo .adoc or .org one, opening with front matter is named; one without is not", async () => {
    const post = `---\ntitle: P\ndate: 2023-01-01\n---\n`;
    const shown = lines(await plan({ "a.md": post, "b.njk": post, "c.liquid": post, "d.adoc": post, "e.org": post, "partial.njk": "<p>{{ x }}</p>" }));
    const warning = shown.find((l) => l.includes("look like posts")) ?? "";
    assert.match(warning, /4 file\(s\) look like posts but are not read .*b\.njk, .*c\.liquid, .*d\.adoc, .*e\.org$/);
  });
});

describe("a leading _ hides a post, as in Jekyll and Astro", () => {
  it("_draft.md and the Markdown in an _includes folder are named and not read; _index.md, _posts and _drafts are read as before", async () => {
    const post = (title: string) => `---\ntitle: ${title}\ndate: 2023-01-01\n---\n`;
    const result = await plan({ "a.md": post("A"), "_unfinished.md": post("Hidden"), "_includes/partial.md": "Some partial", "_posts/2023-02-01-b.md": `---\ntitle: B\n---\n`, "news/_index.md": `---\ntitle: News\n---\n`, "news/c.md": post("C") });
    const shown = lines(result);
    assert.deepEqual(result.plan?.articles.map((a) => a.path), ["_posts/2023-02-01-b.md", "a.md", "news/c.md"], shown.join("\n"));
    const warning = shown.find((l) => l.includes("look like posts")) ?? "";
    assert.match(warning, /2 file\(s\) look like posts but are not read .*_includes\/partial\.md \(in .*_includes\/: the folder's leading "_" hides it, as in Jekyll and Astro\), .*content\/_unfinished\.md \(its leading "_" hides it, as in Jekyll and Astro\)$/);
  });
});

describe("no _index.md yet", () => {
  it("says it is missing and still checks every article, in the same run; a warning of the listing does not hide it", async () => {
    const dir = project({ "a.md": `---\ndate: 2023-01-01\n---\n`, "b.mdx": "---\ntitle: B\n---\n" });
    rmSync(join(dir, "content/_index.md"));
    const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    const shown = lines(result);
    assert.equal(result.plan, undefined);
    assert.ok(shown.some((l) => /content\/_index\.md missing: it holds the site settings/.test(l)), shown.join("\n"));
    assert.ok(shown.some((l) => /content\/a\.md:1 title: is required/.test(l)), shown.join("\n"));
  });
});

describe("date and time forms Jekyll (Ruby) and Hugo (Go) accept", () => {
  const berlin = () => site("timezone: Europe/Berlin\n");
  const dated = (value: string) => parseArticle("content/a.md", "a.md", `---\ntitle: A\ndate: ${value}\n---\n`, { site: berlin() });
  it("a zone name after the offset, UTC alone, one-digit parts and RFC 2822 are read; a nonsense zone is still refused", () => {
    const cases: [string, string][] = [
      ["2016-03-10 10:20:00 -0800 PST", "2016-03-10T19:20:00.000+01:00"],
      ["2016-03-10 10:20:00.123456789 -0700 MST", "2016-03-10T18:20:00.123+01:00"],
      ["2016-03-10 10:20:00 UTC", "2016-03-10T11:20:00.000+01:00"],
      ["2016-3-1", "2016-03-01T00:00:00.000+01:00"],
      ["2016-03-10 9:05", "2016-03-10T09:05:00.000+01:00"],
      ["Thu, 10 Mar 2016 10:20:00 +0100", "2016-03-10T10:20:00.000+01:00"],
      ["Thu, 10 Mar 2016 10:20:00 GMT", "2016-03-10T11:20:00.000+01:00"],
    ];
    for (const [value, iso] of cases) {
      const result = dated(value);
      assert.ok(result.ok, `${value}: ${result.problems.map(formatProblem).join("; ")}`);
      assert.equal(result.value.date.toISO(), iso, value);
    }
    assert.equal(dated("2016-03-10 10:20:00 Mars").ok, false);
    assert.equal(dated("2016-02-30").ok, false);
  });

  it("a Jekyll file name with a one-digit month or day gives the date and the slug", () => {
    const result = parseArticle("content/_posts/2015-10-8-isoc.md", "_posts/2015-10-8-isoc.md", `---\ntitle: A\n---\n`, { site: site("permalink: /:year/:month/:day/:slug/\n") });
    assert.ok(result.ok, result.problems.map(formatProblem).join("; "));
    assert.equal(result.value.url, "https://example.org/2015/10/08/isoc/");
  });
});
