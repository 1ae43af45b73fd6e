import { readFileSync } from "node:fs";
import type { Io } from "../commands/io.ts";
import type { Problem } from "../problems.ts";
import { inGithubActions, renderGithub } from "./github.ts";
import { renderPlain } from "./plain.ts";
import { renderTerminal, wantsColor } from "./terminal.ts";

export { renderJson, thrownProblems } from "./json.ts";

/**
 * Prints problems where people look: grouped and coloured on a terminal, one line each
 * otherwise (logs, pipes), and as workflow commands too inside GitHub Actions. With `--json`
 * commands print their JSON report instead, and nothing here. `annotations`: what the workflow
 * commands show, when it is not the problems themselves (check's differences, by article).
 */
export function reportProblems(problems: readonly Problem[], io: Io, annotations: readonly Problem[] = problems): void {
  if (problems.length === 0) return;
  if (io.isTTY) io.stderr(renderTerminal(problems, { color: wantsColor(io.env), sources: readSources(problems) }));
  else io.stderr(renderPlain(problems));
  const root = io.env.GITHUB_WORKSPACE;
  if (inGithubActions(io.env)) io.stdout(renderGithub(annotations, root === undefined || root === "" ? undefined : { root, cwd: process.cwd() }));
}

/** The text of every file problems point at by line; files that cannot be read are left out. */
function readSources(problems: readonly Problem[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const p of problems) {
    if (p.line === undefined || sources.has(p.file)) continue;
    try {
      sources.set(p.file, readFileSync(p.file, "utf8").replace(/\r\n?/g, "\n"));
    } catch {
      // A problem about a file we cannot read is still shown, without its line.
    }
  }
  return sources;
}
