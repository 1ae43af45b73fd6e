import type { Problem } from "../problems.ts";

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), which the runner
 * turns into annotations on the pull request's diff. Escaping follows the runner's own rules
 * (actions/toolkit `command.ts`): data escapes `%`, CR and LF; properties also `:` and `,`.
 */
export function renderGithub(problems: readonly Problem[]): string {
  return problems
    .map((p) => {
      const props = [`file=${escapeProperty(p.file)}`];
      if (p.line !== undefined) props.push(`line=${p.line}`);
      props.push(`title=${escapeProperty(p.field === undefined ? "feedwright" : `feedwright: ${p.field}`)}`);
      return `::${p.severity} ${props.join(",")}::${escapeData(p.message)}\n`;
    })
    .join("");
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
