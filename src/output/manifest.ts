/**
 * The manifest: the list of files feedwright wrote into an output folder, kept in that folder
 * (`.feedwright-manifest.json`). A rebuild replaces and removes only the files it lists; every
 * other file in the folder belongs to someone else (Hugo, Jekyll, a hand-made page) and is left
 * alone. It lives in the output folder rather than in the cache because deleting the cache must
 * only cost time: without the list, files feedwright wrote could never be removed again.
 */
import * as z from "zod";
import { isBookkeeping, MANIFEST_FILE } from "./bookkeeping.ts";
import { readRegular } from "./tree.ts";


/**
 * A path feedwright may write or remove: relative, `/`-separated, no `.` or `..` or empty
 * segment, no NUL or backslash, and not one of its bookkeeping names. Every path from a
 * manifest or journal is checked, so a hand-edited one cannot reach outside the folder.
 */
export function isSafePath(path: string): boolean {
  if (path === "" || path.length > 4096 || /[\0\\]/.test(path)) return false;
  const parts = path.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return false;
  return !isBookkeeping(parts[0]!);
}

const ManifestSchema = z.object({
  generator: z.literal("feedwright"),
  format: z.literal(1),
  files: z.array(z.string().refine(isSafePath)),
});

/**
 * The manifest's text: the paths sorted, one per line, so a committed output folder's diff
 * reads well. It holds no times or machine-specific data: the same files, the same bytes.
 */
export function renderManifest(paths: Iterable<string>): string {
  const files = [...new Set(paths)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify({ generator: "feedwright", format: 1, files }, null, 2)}\n`;
}

export type ManifestRead = { readonly kind: "absent" } | { readonly kind: "malformed"; readonly why: string } | { readonly kind: "ok"; readonly files: ReadonlySet<string>; readonly text: string };

/** The manifest in `dir`, never following a link or opening a FIFO. */
export async function readManifest(dir: string): Promise<ManifestRead> {
  const read = await readRegular(`${dir}/${MANIFEST_FILE}`);
  if (read.kind === "missing") return { kind: "absent" };
  if (read.kind === "other") return { kind: "malformed", why: `it is ${read.what}, not a file` };
  const text = read.bytes.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "malformed", why: "it is not JSON" };
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) return { kind: "malformed", why: "it is not a list of files feedwright wrote" };
  return { kind: "ok", files: new Set(parsed.data.files), text };
}
