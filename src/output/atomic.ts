import { randomBytes } from "node:crypto";
import { open, rename, rm, writeFile } from "node:fs/promises";

/**
 * Writes `path` whole or not at all: a temporary file beside it (a name no other process picks),
 * then one rename over it; `content` may come in parts (strings, written one after another).
 * For feedwright's own bookkeeping (cache entries, the ping record, the
 * id pins); the output folder is published by `publish`, which stages many files at once.
 */
export async function writeAtomically(path: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    if (typeof content === "string" || content instanceof Uint8Array) await writeFile(temp, content);
    else {
      // In parts, each made as the one before is written: a large file is never held whole.
      const file = await open(temp, "w");
      try {
        for (const part of content) await file.write(part);
      } finally {
        await file.close();
      }
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}
