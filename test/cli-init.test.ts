/**
 * `feedwright init` beside a Hugo or Jekyll site, in process: the settings it writes give every
 * item the URL the generator publishes the post at (test/interop/init-hugo.test.ts checks the
 * same sites against Debian's hugo), and the feeds' own links where `build --out` puts them.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { hugoPath, hugoPattern, hugoSanitize, hugoUrls } from "../src/commands/hugo-urls.ts";
import { cli, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

/** A site folder holding these files (paths from the site's root). */
function site(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const post = (title: string, date: string, more = "") => `---\ndate: ${date}\ntitle: "${title}"\n${more}---\nx\n`;

/** The item links of a build's site feed. */
function links(dir: string, out: string): string[] {
  const feed = JSON.parse(readFileSync(join(dir, out, "feed.json"), "utf8")) as { items: { url: string }[] };
  return feed.items.map((i) => i.url).sort();
}

/** The `_index.md` init wrote, as its lines. */
const written = (dir: string, content: string) => readFileSync(join(dir, content, "_index.md"), "utf8");

describe("init: Hugo's URLs", () => {
  it("a section with no [permalinks] entry gets Hugo's default URL, the section's folder and the slug", async () => {
    // As prakhar.me: hugo.toml has no [permalinks]; Hugo builds /articles/a-few-git-tricks/.
    const dir = site({
      "hugo.toml": `baseURL = "https://prakhar.me/"\ntitle = "cat"\n`,
      "content/articles/a-few-git-tricks.markdown": post("A Few Git Tricks", "2014-02-27T12:34:58+03:00"),
    });
    const init = await cli(["init", "--content", "content/articles"], dir);
    assert.equal(init.status, 0, init.stderr);
    // In Hugo's content folder the file is the section's page to Hugo, which stops at its url: (checked with hugo in test/interop/init-hugo.test.ts).
    assert.equal(init.stderr, "hugo.toml warning: ignoreFiles: Hugo reads content/articles/_index.md as the articles section's page and stops at its url: add ignoreFiles = ['content/articles/_index\\.md$'] near the top of hugo.toml (before its first [table]), so that Hugo skips it (or merge it into an ignoreFiles list there)\n");
    assert.match(written(dir, "content/articles"), /^permalink: \/articles\/:slug\/$/m);
    const build = await cli(["build", "--content", "content/articles", "--out", "public/feeds", "--now", NOW], dir);
    assert.equal(build.status, 0, build.stderr);
    assert.deepEqual(links(dir, "public/feeds"), ["https://prakhar.me/articles/a-few-git-tricks/"]);
  });

  it("a section's [permalinks] entry applies to that section only", async () => {
    const dir = site({
      "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\n[permalinks]\nposts = "/:filename"\n`,
      "content/articles/a-post.md": post("A", "2020-01-01"),
      "content/posts/p.md": post("P", "2020-01-01"),
    });
    assert.equal((await cli(["init", "--content", "content/articles"], dir)).status, 0);
    assert.match(written(dir, "content/articles"), /^permalink: \/articles\/:slug\/$/m);
    assert.equal((await cli(["init", "--content", "content/posts"], dir)).status, 0);
    // Hugo ends a page's path with / (Hugo: /p/, never /p).
    assert.match(written(dir, "content/posts"), /^permalink: \/:filename\/$/m);
  });

  it("uglyURLs: the pattern ends in .html, as Hugo writes the pages", async () => {
    const dir = site({
      "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\nuglyURLs = true\n[permalinks]\nposts = "/:filename"\n`,
      "content/posts/ugly-one.md": post("Ugly One", "2020-01-01"),
      "content/articles/a-post.md": post("A", "2020-01-01"),
    });
    assert.equal((await cli(["init", "--content", "content/posts"], dir)).status, 0);
    assert.match(written(dir, "content/posts"), /^permalink: \/:filename\.html$/m);
    assert.equal((await cli(["build", "--content", "content/posts", "--out", "public/feeds", "--now", NOW], dir)).status, 0);
    assert.deepEqual(links(dir, "public/feeds"), ["https://example.com/ugly-one.html"]);
    assert.equal((await cli(["init", "--content", "content/articles"], dir)).status, 0);
    assert.match(written(dir, "content/articles"), /^permalink: \/articles\/:slug\.html$/m);
  });

  it("Hugo's :slug (the title without slug:) and day (in the date's own offset): each post whose link would differ is named, with Hugo's URL and the fix", async () => {
    const dir = site({
      "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\n[permalinks]\nposts = "/:year/:month/:day/:slug/"\n`,
      // Hugo: /2020/01/01/c-tips-whats-new/; feedwright in UTC, by file name: /2019/12/31/early/.
      "content/posts/early.md": post("C++ tips: what's new?", "2020-01-01T05:00:00+08:00"),
      // The same URL in both: its own slug, a date without an offset.
      "content/posts/same.md": post("Same", "2020-01-02T10:00:00", "slug: same-here\n"),
      // Title and file name agree: no difference either.
      "content/posts/plain.md": post("Plain", "2020-01-03"),
    });
    const init = await cli(["init", "--content", "content/posts"], dir);
    assert.equal(init.status, 0, init.stderr);
    assert.match(written(dir, "content/posts"), /^permalink: \/:year\/:month\/:day\/:slug\/$/m);
    const warnings = init.stderr.trim().split("\n").filter((w) => !w.includes("ignoreFiles"));
    assert.equal(warnings.length, 1, init.stderr);
    assert.match(warnings[0]!, /^content\/posts\/early\.md warning: Hugo publishes it at \/2020\/01\/01\/c-tips-whats-new\/, but permalink \/:year\/:month\/:day\/:slug\/ links \/2019\/12\/31\/early\//);
    assert.match(warnings[0]!, /slug: c-tips-whats-new in its front matter/);
    assert.match(warnings[0]!, /the date's own offset \(\+08:00\), feedwright in timezone UTC/);
  });

  it("the whole content folder: Hugo's default for every section, and where each section's own permalink goes", async () => {
    const dir = site({
      "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\n[permalinks]\nposts = "/:year/:slug/"\n`,
      "content/notes/n.md": post("N", "2020-01-01"),
    });
    const init = await cli(["init"], dir);
    assert.equal(init.status, 0, init.stderr);
    assert.match(written(dir, "content"), /^permalink: \/:sections\/:slug\/$/m);
    assert.match(init.stderr, /Hugo's permalink for posts applies to content\/posts\/ only: give posts\/_index\.md \(a section\) permalink: \/:year\/:slug\//);
  });

  it("a placeholder feedwright cannot follow: no permalink, and a warning saying so", async () => {
    const dir = site({
      "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\n[permalinks]\nposts = "/:weekdayname/:slug/"\n`,
      "content/posts/p.md": post("P", "2020-01-01"),
    });
    const init = await cli(["init", "--content", "content/posts"], dir);
    assert.equal(init.status, 0, init.stderr);
    assert.doesNotMatch(written(dir, "content/posts"), /permalink/);
    assert.match(init.stderr, /uses :weekdayname, which feedwright has no placeholder for; feedwright's default \/:slug\/ is not where Hugo publishes these posts/);
  });
});

describe("init: where the feeds are served", () => {
  it("beside Hugo: feedsUrl feeds/, for the recipe's --out public/feeds, which it names as the next step", async () => {
    const dir = site({ "hugo.toml": `baseURL = "https://example.com/blog/"\ntitle = "t"\n`, "content/posts/p.md": post("P", "2020-01-01") });
    const init = await cli(["init", "--content", "content/posts"], dir);
    assert.match(written(dir, "content/posts"), /^feedsUrl: feeds\/$/m);
    assert.match(init.stdout, /next: feedwright build --content content\/posts --out public\/feeds\n$/);
    assert.equal((await cli(["build", "--content", "content/posts", "--out", "public/feeds", "--now", NOW], dir)).stderr, "");
    const feed = JSON.parse(readFileSync(join(dir, "public/feeds/feed.json"), "utf8")) as { feed_url: string };
    assert.equal(feed.feed_url, "https://example.com/blog/feeds/feed.json");
  });

  it("--out says where: under the site's output folder its path, elsewhere no feedsUrl; Jekyll's _site and destination too", async () => {
    const hugo = site({ "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\npublishDir = "docs"\n` });
    await cli(["init", "--content", "content/a", "--out", "docs/x/feeds"], hugo);
    assert.match(written(hugo, "content/a"), /^feedsUrl: x\/feeds\/$/m);
    await cli(["init", "--content", "content/b", "--out", "dist"], hugo);
    assert.doesNotMatch(written(hugo, "content/b"), /feedsUrl/);
    const jekyll = site({ "_config.yml": `title: J\nurl: https://j.example\n` });
    const init = await cli(["init", "--content", "_posts"], jekyll);
    assert.match(written(jekyll, "_posts"), /^feedsUrl: feeds\/$/m);
    assert.match(init.stdout, /--out _site\/feeds\n$/);
  });

  it("Jekyll: the content folder's path in the site is written as contentPath, so that its folders are the first categories and {% link %} paths from the root resolve (as jekyll 4.3.1 built it)", async () => {
    const dir = site({
      "_config.yml": `title: J\nurl: https://j.example.com\npermalink: pretty\n`,
      "news/_posts/2024-01-02-b.md": `---\ntitle: B\ncategories: [ruby]\n---\nbody\n`,
      // A category the folder already gives is not given twice (Jekyll: /news/2024/01/03/c/).
      "news/_posts/2024-01-03-c.md": `---\ntitle: C\ncategories: news\n---\nSee [B]({% link news/_posts/2024-01-02-b.md %}).\n`,
      "News2/deep/_posts/2024-01-04-d.md": `---\ntitle: D\n---\nbody\n`,
      "other/_posts/2024-01-02-b.md": `---\ntitle: Other B\n---\nbody\n`,
    });
    assert.equal((await cli(["init", "--content", "news", "--yes"], dir)).status, 0);
    assert.match(written(dir, "news"), /^permalink: pretty\ncontentPath: news$/m);
    const build = await cli(["build", "--content", "news", "--out", "_site/feeds", "--now", NOW], dir);
    assert.equal(build.status, 0, build.stderr);
    assert.deepEqual(links(dir, "_site/feeds"), ["https://j.example.com/news/2024/01/03/c/", "https://j.example.com/news/ruby/2024/01/02/b/"]);
    const feed = readFileSync(join(dir, "_site/feeds/feed.json"), "utf8");
    assert.match(feed, /See <a href=\\"https:\/\/j\.example\.com\/news\/ruby\/2024\/01\/02\/b\/\\">B<\/a>/);
    // A folder name in capitals is a lower-case URL (Jekyll's), and _posts two folders down takes both.
    assert.equal((await cli(["init", "--content", "News2", "--yes"], dir)).status, 0);
    assert.match(written(dir, "News2"), /^contentPath: News2$/m);
    assert.equal((await cli(["build", "--content", "News2", "--out", "_site/feeds2", "--now", NOW], dir)).status, 0);
    assert.deepEqual(links(dir, "_site/feeds2"), ["https://j.example.com/news2/deep/2024/01/04/d/"]);
    // A link from the root to a post outside the content folder is no article here: a warning, never another post.
    writeFileSync(join(dir, "news/_posts/2024-01-05-e.md"), `---\ntitle: E\n---\nSee [O]({% link other/_posts/2024-01-02-b.md %}).\n`);
    const other = await cli(["build", "--content", "news", "--out", "_site/feeds", "--now", NOW], dir);
    assert.match(other.stderr, /no article at "other\/_posts\/2024-01-02-b\.md"/);
    // The site's own _posts needs none.
    const plain = site({ "_config.yml": `title: J\nurl: https://j.example.com\n`, "_posts/2024-01-02-a.md": "---\ntitle: A\n---\nx\n" });
    await cli(["init", "--content", "_posts", "--yes"], plain);
    assert.doesNotMatch(written(plain, "_posts"), /contentPath/);
  });

  it("Eleventy and Astro (configurations are code, never run): their default output folder, _site or dist, gives feedsUrl as beside Hugo", async () => {
    const eleventy = site({ "eleventy.config.js": "export default {};\n", "src/blog/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n" });
    const init = await cli(["init", "--content", "src/blog", "--yes"], eleventy);
    assert.equal(init.status, 0, init.stderr);
    assert.match(written(eleventy, "src/blog"), /^feedsUrl: feeds\/$/m);
    assert.match(init.stdout, /next: feedwright build --content src\/blog --out _site\/feeds\n$/);
    const astro = site({ "astro.config.mjs": "export default {};\n" });
    await cli(["init", "--content", "src/content/blog", "--out", "dist/rss", "--yes"], astro);
    assert.match(written(astro, "src/content/blog"), /^feedsUrl: rss\/$/m);
    const plain = site({});
    await cli(["init", "--content", "content", "--yes"], plain);
    assert.doesNotMatch(written(plain, "content"), /feedsUrl/);
  });

  it("build warns when --out lies in a site's output folder and feedsUrl is unset, and not otherwise", async () => {
    const dir = site({ "content/_index.md": `---\ntitle: T\nurl: https://example.com/\n---\n`, "content/a.md": post("A", "2020-01-01"), "public/index.html": "<p>home</p>" });
    const nested = await cli(["build", "--out", "public/feeds", "--now", NOW], dir);
    assert.equal(nested.status, 0, nested.stderr);
    assert.match(nested.stderr, /content\/_index\.md warning: feedsUrl: is not set, but --out public\/feeds lies inside public\/, a site's output folder: .* say https:\/\/example\.com\/; if public\/ is served at url, set feedsUrl: feeds\//);
    assert.doesNotMatch((await cli(["build", "--out", "dist", "--now", NOW], dir)).stderr, /feedsUrl/);
    // dist/ now holds feedwright's own front door (index.html): a folder in it is not in a site's output (found by a review).
    assert.doesNotMatch((await cli(["build", "--out", "dist/nested", "--now", NOW], dir)).stderr, /feedsUrl/);
    writeFileSync(join(dir, "content/_index.md"), `---\ntitle: T\nurl: https://example.com/\nfeedsUrl: feeds/\n---\n`);
    assert.doesNotMatch((await cli(["build", "--out", "public/feeds", "--now", NOW], dir)).stderr, /feedsUrl/);
  });
});

describe("init: Hugo's own _index.md for the section", () => {
  it("is left as it was; init says which lines to add, and that url goes to build as --site-url; then build reads Hugo's keys silently", async () => {
    const page = `---\ntitle: Posts\ndescription: What I write\nmenu: main\nweight: 2\n---\nThe posts.\n`;
    const dir = site({
      "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\n`,
      "content/posts/_index.md": page,
      "content/posts/p.md": post("P", "2020-01-01"),
    });
    const init = await cli(["init", "--content", "content/posts"], dir);
    assert.equal(init.status, 1);
    assert.equal(written(dir, "content/posts"), page);
    assert.match(init.stderr, /add to its front matter \(YAML\): feedsUrl: feeds\/; permalink: \/posts\/:slug\/; and build with --site-url https:\/\/example\.com\/ \(feedwright build --content content\/posts --out public\/feeds --site-url https:\/\/example\.com\/\), not url: in this file/);
    writeFileSync(join(dir, "content/posts/_index.md"), page.replace("weight: 2\n", "weight: 2\nfeedsUrl: feeds/\npermalink: /posts/:slug/\n"));
    const build = await cli(["build", "--content", "content/posts", "--out", "public/feeds", "--site-url", "https://example.com/", "--now", NOW], dir);
    assert.equal(build.status, 0, build.stderr);
    assert.equal(build.stderr, "");
    assert.deepEqual(links(dir, "public/feeds"), ["https://example.com/posts/p/"]);
  });

  it("a TOML page is told TOML lines", async () => {
    const dir = site({ "hugo.toml": `baseURL = "https://example.com/"\ntitle = "t"\n`, "content/posts/_index.md": `+++\ntitle = "Posts"\n+++\n` });
    const init = await cli(["init", "--content", "content/posts"], dir);
    assert.match(init.stderr, /add to its front matter \(TOML\): feedsUrl = "feeds\/"; permalink = "\/posts\/:slug\/"/);
  });

  it("feedwright's own settings file is still just left as it was", async () => {
    const dir = site({ "content/_index.md": `---\ntitle: T\nurl: https://example.com/\n---\n` });
    const init = await cli(["init", "--yes"], dir);
    assert.equal(init.status, 1);
    assert.match(init.stderr, /_index\.md already exists; left as it was/);
  });
});

describe("Hugo's URLs, pure", () => {
  it("sanitizes a title as Hugo 0.111 does", () => {
    assert.equal(hugoSanitize("C++ tips: what's new? Ünï"), "C-tips-whats-new-Ünï");
    assert.equal(hugoSanitize("a - b"), "a-b");
    assert.equal(hugoSanitize("x -- y"), "x--y");
    assert.equal(hugoSanitize("émile & co"), "émile-co");
    assert.equal(hugoSanitize("v1.2 release"), "v1.2-release");
  });

  it("translates placeholders, and gives Hugo's path of a post", () => {
    const urls = hugoUrls({ permalinks: { posts: "/:section/:year/:slugorfilename/" }, uglyURLs: false });
    assert.deepEqual(hugoPattern(urls, "posts", false), { ok: true, pattern: "/posts/:year/:slug/" });
    assert.deepEqual(hugoPattern(urls, "docs", true), { ok: true, pattern: "/docs/:sections/:slug/" });
    assert.equal(hugoPath(urls, "posts", { path: "Note-A.md", data: { date: "2020-01-01" } }), "posts/2020/note-a/");
    assert.equal(hugoPath(urls, "docs", { path: "x/My Page.md", data: {} }), "docs/x/my-page/");
    assert.equal(hugoPath(urls, "docs", { path: "p.md", data: { url: "/elsewhere/" } }), undefined);
  });
});
