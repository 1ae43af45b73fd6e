// The suite's own hygiene: the folders tests make under the system's temporary folder go when the
// test file's process ends, with the siblings named after them (the cache `childEnv` puts beside
// a project, a test's `-twin` copy). A run of `npm test` made about 1,500 of them before this.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "./helpers/cli.ts";

const script = `
import { mkdirSync, writeFileSync } from "node:fs";
import { tempDir, childEnv } from ${JSON.stringify(join(ROOT, "test/helpers/cli.ts"))};
const dir = tempDir("feedwright-hygiene-");
writeFileSync(dir + "/a.md", "x");
mkdirSync(childEnv(dir).XDG_CACHE_HOME + "/feedwright", { recursive: true });
mkdirSync(dir + "-twin/content", { recursive: true });
const other = tempDir("feedwright-hygiene-");
console.log(JSON.stringify({ dir, other }));
`;

function run(keep: boolean): { dir: string; other: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FEEDWRIGHT_KEEP_TEMP;
  if (keep) env.FEEDWRIGHT_KEEP_TEMP = "1";
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", env });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { dir: string; other: string };
}

test("a test file's temporary folders and their siblings are gone when its process exits", () => {
  const { dir, other } = run(false);
  for (const path of [dir, `${dir}.cache`, `${dir}-twin`, other]) assert.equal(existsSync(path), false, `${path} is left`);
});

test("FEEDWRIGHT_KEEP_TEMP keeps them, to look at after a failure", () => {
  const { dir, other } = run(true);
  for (const path of [dir, `${dir}.cache`, `${dir}-twin`, other]) assert.equal(existsSync(path), true, `${path} is gone`);
  for (const path of [dir, `${dir}.cache`, `${dir}-twin`, other]) rmSync(path, { recursive: true, force: true });
});
