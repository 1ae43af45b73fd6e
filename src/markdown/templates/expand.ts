/**
 * Template code a generator would have run before Markdown (Jekyll's and Eleventy's Liquid,
 * Hugo's shortcodes), expanded here, also before Markdown, so `{% highlight %}` can become a
 * fenced code block. Code is left alone: fenced and indented code blocks (found by markdown-it
 * itself, so lists and quotes count) and inline code spans keep `{%` and `{{<` as written, which
 * is how a post about templates shows them. Which constructs count as template code is the site's
 * `templates` setting (context.ts); by default braces that are surely not (`{{ name }}` in a post
 * about Mustache, Go's `{{ .Title }}`, which Hugo shows as written) stay text. Whatever cannot be
 * expanded is a warning with its line, and the reader sees a visible "[unsupported …]" note in its
 * place, never the raw code; inside a URL the link is left out instead and its text stays.
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
  /** Markers standing in a URL for template code that gave none, with the note shown if one lands in text. */
  readonly deadUrls: ReadonlyMap<string, string>;
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
const OPENERS = /\{[{%]/g;
const ESCAPED = /\{\{(<|%)\/\*([\s\S]*?)\*\/(?:>|%)\}\}/y;

/** `source` with its template code expanded; unchanged when it holds none. */
export function expandTemplates(source: string, parser: MarkdownIt, options: ExpandOptions): Expanded {
  const context = options.context ?? EMPTY_CONTEXT;
  const engine = context.engine ?? "auto";
  if (engine === "none" || !OPENER.test(source)) return { markdown: source, fragments: new Map(), deadUrls: new Map(), problems: [] };
  const lines = lineStarts(source);
  const problems: Problem[] = [];
  const fragments = new Map<string, string>();
  const deadUrls = new Map<string, string>();
  // Private-use characters no Markdown rule touches, made longer until the source holds none.
  let mark = "\uE000";
  while (source.includes(mark)) mark += "\uE000";
  const expansion: Expansion = {
    context,
    engine,
    variables: new Map(),
    inUrl: false,
    baseUrl: options.baseUrl,
    problems,
    warn: (at, message, group) => problems.push({ ...warning(options.file, options.firstLine + lineOf(lines, at), "body", message), ...(group === undefined ? {} : { group }) }),
    html(fragment) {
      // HTML has no place in a URL: the link is left out, the fragment's text shown if it lands in text.
      if (this.inUrl) return this.placeholder(restoreFragmentText("\uE002", new Map([["\uE002", fragment]])));
      const key = `${mark}${fragments.size}\uE001`;
      fragments.set(key, options.clean(fragment));
      return key;
    },
    markdown: (text) => (/\n[ \t]*\n/.test(text.trim()) ? parser.render(text.trim()) : parser.renderInline(text.trim())),
    placeholder(label) {
      if (!this.inUrl) return escapeHtml(label);
      const key = `${mark}u${deadUrls.size}\uE001`;
      deadUrls.set(key, label);
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
    OPENERS.lastIndex = i;
    const found = OPENERS.exec(source)?.index ?? limit;
    if (found >= limit) {
      out += source.slice(i, limit);
      i = limit;
      continue;
    }
    out += source.slice(i, found);
    i = found;
    const step = expandAt(source, i, out, expansion);
    out = step.out;
    i = step.next;
  }
  return { markdown: out, fragments, deadUrls, problems };
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

/** The excerpt's text with each fragment's text in place of its placeholder, and each dead URL's note. */
export function restoreFragmentText(text: string, fragments: ReadonlyMap<string, string>, deadUrls: ReadonlyMap<string, string> = new Map()): string {
  let out = text;
  for (const [key, label] of deadUrls) out = out.split(key).join(label);
  for (const [key, fragment] of fragments) {
    if (!out.includes(key)) continue;
    const plain = fragment.replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
    out = out.split(key).join(plain);
  }
  return out;
}

/** Expands the construct at `at` (which starts with `{{` or `{%`), or steps over it as text. */
function expandAt(source: string, at: number, out: string, x: Expansion): { out: string; next: number } {
  const text = { out: out + "{", next: at + 1 };
  const three = source.slice(at, at + 3);
  const shortcodes = x.engine === "auto" || x.engine === "hugo";
  const liquid = x.engine === "auto" || x.engine === "liquid";
  x.inUrl = inUrl(out);
  if (shortcodes) {
    // Hugo's way of writing a shortcode literally: {{</* name */>}} shows {{< name >}}.
    ESCAPED.lastIndex = at;
    const escaped = ESCAPED.exec(source);
    if (escaped) {
      const [open, close] = escaped[1] === "<" ? ["{{<", ">}}"] : ["{{%", "%}}"];
      return { out: out + x.html(escapeHtml(`${open}${escaped[2]}${close}`)), next: at + escaped[0].length };
    }
    if (three === "{{<" || three === "{{%") {
      const call = readShortcode(source, at);
      if (call === undefined) return text;
      return shortcode(source, call, out, x);
    }
  }
  if (!liquid) return text;
  if (three.startsWith("{%")) {
    const end = source.indexOf("%}", at + 2);
    // A Liquid tag starts with its name: `{%` before anything else is text (`100{%`).
    if (end < 0 || (x.engine === "auto" && !x.inUrl && !/^\{%-?\s*[A-Za-z_]/.test(source.slice(at, at + 40)))) return text;
    return liquidTag(source, at, end + 2, out, x);
  }
  const end = source.indexOf("}}", at + 2);
  if (end < 0 || source.slice(at + 2, end).includes("\n\n")) return text;
  const value = liquidOutput(source.slice(at + 2, end), at, x);
  // Not template code (auto): the braces and what they hold stay as written.
  if (value === undefined) return { out: out + source.slice(at, end + 2), next: end + 2 };
  return { out: out + value, next: end + 2 };
}

/**
 * Whether `out` ends inside a URL: a Markdown link's destination or reference definition, or an
 * HTML attribute that holds one. Only its tail is looked at: a URL is not thousands of characters.
 */
function inUrl(out: string): boolean {
  const tail = out.slice(-2000);
  return /\]\(\s*<?(?:[^\s()<>]|\([^\s()<>]*\))*(?:\([^\s()<>]*)?$/.test(tail) || /(?:^|\n) {0,3}\[[^\]\n]+\]:[ \t]*<?[^\s<>]*$/.test(tail) || URL_ATTRIBUTE.test(tail);
}

const URL_ATTRIBUTE = /<[A-Za-z][\w-]*(?:\s+[^\s"'<>=\/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*\s+(?:href|src|srcset|poster|cite|action|formaction|background|longdesc|data)\s*=\s*(?:"[^"]*|'[^']*|[^\s"'<>]*)$/i;

/**
 * Takes out each URL a marker stands in: a dead URL's, or a fragment's that landed in one where
 * `inUrl` could not tell. A link keeps its text and loses its `href`, an image becomes its `alt`
 * text, any other attribute is dropped. A dead URL's marker that landed in text (the Markdown was
 * no link after all) shows its note.
 */
export function dropDeadUrls(html: string, deadUrls: ReadonlyMap<string, string>): string {
  if (!MARKER.test(html)) return html;
  let out = html.replace(/<([A-Za-z][\w-]*)((?:\s+[^\s"'<>=\/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*(\/?)>/g, (tag, name: string, attributes: string, slash: string) => {
    if (!MARKER.test(attributes)) return tag;
    if (name.toLowerCase() === "img") return /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attributes)?.slice(1).find((v) => v !== undefined) ?? "";
    const kept = attributes.replace(/\s+[^\s"'<>=\/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?/g, (attribute) => (MARKER.test(attribute) ? "" : attribute));
    return `<${name}${kept}${slash === "" ? "" : " /"}>`;
  });
  return out.replace(MARKERS, (marker) => {
    // The text before a marker may hold the marker's own character, as written or encoded: the key is the longest suffix that is one.
    const parts = marker.match(/\uE000|%EE%80%80|[^%\uE000]+|%EE%80%81/gi) ?? [];
    for (let i = 0; i < parts.length; i++) {
      const label = deadUrls.get(decodeURIComponent(parts.slice(i).join("")));
      if (label !== undefined) return parts.slice(0, i).join("") + escapeHtml(label);
    }
    return marker;
  });
}

/** Any marker of expandTemplates, as written or percent-encoded in a URL. */
const MARKER = /(?:\uE000|%EE%80%80)+u?\d+(?:\uE001|%EE%80%81)/i;
const MARKERS = new RegExp(MARKER.source, "gi");

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
