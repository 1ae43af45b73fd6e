import { readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * The `/`-separated path of every file under `dir`, in no particular order; undefined when `dir`
 * cannot be listed (it does not exist). A subfolder that cannot be listed is passed over.
 */
export async function listTree(dir: string): Promise<Set<string> | undefined> {
  const files = new Set<string>();
  const walk = async (sub: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else files.add(path);
    }
    return true;
  };
  return (await walk("")) ? files : undefined;
}
