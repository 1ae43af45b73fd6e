import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { escapeData, escapeProperty, renderGithub } from "../src/report/github.ts";
import { renderTerminal } from "../src/report/terminal.ts";
import { BIN, childEnv, cli, copyFixture } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";
const BAD = "---\ntitle: Bad, really\ndate: Walk 18\ndtae: 2023-01-02\n---\nBody.\n";

function withBadFile(): string {
  const dir = copyFixture("cli-site");
  writeFileSync(join(dir, "content/bad.md"), BAD);
  return dir;
}

/** Runs the CLI with stderr on a pseudo-terminal (util-linux `script`), as a person at a terminal sees it. */
function runOnTerminal(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const result = spawnSync("script", ["-qec", command, "/dev/null"], { cwd, encoding: "utf8", env: childEnv(cwd, env), timeout: 60_000 });
  return { status: result.status, output: result.stdout.replace(/\r\n/g, "\n") };
}

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe("problem reports", () => {
  it("not a terminal: the one-line format, exactly as before", async () => {
    const run = await cli(["build", "--now", NOW], withBadFile());
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr,
      `content/bad.md:3 date: expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00 (got "Walk 18")\n` +
        `content/bad.md:4 warning: dtae: unknown key, ignored; did you mean "date"?\n` +
        `feedwright: 1 error; dist/ left as it was\n`,
    );
    assert.equal(run.stdout, "");
  });

  it("GITHUB_ACTIONS=true: workflow commands on stdout as well, escaped", async () => {
    const run = await cli(["build", "--now", NOW], withBadFile(), { GITHUB_ACTIONS: "true" });
    assert.equal(run.status, 1);
    assert.equal(
      run.stdout,
      `::error file=content/bad.md,line=3,title=feedwright%3A date::expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00 (got "Walk 18")\n` +
        `::warning file=content/bad.md,line=4,title=feedwright%3A dtae::unknown key, ignored; did you mean "date"?\n`,
    );
    assert.match(run.stderr, /^content\/bad\.md:3 date: /);
  });

  it("GITHUB_ACTIONS=true with check: an out-of-date item is an annotation on its article (test/pull-request.test.ts has more)", async () => {
    const dir = copyFixture("cli-site");
    assert.equal((await cli(["build", "--now", NOW], dir)).status, 0);
    writeFileSync(join(dir, "content/2023-04-01-new.md"), "---\ntitle: New\ndate: 2023-04-01\n---\nNew.\n");
    const run = await cli(["check", "--now", NOW], dir, { GITHUB_ACTIONS: "true" });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, "::error file=content/2023-04-01-new.md,line=1,title=feedwright%3A out of date::\"New\" (id https://example.org/new/) is added to 1 feed (dist/) by a build: run feedwright build and commit dist/\n");
  });

  it("escaping follows the runner: % CR LF in data; also : and , in properties", async () => {
    assert.equal(escapeData("50% a\r\nb, c: d"), "50%25 a%0D%0Ab, c: d");
    assert.equal(escapeProperty("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    assert.equal(
      renderGithub([{ severity: "warning", file: "content/a,b:c.md", line: 2, field: "tags[0]", message: "two\nlines 100%" }]),
      "::warning file=content/a%2Cb%3Ac.md,line=2,title=feedwright%3A tags[0]::two%0Alines 100%25\n",
    );
  });

  it("--json: the report on stdout, nothing else, even in GitHub Actions", async () => {
    const run = await cli(["build", "--now", NOW, "--json"], withBadFile(), { GITHUB_ACTIONS: "true" });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, "");
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report).slice(0, 6), ["command", "ok", "errors", "warnings", "feeds", "counts"]);
    assert.equal(report.errors[0].line, 3);
    assert.equal(report.warnings[0].field, "dtae");
  });

  it("terminal rendering: grouped by file, the offending line under each problem, colour only when asked", async () => {
    const sources = new Map([["content/bad.md", BAD]]);
    const problems = [
      { severity: "error" as const, file: "content/bad.md", line: 3, field: "date", message: "expected a date" },
      { severity: "warning" as const, file: "content/bad.md", line: 4, field: "dtae", message: "unknown key" },
      { severity: "error" as const, file: "content/other.md", message: "not valid UTF-8" },
    ];
    assert.equal(
      renderTerminal(problems, { color: false, sources }),
      "content/bad.md\n" +
        "  error   line 3  date: expected a date\n" +
        "          3 | date: Walk 18\n" +
        "  warning line 4  dtae: unknown key\n" +
        "          4 | dtae: 2023-01-02\n" +
        "\n" +
        "content/other.md\n" +
        "  error   not valid UTF-8\n" +
        "\n",
    );
    const coloured = renderTerminal(problems, { color: true, sources });
    assert.ok(coloured.includes("\u001b[31merror  \u001b[39m"));
    assert.ok(coloured.includes("\u001b[33mwarning\u001b[39m"));
  });

  it("on a real terminal: grouped and coloured; NO_COLOR turns colour off", { skip: !hasScript && "util-linux script is not installed" }, async () => {
    const dir = withBadFile();
    const tty = runOnTerminal(["build", "--now", NOW], dir, { TERM: "xterm" });
    assert.equal(tty.status, 1);
    assert.ok(tty.output.includes("\u001b[1mcontent/bad.md\u001b[22m\n"), JSON.stringify(tty.output));
    assert.ok(tty.output.includes("date: Walk 18\n"));
    const plain = runOnTerminal(["build", "--now", NOW], dir, { TERM: "xterm", NO_COLOR: "1" });
    assert.equal(plain.status, 1);
    assert.ok(!plain.output.includes("\u001b["), JSON.stringify(plain.output));
    assert.ok(plain.output.startsWith("content/bad.md\n  error   line 3  date: expected a date like"), JSON.stringify(plain.output));
    assert.ok(plain.output.includes("          3 | date: Walk 18\n"));
    assert.ok(plain.output.endsWith("feedwright: 1 error; dist/ left as it was\n"));
  });
});
