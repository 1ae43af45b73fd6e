/**
 * The package as a user gets it: `npm pack` (which compiles through `prepack`), then an install
 * into a fresh project with no network, then the bin with plain node and the typed API.
 *
 * Offline install: npm resolves a tarball's dependencies through the registry's package
 * documents, which `npm ci` never caches; so the fresh project gets a lockfile made from ours
 * (the runtime entries only), and `npm ci --offline` takes every tarball from the npm cache that
 * our own `npm ci` filled.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { ROOT, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

interface Lock {
  readonly packages: Record<string, { readonly dev?: boolean } & Record<string, unknown>>;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", ...env } });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Packs a copy of the repository (so `prepack` never writes lib/ into the checkout) and returns the tarball's path and file list. */
function pack(): { tarball: string; files: string[] } {
  const copy = tempDir("feedwright-pack-");
  for (const name of ["package.json", "package-lock.json", "tsconfig.json", "README.md", "bin", "src"]) cpSync(join(ROOT, name), join(copy, name), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  const out = run("npm", ["pack", "--json", "--pack-destination", copy], copy);
  const [info] = JSON.parse(out.stdout.slice(out.stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(copy, info.filename), files: info.files.map((f) => f.path) };
}

/** A fresh project with the tarball installed offline, and `content/` copied from the repository. */
function install(tarball: string): string {
  const project = tempDir("feedwright-user-");
  const ours = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lock;
  const spec = `file:${tarball}`;
  const packages: Lock["packages"] = {
    "": { name: "user-site", dependencies: { feedwright: spec } },
    "node_modules/feedwright": { version: ours.version, resolved: spec, dependencies: ours.dependencies, bin: ours.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && entry.dev !== true) packages[path] = entry;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-site", private: true, type: "module", dependencies: { feedwright: spec } }));
  writeFileSync(join(project, "package-lock.json"), JSON.stringify({ name: "user-site", lockfileVersion: 3, requires: true, packages }));
  run("npm", ["ci", "--offline", "--ignore-scripts"], project);
  cpSync(join(ROOT, "content"), join(project, "content"), { recursive: true });
  mkdirSync(join(project, ".cache"));
  return project;
}

describe("the published package", { timeout: 300_000 }, () => {
  let packed: { tarball: string; files: string[] };
  let project: string;
  before(() => {
    packed = pack();
    project = install(packed.tarball);
  });

  it("ships the compiled code, its types and the bin, and nothing of the repository's own", () => {
    for (const file of ["bin/feedwright.js", "lib/cli.js", "lib/index.js", "lib/index.d.ts", "lib/formats/render-worker.js", "package.json"]) assert.ok(packed.files.includes(file), `${file} missing from the tarball`);
    const stray = packed.files.filter((f) => /^(test|dist|content|src|examples|node_modules)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"));
    assert.deepEqual(stray, []);
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/feedwright/package.json"), "utf8")) as { private?: boolean };
    assert.equal(manifest.private, undefined);
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
