import { existsSync } from "node:fs";
import { lstat, readlink, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { MANIFEST_FILE } from "./bookkeeping.ts";

/**
 * Why feedwright must not publish into `outDir`, or undefined. Checked before anything is read
 * or written: feedwright only ever touches the files it wrote, but a folder that is the project
 * itself would be deployed whole, and one beside the content would be read back as content.
 */
export async function outDirRefusal(outDir: string, contentDir: string, cwd: string = process.cwd()): Promise<string | undefined> {
  const shown = `--out ${outDir}`;
  const own = "choose another folder: one of its own (dist), or the one your site generator writes (public, _site)";
  const at = resolve(cwd, outDir);
  let info;
  try {
    info = await lstat(at);
  } catch {
    info = undefined;
  }
  if (info?.isSymbolicLink() === true) {
    const target = await stat(at).catch(() => undefined);
    if (target === undefined) {
      const to = await readlink(at).catch(() => "?");
      return `${shown}: it is a symbolic link to ${to}, which does not exist; create that folder, or remove the link and feedwright makes ${outDir} itself`;
    }
    if (!target.isDirectory()) return `${shown}: it is a symbolic link to a file, not a folder; feedwright leaves it as it is: ${own}`;
  } else if (info !== undefined && !info.isDirectory()) {
    return `${shown}: it is a file, not a folder; feedwright leaves it as it is: remove it, or ${own}`;
  }
  const out = await realish(at);
  const here = await realish(cwd);
  const content = await realish(resolve(cwd, contentDir));
  if (out === here) return `${shown}: that is the working directory; feedwright would deploy your whole project with its feeds: ${own}`;
  if (inside(here, out)) return `${shown}: it holds the working directory; feedwright would deploy your whole project with its feeds: ${own}`;
  if (out === content) return `${shown}: that is the content folder: ${own}`;
  if (inside(content, out)) return `${shown}: it holds the content folder (${contentDir}), which would be deployed with the feeds: ${own}`;
  if (inside(out, content)) return `${shown}: it lies inside the content folder (${contentDir}), where feeds would be read back as articles: ${own}`;
  for (const name of [".git", "package.json"]) {
    if ((await lstat(join(out, name)).catch(() => undefined)) !== undefined) {
      return `${shown}: it holds ${name}, so it looks like a project, not an output folder: ${own}`;
    }
  }
  return undefined;
}

/** `path` with every link resolved, as far as the path exists; the rest appended as written. */
async function realish(path: string): Promise<string> {
  const tail: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(await realpath(at), ...tail.reverse());
    } catch {
      if (dirname(at) === at) return path;
      tail.push(basename(at));
      at = dirname(at);
    }
  }
}

/** Whether `child` lies strictly inside `parent`. */
function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The output folder's path under a site generator's output folder (`feeds` for `public/feeds`),
 * when it clearly lies in one: its parent holds the site's `index.html`, or is Hugo's `public`
 * or Jekyll's and Eleventy's `_site`. Undefined otherwise (the working directory is no site output).
 */
export function inSiteOutput(outDir: string, cwd: string = process.cwd()): { site: string; path: string } | undefined {
  const at = resolve(cwd, outDir);
  const parent = dirname(at);
  if (parent === resolve(cwd) || inside(resolve(cwd), parent)) return undefined;
  // An index.html is a site's, unless feedwright wrote it (its front door: the folder holds feedwright's manifest).
  if (!["public", "_site"].includes(basename(parent)) && (!existsSync(join(parent, "index.html")) || existsSync(join(parent, MANIFEST_FILE)))) return undefined;
  return { site: parent, path: basename(at) };
}
