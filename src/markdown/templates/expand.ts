/**
 * Template code a generator would have run before Markdown (Jekyll's Liquid, Hugo's shortcodes),
 * expanded here, also before Markdown, so `{% highlight %}` can become a fenced code block. Code
 * is left alone: fenced and indented code blocks (found by markdown-it itself, so lists and
 * quotes count) and inline code spans keep `{%` and `{{<` as written, which is how a post about
 * templates shows them. Whatever cannot be expanded is a warning with its line, and the reader
 * sees a visible "[unsupported …]" note in its place, never the raw code.
 */
import type { MarkdownIt, Token } from "markdown-it";
import { warning, type Problem } from "../../problems.ts";
import { EMPTY_CONTEXT, escapeHtml, type Expansion, type TemplateContext } from "./context.ts";
import { liquidOutput, liquidTag } from "./liquid.ts";
import { shortcode, type ShortcodeCall } from "./hugo.ts";

export interface Expanded {
  readonly markdown: string;
  /** Fragment HTML by placeholder, to put back into the rendered HTML. */
  readonly fragments: ReadonlyMap<string, string>;
  readonly problems: readonly Problem[];
}

export interface ExpandOptions {
  readonly file: string;
  readonly firstLine: number;
  readonly baseUrl: string;
  readonly context?: TemplateContext;
  /** Sanitises a fragment of HTML a template produced. */
  readonly clean: (html: string) => string;
}

const OPENER = /\{[{%]/;
const ESCAPED = /\{\{(<|%)\/\*([\s\S]*?)\*\/(?:>|%)\}\}/y;

/** `source` with its template code expanded; unchanged when it holds none. */
export function expandTemplates(source: string, parser: MarkdownIt, options: ExpandOptions): Expanded {
  if (!OPENER.test(source)) return { markdown: source, fragments: new Map(), problems: [] };
  const context = options.context ?? EMPTY_CONTEXT;
  const lines = lineStarts(source);
  const problems: Problem[] = [];
  const fragments = new Map<string, string>();
  // Private-use characters no Markdown rule touches, made longer until the source holds none.
  let mark = "\uE000";
  while (source.includes(mark)) mark += "\uE000";
  const expansion: Expansion = {
    context,
    baseUrl: options.baseUrl,
    problems,
    warn: (at, message) => problems.push(warning(options.file, options.firstLine + lineOf(lines, at), "body", message)),
    html: (fragment) => {
      const key = `${mark}${fragments.size}\uE001`;
      fragments.set(key, options.clean(fragment));
      return key;
    },
  };
  const code = codeRanges(source, parser, lines);
  let out = "";
  let i = 0;
  let r = 0;
  while (i < source.length) {
    while (r < code.length && code[r]![1] <= i) r++;
    const range = code[r];
    if (range !== undefined && range[0] <= i) {
      out += source.slice(i, range[1]);
      i = range[1];
      continue;
    }
    const limit = range === undefined ? source.length : range[0];
    const found = source.slice(i, limit).search(OPENER);
    if (found < 0) {
      out += source.slice(i, limit);
      i = limit;
      continue;
    }
    out += source.slice(i, i + found);
    i += found;
    const step = expandAt(source, i, out, expansion);
    out = step.out;
    i = step.next;
  }
  return { markdown: out, fragments, problems };
}

const BLOCK = /^<(?:figure|details|div|aside|section|p|table|blockquote|ul|ol|dl|pre|h[1-6])\b/i;

/** Puts each fragment back: a block-level one alone in a paragraph replaces the paragraph. */
export function restoreFragments(html: string, fragments: ReadonlyMap<string, string>): string {
  if (fragments.size === 0) return html;
  let out = html;
  for (const [key, fragment] of fragments) {
    const alone = `<p>${key}</p>`;
    out = BLOCK.test(fragment) && out.includes(alone) ? out.split(alone).join(fragment) : out.split(key).join(fragment);
  }
  return out;
}

/** The excerpt's text with each fragment's text in place of its placeholder. */
export function restoreFragmentText(text: string, fragments: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [key, fragment] of fragments) {
    if (!out.includes(key)) continue;
    const plain = fragment.replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
    out = out.split(key).join(plain);
  }
  return out;
}

/** Expands the construct at `at` (which starts with `{{` or `{%`). */
function expandAt(source: string, at: number, out: string, x: Expansion): { out: string; next: number } {
  const two = source.slice(at, at + 3);
  // Hugo's way of writing a shortcode literally: {{</* name */>}} shows {{< name >}}.
  ESCAPED.lastIndex = at;
  const escaped = ESCAPED.exec(source);
  if (escaped) {
    const [open, close] = escaped[1] === "<" ? ["{{<", ">}}"] : ["{{%", "%}}"];
    return { out: out + x.html(escapeHtml(`${open}${escaped[2]}${close}`)), next: at + escaped[0].length };
  }
  if (two === "{{<" || two === "{{%") {
    const call = readShortcode(source, at);
    if (call === undefined) return { out: out + "{", next: at + 1 };
    return shortcode(source, call, out, x);
  }
  if (two.startsWith("{%")) {
    const end = source.indexOf("%}", at + 2);
    if (end < 0) return { out: out + "{", next: at + 1 };
    return liquidTag(source, at, end + 2, out, x);
  }
  const end = source.indexOf("}}", at + 2);
  if (end < 0 || source.slice(at + 2, end).includes("\n\n")) return { out: out + "{", next: at + 1 };
  return { out: out + liquidOutput(source.slice(at + 2, end), at, x), next: end + 2 };
}

/** `{{< name args >}}` or `{{% /name %}}` at `at`, with quotes respected when finding its end. */
function readShortcode(source: string, at: number): ShortcodeCall | undefined {
  const kind = source[at + 2] as "<" | "%";
  const closer = kind === "<" ? ">" : "%";
  let i = at + 3;
  let quote: string | undefined;
  for (; i < source.length; i++) {
    const c = source[i]!;
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "`") quote = c;
    else if (c === closer && source.startsWith("}}", i + 1)) break;
    else if (c === "\n" && source[i + 1] === "\n") return undefined;
  }
  if (i >= source.length) return undefined;
  let inner = source.slice(at + 3, i).trim();
  const closing = inner.startsWith("/");
  if (closing) inner = inner.slice(1).trim();
  const selfClosing = inner.endsWith("/");
  if (selfClosing) inner = inner.slice(0, -1).trim();
  const name = /^[\w.-]+/.exec(inner)?.[0] ?? "";
  return { kind, name, args: parseArgs(inner.slice(name.length)), closing, selfClosing, start: at, end: i + 3 };
}

/** Positional (`"a b"`, `` `raw` ``, `word`) and named (`key="value"`) shortcode arguments. */
function parseArgs(text: string): ShortcodeCall["args"] {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  const re = /\s*(?:([\w-]+)=)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+))/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ""; m = re.exec(text)) {
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? m[4] ?? "");
    if (m[1] !== undefined) named[m[1]] = value;
    else positional.push(value);
  }
  return { positional, named };
}

/** Character ranges that are code: fenced and indented blocks, and inline code spans. */
function codeRanges(source: string, parser: MarkdownIt, lines: readonly number[]): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  const visit = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if ((token.type === "fence" || token.type === "code_block") && token.map !== null) {
        blocks.push([lines[token.map[0]] ?? source.length, lines[token.map[1]] ?? source.length]);
      }
    }
  };
  visit(parser.parse(source, {}));
  blocks.sort((a, b) => a[0] - b[0]);
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (const block of [...blocks, [source.length, source.length] as [number, number]]) {
    if (block[0] < from) continue;
    ranges.push(...codeSpans(source, from, block[0]));
    if (block[1] > block[0]) ranges.push(block);
    from = Math.max(from, block[1]);
  }
  return ranges;
}

/** Inline code spans (CommonMark §6.1) in `source[from, to)`: a backtick run closed by one as long, within a paragraph. */
function codeSpans(source: string, from: number, to: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const run = /`+/g;
  run.lastIndex = from;
  for (let m = run.exec(source); m !== null && m.index < to; m = run.exec(source)) {
    let start = m.index;
    let length = m[0].length;
    // A backslash escapes the first backtick of a run.
    if (backslashes(source, start) % 2 === 1) {
      start++;
      length--;
      if (length === 0) continue;
    }
    const paragraphEnd = source.slice(start, to).search(/\n[ \t]*\n/);
    const end = paragraphEnd < 0 ? to : start + paragraphEnd;
    const close = new RegExp(`(?<!\`)\`{${length}}(?!\`)`, "g");
    close.lastIndex = start + length;
    const closing = close.exec(source);
    if (closing === null || closing.index >= end) continue;
    spans.push([start, closing.index + length]);
    run.lastIndex = closing.index + length;
  }
  return spans;
}

function backslashes(source: string, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && source[at - n - 1] === "\\") n++;
  return n;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line of offset `at`. */
function lineOf(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
