/**
 * The package as a user gets it: `npm pack` (which compiles through `prepack`) of a copy of the
 * repository, and an offline install of the tarball into a fresh project. Used by
 * test/package.test.ts and by the recipes' real-generator runs (test/interop/recipes.test.ts).
 *
 * Offline install: npm resolves a tarball's dependencies through the registry's package
 * documents, which `npm ci` never caches; so the fresh project gets a lockfile made from ours
 * (the runtime entries only), and `npm ci --offline` takes every tarball from the npm cache that
 * our own `npm ci` filled.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "./cli.ts";

interface Lock {
  readonly packages: Record<string, { readonly dev?: boolean } & Record<string, unknown>>;
}

export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", ...env } });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Packs a copy of the repository (so `prepack` never writes lib/ into the checkout) and returns the tarball's path and file list. `root`: another checkout (the bench's --feedwright). */
export function pack(root: string = ROOT): { tarball: string; files: string[] } {
  const copy = tempDir("feedwright-pack-");
  for (const name of ["package.json", "package-lock.json", "tsconfig.json", "README.md", "bin", "src"]) cpSync(join(root, name), join(copy, name), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  const out = run("npm", ["pack", "--json", "--pack-destination", copy], copy);
  const [info] = JSON.parse(out.stdout.slice(out.stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(copy, info.filename), files: info.files.map((f) => f.path) };
}

/** A fresh project with the tarball installed offline, and `content/` copied from the repository. */
export function install(tarball: string, root: string = ROOT): string {
  const project = tempDir("feedwright-user-");
  const ours = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lock;
  const spec = `file:${tarball}`;
  const packages: Lock["packages"] = {
    "": { name: "user-site", dependencies: { feedwright: spec } },
    "node_modules/feedwright": { version: ours.version, resolved: spec, dependencies: ours.dependencies, bin: ours.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && entry.dev !== true) packages[path] = entry;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-site", private: true, type: "module", dependencies: { feedwright: spec } }));
  writeFileSync(join(project, "package-lock.json"), JSON.stringify({ name: "user-site", lockfileVersion: 3, requires: true, packages }));
  run("npm", ["ci", "--offline", "--ignore-scripts"], project);
  cpSync(join(root, "content"), join(project, "content"), { recursive: true });
  mkdirSync(join(project, ".cache"));
  return project;
}
