/**
 * What test/faults.test.ts and test/interop/kill.test.ts share: a content folder of many articles,
 * a build of it by the real command line, and the output folder's bytes to compare.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, snapshot } from "./cli.ts";

export const NOW = "2030-01-01T00:00:00Z";
export type Snapshot = Map<string, string>;

export function bytesOf(dir: string): Snapshot {
  return new Map([...snapshot(dir)].map(([path, { bytes }]) => [path, bytes]));
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

/** Hidden leftovers beside the output folder (staging and retired folders). */
export function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((name) => name.startsWith(".dist."));
}

export function build(dir: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(["build", "--now", NOW], dir, { FEEDWRIGHT_CACHE_DIR: join(dir, ".cache"), ...env });
}

export function deepEqual(a: Snapshot, b: Snapshot): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

