import { distance } from "fastest-levenshtein";

/**
 * The one did-you-mean: for a mistyped command, flag or front-matter key, the name meant.
 */

/** Whether `a` is `b` with two neighbouring letters swapped (`prot`, `port`): the commonest typo, one edit. */
function transposed(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return at.length === 2 && at[1] === at[0]! + 1 && a[at[0]!] === b[at[1]!] && a[at[1]!] === b[at[0]!];
}

/**
 * The nearest name, when it is near enough to be a typo rather than another word: one edit in
 * a name of up to four letters (`dev` is not `new`, `host` is not `out`), two up to eight,
 * three beyond.
 */
export function suggest(input: string, names: readonly string[]): string | undefined {
  if (names.length === 0 || input === "") return undefined;
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = transposed(lower, name.toLowerCase()) ? 1 : distance(lower, name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  const length = Math.min(lower.length, best!.length);
  const allowed = length <= 4 ? 1 : length <= 8 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}

/** `; did you mean "date"?` when a known key is near enough to be the one meant (`suggest`), else nothing. */
export function didYouMean(key: string, known: readonly string[]): string {
  const near = suggest(key, known);
  return near === undefined ? "" : `; did you mean "${near}"?`;
}
