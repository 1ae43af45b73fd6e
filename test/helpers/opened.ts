import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { mock } from "node:test";

/**
 * Runs `action` counting the files under `dir` this thread opens with `openSync` (readSource
 * opens each content file it reads that way), by path under `dir`; `counts` leaves some out.
 */
export async function opened<T>(dir: string, action: () => Promise<T>, counts: (path: string) => boolean = () => true): Promise<{ result: T; files: string[] }> {
  const files: string[] = [];
  const original = fs.openSync;
  const spy = mock.method(fs, "openSync", (path: fs.PathLike, ...rest: unknown[]) => {
    const under = String(path).startsWith(`${dir}/`) ? String(path).slice(dir.length + 1) : undefined;
    if (under !== undefined && counts(under)) files.push(under);
    return (original as (...args: unknown[]) => number)(path, ...rest);
  });
  syncBuiltinESMExports();
  try {
    return { result: await action(), files };
  } finally {
    spy.mock.restore();
    syncBuiltinESMExports();
  }
}
