import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BIN, ROOT, tempDir, childEnv } from "./helpers/cli.ts";

/** The CLI with its output on a pseudo-terminal (util-linux `script`, in Debian's essential bsdutils). */
function onTerminal(args: readonly string[], cwd: string, entry: readonly string[] = [BIN]): string {
  const command = [process.execPath, ...entry, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const result = spawnSync("script", ["-qec", command, "/dev/null"], { cwd, encoding: "utf8", env: childEnv(cwd), timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** The CLI through test/helpers/progress-cli.ts: progress due after `afterMs`. */
const progressAfter = (afterMs: number) => ["--import", import.meta.resolve("tsx"), join(ROOT, "test/helpers/progress-cli.ts"), String(afterMs)];
const PROGRESS_AT_ONCE = progressAfter(0);

function sample(): string {
  const dir = tempDir();
  cpSync(join(ROOT, "content"), join(dir, "content"), { recursive: true });
  return dir;
}

describe("progress", () => {
  it("a terminal sees live progress (here from the first moment), cleared before the summary", () => {
    const out = onTerminal(["build", "--no-cache"], sample(), PROGRESS_AT_ONCE);
    assert.match(out, /\r\x1b\[Kfeedwright: \d+\/11 files read, \d+ articles rendered/);
    assert.match(out, /\d+\/48 documents written/);
    assert.match(out, /\r\x1b\[Kfeedwright: 11 articles read .* ms\r?\n$/);
  });

  // The delay is a minute here, not the default second: a build of the sample content on a loaded
  // CI machine can take longer than a second, and the test is about the rule, not the machine.
  it("a build that ends before progress is due shows none, even on a terminal", () => {
    const out = onTerminal(["build", "--no-cache"], sample(), progressAfter(60_000));
    assert.doesNotMatch(out, /files read/);
  });

  it("logs and pipes (CI) get only the summary line", () => {
    const cwd = sample();
    const run = spawnSync(process.execPath, [...PROGRESS_AT_ONCE, "build", "--no-cache"], { cwd, encoding: "utf8", env: childEnv(cwd), timeout: 60_000 });
    assert.equal(run.status, 0);
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^feedwright: 11 articles read [^\r\x1b]*\n$/);
  });
});
