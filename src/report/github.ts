import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Problem } from "../problems.ts";

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), which the runner
 * turns into annotations on the pull request's diff. Escaping follows the runner's own rules
 * (actions/toolkit `command.ts`): data escapes `%`, CR and LF; properties also `:` and `,`.
 */
export function renderGithub(problems: readonly Problem[], workspace?: { readonly root: string; readonly cwd: string }): string {
  return problems
    .map((p) => {
      const props = [`file=${escapeProperty(workspace === undefined ? p.file : fromRoot(p.file, workspace.root, workspace.cwd))}`];
      if (p.line !== undefined) props.push(`line=${p.line}`);
      props.push(`title=${escapeProperty(p.field === undefined ? "feedwright" : `feedwright: ${p.field}`)}`);
      return `::${p.severity} ${props.join(",")}::${escapeData(p.message)}\n`;
    })
    .join("");
}

/**
 * Annotations need the file's path from the repository's root (GITHUB_WORKSPACE); a step with a
 * `working-directory` prints paths from there. Names that are no file (`--site-url`,
 * `feedwright`) and paths outside the checkout stay as they are.
 */
export function fromRoot(file: string, root: string, cwd: string): string {
  if (file.startsWith("-") || !/[./\\]/.test(file)) return file;
  const path = relative(root, resolve(cwd, file));
  return path === "" || path.startsWith("..") || isAbsolute(path) ? file : path.split(sep).join("/");
}

export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function inGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === "true";
}
