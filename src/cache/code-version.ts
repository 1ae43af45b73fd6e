import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../version.ts";

let known: string | undefined;

/**
 * What the cache keys name as the code that read and rendered an entry. The installed package
 * (compiled, in lib/) is named by its version. A checkout run through tsx can change without a
 * new version: its src/ files are hashed too (once per process, a few milliseconds), so an edit
 * to the Markdown renderer never serves HTML the old code made.
 */
export function codeVersion(): string {
  if (known !== undefined) return known;
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith(".ts")) return (known = VERSION);
  const src = dirname(dirname(here));
  const hash = createHash("sha256").update(VERSION);
  const files = (readdirSync(src, { recursive: true, encoding: "utf8" }) as string[]).filter((f) => /\.(ts|mjs|js|json)$/.test(f)).sort();
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(join(src, file)));
  return (known = `${VERSION}+${hash.digest("hex").slice(0, 16)}`);
}
