/**
 * examples/{hugo,jekyll,eleventy,astro,plain}: each site's output folder (a faithful fixture of
 * what its generator writes) gets the feeds beside it. Built here into a temporary copy: nothing
 * of the site's own changes, the feeds land under feeds/, every article link is one of the
 * site's pages. Each recipe's GitHub workflow is read as YAML and held to what a Pages deploy
 * needs.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { main } from "../src/cli.ts";
import type { Io } from "../src/commands/io.ts";
import { fromRoot, renderGithub } from "../src/report/github.ts";
import { ROOT, tempDir } from "./helpers/cli.ts";
import { articleLinks, hashes, pageFile, RECIPES } from "./helpers/recipes.ts";

function io(): Io & { out: string; err: string } {
  const self = { out: "", err: "", stdout: (t: string) => void (self.out += t), stderr: (t: string) => void (self.err += t), isTTY: false, env: {}, signal: new AbortController().signal };
  return self;
}

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
}
interface Workflow {
  readonly on: Record<string, unknown> & { schedule?: { cron: string }[] };
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { permissions?: Record<string, string>; steps: Step[]; needs?: string; defaults?: { run?: { "working-directory"?: string } } }>;
}

const CURRENT = { "actions/checkout": 5, "actions/setup-node": 5, "actions/upload-pages-artifact": 4, "actions/deploy-pages": 4, "actions/cache": 4, "actions/cache/restore": 4 } as Record<string, number>;

for (const recipe of RECIPES) {
  describe(`examples/${recipe.name}`, () => {
    it("the feeds land beside the site, and nothing of the site's own changes", async () => {
      const dir = tempDir(`feedwright-${recipe.name}-`);
      cpSync(join(ROOT, "examples", recipe.name), dir, { recursive: true });
      const site = join(dir, recipe.site);
      const before = hashes(site);
      const run = io();
      const code = await main(["build", "--content", join(dir, recipe.content), "--out", join(site, "feeds"), "--now", "2030-01-01T00:00:00Z", "--no-cache"], run);
      assert.equal(code, 0, run.err);
      const after = hashes(site);
      for (const [path, hash] of before) assert.equal(after.get(path), hash, `${path} changed`);
      const added = [...after.keys()].filter((p) => !before.has(p));
      assert.ok(added.length > 0 && added.every((p) => p.startsWith("feeds/")), added.join(", "));
      const feed = JSON.parse(readFileSync(join(site, "feeds/feed.json"), "utf8")) as { feed_url: string; home_page_url: string; items: { url: string }[] };
      assert.equal(feed.items.length, 2);
      // The site's output folder is served at home_page_url; each article is one of its pages.
      assert.equal(feed.feed_url, new URL("feeds/feed.json", feed.home_page_url).href);
      const links = articleLinks(join(site, "feeds"));
      assert.ok(links.length >= 2 * 3);
      for (const { feed: file, url } of links) assert.ok(pageFile(site, feed.home_page_url, url) !== undefined, `${url} (in feeds/${file}) is no page of the site`);
    });

    it("its workflow deploys to Pages with the right permissions, current Node and actions, a schedule, a ping and a job summary", () => {
      const text = readFileSync(join(ROOT, "examples", recipe.name, "workflow.yml"), "utf8");
      const workflow = parse(text) as Workflow;
      assert.ok(workflow.on.push !== undefined && workflow.on.pull_request !== undefined);
      assert.ok((workflow.on.schedule ?? []).length > 0, "scheduled articles appear on a schedule");
      assert.deepEqual(workflow.permissions, { contents: "read" });
      assert.deepEqual(workflow.jobs.deploy!.permissions, { contents: "read", pages: "write", "id-token": "write" });
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
      for (const step of steps.filter((s) => s.uses?.startsWith("actions/"))) {
        const [action, major] = step.uses!.split("@v") as [string, string];
        if (CURRENT[action] !== undefined) assert.equal(Number(major), CURRENT[action], step.uses);
      }
      for (const step of steps.filter((s) => s.uses?.startsWith("actions/setup-node"))) assert.ok([22, 24].includes(Number(step.with?.["node-version"])), "a current Node LTS");
      assert.ok(steps.some((s) => s.uses === "actions/upload-pages-artifact@v4" && s.with?.path === `site/${recipe.site}`));
      assert.ok(steps.some((s) => s.uses === "actions/deploy-pages@v4"));
      assert.ok(steps.some((s) => s.run?.includes(`npx feedwright build --content ${recipe.content} --out ${recipe.site}/feeds`)));
      assert.ok(steps.some((s) => s.run?.includes(`npx feedwright check --content ${recipe.content}`) && s.if?.includes("pull_request")));
      assert.ok(steps.some((s) => s.run?.includes(`npx feedwright ping --out ${recipe.site}/feeds`)));
      assert.ok(steps.some((s) => s.run?.includes("GITHUB_STEP_SUMMARY")));
      assert.equal(workflow.jobs.build!.defaults?.run?.["working-directory"], "site");
      // What its steps need in the example's folder: npm ci a lockfile (feedwright goes there), bundle exec a Gemfile.
      const folder = join(ROOT, "examples", recipe.name);
      const lock = JSON.parse(readFileSync(join(folder, "package-lock.json"), "utf8")) as { packages: Record<string, { name?: string }> };
      assert.equal(lock.packages[""]?.name, (JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { name: string }).name);
      if (steps.some((s) => s.run?.includes("bundle exec"))) assert.ok(existsSync(join(folder, "Gemfile")), "bundle exec needs a Gemfile");
    });
  });
}

describe("annotations under a working-directory", () => {
  it("name the file from the repository's root (GITHUB_WORKSPACE)", () => {
    assert.equal(fromRoot("_posts/a.md", "/w/repo", "/w/repo/site"), "site/_posts/a.md");
    assert.equal(fromRoot("content/a.md", "/w/repo", "/w/repo"), "content/a.md");
    assert.equal(fromRoot("--site-url", "/w/repo", "/w/repo/site"), "--site-url");
    assert.equal(fromRoot("feedwright", "/w/repo", "/w/repo/site"), "feedwright");
    assert.equal(fromRoot("/etc/x.md", "/w/repo", "/w/repo/site"), "/etc/x.md");
    assert.match(renderGithub([{ severity: "error", file: "_posts/a.md", line: 3, message: "m" }], { root: "/w/repo", cwd: "/w/repo/site" }), /^::error file=site\/_posts\/a\.md,line=3,/);
  });
});
