/**
 * The front matter most posts have, read without building a YAML document: `key: value` lines
 * whose values are one-line scalars, flow lists (`tags: [a, "b"]`) or block lists of scalars
 * (`- a` lines), or maps of such values one level deep (`author:` then `  name: Ada`). Reading
 * 10,000 front matters with yaml's `parseDocument` took 1.3–2.2 s of a 7–10 s build; this takes
 * 0.3 s.
 *
 * It is a shortcut, not a second YAML parser: it returns exactly what yaml's reading
 * (`readYamlDocument` in front-matter.ts) returns for the same block under YAML 1.2's core schema,
 * or undefined for anything outside that subset, which then goes to yaml: comments, tabs,
 * carriage returns, escapes, multi-line values, anything nested deeper, anchors, tags, repeated
 * keys, keys that are not plain names, scalars the core schema reads as anything but text,
 * `true`, `false`, `null` or a plain decimal integer, and every character YAML restricts. The
 * property tests in test/plain-yaml.test.ts compare the two on generated front matter.
 */

/** The same as readYaml's result for the block: plain data and each top-level key's line. */
export interface PlainYaml {
  readonly data: Record<string, unknown>;
  readonly lines: Map<string, number>;
}

/** Anything outside the subset, anywhere in the block: then yaml reads it. */
const OUTSIDE = /[#\t\r\\\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

/**
 * The text without the spaces at either end. YAML's white space here is the space alone (tabs are
 * outside): JavaScript's trim would also take U+00A0 and its kin, which YAML keeps. A loop, not a
 * regular expression: several times per front-matter line (50,000 articles: 43 ms as `/^ +| +$/g`).
 */
function spaceTrimmed(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
const ITEM_LINE = /^( *)- (.*)$/;
const NESTED_LINE = /^( +)([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;

/** Keys the core schema reads as something other than their text, or that a JS object treats specially. */
const SPECIAL_KEYS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "__proto__"]);

/** A plain scalar may not start with an indicator (YAML 1.2 §7.3.3); `-`, `?` and `:` may, before a non-space, but are left to yaml. */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** Every form the core schema reads as a number (yaml's core tags), besides the plain decimal integers read here. */
const NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const NOT_PLAIN = Symbol("outside the subset");
type Scalar = string | number | boolean | null;

/**
 * The block between the front matter's delimiters, as gray-matter hands it over (from the end of
 * the opening line, so its line N is line N + lead of the file); undefined when it is not in the subset.
 */
export function readPlainYaml(block: string, lead: number, textKeys: ReadonlySet<string>): PlainYaml | undefined {
  if (OUTSIDE.test(block)) return undefined;
  const data: Record<string, unknown> = {};
  const lines = new Map<string, number>();
  const rows = block.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (spaceTrimmed(row) === "") continue;
    const match = KEY_LINE.exec(row);
    if (match === null) return undefined;
    const key = match[1]!;
    // YAML caps an implicit key at 1,024 characters.
    if (SPECIAL_KEYS.has(key) || lines.has(key) || key.length > 1000) return undefined;
    lines.set(key, i + 1 + lead);
    const text = spaceTrimmed(match[2] ?? "");
    if (text !== "") {
      const value = text.startsWith("[") ? flowList(text) : scalar(text, false);
      if (value === NOT_PLAIN) return undefined;
      // As readYaml: under a text key, a number or boolean is the text it was written as.
      data[key] = textKeys.has(key) && value !== null && typeof value !== "string" && !Array.isArray(value) ? text : value;
      continue;
    }
    // `key:` alone: a block list of scalars or a map of one-line values on the lines after it, or null.
    const map = nestedMap(rows, i);
    if (map === NOT_PLAIN) return undefined;
    if (map !== undefined) {
      data[key] = map.value;
      i = map.last;
      continue;
    }
    const items: Scalar[] = [];
    let indent: string | undefined;
    for (; i + 1 < rows.length; i++) {
      const next = rows[i + 1]!;
      if (spaceTrimmed(next) === "") continue;
      const item = ITEM_LINE.exec(next);
      if (item === null) {
        // Anything indented after a key is part of its value (a multi-line or nested one).
        if (next.startsWith(" ")) return undefined;
        break;
      }
      if (indent !== undefined && item[1] !== indent) return undefined;
      indent = item[1]!;
      const value = scalar(spaceTrimmed(item[2]!), false);
      if (value === NOT_PLAIN) return undefined;
      items.push(value);
    }
    data[key] = indent === undefined ? null : items;
  }
  return { data, lines };
}

/**
 * The indented `name: value` lines after the key on row `at` (each value a scalar or a flow list,
 * all at one indentation), and the last row they take; undefined when the next line is not one.
 */
function nestedMap(rows: readonly string[], at: number): { value: Record<string, unknown>; last: number } | undefined | typeof NOT_PLAIN {
  const value: Record<string, unknown> = {};
  let indent: string | undefined;
  let last = at;
  for (let i = at + 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (spaceTrimmed(row) === "") continue;
    const match = NESTED_LINE.exec(row);
    if (match === null) {
      if (indent === undefined) return undefined;
      // A deeper or odd line inside the map: nested further, or not the subset.
      if (row.startsWith(" ")) return NOT_PLAIN;
      break;
    }
    if (indent !== undefined && match[1] !== indent) return NOT_PLAIN;
    indent = match[1]!;
    const key = match[2]!;
    const text = spaceTrimmed(match[3] ?? "");
    if (SPECIAL_KEYS.has(key) || Object.hasOwn(value, key) || key.length > 1000 || text === "") return NOT_PLAIN;
    const item = text.startsWith("[") ? flowList(text) : scalar(text, false);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    value[key] = item;
    last = i;
  }
  return indent === undefined ? undefined : { value, last };
}

/** `[a, "b", 'c']` on one line: a list of scalars. */
function flowList(text: string): Scalar[] | typeof NOT_PLAIN {
  if (!text.endsWith("]")) return NOT_PLAIN;
  const inner = text.slice(1, -1);
  if (spaceTrimmed(inner) === "") return [];
  const items: Scalar[] = [];
  let at = 0;
  while (at <= inner.length) {
    while (inner[at] === " ") at++;
    const quote = inner[at];
    let end: number;
    if (quote === '"' || quote === "'") {
      end = closingQuote(inner, at);
      if (end < 0) return NOT_PLAIN;
      end++;
    } else {
      end = inner.indexOf(",", at);
      if (end < 0) end = inner.length;
    }
    const value = scalar(spaceTrimmed(inner.slice(at, end)), true);
    if (value === NOT_PLAIN) return NOT_PLAIN;
    items.push(value);
    at = end;
    while (inner[at] === " ") at++;
    if (at === inner.length) return items;
    if (inner[at] !== ",") return NOT_PLAIN;
    at++;
  }
  return NOT_PLAIN;
}

/** Where the quoted scalar opened at `start` closes (a doubled `'` is one quote in single quotes), or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text[start]!;
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] !== quote) continue;
    if (quote === "'" && text[at + 1] === "'") {
      at++;
      continue;
    }
    return at;
  }
  return -1;
}

/** One scalar, trimmed: quoted, or plain as the core schema reads it. In a flow list, `,[]{}` end a plain scalar, so they are left to yaml. */
function scalar(text: string, inFlow: boolean): Scalar | typeof NOT_PLAIN {
  if (text === "") return NOT_PLAIN;
  const first = text[0];
  if (first === '"' || first === "'") {
    if (closingQuote(text, 0) !== text.length - 1 || text.length < 2) return NOT_PLAIN;
    const inner = text.slice(1, -1);
    return first === "'" ? inner.replaceAll("''", "'") : inner;
  }
  if (INDICATOR_START.test(text) || text.includes(": ") || text.endsWith(":") || (inFlow && /[,[\]{}]/.test(text))) return NOT_PLAIN;
  switch (text) {
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
  }
  if (/^[0-9]{1,15}$/.test(text)) return Number(text);
  return NUMBER.test(text) ? NOT_PLAIN : text;
}
