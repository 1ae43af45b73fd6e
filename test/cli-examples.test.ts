import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { cli, copyFixture, ROOT } from "./helpers/cli.ts";

interface Step {
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}

describe("examples/github-workflow.yml", () => {
  const workflow = parse(readFileSync(join(ROOT, "examples/github-workflow.yml"), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<string, { if: string; steps: Step[] }>;
  };

  it("checks pull requests and deploys pushes to main to GitHub Pages", async () => {
    assert.deepEqual(Object.keys(workflow.on).sort(), ["pull_request", "push", "schedule"]);
    assert.match(workflow.jobs.check!.if, /pull_request/);
    assert.match(workflow.jobs.deploy!.if, /pull_request/);
    assert.ok(workflow.jobs.check!.steps.some((s) => s.run?.startsWith("npx feedwright check")));
    const deploy = workflow.jobs.deploy!.steps;
    assert.ok(deploy.some((s) => s.run?.startsWith("npx feedwright build")));
    assert.equal(deploy.find((s) => s.uses?.startsWith("actions/upload-pages-artifact"))?.with?.path, "dist");
    assert.ok(deploy.some((s) => s.uses?.startsWith("actions/deploy-pages")));
  });

  it("its feedwright commands run as written, with and without LIVE_ATOM_URL", async () => {
    const dir = copyFixture("cli-site");
    assert.equal((await cli(["build", "--now", "2030-01-01T00:00:00Z"], dir)).status, 0);
    const commands = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]))).filter((r) => r.startsWith("npx feedwright"));
    assert.equal(commands.length, 2);
    for (const command of commands) {
      // `${LIVE_ATOM_URL:+--previous "$LIVE_ATOM_URL"}` as the shell expands it, unset and set.
      const args = command.replace(/^npx feedwright /, "").replace(/ ?\$\{LIVE_ATOM_URL:\+--previous "\$LIVE_ATOM_URL"\}/, "").split(" ").concat("--now", "2030-01-01T00:00:00Z");
      const run = await cli(args, dir);
      assert.equal(run.status, 0, `${command}: ${run.stderr}`);
      const withPrevious = await cli([...args, "--previous", join(dir, "dist/atom.xml")], dir);
      assert.equal(withPrevious.status, 0, `${command} --previous: ${withPrevious.stderr}`);
    }
  });
});
