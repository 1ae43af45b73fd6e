/**
 * What test/faults.test.ts and test/interop/kill.test.ts share: a content folder of many articles,
 * a build of it by the real command line, and the output folder's bytes to compare.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, snapshot } from "./cli.ts";

export const NOW = "2030-01-01T00:00:00Z";
export type Snapshot = Map<string, string>;

/** The output folder's files, without the staging folder and lock a killed build leaves. */
export function bytesOf(dir: string): Snapshot {
  if (!existsSync(dir)) return new Map();
  return new Map([...snapshot(dir)].filter(([path]) => !path.startsWith(".feedwright-staging/") && path !== ".feedwright-lock").map(([path, { bytes }]) => [path, bytes]));
}

/** A content folder of `n` articles in a few tags; `version` changes every article's text. */
export function writeContent(dir: string, n: number, version: string): void {
  rmSync(join(dir, "content"), { recursive: true, force: true });
  mkdirSync(join(dir, "content"), { recursive: true });
  writeFileSync(join(dir, "content/_index.md"), `---\ntitle: Faults ${version}\nurl: https://example.org/\nlimit: 10\n---\n`);
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().slice(0, 19);
    writeFileSync(
      join(dir, "content", `post-${i}.md`),
      `---\ntitle: Post ${i} ${version}\ndate: ${day}Z\ntags: [t${i % 7}, all]\n---\n${`Paragraph ${i} of ${version}. `.repeat(40)}\n`,
    );
  }
}

/** Leftovers: a staging folder or lock in the output folder, or an older version's beside it. */
export function leftovers(parent: string, out = join(parent, "dist")): string[] {
  const inside = existsSync(out) ? readdirSync(out).filter((name) => name === ".feedwright-staging" || name === ".feedwright-lock") : [];
  return [...readdirSync(parent).filter((name) => name.startsWith(".dist.")), ...inside];
}

export function build(dir: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(["build", "--now", NOW], dir, { FEEDWRIGHT_CACHE_DIR: join(dir, ".cache"), ...env });
}

export function deepEqual(a: Snapshot, b: Snapshot): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

