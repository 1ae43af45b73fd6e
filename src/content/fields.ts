import { didYouMean } from "../did-you-mean.ts";
import * as z from "zod";
import { error, shown, warning, type Problem } from "../problems.ts";
import type { FrontMatter } from "./front-matter.ts";
import { trimSpace } from "./text.ts";

/** Text a person writes: required unless wrapped in `.optional()`. */
export function text(what = "text") {
  return z.string({ error: (issue) => (issue.input === undefined ? "is required" : `expected ${what}`) });
}

/** Text with white space trimmed off both ends as feed readers count it (`trimSpace`). */
export function trimmedText(what = "text") {
  return text(what).overwrite(trimSpace);
}

/**
 * Turns schema issues into problems that point at the line of the key: one problem per field,
 * its messages joined when several checks of one value fail (a permalink both without "/" and
 * without :slug), so no field is reported twice.
 */
export function issuesToProblems(file: string, matter: FrontMatter, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const byField = new Map<string, { key: string; path: readonly PropertyKey[]; messages: string[] }>();
  for (const issue of issues) {
    const field = issue.path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc === "" ? String(part) : `${acc}.${String(part)}`), "");
    const seen = byField.get(field);
    if (seen === undefined) byField.set(field, { key: String(issue.path[0] ?? ""), path: issue.path, messages: [issue.message] });
    else if (!seen.messages.includes(issue.message)) seen.messages.push(issue.message);
  }
  return [...byField].map(([field, { key, path, messages }]) => {
    const value = valueAt(matter.data, path);
    const got = value === undefined ? "" : ` (got ${shown(value)})`;
    return error(file, matter.lines.get(key) ?? 1, field === "" ? undefined : field, `${messages.join("; ")}${got}`);
  });
}

/**
 * Checks each field on its own, so a bad one does not hide the others: the schema's problems,
 * and the values of every field that passed (with the schema's defaults), for the checks that
 * follow; `whole` only when every field passed. `bad` holds the top-level keys the schema refused; a later check of them would only
 * say the same thing again.
 */
export function parseFields<S extends z.ZodObject>(schema: S, data: Readonly<Record<string, unknown>>): { data: Partial<z.output<S>>; whole: z.output<S> | undefined; issues: readonly z.core.$ZodIssue[]; bad: ReadonlySet<string> } {
  const whole = schema.safeParse(data);
  if (whole.success) return { data: whole.data, whole: whole.data, issues: [], bad: new Set() };
  const bad = new Set(whole.error.issues.map((issue) => String(issue.path[0] ?? "")));
  const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !bad.has(key)));
  const again = schema.partial().safeParse(rest);
  return { data: (again.success ? again.data : {}) as Partial<z.output<S>>, whole: undefined, issues: whole.error.issues, bad };
}

/** Drops the errors of later checks on a field the schema already refused: one report per field. */
export function withoutRepeats(problems: readonly Problem[], bad: ReadonlySet<string>): Problem[] {
  return problems.filter((p) => p.severity !== "error" || p.field === undefined || !bad.has(p.field.split(/[.[]/)[0] ?? ""));
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** A warning for every key the schema does not know, with the nearest known key (`dtae` → `date`). */
export function unknownKeyWarnings(file: string, matter: FrontMatter, known: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(matter.data)) {
    if (known.includes(key)) continue;
    problems.push(warning(file, matter.lines.get(key), key, `unknown key, ignored${didYouMean(key, known)}`));
  }
  return problems;
}


