import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { planBuild, type PlanResult } from "../src/pipeline/index.ts";
import { formatProblem } from "../src/problems.ts";
import { project } from "./helpers/cli.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

async function plan(dir: string): Promise<PlanResult> {
  return planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW, cacheDir: join(dir, "cache") });
}

function lines(result: PlanResult): string[] {
  return result.problems.map(formatProblem);
}

function file(result: PlanResult, path: string): string {
  const found = result.plan?.files.find((f) => f.path === path);
  assert.ok(found !== undefined, `no ${path} in the plan; problems:\n${lines(result).join("\n")}`);
  return typeof found.content === "string" ? found.content : Buffer.from(found.content).toString("utf8");
}

const post = (title: string, more = "") => `---\ntitle: ${title}\ndate: 2023-01-01\n${more}---\nBody of ${title}.\n`;

describe("which files are read", () => {
  it(".markdown is an article like .md", async () => {
    const result = await plan(project({ "old.markdown": post("Old"), "new.md": post("New") }));
    assert.deepEqual(lines(result), []);
    assert.deepEqual(result.plan?.articles.map((a) => a.path), ["new.md", "old.markdown"]);
  });

  it("a file that looks like a post but is skipped is named, in one warning; other files are not", async () => {
    const result = await plan(
      project({ "a.md": post("A"), "b.mdx": post("B"), "c.html": post("C"), "d.markdown~": post("D"), "page.html": "<p>no front matter</p>", "img.png": "png" }),
    );
    assert.equal(lines(result).filter((l) => l.includes("look like posts")).length, 1);
    const warning = lines(result).find((l) => l.includes("look like posts")) ?? "";
    assert.match(warning, / warning: 3 file\(s\) look like posts but are not read \(only \.md and \.markdown are\): .*b\.mdx, .*c\.html, .*d\.markdown~$/);
    assert.ok(result.plan !== undefined);
  });

  it("no article while content/ holds files is an error, never an empty feed", async () => {
    const result = await plan(project({ "a.mdx": post("A"), "b.html": post("B") }));
    assert.equal(result.plan, undefined);
    assert.ok(lines(result).some((l) => /content no articles: the folder holds 2 file\(s\) but no \.md or \.markdown article/.test(l)), lines(result).join("\n"));
  });
});

describe("unknown keys: one warning per key for the whole build", () => {
  it("counts the files, names the first; ignoreKeys silences; generator keys are silent", async () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${String(i).padStart(2, "0")}.md`, post(`P${i}`, "layout: post\nhero: big\nmine: 1\n")]));
    const result = await plan(project(files, `---\ntitle: T\nurl: https://example.org/\nignoreKeys: [mine]\n---\n`));
    const all = lines(result);
    assert.equal(all.length, 1, all.join("\n"));
    assert.match(all[0]!, /\/content\/p00\.md:5 warning: hero: unknown key, ignored, in 30 files \(this is the first\); if it is your old generator's, list it under ignoreKeys in \/.*\/content\/_index\.md$/);
  });
});

describe("unknown keys of articles that fail: counted in the one warning per key", () => {
  it("a key of its own is counted with every other file's; one near a known key is named beside the file's errors", async () => {
    const files = {
      "a.md": post("A", "rating: 3\n"),
      "b.md": "---\ndate: 2024-01-02\nrating: 4\n---\nNo title.\n",
      "c.md": "---\ndate: 2024-01-03\nrating: 5\ntilte: C\n---\nA typo.\n",
    };
    const all = lines(await plan(project(files)));
    const ratings = all.filter((l) => l.includes("rating"));
    assert.equal(ratings.length, 1, all.join("\n"));
    assert.match(ratings[0]!, /\/content\/a\.md:\d+ warning: rating: unknown key, ignored, in 3 files \(this is the first\)/);
    assert.ok(all.some((l) => /\/content\/c\.md:4 warning: tilte: unknown key, ignored; did you mean "title"\?/.test(l)), all.join("\n"));
  });
});

describe("unknown keys in data files: one warning per key, too", () => {
  it("counts the data files, names the first and the settings file ignoreKeys goes in", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 3; i++) {
      files[`posts/p${i}.md`] = post(`P${i}`);
      files[`posts/p${i}.json`] = JSON.stringify({ disqus: { n: i } });
    }
    files["posts/posts.json"] = JSON.stringify({ hero: "big" });
    const all = lines(await plan(project(files)));
    assert.equal(all.length, 2, all.join("\n"));
    assert.match(all.find((l) => l.includes("disqus")) ?? "", /\/content\/posts\/p1\.json warning: disqus: unknown key, ignored, in 3 data files \(this is the first\); if it is your old generator's, list it under ignoreKeys in \/.*\/content\/_index\.md$/);
    assert.match(all.find((l) => l.includes("hero")) ?? "", /\/content\/posts\/posts\.json warning: hero: unknown key, ignored; if it is your old generator's, list it under ignoreKeys in \/.*\/content\/_index\.md$/);
  });
});

describe("URLs and fields in the feeds", () => {
  it("a section's permalink pattern applies to its articles", async () => {
    const result = await plan(project({ "news/_index.md": `---\ntitle: News\npermalink: /news/:year/:month/:slug/\n---\n`, "news/0.89.3-relnotes/index.md": post("Release"), "about.md": post("About") }));
    assert.deepEqual(lines(result), []);
    const urls = new Map(result.plan?.articles.map((a) => [a.path, a.url]));
    assert.equal(urls.get("news/0.89.3-relnotes/index.md"), "https://example.org/news/2023/01/0.89.3-relnotes/");
    assert.equal(urls.get("about.md"), "https://example.org/about/");
  });

  it("categories are written as categories in every format, and get no feeds; link is external_url and rel=related", async () => {
    const result = await plan(project({ "a.md": post("A", "tags: [t]\ncategories: [Essays]\nlink: https://other.example/x\n") }));
    assert.deepEqual(lines(result), []);
    const json = JSON.parse(file(result, "feed.json")) as { items: { tags: string[]; external_url: string; url: string }[] };
    assert.deepEqual(json.items[0]?.tags, ["t", "Essays"]);
    assert.equal(json.items[0]?.external_url, "https://other.example/x");
    assert.equal(json.items[0]?.url, "https://example.org/a/");
    assert.match(file(result, "rss.xml"), /<category>Essays<\/category>/);
    const atom = file(result, "atom.xml");
    assert.match(atom, /<category term="Essays"\/>/);
    assert.match(atom, /<link rel="related" href="https:\/\/other\.example\/x"\/>/);
    assert.equal(result.plan?.files.some((f) => f.path.startsWith("tags/essays/")), false);
  });

  it("an empty tag in a list is a warning, not an error: the article is built with its other tags", async () => {
    const result = await plan(project({ "posts/x.md": post("X", `tags: ["", "总结"]\n`), "posts/y.md": post("Y", `tags: [""]\n`) }));
    assert.deepEqual(lines(result).map((l) => l.replace(/^.*\/content\//, "content/")), [
      `content/posts/x.md:4 warning: tags[0]: an empty tag, left out (got "")`,
      `content/posts/y.md:4 warning: tags[0]: an empty tag, left out (got "")`,
    ]);
    const json = JSON.parse(file(result, "feed.json")) as { items: { title: string; tags?: string[] }[] };
    assert.deepEqual(json.items.map((i) => [i.title, i.tags]), [["X", ["总结"]], ["Y", undefined]]);
    assert.ok(result.plan?.files.some((f) => f.path.startsWith("tags/总结/")), "the other tag keeps its feed");
  });

  it("held-back and expired articles are not items", async () => {
    const result = await plan(project({ "a.md": post("A", "published: false\n"), "_drafts/b.md": post("B"), "c.md": post("C", "expiryDate: 2029-01-01\n"), "d.md": post("D") }));
    assert.deepEqual(lines(result), []);
    const json = JSON.parse(file(result, "feed.json")) as { items: { title: string }[] };
    assert.deepEqual(json.items.map((i) => i.title), ["D"]);
  });
});
