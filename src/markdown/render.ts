import MarkdownIt from "markdown-it";
import type { Token } from "markdown-it";
import { error, type Problem } from "../problems.ts";
import { sanitizeBody } from "./sanitize.ts";

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
   * Let raw HTML in the Markdown through, cleaned by `sanitizeBody` (site setting `html: true`).
   * Off by default: raw HTML is then written out as text.
   */
  readonly rawHtml?: boolean;
}

// CommonMark + GFM tables and strikethrough (both built in) + autolinks (linkify). Raw HTML is
// off: it is written out as text, and markdown-it's validateLink refuses javascript:, vbscript:,
// file: and non-image data: URLs.
const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false });
const mdWithHtml = new MarkdownIt("default", { html: true, linkify: true, typographer: false });

/** A line holding only this marker splits the excerpt from the rest (Jekyll, Hugo and Zola agree). */
const MORE = /^[ \t]*<!--\s*more\s*-->[ \t]*$/m;

export function renderMarkdown(markdown: string, options: RenderOptions): RenderedBody {
  const problems: Problem[] = [];
  const more = MORE.exec(markdown);
  const source = more === null ? markdown : markdown.slice(0, more.index) + markdown.slice(more.index + more[0].length);
  const parser = options.rawHtml === true ? mdWithHtml : md;
  const tokens = parser.parse(source, {});

  absolutizeUrls(tokens, options, problems);

  const excerptLines = more === null ? undefined : markdown.slice(0, more.index).split("\n").length - 1;
  const excerpt = excerptText(tokens, excerptLines);
  const rendered = parser.renderer.render(tokens, parser.options, {});
  const html = options.rawHtml === true ? sanitizeBody(rendered, options.baseUrl) : rendered;
  return { html, excerpt, problems };
}

/** Plain text of a Markdown fragment (the site description, a summary written in Markdown). */
export function markdownToText(markdown: string): string {
  return blockTexts(md.parse(markdown, {}), undefined).join(" ");
}

function absolutizeUrls(tokens: Token[], options: RenderOptions, problems: Problem[]): void {
  for (const block of tokens) {
    if (block.type !== "inline" || block.children === null) continue;
    const line = options.firstLine + (block.map?.[0] ?? 0);
    for (const token of block.children) {
      const attr = token.type === "link_open" ? "href" : token.type === "image" ? "src" : undefined;
      if (attr === undefined) continue;
      const value = token.attrGet(attr);
      if (value === null) continue;
      try {
        token.attrSet(attr, new URL(String(value), options.baseUrl).href);
      } catch {
        problems.push(error(options.file, line, "body", `link is not a valid URL (got ${JSON.stringify(value)})`));
      }
    }
  }
}

/** Text of the blocks before line `untilLine` of the source, or of the first paragraph. */
function excerptText(tokens: Token[], untilLine: number | undefined): string {
  const texts = blockTexts(tokens, untilLine);
  return untilLine === undefined ? (texts[0] ?? "") : texts.join(" ");
}

function blockTexts(tokens: Token[], untilLine: number | undefined): string[] {
  const texts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
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
