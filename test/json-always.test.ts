import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../src/cli.ts";
import type { Io } from "../src/commands/io.ts";
import { project } from "./helpers/cli.ts";

function capture(env: NodeJS.ProcessEnv = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env, signal: new AbortController().signal };
}

const ARTICLE = { "a.md": `---\ntitle: A\ndate: 2023-01-01\n---\nA.\n` };

describe("--json prints its one document whatever fails", () => {
  it("build: publishing fails (the output folder's parent is a file)", async () => {
    const dir = project(ARTICLE);
    writeFileSync(join(dir, "file"), "");
    const io = capture();
    const code = await main(["build", "--json", "--no-cache", "--content", join(dir, "content"), "--out", join(dir, "file/dist")], io);
    assert.equal(code, 1);
    const report = JSON.parse(io.out.join(""));
    assert.equal(report.command, "build");
    assert.equal(report.ok, false);
    assert.ok(report.errors.length > 0);
  });

  it("build and check: a now that is out of range (a usage error, exit 2)", async () => {
    const dir = project(ARTICLE);
    for (const command of ["build", "check"]) {
      const io = capture({ SOURCE_DATE_EPOCH: "99999999999999999999" });
      const code = await main([command, "--json", "--no-cache", "--content", join(dir, "content"), "--out", join(dir, "dist")], io);
      assert.equal(code, 2);
      const report = JSON.parse(io.out.join(""));
      assert.deepEqual([report.command, report.ok], [command, false]);
      assert.match(report.errors[0].message, /SOURCE_DATE_EPOCH=99999999999999999999: out of range/);
    }
  });

  it("build: --previous that cannot be read", async () => {
    const dir = project(ARTICLE);
    const io = capture();
    const code = await main(["build", "--json", "--no-cache", "--content", join(dir, "content"), "--out", join(dir, "dist"), "--previous", join(dir, "none.xml")], io);
    assert.equal(code, 1);
    const report = JSON.parse(io.out.join(""));
    assert.equal(report.errors[0].file, "--previous");
  });
});
