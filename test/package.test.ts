/**
 * The package as a user gets it: `npm pack` (which compiles through `prepack`), then an install
 * into a fresh project with no network, then the bin with plain node and the typed API
 * (test/helpers/package.ts packs and installs).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { ROOT } from "./helpers/cli.ts";
import { install, pack, run } from "./helpers/package.ts";

const NOW = "2030-01-01T00:00:00Z";

describe("the published package", { timeout: 300_000 }, () => {
  let packed: { tarball: string; files: string[] };
  let project: string;
  before(() => {
    packed = pack();
    project = install(packed.tarball);
  });

  it("ships the compiled code, its types and the bin, and nothing of the repository's own", () => {
    for (const file of ["bin/feedwright.js", "lib/cli.js", "lib/index.js", "lib/index.d.ts", "lib/render-worker.js", "package.json"]) assert.ok(packed.files.includes(file), `${file} missing from the tarball`);
    const stray = packed.files.filter((f) => /^(test|dist|content|src|examples|node_modules)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"));
    assert.deepEqual(stray, []);
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/feedwright/package.json"), "utf8")) as { private?: boolean };
    assert.equal(manifest.private, undefined);
    // gray-matter's default YAML engine is never used (front-matter.ts passes its own): js-yaml
    // and the esprima it loads stay out of every build's start-up.
    const bundled = packed.files.filter((f) => f.startsWith("lib/") && f.endsWith(".js")).map((f) => readFileSync(join(project, "node_modules/feedwright", f), "utf8"));
    assert.equal(bundled.filter((code) => code.includes("// node_modules/js-yaml/") || code.includes('"esprima"')).length, 0);
    assert.equal(bundled.filter((code) => code.includes("// src/content/js-yaml-unused.cjs")).length, 1);
  });

  it("npx feedwright build runs under plain node (no tsx installed) and writes the feeds", () => {
    assert.equal(existsSync(join(project, "node_modules/tsx")), false, "tsx is a runtime dependency again");
    const built = run("npx", ["--offline", "--no-install", "feedwright", "build", "--now", NOW, "--threads", "2"], project, { XDG_CACHE_HOME: join(project, ".cache") });
    assert.match(built.stdout, /^feedwright: 11 articles read .* 15 feeds, 51 files written/);
    assert.ok(existsSync(join(project, "dist/feed.json")));
    const version = run(process.execPath, [join(project, "node_modules/.bin/feedwright"), "--version"], project);
    assert.equal(version.stdout, `${(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version}\n`);
  });

  it('import { build, check } from "feedwright": results and problems as values, nothing printed', () => {
    const script = `
      import { build, check, formatProblem } from "feedwright";
      const built = await build({ out: "api-out", now: "${NOW}", cache: false });
      const checked = await check({ out: "api-out", now: "${NOW}", cache: false });
      const bad = await build({ content: "missing", out: "never", cache: false });
      console.log(JSON.stringify({ ok: built.ok, written: built.written.length, items: built.counts?.items, checked: checked.ok, compared: checked.compared, bad: bad.ok, problem: formatProblem(bad.problems[0]) }));
    `;
    const result = run(process.execPath, ["--input-type=module", "-e", script], project);
    assert.equal(result.stderr, "");
    assert.deepEqual(JSON.parse(result.stdout), { ok: true, written: 51, items: 6, checked: true, compared: true, bad: false, problem: JSON.parse(result.stdout).problem });
    assert.match((JSON.parse(result.stdout) as { problem: string }).problem, /^missing/);
    assert.equal(existsSync(join(project, "never")), false);
  });

  it("the types compile for a user's TypeScript", () => {
    writeFileSync(join(project, "use.ts"), `import { build, type BuildResult, type Problem } from "feedwright";\nconst r: BuildResult = await build({ out: "x", drafts: true });\nconst p: readonly Problem[] = r.problems;\nexport { p };\n`);
    // skipLibCheck off: the package's own .d.ts files must type-check too, given @types/node (which any Node project has).
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, types: ["node"] }, files: ["use.ts"] }));
    mkdirSync(join(project, "node_modules/@types"), { recursive: true });
    if (!existsSync(join(project, "node_modules/@types/node"))) symlinkSync(join(ROOT, "node_modules/@types/node"), join(project, "node_modules/@types/node"));
    run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."], project);
  });
});
