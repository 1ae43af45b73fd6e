/**
 * The recipes with their real generators: examples/eleventy (@11ty/eleventy from npm),
 * examples/astro (astro from npm) and examples/hugo (Debian's hugo). Each example is copied to a
 * temporary folder and its workflow's build job is run there step by step, as the runner would
 * in the job's working-directory: `npm ci` (the generator, from the example's lockfile), then
 * feedwright installed the way the README says (`npm install --save-dev feedwright`, here from a
 * tarball `npm pack` made of this checkout), then the generator's build and the feedwright steps
 * exactly as the workflow writes them. The registry is needed (npm ci); nothing is cached outside
 * the temporary folder (npm's cache included).
 *
 * What it asks: every file the generator wrote is byte-identical after feedwright ran; the feeds
 * are under the site's output folder at feeds/; every article link in every feed is a page the
 * generator wrote; the pull request's `check` step passes on the result; and a second build of the
 * site followed by feedwright again still leaves the site's files alone.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it, type TestContext } from "node:test";
import { parse } from "yaml";
import { ROOT, tempDir } from "../helpers/cli.ts";
import { pack, run } from "../helpers/package.ts";
import { articleLinks, hashes, pageFile, RECIPES } from "../helpers/recipes.ts";

const REAL = ["eleventy", "astro", "hugo"] as const;

interface Step {
  readonly run?: string;
  readonly if?: string;
}

/** The build job's `run:` steps, in order. */
function buildSteps(name: string): Step[] {
  const workflow = parse(readFileSync(join(ROOT, "examples", name, "workflow.yml"), "utf8")) as { jobs: { build: { steps: Step[] } } };
  return workflow.jobs.build.steps.filter((s) => s.run !== undefined);
}

const onPullRequest = (step: Step) => step.if?.includes("== 'pull_request'") === true;
const onPush = (step: Step) => !onPullRequest(step);
const isFeedwright = (step: Step) => /\bnpx feedwright build\b/.test(step.run!);

// About 2 to 7 minutes on a shared 2-core machine, most of it npm ci of Astro (docs/hosting.md).
describe("the recipes with their real generators", { timeout: 1_800_000 }, () => {
  let tarball: string;
  let scratch: string;
  before(() => {
    ({ tarball } = pack());
    scratch = tempDir("feedwright-recipes-");
  });

  for (const name of REAL) {
    const recipe = RECIPES.find((r) => r.name === name)!;
    it(`examples/${name}: built by its workflow's steps, the feeds land beside the site and every link is one of its pages`, async (t: TestContext) => {
      const dir = join(scratch, name);
      // The committed output folder is the default suite's fixture: the generator writes its own here.
      cpSync(join(ROOT, "examples", name), dir, { recursive: true, filter: (from) => from !== join(ROOT, "examples", name, recipe.site) });
      const summary = join(scratch, `${name}-summary.md`);
      const env = {
        npm_config_cache: join(scratch, ".npm"),
        XDG_CACHE_HOME: join(scratch, ".cache"),
        XDG_CONFIG_HOME: join(scratch, ".config"),
        // hugo's own cache, else in $TMPDIR/hugo_cache, left behind.
        HUGO_CACHEDIR: join(scratch, ".hugo-cache"),
        ASTRO_TELEMETRY_DISABLED: "1",
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_ACTIONS: "",
      };
      mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });
      const times: string[] = [];
      const step = (label: string, command: string, args: readonly string[]) => {
        const started = performance.now();
        const result = run(command, args, dir, env);
        times.push(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return result;
      };
      const shell = (s: Step) => step(s.run!.split("\n")[0]!.slice(0, 60), "bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", s.run!]);

      const steps = buildSteps(name).filter(onPush);
      const install = steps.findIndex((s) => s.run === "npm ci");
      const feeds = steps.findIndex(isFeedwright);
      assert.ok(install >= 0 && feeds > install, "the build job runs npm ci, then the generator, then feedwright build");
      assert.match(steps[feeds]!.run!, new RegExp(`--content ${recipe.content} --out ${recipe.site}/feeds\\b`));
      const generator = steps.slice(install + 1, feeds);
      assert.ok(generator.length > 0);

      shell(steps[install]!);
      // What the README asks once (`npm install --save-dev feedwright`), from the packed tarball.
      step("npm install --save-dev feedwright", "npm", ["install", "--save-dev", "--no-audit", "--no-fund", tarball]);
      const site = join(dir, recipe.site);

      for (const round of [1, 2]) {
        for (const s of generator) shell(s);
        const written = hashes(site);
        assert.ok([...written.keys()].some((p) => p.endsWith(".html")), `round ${round}: the generator wrote no page`);
        for (const s of steps.slice(feeds)) shell(s);
        const after = hashes(site);
        for (const [path, hash] of written) {
          if (round === 2 && path.startsWith("feeds/")) continue; // round 1's feeds, which feedwright owns
          assert.equal(after.get(path), hash, `round ${round}: ${recipe.site}/${path}, written by ${name}, changed`);
        }
        const added = [...after.keys()].filter((p) => !written.has(p));
        assert.deepEqual(added.filter((p) => !p.startsWith("feeds/")), [], `round ${round}: written outside ${recipe.site}/feeds/`);
        for (const file of ["feeds/feed.json", "feeds/atom.xml", "feeds/rss.xml"]) assert.ok(after.has(file), `round ${round}: ${recipe.site}/${file} missing`);

        const { home_page_url: home, feed_url } = JSON.parse(readFileSync(join(site, "feeds/feed.json"), "utf8")) as { home_page_url: string; feed_url: string };
        // The output folder is served at the site's URL, the feeds at feeds/ under it.
        assert.equal(feed_url, new URL("feeds/feed.json", home).href);
        const links = articleLinks(join(site, "feeds"));
        assert.ok(links.length >= 2 * 3, `round ${round}: ${links.length} article links`);
        for (const { feed, url } of links) {
          const page = pageFile(site, home, url);
          assert.ok(page !== undefined && written.has(page), `round ${round}: ${url} (in ${recipe.site}/feeds/${feed}) is no page ${name} wrote`);
        }
      }
      assert.match(readFileSync(summary, "utf8"), /^### Feeds\n/);
      const report = JSON.parse(readFileSync(join(dir, "feedwright.json"), "utf8")) as { ok: boolean };
      assert.equal(report.ok, true);
      // The pull request's steps, on the site and feeds just built: they pass.
      for (const s of buildSteps(name).filter(onPullRequest)) shell(s);
      assert.ok(existsSync(join(dir, "node_modules/.bin/feedwright")));
      t.diagnostic(`examples/${name}: ${times.join("; ")}`);
    });
  }
});
