import MarkdownIt from "markdown-it";
import type { Env as MarkdownEnv, MarkdownIt as Parser, Token } from "markdown-it";
import htmlTags from "html-tags";
import deflist from "markdown-it-deflist";
import footnote from "markdown-it-footnote";
import taskLists from "markdown-it-task-lists";
import { error, warning, type Problem } from "../problems.ts";
import { feedUrl } from "./feed-url.ts";
import { kramdownAttributes } from "./kramdown.ts";
import { sanitizeBody } from "./sanitize.ts";
import type { TemplateContext } from "./templates/context.ts";
import { dropDeadUrls, expandTemplates, restoreFragments, restoreFragmentText } from "./templates/expand.ts";

/** An article body turned into what feeds carry. */
export interface RenderedBody {
  /** Full HTML, every URL absolute. */
  readonly html: string;
  /** Plain text: the part before `<!-- more -->`, else the first paragraph. */
  readonly excerpt: string;
  readonly problems: readonly Problem[];
}

export interface RenderOptions {
  /** Names the source in problems. */
  readonly file: string;
  /** Line of the file where `markdown` starts. */
  readonly firstLine: number;
  /** The article's own URL: relative links resolve against it, since readers ignore xml:base. */
  readonly baseUrl: string;
  /**
   * Raw HTML in the Markdown is rendered, cleaned by `sanitizeBody` (the default, site setting
   * `html: true`); false shows it as text.
   */
  readonly rawHtml?: boolean;
  /** What template code (Liquid, Hugo shortcodes) in the body may refer to. */
  readonly templates?: TemplateContext;
}

/** What one parse is told, and what it leaves behind. */
interface Env extends MarkdownEnv {
  /** Footnote ids are `fn-<docId>-1`: unique on a page that holds many articles (archives). */
  readonly docId: string;
  readonly baseUrl: string;
  /** 0-based source line where markdown-it's nesting limit cut the rest of a block off. */
  truncatedAt?: number;
}

/**
 * CommonMark + GFM tables and strikethrough (built in), autolinks (linkify), footnotes,
 * definition lists and task lists. HTML is always parsed as HTML, so linkify never reaches into a
 * tag's attributes; with `html: false` each tag is then written out as text. markdown-it's
 * validateLink refuses javascript:, vbscript:, file: and non-image data: URLs (they stay text);
 * what it lets through is then held to `feedUrl`'s rule by absolutizeUrls.
 */
function parser(rawHtml: boolean): Parser {
  const md = new MarkdownIt("default", { html: true, linkify: true, typographer: false }).use(footnote).use(deflist).use(taskLists).use(kramdownAttributes);
  if (!rawHtml) {
    const escape = md.utils.escapeHtml;
    md.renderer.rules.html_block = (tokens, idx) => `<p>${escape(tokens[idx]!.content.trim())}</p>\n`;
    md.renderer.rules.html_inline = (tokens, idx) => escape(tokens[idx]!.content);
  }
  // Fragment links point at the article's own URL, as every other relative link does.
  for (const rule of ["footnote_ref", "footnote_anchor"] as const) {
    const original = md.renderer.rules[rule]!;
    md.renderer.rules[rule] = (tokens, idx, options, env, self) =>
      original(tokens, idx, options, env, self).replace('href="#', `href="${md.utils.escapeHtml(String(env?.baseUrl ?? ""))}#`);
  }
  // markdown-it stops parsing a block nested deeper than maxNesting and drops the rest of the
  // document without a word; note where, so the article can be refused instead.
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state, startLine, endLine) => {
    if (state.level >= state.md.options.maxNesting) {
      const line = state.skipEmptyLines(startLine);
      const env = state.env;
      if (line < endLine && env.truncatedAt === undefined) env.truncatedAt = line;
    }
    tokenize(state, startLine, endLine);
  };
  return md;
}

const md = parser(false);
const mdWithHtml = parser(true);

/** A line holding only this marker splits the excerpt from the rest (Jekyll, Hugo and Zola agree). */
const MORE = /^[ \t]*<!--\s*more\s*-->[ \t]*$/m;

export function renderMarkdown(markdown: string, options: RenderOptions): RenderedBody {
  const rawHtml = options.rawHtml ?? true;
  const parser = rawHtml ? mdWithHtml : md;
  const expanded = expandTemplates(markdown, parser, {
    file: options.file,
    firstLine: options.firstLine,
    baseUrl: options.baseUrl,
    ...(options.templates === undefined ? {} : { context: options.templates }),
    clean: (html) => sanitizeBody(html, options.baseUrl),
  });
  const problems: Problem[] = [...expanded.problems];
  const text = expanded.markdown;
  const more = MORE.exec(text);
  const source = more === null ? text : text.slice(0, more.index) + text.slice(more.index + more[0].length);
  const env: Env = { docId: docId(options.baseUrl), baseUrl: options.baseUrl };
  const tokens = parser.parse(source, env);
  if (env.truncatedAt !== undefined) {
    problems.push(error(options.file, options.firstLine + env.truncatedAt, "body", `nested too deep: lists and quotes more than ${parser.options.maxNesting / 2} levels deep cannot be rendered, and the text from here on would be lost; nest less`));
  }

  absolutizeUrls(tokens, source, options, problems);
  checkboxes(tokens);
  if (rawHtml) literalUnknownTags(tokens, parser.utils.escapeHtml);

  const excerptLines = more === null ? undefined : text.slice(0, more.index).split("\n").length - 1;
  const excerpt = restoreFragmentText(excerptText(tokens, excerptLines), expanded.fragments, expanded.deadUrls);
  const rendered = parser.renderer.render(tokens, parser.options, env);
  // markdown-it's own output is safe (validateLink, and feedUrl in absolutizeUrls): only an article
  // holding raw HTML goes through the sanitizer, which would also re-serialise the rest.
  const html = dropDeadUrls(restoreFragments(rawHtml && holdsHtml(tokens) ? sanitizeBody(rendered, options.baseUrl) : rendered, expanded.fragments), expanded.deadUrls);
  return { html, excerpt, problems };
}

const HTML_TAGS: ReadonlySet<string> = new Set(htmlTags);
const TAG_NAME = /^<\/?([A-Za-z][A-Za-z0-9-]*)/;

/**
 * `Vec<T>`, `<angle>` or `<name@example.org>` in prose are tags to CommonMark, and the sanitizer
 * would drop them with nothing to show: a tag that names no HTML element stays text.
 */
function literalUnknownTags(tokens: Token[], escape: (text: string) => string): void {
  const unknown = (content: string, block: boolean) => {
    const name = TAG_NAME.exec(content)?.[1];
    // A custom element (`<is-land>…</is-land>`, a web component: its name holds a hyphen) opening
    // a block and closed in it is HTML; the sanitizer drops the tag and keeps what it may of its
    // content. Unclosed, or in a sentence, `<package-name>` is more likely a placeholder: text.
    if (name !== undefined && block && /^[a-z][a-z0-9]*-[a-z0-9-]*$/i.test(name) && content.toLowerCase().includes(`</${name.toLowerCase()}>`)) return false;
    return name !== undefined && !HTML_TAGS.has(name.toLowerCase());
  };
  for (const token of tokens) {
    if (token.type === "html_block" && unknown(token.content, true)) token.content = `<p>${escape(token.content.trim())}</p>\n`;
    if (token.type !== "inline" || token.children === null) continue;
    for (const child of token.children) if (child.type === "html_inline" && unknown(child.content, false)) child.type = "text";
  }
}

function holdsHtml(tokens: readonly Token[]): boolean {
  return tokens.some((t) => t.type === "html_block" || (t.type === "inline" && t.children?.some((c) => c.type === "html_inline") === true));
}

/** `fn-<docId>-1`: the article URL's path, so two articles on one archive page never share an id. */
function docId(baseUrl: string): string {
  let path: string;
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    path = baseUrl;
  }
  return path.replace(/\.html?$/, "").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "index";
}

/**
 * Task list boxes as ☐ and ☑: feed readers remove `<input>` elements (and text-only readers
 * have none), so a box written as a form control would lose whether the task is done.
 */
function checkboxes(tokens: Token[]): void {
  for (const block of tokens) {
    if (block.type !== "inline" || block.children === null) continue;
    const first = block.children[0];
    if (first?.type !== "html_inline" || !first.content.startsWith('<input class="task-list-item-checkbox"')) continue;
    first.type = "text";
    first.content = first.content.includes("checked") ? "\u2611" : "\u2610";
  }
}

/** Plain text of a Markdown fragment (the site description, a summary written in Markdown). */
export function markdownToText(markdown: string): string {
  return blockTexts(md.parse(markdown, {}), undefined).join(" ");
}

/**
 * Each link and image made absolute by `feedUrl`, the rule raw HTML goes through too. A refused URL
 * is removed and the element kept: a link keeps its words (an `<a>` without `href` is a
 * placeholder, HTML §4.5.1), an image its `alt`.
 */
function absolutizeUrls(tokens: Token[], source: string, options: RenderOptions, problems: Problem[]): void {
  let lines: string[] | undefined;
  // The lines of the block a link is in (a table cell's inline has none: its row's), and of those
  // the first that holds the URL as written: a link on a paragraph's third line is named there.
  let scope: [number, number] = [0, 1];
  const lineOf = (value: string): number => {
    lines ??= source.split("\n");
    const written = [value, safeDecode(value)];
    for (let at = scope[0]; at < Math.min(scope[1], lines.length); at++) if (written.some((w) => lines![at]!.includes(w))) return options.firstLine + at;
    return options.firstLine + scope[0];
  };
  for (const block of tokens) {
    if (block.map !== null) scope = [block.map[0], block.map[1]];
    if (block.type !== "inline" || block.children === null) continue;
    for (const token of block.children) {
      const attr = token.type === "link_open" ? "href" : token.type === "image" ? "src" : undefined;
      if (attr === undefined) continue;
      const value = token.attrGet(attr);
      if (value === null) continue;
      const url = feedUrl(String(value), options.baseUrl, attr === "href" ? "link" : "resource");
      if (url.ok) {
        token.attrSet(attr, url.url);
        continue;
      }
      token.attrs = token.attrs?.filter(([name]) => name !== attr) ?? null;
      const line = lineOf(String(value));
      if (url.scheme === undefined) problems.push(error(options.file, line, "body", `link is not a valid URL (got ${JSON.stringify(value)})`));
      else {
        const what = attr === "src" ? "the image is left out" : "the link is left out, its text kept";
        problems.push(warning(options.file, line, "body", `${url.scheme}: URLs are not allowed in feeds: ${what} (got ${JSON.stringify(String(value).slice(0, 40))})`));
      }
    }
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURI(value);
  } catch {
    return value;
  }
}

/** Text of the blocks before line `untilLine` of the source, or of the first paragraph. */
function excerptText(tokens: Token[], untilLine: number | undefined): string {
  return untilLine === undefined ? (blockTexts(tokens, undefined, 1)[0] ?? "") : blockTexts(tokens, untilLine).join(" ");
}

/** The text of each block (each paragraph, without `untilLine`), up to `most` of them. */
function blockTexts(tokens: Token[], untilLine: number | undefined, most = Number.POSITIVE_INFINITY): string[] {
  const texts: string[] = [];
  for (let i = 0; i < tokens.length && texts.length < most; i++) {
    const token = tokens[i]!;
    if (untilLine !== undefined && (token.map?.[0] ?? 0) >= untilLine) break;
    if (untilLine === undefined && token.type !== "paragraph_open") continue;
    if (token.type === "inline" || (untilLine === undefined && tokens[i + 1]?.type === "inline")) {
      const inline = token.type === "inline" ? token : tokens[++i]!;
      const text = inlineText(inline.children ?? []).trim();
      if (text !== "") texts.push(text);
    } else if ((token.type === "fence" || token.type === "code_block") && untilLine !== undefined) {
      const text = token.content.trim();
      if (text !== "") texts.push(text);
    }
  }
  return texts;
}

function inlineText(children: readonly Token[]): string {
  let text = "";
  for (const child of children) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
    else if (child.type === "image") text += inlineText(child.children ?? []);
  }
  return text.replace(/\s+/g, " ");
}
