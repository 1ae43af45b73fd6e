/**
 * The repository stands alone: a fresh clone, with nothing beside it, has everything the project
 * and its tests read. No tracked file may name a path outside it (the sibling `shared/` folder
 * this project was started from, or the absolute paths of the machine it was written on), and the
 * npm-only suite (`npm test`, test/*.test.ts) may call no tool that npm does not install.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "./helpers/cli.ts";

// Spelt in pieces, so that this file does not match itself.
const SHARED = ["..", "shared"].join("/");
const OUTSIDE: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: `the sibling ${SHARED} folder`, pattern: new RegExp(`\\.\\.[/\\\\]+(\\.\\.[/\\\\]+)*shared\\b`) },
  { what: "an absolute path of the machine it was written on", pattern: new RegExp(`(?<![\\w.-])/${"work"}/`) },
];

/**
 * Recorded measurements (test/bench/results/*.json) say where a past benchmark ran, as data: no
 * code reads those paths. Nothing else is exempt.
 */
const RECORDS = /^test\/bench\/results\/[^/]+\.json$/;

function tracked(): string[] {
  const run = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (run.status === 0) return run.stdout.split("\0").filter((p) => p !== "");
  // Not a git checkout (an unpacked tarball): every file but node_modules and .git.
  return (readdirSync(ROOT, { recursive: true }) as string[]).filter((p) => !/^(node_modules|\.git)(\/|$)/.test(p) && !p.includes("/node_modules/"));
}

/** Where a file's text names something outside the repository: `line: text` for each. */
export function outsideReferences(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const { what, pattern } of OUTSIDE) if (pattern.test(line)) found.push(`${i + 1}: ${what}: ${line.trim().slice(0, 160)}`);
  });
  return found;
}

describe("the repository is self-contained", () => {
  it("the check sees what it looks for (and not the RFC's own text)", () => {
    assert.equal(outsideReferences(`const s = resolve(dir, "${SHARED}/schemas/atom.rnc");`).length, 1);
    assert.equal(outsideReferences(`jing -c ..\\${SHARED.replaceAll("/", "\\")}\\schemas\\atom.rnc`).length, 1);
    assert.equal(outsideReferences(`"dir": "/${"work"}/main"`).length, 1);
    assert.deepEqual(outsideReferences("the sample shares shared links; see docs/working.md and ./work/x"), []);
  });

  it("no tracked file names a path outside the repository", () => {
    const files = tracked();
    assert.ok(files.length > 50, `only ${files.length} files found`);
    const problems: string[] = [];
    for (const path of files) {
      if (RECORDS.test(path)) continue;
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(ROOT, path));
      } catch {
        continue; // listed by git but deleted in the work tree
      }
      if (bytes.includes(0)) continue; // binary
      for (const where of outsideReferences(bytes.toString("utf8"))) problems.push(`${path}:${where}`);
    }
    assert.deepEqual(problems, []);
  });

  it("the RFC 4287 schema the tests validate Atom with is in the repository", () => {
    const schema = readFileSync(join(ROOT, "test/schemas/atom.rnc"), "utf8");
    assert.match(schema, /RFC 4287/);
    assert.match(schema, /start = atomFeed \| atomEntry/);
  });
});

describe("npm test needs only what npm installs", () => {
  // What only test/interop/ may call: Debian's jing, Python's feedparser, Chromium (through the
  // helpers that start them, or by name), or any program by its absolute system path.
  const INTEROP_ONLY = /\bjingAtom\(|\bnew FeedparserProcess\b|\blaunchChromium\(|["'`]\/usr\/(local\/)?s?bin\/|["'`](jing|python3?|chromium|chromium-browser)["'`]/;

  for (const file of readdirSync(join(ROOT, "test")).filter((f) => f.endsWith(".test.ts")).sort()) {
    if (file === "self-contained.test.ts") continue;
    it(`test/${file} uses no tool outside npm`, () => {
      const lines = readFileSync(join(ROOT, "test", file), "utf8").split("\n");
      const found = lines.map((line, i) => [i + 1, line] as const).filter(([, line]) => INTEROP_ONLY.test(line));
      assert.deepEqual(
        found.map(([n, line]) => `${n}: ${line.trim()}`),
        [],
        "move this to test/interop/ (run by npm run test:interop)",
      );
    });
  }
});
