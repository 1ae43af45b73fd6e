import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, copyFixture, ROOT, snapshot, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("command table", () => {
  it("--version and -v print the version", async () => {
    for (const flag of ["--version", "-v"]) {
      const run = await cli([flag], tempDir());
      assert.equal(run.status, 0);
      assert.equal(run.stdout, `${VERSION}\n`);
      assert.equal(run.stderr, "");
    }
  });

  it("--help lists every command", async () => {
    const run = await cli(["--help"], tempDir());
    assert.equal(run.status, 0);
    for (const name of ["build", "check", "new", "serve"]) assert.match(run.stdout, new RegExp(`^  ${name} `, "m"));
    assert.equal((await cli(["help"], tempDir())).stdout, run.stdout);
  });

  for (const [command, flags] of Object.entries({
    build: ["--content", "--out", "--site-url", "--now", "--json", "--previous", "--accept-id-changes"],
    check: ["--content", "--out", "--site-url", "--now", "--json", "--previous", "--accept-id-changes"],
    new: ["--content", "--now"],
    serve: ["--content", "--port", "--host", "--drafts", "--future"],
  })) {
    it(`${command} --help names its flags and writes nothing`, async () => {
      const dir = copyFixture("cli-site");
      const before = snapshot(dir);
      const run = await cli([command, "--help"], dir);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Usage: feedwright ${command}`, "m"));
      for (const flag of flags) assert.ok(run.stdout.includes(`${flag}`), `${command} --help lacks ${flag}`);
      assert.deepEqual(snapshot(dir), before);
      assert.equal((await cli(["help", command], dir)).stdout, run.stdout);
    });
  }

  it("an unknown command is a usage error with a did-you-mean", async () => {
    const run = await cli(["chek"], tempDir());
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `feedwright: unknown command "chek"; did you mean check? (see feedwright --help)\n`);
    const far = await cli(["publish-everything"], tempDir());
    assert.equal(far.status, 2);
    assert.equal(far.stderr, `feedwright: unknown command "publish-everything" (see feedwright --help)\n`);
  });

  it("an unknown flag is a usage error with a did-you-mean, for every command", async () => {
    const dir = copyFixture("cli-site");
    assert.deepEqual(await cli(["build", "--contnet", "x"], dir), {
      status: 2,
      stdout: "",
      stderr: "feedwright: build: unknown flag --contnet; did you mean --content? (see feedwright build --help)\n",
    });
    assert.equal((await cli(["check", "--accept-id-change"], dir)).stderr, "feedwright: check: unknown flag --accept-id-change; did you mean --accept-id-changes? (see feedwright check --help)\n");
    assert.equal((await cli(["serve", "--prot", "1"], dir)).stderr, "feedwright: serve: unknown flag --prot; did you mean --port? (see feedwright serve --help)\n");
    assert.equal((await cli(["new", "--out", "x", "T"], dir)).status, 2);
    assert.equal(existsSync(join(dir, "dist")), false);
  });

  it("a flag without its value, and a stray argument, are usage errors", async () => {
    const dir = copyFixture("cli-site");
    const missing = await cli(["build", "--out"], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^feedwright: build: Option '-o, --out <value>' argument missing/);
    const stray = await cli(["build", "extra"], dir);
    assert.equal(stray.status, 2);
    assert.equal(stray.stderr, `feedwright: build: unexpected argument "extra"\n`);
    const badNow = await cli(["build", "--now", "soon"], dir);
    assert.equal(badNow.status, 2);
    assert.match(badNow.stderr, /--now: expected an ISO 8601 date/);
  });

  it("without a command, feedwright builds (flags first works too)", async () => {
    const dir = copyFixture("cli-site");
    const run = await cli(["--out", "public", "--now", NOW], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^feedwright: 3 articles read \(1 drafts, 0 scheduled\), 2 items per feed, \d+ feeds, \d+ files written, 0 unchanged, \d+ ms\n$/);
    assert.ok(existsSync(join(dir, "public/feed.json")));
  });
});

describe("build", () => {
  it("keeps its summary line, and --json reports errors, warnings, feeds and counts on stdout", async () => {
    const dir = copyFixture("cli-site");
    const run = await cli(["build", "--now", NOW, "--json"], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, "");
    const report = JSON.parse(run.stdout);
    assert.equal(report.command, "build");
    assert.equal(report.ok, true);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings, []);
    assert.equal(report.counts.articles, 3);
    assert.equal(report.counts.drafts, 1);
    assert.equal(report.counts.items, 2);
    const site = report.feeds.find((f: { folder: string }) => f.folder === "");
    assert.equal(site.items, 2);
    assert.ok(site.files.includes("feed.json") && site.files.includes("atom.xml") && site.files.includes("rss.xml"));
    assert.ok(report.written.includes("feed.json"));
    assert.ok(existsSync(join(dir, "dist/rss.xml")));
  });

  it("--json on bad content: exit 1, the problems as data, dist/ untouched", async () => {
    const dir = copyFixture("cli-site");
    assert.equal((await cli(["build", "--now", NOW], dir)).status, 0);
    const before = snapshot(join(dir, "dist"));
    const bad = join(dir, "content/2023-02-20-second-post.md");
    writeFileSync(bad, "---\ntitle: Second post\ndate: Walk 18\ndtae: x\n---\nBody\n");
    const run = await cli(["build", "--now", NOW, "--json"], dir);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, "");
    const report = JSON.parse(run.stdout);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.errors.map((p: { file: string; line: number; field: string }) => [p.file, p.line, p.field]),
      [["content/2023-02-20-second-post.md", 3, "date"]],
    );
    assert.equal(report.warnings.length, 1);
    assert.equal(report.counts, null);
    assert.deepEqual(snapshot(join(dir, "dist")), before);
  });
});
