/**
 * Problems are values: every stage returns the problems it found instead of throwing, so one run
 * reports every problem in every file at once. Only the CLI prints them and sets the exit code.
 */

export type Severity = "error" | "warning";

export interface Problem {
  readonly severity: Severity;
  /** Path as the user wrote it, relative to the working directory when possible (`content/a.md`). */
  readonly file: string;
  /** 1-based line in `file`, when the problem has a place. */
  readonly line?: number;
  /** The front-matter key or the part of the file at fault (`date`, `tags[1]`, `body`). */
  readonly field?: string;
  readonly message: string;
  /**
   * Problems that share a group are one kind (template code a site repeats in every post): a
   * build reports them once, at the first, with their count (src/markdown/templates/group.ts).
   */
  readonly group?: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function ok<T>(value: T, problems: readonly Problem[] = []): Result<T> {
  return { ok: true, value, problems };
}

export function failed<T>(problems: readonly Problem[]): Result<T> {
  return { ok: false, problems };
}

export function error(file: string, line: number | undefined, field: string | undefined, message: string): Problem {
  return { severity: "error", file, ...(line === undefined ? {} : { line }), ...(field === undefined ? {} : { field }), message };
}

export function warning(file: string, line: number | undefined, field: string | undefined, message: string): Problem {
  return { ...error(file, line, field, message), severity: "warning" };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** `content/a.md:3 date: expected a date (got "Walk 18")` — the one-line form every report uses. */
export function formatProblem(p: Problem): string {
  const place = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const field = p.field === undefined ? "" : ` ${p.field}:`;
  const tag = p.severity === "warning" ? " warning:" : "";
  return `${place}${tag}${field} ${p.message}`;
}

/** Problems in a stable order: by file, then line, then message, so reports are reproducible. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareText(a.field ?? "", b.field ?? "") ||
      compareText(a.message, b.message),
  );
}

/** Code-unit comparison: unlike localeCompare it does not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Shows a value the user wrote, quoted and cut short, for the `(got …)` part of a message. */
export function shown(value: unknown): string {
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "string") text = JSON.stringify(value);
  else if (value === undefined) text = "nothing";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The one error type that crosses module boundaries: a failed run and everything it found. */
export class FeedwrightError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    readonly code: "content" | "io" | "usage" = "content",
  ) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "FeedwrightError";
  }
}
