import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Writes `path` whole or not at all: a temporary file beside it (a name no other process picks),
 * then one rename over it. For feedwright's own bookkeeping (cache entries, the ping record, the
 * id pins); the output folder is published by `publish`, which stages many files at once.
 */
export async function writeAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}
