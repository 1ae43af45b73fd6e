import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { error, shown, warning, type Problem } from "../problems.ts";
import type { FrontMatter } from "./front-matter.ts";

/** Text a person writes: required unless wrapped in `.optional()`. */
export function text(what = "text") {
  return z.string({ error: (issue) => (issue.input === undefined ? "is required" : `expected ${what}`) });
}

/** Turns schema issues into problems that point at the line of the key. */
export function issuesToProblems(file: string, matter: FrontMatter, issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const field = issue.path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc === "" ? String(part) : `${acc}.${String(part)}`), "");
    const value = valueAt(matter.data, issue.path);
    const got = value === undefined ? "" : ` (got ${shown(value)})`;
    return error(file, matter.lines.get(key) ?? 1, field === "" ? undefined : field, `${issue.message}${got}`);
  });
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

/** `; did you mean "date"?` when a known key is near enough to be the one meant, else nothing. */
export function didYouMean(key: string, known: readonly string[]): string {
  const near = closest(key.toLowerCase(), [...known]);
  return distance(key.toLowerCase(), near) <= Math.max(2, Math.floor(key.length / 3)) ? `; did you mean "${near}"?` : "";
}
