import matter from "gray-matter";
import { parse as parseToml, TomlDate, TomlError } from "smol-toml";
import { CST, isCollection, isMap, isScalar, LineCounter, parseDocument, Parser, visit, type Document } from "yaml";
import { error, failed, ok, warning, type Problem, type Result } from "../problems.ts";
import { readPlainYaml } from "./plain-yaml.ts";

/** The front-matter languages read: the three Hugo reads, of which Jekyll, Eleventy and Astro use YAML. */
export type FrontMatterLanguage = "YAML" | "TOML" | "JSON";

/** A Markdown file split into its front matter (as plain data) and its body. */
export interface FrontMatter {
  readonly language: FrontMatterLanguage;
  /** Top-level keys with plain JS values; numbers and booleans under `textKeys` arrive as their source text, dates always as text. */
  readonly data: Readonly<Record<string, unknown>>;
  /** 1-based line of each top-level key, for messages. */
  readonly lines: ReadonlyMap<string, number>;
  /** Line of the closing delimiter: where problems with the front matter as a whole point. */
  readonly endLine: number;
  readonly body: string;
  /** 1-based line where `body` starts in the file. */
  readonly bodyLine: number;
}

/** More aliases than any hand-written front matter needs; the "billion laughs" needs thousands. */
const MAX_ALIASES = 50;

const OPENERS = `"---" (YAML), "+++" (TOML) or "{" (JSON)`;

/**
 * Splits and parses front matter, once. Pure: `file` only names the source in problems.
 *
 * YAML (`---`) and TOML (`+++`) are split by gray-matter; JSON (`{`) is split as Hugo splits it,
 * at the brace that closes the first, since gray-matter only closes a block at a line start. No
 * parser here can run code: `---js` and every other `---<language>` are refused before
 * gray-matter sees them (its default `js` engine would `eval` the block), YAML is read with YAML
 * 1.2's core schema (js-yaml would also turn `2023-02-30` into a Date in March), TOML with
 * smol-toml, JSON with JSON.parse. Every date stays text until the article schema checks it.
 * A byte-order mark and blank lines before the opening line are allowed, as Hugo allows them.
 */
export function parseFrontMatter(file: string, text: string, textKeys: ReadonlySet<string>): Result<FrontMatter> {
  const { lead, rest } = leading(text);
  const first = rest.split("\n", 1)[0] ?? "";
  const line1 = lead + 1;

  if (/^---[ \t]*$/.test(first)) return splitDelimited(file, rest, lead, "YAML", "---", textKeys);
  if (/^\+\+\+[ \t]*$/.test(first)) return splitDelimited(file, rest, lead, "TOML", "+++", textKeys);
  if (first.startsWith("{")) return splitJson(file, rest, lead, textKeys);
  if (/^---\S/.test(first)) {
    return failed([error(file, line1, undefined, `front matter opened by ${JSON.stringify(first.slice(0, 40))} is refused: only ${OPENERS} front matter is read; other front-matter languages can run code`)]);
  }
  return failed([error(file, line1, undefined, `no front matter: the file must start with ${OPENERS}, then the front matter (title, date), then the closing line`)]);
}

/** A file's text after its byte-order mark and the blank lines before its front matter, and how many lines those were. */
function leading(text: string): { lead: number; rest: string } {
  const unmarked = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const blank = /^(?:[ \t]*\r?\n)*/.exec(unmarked)?.[0] ?? "";
  return { lead: count(blank, "\n"), rest: unmarked.slice(blank.length) };
}

/** 1-based line of the front matter's opening line (`---`, `+++` or `{`), whatever the file holds after it. */
export function openingLine(text: string): number {
  return leading(text).lead + 1;
}

function splitDelimited(file: string, rest: string, lead: number, language: "YAML" | "TOML", delimiter: string, textKeys: ReadonlySet<string>): Result<FrontMatter> {
  let block: string | undefined;
  const take = (source: string) => {
    block = source;
    return {};
  };
  const refuse = (): never => {
    throw new Error("refused front-matter language");
  };
  // gray-matter closes the block at the first "\n" + delimiter after the opening one: it is handed
  // the file up to the end of that line only, since it encodes all it is given to a buffer and
  // looks its whole text up in a cache (for 10,000 posts, 0.4 s spent on their bodies).
  const close = rest.indexOf(`\n${delimiter}`, delimiter.length);
  const closeEnd = close < 0 ? -1 : rest.indexOf("\n", close + 1);
  const head = closeEnd < 0 ? rest : rest.slice(0, closeEnd + 1);
  // Always pass an options object: without one gray-matter caches by content, hands out shared
  // objects, and parses a file whose YAML failed once as empty data the second time.
  const split = matter(head, {
    language: language === "YAML" ? "yaml" : "toml",
    delimiters: delimiter,
    engines: { yaml: take, toml: take, js: refuse, javascript: refuse, coffee: refuse, coffeescript: refuse, cson: refuse, json: refuse },
  });
  // gray-matter closes the block at the first line starting with the delimiter; its raw block
  // (`matter`) runs from the end of the opening line, newline included, so the number of line
  // breaks in it says which line closed it, and line N of the block is line N of `rest`.
  const closeIndex = count(split.matter ?? "", "\n") + 1;
  const closing = lineOf(rest, closeIndex);
  if (closing === undefined || !closing.text.startsWith(delimiter)) {
    return failed([error(file, lead + 1, undefined, `front matter is not closed: add a line "${delimiter}" after the ${language}`)]);
  }
  if (closing.text.trim() !== delimiter) {
    return failed([error(file, lead + closeIndex + 1, undefined, `front matter must be closed by a line of exactly "${delimiter}" (got ${JSON.stringify(closing.text)})`)]);
  }
  const endLine = lead + closeIndex + 1;
  const body = rest.slice(closing.next);
  const shape = { language, endLine, body, bodyLine: endLine + 1 } as const;
  // gray-matter skips the engine when the block holds only blanks and `#` comments.
  if (block === undefined) return ok({ ...shape, data: {}, lines: new Map() });
  return language === "YAML" ? readYaml(file, block, lead, textKeys, shape) : readToml(file, block, lead, textKeys, shape);
}

/** Where the quoted scalar that runs on to `pos` (where yaml found it unclosed) opens, if one does. */
function unclosedQuote(block: string, pos: number): number | undefined {
  let opened: number | undefined;
  for (const token of new Parser().parse(block)) {
    if (token.type !== "document") continue;
    CST.visit(token, (item) => {
      for (const t of [item.key, item.value]) {
        if ((t?.type === "double-quoted-scalar" || t?.type === "single-quoted-scalar") && t.offset <= pos && pos <= t.offset + t.source.length) opened = t.offset;
      }
    });
  }
  return opened;
}

export type Shape = Pick<FrontMatter, "language" | "endLine" | "body" | "bodyLine">;

function readYaml(file: string, block: string, lead: number, textKeys: ReadonlySet<string>, shape: Shape): Result<FrontMatter> {
  const plain = readPlainYaml(block, lead, textKeys);
  if (plain === undefined) return readYamlDocument(file, block, lead, textKeys, shape);
  // Written out, not spread: once per article, spreading two objects cost 3 µs.
  return ok({ language: shape.language, endLine: shape.endLine, body: shape.body, bodyLine: shape.bodyLine, data: plain.data, lines: plain.lines });
}

/** YAML front matter read by yaml, whatever it holds: what readYaml does outside the plain subset (and the reference the subset is tested against). */
export function readYamlDocument(file: string, block: string, lead: number, textKeys: ReadonlySet<string>, shape: Shape): Result<FrontMatter> {
  const lineCounter = new LineCounter();
  // resolveKnownTags: false, or yaml would still build !!binary, !!set, !!omap, !!pairs and
  // !!timestamp values, which YAML 1.1 has and the core schema does not.
  const doc: Document.Parsed = parseDocument(block, { schema: "core", resolveKnownTags: false, uniqueKeys: false, prettyErrors: false, lineCounter });
  const lineAt = (pos: number | undefined): number => (pos === undefined ? lead + 2 : lineCounter.linePos(pos).line + lead);

  const problems: Problem[] = [];
  for (const e of doc.errors) {
    // yaml places a quote that is never closed at the end of the front matter: the line it opens on is the one to mend.
    const opened = e.code === "MISSING_CHAR" && e.message.startsWith("Missing closing") ? unclosedQuote(block, e.pos[0]) : undefined;
    if (opened !== undefined) problems.push(error(file, lineAt(opened), undefined, `invalid YAML: the quoted value that starts on this line is never closed (add the closing quote)`));
    else problems.push(error(file, lineAt(e.pos[0]), undefined, `invalid YAML: ${firstLine(e.message)}`));
  }
  // An unknown tag such as !!js/function: the safe schema has no such type.
  for (const w of doc.warnings) problems.push(error(file, lineAt(w.pos[0]), undefined, `YAML not allowed: ${firstLine(w.message)}`));
  if (problems.length > 0) return failed(problems);

  if (doc.contents === null) return ok({ ...shape, data: {}, lines: new Map() });
  if (!isMap(doc.contents)) {
    return failed([error(file, lineAt(doc.contents.range?.[0]), undefined, `front matter must be a map of "key: value" lines`)]);
  }
  // A list or map as a key (`? [a, b] : c`) has no JS form: yaml would print a Node "Warning:".
  let complexKey: number | undefined | null = null;
  visit(doc, { Pair: (_, pair) => (isCollection(pair.key) ? ((complexKey = pair.key.range?.[0]), visit.BREAK) : undefined) });
  if (complexKey !== null) return failed([error(file, lineAt(complexKey), undefined, `a key that is a list or a map ("? [a, b]") is not allowed: use a plain name`)]);
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown>;
  } catch (e) {
    return failed([error(file, lead + 2, undefined, `front matter rejected: ${firstLine(e instanceof Error ? e.message : String(e))}`)]);
  }
  const keyLines = new Map<string, number>();
  // A key given twice is read as Jekyll (Ruby's YAML) reads it: the last one wins, with a warning.
  const twice: Problem[] = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const earlier = keyLines.get(key);
    if (earlier !== undefined) twice.push(warning(file, lineAt(pair.key.range?.[0]), key, `given twice (also on line ${earlier}): this last one is used, as Jekyll reads it`));
    keyLines.set(key, lineAt(pair.key.range?.[0]));
    // `title: 2023` or `title: 1.10` is text: keep what was written, not the number it parses as.
    if (textKeys.has(key) && isScalar(pair.value) && typeof pair.value.value !== "string" && pair.value.value !== null) {
      data[key] = pair.value.source ?? String(pair.value.value);
    }
  }
  return ok({ ...shape, data, lines: keyLines }, twice);
}

function readToml(file: string, block: string, lead: number, textKeys: ReadonlySet<string>, shape: Shape): Result<FrontMatter> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(block) as Record<string, unknown>;
  } catch (e) {
    const line = e instanceof TomlError ? e.line + lead : lead + 2;
    return failed([error(file, line, undefined, `invalid TOML: ${firstLine(e instanceof Error ? e.message.replace(/^Invalid TOML document: /, "") : String(e))}`)]);
  }
  // smol-toml keeps no positions: a top-level key is a `key =` or `key.sub =` line before the first table.
  const keyLines = new Map<string, number>();
  const lines = block.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*\[/.test(line)) {
      const table = /^\s*\[\[?\s*(?:"([^"]+)"|'([^']+)'|([\w-]+))/.exec(line);
      const key = table?.[1] ?? table?.[2] ?? table?.[3];
      if (key !== undefined && !keyLines.has(key)) keyLines.set(key, i + 1 + lead);
      continue;
    }
    const match = /^\s*(?:"([^"]+)"|'([^']+)'|([\w-]+))\s*[=.]/.exec(line);
    const key = match?.[1] ?? match?.[2] ?? match?.[3];
    if (key !== undefined && !keyLines.has(key)) keyLines.set(key, i + 1 + lead);
  }
  return ok({ ...shape, data: plain(parsed, textKeys), lines: keyLines });
}

function splitJson(file: string, rest: string, lead: number, textKeys: ReadonlySet<string>): Result<FrontMatter> {
  const scan = scanJsonObject(rest);
  if (scan.end === undefined) {
    return failed([error(file, lead + 1, undefined, `front matter is not closed: the JSON object opened by "{" has no closing "}"`)]);
  }
  const source = rest.slice(0, scan.end + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message)?.[1];
    const line = at === undefined ? lead + 1 : count(source.slice(0, Number(at)), "\n") + 1 + lead;
    return failed([error(file, line, undefined, `invalid JSON: ${firstLine(message.replace(/ in JSON at position \d+.*$/, ""))}`)]);
  }
  const endLine = count(source, "\n") + 1 + lead;
  // The body starts on the line after the closing brace; anything else on that line is kept.
  const after = rest.slice(scan.end + 1);
  const body = after.replace(/^[ \t]*\n/, "");
  const bodyLine = body === after ? endLine : endLine + 1;
  const keyLines = new Map([...scan.keys].map(([key, line]) => [key, line + lead] as const));
  return ok({ language: "JSON", data: plain(parsed as Record<string, unknown>, textKeys), lines: keyLines, endLine, body, bodyLine });
}

/** Finds the brace closing the object `text` opens, reading strings as strings, and the line of each top-level key. */
function scanJsonObject(text: string): { end: number | undefined; keys: Map<string, number> } {
  const keys = new Map<string, number>();
  let depth = 0;
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    else if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "\n") line++;
      }
      if (depth === 1 && expectKey) {
        try {
          const key = JSON.parse(text.slice(start, i + 1)) as string;
          if (!keys.has(key)) keys.set(key, line);
        } catch {
          // JSON.parse reports it.
        }
      }
      expectKey = false;
    } else if (c === "{" || c === "[") {
      depth++;
      expectKey = c === "{" && depth === 1;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return { end: i, keys };
    } else if (c === ",") expectKey = depth === 1;
  }
  return { end: undefined, keys };
}

/**
 * TOML and JSON values as YAML's core schema gives them: a TOML date as the text it was written
 * as (the article schema reads dates from text), and numbers and booleans under `textKeys` as text.
 */
function plain(data: Record<string, unknown>, textKeys: ReadonlySet<string>): Record<string, unknown> {
  const convert = (value: unknown): unknown => {
    if (value instanceof TomlDate) return value.toISOString();
    if (Array.isArray(value)) return value.map(convert);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    return value;
  };
  // fromEntries defines each key, so a `__proto__` key stays a key and never becomes a prototype.
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => {
      const converted = convert(value);
      const asText = textKeys.has(key) && (typeof converted === "number" || typeof converted === "boolean" || typeof converted === "bigint");
      return [key, asText ? String(converted) : converted];
    }),
  );
}

function count(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) n++;
  return n;
}

/** Line `index` (0-based) of `text`, and where the line after it starts; found without splitting the whole text into lines. */
function lineOf(text: string, index: number): { text: string; next: number } | undefined {
  let start = 0;
  for (let i = 0; i < index; i++) {
    const end = text.indexOf("\n", start);
    if (end < 0) return undefined;
    start = end + 1;
  }
  const end = text.indexOf("\n", start);
  return end < 0 ? { text: text.slice(start), next: text.length } : { text: text.slice(start, end), next: end + 1 };
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}
