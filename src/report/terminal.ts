import type { Problem } from "../problems.ts";

export interface TerminalOptions {
  readonly color: boolean;
  /** Text of each file a problem names, by the name it uses: for the offending line. */
  readonly sources: ReadonlyMap<string, string>;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39], cyan: [36, 39] } as const;
type Style = keyof typeof ANSI;

/**
 * For a person at a terminal: problems grouped under their file, errors red and warnings yellow,
 * with the source line each one points at.
 */
export function renderTerminal(problems: readonly Problem[], options: TerminalOptions): string {
  const paint = (style: Style, text: string): string => (options.color ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text);
  const byFile = new Map<string, Problem[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(paint("bold", file));
    const lines = options.sources.get(file)?.split("\n");
    for (const p of list) {
      const label = p.severity === "error" ? paint("red", "error  ") : paint("yellow", "warning");
      const place = p.line === undefined ? "" : paint("dim", `line ${p.line}  `);
      const field = p.field === undefined ? "" : `${paint("cyan", p.field)}: `;
      out.push(`  ${label} ${place}${field}${p.message}`);
      const source = p.line === undefined ? undefined : lines?.[p.line - 1];
      if (source !== undefined && p.line !== undefined) out.push(paint("dim", `  ${String(p.line).padStart(9)} | `) + source);
    }
    out.push("");
  }
  return out.map((line) => `${line}\n`).join("");
}

/** NO_COLOR (https://no-color.org/): any non-empty value turns colour off. */
export function wantsColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb";
}
