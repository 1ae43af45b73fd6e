import matter from "gray-matter";
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { error, failed, ok, type Problem, type Result } from "../problems.ts";

/** A Markdown file split into its YAML front matter (as plain data) and its body. */
export interface FrontMatter {
  /** Top-level keys with plain JS values; numbers and booleans under `textKeys` arrive as their source text. */
  readonly data: Readonly<Record<string, unknown>>;
  /** 1-based line of each top-level key, for messages. */
  readonly lines: ReadonlyMap<string, number>;
  /** Line of the closing `---`: where problems with the front matter as a whole point. */
  readonly endLine: number;
  readonly body: string;
  /** 1-based line where `body` starts in the file. */
  readonly bodyLine: number;
}

/** More aliases than any hand-written front matter needs; the "billion laughs" needs thousands. */
const MAX_ALIASES = 50;

/**
 * Splits and parses front matter. Pure: `file` only names the source in problems.
 *
 * Only YAML is accepted, and only YAML 1.2's core schema: gray-matter would run `---js` front
 * matter as JavaScript, and js-yaml would turn `2023-02-30` into a Date in March. Here every
 * date stays text until the article schema checks it.
 */
export function parseFrontMatter(file: string, text: string, textKeys: ReadonlySet<string>): Result<FrontMatter> {
  const lines = text.split("\n");
  const first = lines[0] ?? "";
  if (!/^---[ \t]*$/.test(first)) {
    if (/^---\S/.test(first)) {
      return failed([
        error(file, 1, undefined, `front matter must be YAML opened by a line of exactly "---" (got ${JSON.stringify(first.slice(0, 40))}); other front-matter languages can run code and are refused`),
      ]);
    }
    return failed([error(file, 1, undefined, `no front matter: the file must start with a line "---", then YAML (title, date), then a closing "---"`)]);
  }
  // gray-matter closes the block at the first line starting with "---"; find the same line.
  const close = lines.findIndex((line, i) => i > 0 && line.startsWith("---"));
  if (close === -1) {
    return failed([error(file, 1, undefined, `front matter is not closed: add a line "---" after the YAML`)]);
  }
  if (!/^---[ \t]*$/.test(lines[close] ?? "")) {
    return failed([error(file, close + 1, undefined, `front matter must be closed by a line of exactly "---" (got ${JSON.stringify(lines[close])})`)]);
  }

  let yamlDoc: Document.Parsed | undefined;
  const lineCounter = new LineCounter();
  const refuse = (): never => {
    throw new Error("refused front-matter language");
  };
  // Always pass an options object: without one gray-matter caches by content, hands out shared
  // objects, and parses a file whose YAML failed once as empty data the second time.
  const parsed = matter(text, {
    language: "yaml",
    engines: {
      yaml: (source: string) => {
        // resolveKnownTags: false, or yaml would still build !!binary, !!set, !!omap, !!pairs and
        // !!timestamp values, which YAML 1.1 has and the core schema does not.
        yamlDoc = parseDocument(source, { schema: "core", resolveKnownTags: false, uniqueKeys: true, prettyErrors: false, lineCounter });
        return {};
      },
      js: refuse,
      javascript: refuse,
      coffee: refuse,
      coffeescript: refuse,
      cson: refuse,
      json: refuse,
      toml: refuse,
    },
  });

  // gray-matter hands the engine everything after the opening "---", newline included, so line
  // numbers within it are already line numbers of the file.
  const offset = 0;
  const lineAt = (pos: number | undefined): number => (pos === undefined ? 2 : lineCounter.linePos(pos).line + offset);
  const body = parsed.content;
  const bodyLine = close + 2;
  if (yamlDoc === undefined) {
    // gray-matter skips the engine when the block holds only blanks and comments.
    return ok({ data: {}, lines: new Map(), endLine: close + 1, body, bodyLine });
  }
  const doc: Document.Parsed = yamlDoc;

  const problems: Problem[] = [];
  for (const e of doc.errors) {
    problems.push(error(file, lineAt(e.pos[0]), undefined, `invalid YAML: ${firstLine(e.message)}`));
  }
  for (const w of doc.warnings) {
    // An unknown tag such as !!js/function: the safe schema has no such type.
    problems.push(error(file, lineAt(w.pos[0]), undefined, `YAML not allowed: ${firstLine(w.message)}`));
  }
  if (problems.length > 0) return failed(problems);

  if (doc.contents === null) return ok({ data: {}, lines: new Map(), endLine: close + 1, body, bodyLine });
  if (!isMap(doc.contents)) {
    return failed([error(file, lineAt(doc.contents.range?.[0]), undefined, `front matter must be a map of "key: value" lines`)]);
  }

  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown>;
  } catch (e) {
    return failed([error(file, 2, undefined, `front matter rejected: ${firstLine(e instanceof Error ? e.message : String(e))}`)]);
  }

  const keyLines = new Map<string, number>();
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    keyLines.set(key, lineAt(pair.key.range?.[0]));
    // `title: 2023` or `title: 1.10` is text: keep what was written, not the number it parses as.
    if (textKeys.has(key) && isScalar(pair.value) && typeof pair.value.value !== "string" && pair.value.value !== null) {
      data[key] = pair.value.source ?? String(pair.value.value);
    }
  }
  return ok({ data, lines: keyLines, endLine: close + 1, body, bodyLine });
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}
