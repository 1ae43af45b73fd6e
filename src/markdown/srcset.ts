/**
 * `srcset` as the HTML standard parses it ("parse a srcset attribute", HTML §4.8.4.3.10). Not
 * parse-srcset (the npm package sanitize-html uses): it implements the same algorithm but prints
 * to stdout on every invalid descriptor, which would corrupt `--json` output.
 */

export interface SrcsetCandidate {
  readonly url: string;
  /** As written and valid: `2x`, `640w`, `640w 480h`; empty for a candidate with none. */
  readonly descriptors: readonly string[];
}

const SPACE = /[\t\n\f\r ]/;
const NON_NEGATIVE_INTEGER = /^\d+$/;
const FLOAT = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The candidates of `input`, in order; empty and invalid ones are left out, as browsers do. */
export function parseSrcset(input: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let pos = 0;
  const at = () => input[pos] ?? "";
  for (;;) {
    // Splitting loop: whitespace and commas between candidates.
    while (pos < input.length && (SPACE.test(at()) || at() === ",")) pos++;
    if (pos >= input.length) return candidates;
    const start = pos;
    while (pos < input.length && !SPACE.test(at())) pos++;
    let url = input.slice(start, pos);
    const descriptors: string[] = [];
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
    } else {
      // Descriptor tokenizer: whitespace separates descriptors, a comma ends the candidate, and
      // parentheses group (for future descriptor syntax).
      while (pos < input.length && SPACE.test(at())) pos++;
      let current = "";
      let state: "in" | "parens" | "after" = "in";
      for (;;) {
        const c = at();
        if (state === "in") {
          if (SPACE.test(c) && c !== "") {
            if (current !== "") descriptors.push(current);
            current = "";
            state = "after";
          } else if (c === ",") {
            pos++;
            if (current !== "") descriptors.push(current);
            break;
          } else if (c === "(") {
            current += c;
            state = "parens";
          } else if (c === "") {
            if (current !== "") descriptors.push(current);
            break;
          } else current += c;
        } else if (state === "parens") {
          if (c === ")") {
            current += c;
            state = "in";
          } else if (c === "") {
            descriptors.push(current);
            break;
          } else current += c;
        } else if (c === "") break;
        else if (!SPACE.test(c)) {
          state = "in";
          continue;
        }
        pos++;
      }
    }
    if (url !== "" && validDescriptors(descriptors)) candidates.push({ url, descriptors });
  }
}

/** Descriptor parser: at most one width or density, an optional height only beside a width. */
function validDescriptors(descriptors: readonly string[]): boolean {
  let width = false;
  let density = false;
  let height = false;
  for (const descriptor of descriptors) {
    const value = descriptor.slice(0, -1);
    const unit = descriptor.slice(-1);
    if (unit === "w" && NON_NEGATIVE_INTEGER.test(value)) {
      if (width || density || Number(value) === 0) return false;
      width = true;
    } else if (unit === "x" && FLOAT.test(value)) {
      if (width || density || height || Number(value) < 0) return false;
      density = true;
    } else if (unit === "h" && NON_NEGATIVE_INTEGER.test(value)) {
      if (height || density || Number(value) === 0) return false;
      height = true;
    } else return false;
  }
  return !height || width;
}

/**
 * Each candidate's URL resolved by `resolve` (undefined drops the candidate), written back in
 * the form every parser reads the same way: `URL descriptors, URL descriptors`. Undefined when no
 * candidate is left.
 */
export function rewriteSrcset(input: string, resolve: (url: string) => string | undefined): string | undefined {
  const out: string[] = [];
  for (const candidate of parseSrcset(input)) {
    const url = resolve(candidate.url);
    if (url === undefined || url === "") continue;
    // A URL ending in a comma would lose it when read back; whitespace would split it.
    const safe = url.replace(/,+$/, (commas) => "%2C".repeat(commas.length)).replace(/[\t\n\f\r ]/g, encodeURIComponent);
    out.push([safe, ...candidate.descriptors].join(" "));
  }
  return out.length === 0 ? undefined : out.join(", ");
}
