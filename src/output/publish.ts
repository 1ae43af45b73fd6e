import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** A file to publish, relative to the output folder with `/` separators. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

export interface PublishReport {
  /** Files whose bytes changed, were added or were removed. */
  readonly changed: readonly string[];
  readonly unchanged: number;
}

/**
 * Makes `outDir` hold exactly `files`, never showing a reader a mix of old and new.
 *
 * The new folder is written completely beside the old one, then swapped in with two renames;
 * files whose bytes did not change are hard-linked from the old folder, so their modification
 * times stay and deploy tools and HTTP caches see no change. A build killed at any point leaves
 * the old folder (or, between the two renames, an `.old` folder the next build puts back).
 */
export async function publish(outDir: string, files: readonly OutputFile[]): Promise<PublishReport> {
  const target = resolve(outDir);
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  await recover(parent, name);

  const previous = await listFiles(target);
  const changed: string[] = [];
  const same = new Set<string>();
  for (const file of files) {
    const old = previous.has(file.path) ? await readFile(join(target, file.path), "utf8").catch(() => undefined) : undefined;
    if (old === file.content) same.add(file.path);
    else changed.push(file.path);
  }
  const wanted = new Set(files.map((f) => f.path));
  for (const path of previous) if (!wanted.has(path)) changed.push(path);
  if (changed.length === 0) return { changed, unchanged: same.size };

  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(parent, `.${name}.staging-${tag}`);
  const retired = join(parent, `.${name}.old-${tag}`);
  try {
    for (const file of files) {
      const dest = join(staging, ...file.path.split("/"));
      await mkdir(dirname(dest), { recursive: true });
      if (same.has(file.path)) await link(join(target, file.path), dest).catch(() => writeFile(dest, file.content));
      else await writeFile(dest, file.content);
    }
    const hadTarget = await exists(target);
    if (hadTarget) await rename(target, retired);
    await rename(staging, target);
    if (hadTarget) await rm(retired, { recursive: true, force: true });
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  return { changed: changed.sort(), unchanged: same.size };
}

/** Puts back an output folder a killed build had moved aside, and clears its leftovers. */
async function recover(parent: string, name: string): Promise<void> {
  const target = join(parent, name);
  const entries = await readdir(parent).catch(() => [] as string[]);
  const olds = entries.filter((e) => e.startsWith(`.${name}.old-`)).sort();
  if (!(await exists(target)) && olds.length > 0) await rename(join(parent, olds.pop()!), target);
  for (const entry of entries) {
    if (!entry.startsWith(`.${name}.staging-`) && !entry.startsWith(`.${name}.old-`)) continue;
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(entry)?.[1]);
    if (pid !== process.pid && !isAlive(pid)) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function listFiles(dir: string, prefix = ""): Promise<Set<string>> {
  const found = new Set<string>();
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = prefix + entry.name;
    if (entry.isDirectory()) for (const p of await listFiles(join(dir, entry.name), `${path}/`)) found.add(p);
    else found.add(path);
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
