import type { MarkdownIt, Token } from "markdown-it";

/**
 * The attribute lists of kramdown (Jekyll's Markdown) and of Hugo's goldmark, which CommonMark
 * reads as text, so that feeds showed them as written. Left out, only where kramdown reads them:
 *
 * - a span list right after a link, an image, emphasis or code: `[text](url){:target="_blank"}`;
 * - a block list on a line of its own, under a paragraph or alone: `{: .note}`;
 * - a list at the end of a heading: `## Title {#id .class}` (goldmark's too) or `{: …}`;
 * - `{:toc}` as the last line of a list's only item (`* TOC`), which kramdown replaces with the
 *   page's table of contents: the list goes;
 * - kramdown's `{::comment}` … `{:/comment}`, with what is between (in one paragraph, or from a
 *   paragraph that opens it to one that closes it: never when it is not closed), and
 *   `{::options … /}`, `{::nomarkdown}`, `{:/nomarkdown}` on lines of their own.
 *
 * They style the site's page, and a feed reader has no use for them: never applied (an attribute
 * list may carry any attribute, `onclick` too). Code keeps them, and text that only looks like
 * one stays where kramdown shows it too (`Ruby's {:key=>value}`, `\{: .x}` mid-sentence).
 */
const ITEM = String.raw`(?:\.[\w-]+|#[\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}>=]+)|[\w-]+)`;
/** An item marked as one (a class, an id, `key=value`): what a list without kramdown's colon must hold, so that `## Using {braces}` stays. */
const MARKED = String.raw`(?:\.[\w-]+|#[\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}>=]+))`;
const LIST = String.raw`\{:[ \t]*(?:${ITEM}[ \t]*)*\}`;
/** Span lists, at the start of the text that follows an element (`{:.a}{:.b}`). */
const SPAN_IAL = new RegExp(String.raw`^(?:${LIST})+`);
/** An attribute list definition (`{:ref: .cls}`), which names a list for later use. */
const ALD = String.raw`\{:[\w-]+:[^}\n]*\}`;
/** A line that is nothing but lists (or kramdown's one-line extensions). */
const LINE_IAL = new RegExp(String.raw`^[ \t]*(?:(?:${LIST}|${ALD}|\{::options\b[^}\n]*/\}|\{::nomarkdown\}|\{:/nomarkdown\})[ \t]*)+$`);
/** `{::nomarkdown}` … `{:/nomarkdown}` markers, anywhere: what is between is HTML either way. */
const NOMARKDOWN = /\{::nomarkdown\}|\{:\/nomarkdown\}/g;
/** At the end of a heading: an id as kramdown reads it (`{#id}`), or goldmark's list (`{#id .class}`, without the colon). */
const HEADING_IAL = new RegExp(String.raw`[ \t]*\{[ \t]*(?:${MARKED}[ \t]*)+\}[ \t]*$`);
const TOC = /^[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*$/;
const COMMENT_START = "{::comment}";
const COMMENT_END = "{:/comment}";
/** Elements a span list follows. */
const SPAN_OWNERS = new Set(["link_close", "image", "em_close", "strong_close", "s_close", "code_inline"]);

export function kramdownAttributes(md: MarkdownIt): void {
  // After text_join (the last core rule), so that a list is one text token.
  md.core.ruler.push("kramdown_attributes", (state) => {
    // Most bodies hold none: every list, id or extension starts with `{:`, `{#` or `{.` (a tenth of
    // the parse's time went to looking, 600 bodies in 240 ms against 190 ms).
    if (!/\{[:#.]/.test(state.src)) return;
    state.tokens = leftOut(state.tokens, state.src);
  });
}

/** The text of an inline token's children, line by line (a soft or hard break ends a line). */
function lineTexts(children: readonly Token[]): string[] {
  return linesOf(children).map((line) => line.map((c) => (c.type === "text" ? c.content : isBreak(c) ? "" : "\u0000")).join(""));
}

const isBreak = (t: Token | undefined): boolean => t?.type === "softbreak" || t?.type === "hardbreak";

/** An inline token's children cut into lines: each line after the first starts with the break before it. */
function linesOf(children: readonly Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const child of children) {
    if (isBreak(child)) lines.push([child]);
    else lines[lines.length - 1]!.push(child);
  }
  return lines;
}

function leftOut(tokens: Token[], src: string): Token[] {
  const toc = /\{:[ \t]*toc/.test(src);
  const comments = src.includes(COMMENT_START);
  const kept: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (toc && (token.type === "bullet_list_open" || token.type === "ordered_list_open") && isTocList(tokens, i)) {
      i = closingOf(tokens, i);
      continue;
    }
    // A list on the line under a table is read as one more row: that row goes.
    if (token.type === "tr_open" && tokens[i + 2]?.type === "inline" && tokens[i + 2]!.content.includes("{")) {
      const close = closingOf(tokens, i);
      const cells = tokens.slice(i, close).filter((t) => t.type === "inline");
      if (cells.length > 0 && LINE_IAL.test(cells[0]!.content) && cells.slice(1).every((c) => c.content.trim() === "")) {
        i = close;
        continue;
      }
    }
    // A comment opened by a paragraph: everything up to its closing marker goes; what follows the
    // marker in that paragraph stays.
    if (comments && token.type === "paragraph_open" && tokens[i + 1]?.type === "inline" && tokens[i + 1]!.content.includes(COMMENT_START)) {
      const first = lineTexts(tokens[i + 1]!.children ?? [])[0]!.trim();
      if (first.startsWith(COMMENT_START) && !tokens[i + 1]!.content.includes(COMMENT_END)) {
        const end = commentEnd(tokens, i + 3);
        if (end !== undefined) {
          afterComment(tokens[end]!);
          // On to the closing paragraph's own opening token, then its rest.
          i = end - 2;
          continue;
        }
      }
    }
    if (token.type === "inline" && token.children !== null && token.content.includes("{")) {
      token.children = cleaned(token.children, tokens[i - 1]?.type === "heading_open");
      // A paragraph that held only lists (or a comment) is no paragraph.
      if (tokens[i - 1]?.type === "paragraph_open" && tokens[i + 1]?.type === "paragraph_close" && token.children.length === 0) {
        kept.pop();
        i++;
        continue;
      }
    }
    kept.push(token);
  }
  return kept;
}

/** The index of the `inline` of the first paragraph from `from` that holds a comment's closing marker. */
function commentEnd(tokens: readonly Token[], from: number): number | undefined {
  for (let j = from; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.type === "inline" && tokens[j - 1]?.type === "paragraph_open" && t.children !== null && t.children.some((c) => c.type === "text" && c.content.includes(COMMENT_END))) return j;
  }
  return undefined;
}

/** Leaves in a paragraph only what follows a comment's closing marker. */
function afterComment(inline: Token): void {
  const children = inline.children ?? [];
  const at = children.findIndex((c) => c.type === "text" && c.content.includes(COMMENT_END));
  const marker = children[at]!;
  marker.content = marker.content.slice(marker.content.indexOf(COMMENT_END) + COMMENT_END.length);
  inline.children = children.slice(at);
}

function cleaned(children: Token[], heading: boolean): Token[] {
  let out = [...children];
  // A comment within the paragraph, closed in it: what is between goes, markup and all.
  const start = out.findIndex((c) => c.type === "text" && c.content.includes(COMMENT_START));
  const endAt = start === -1 ? -1 : out.findIndex((c, k) => k >= start && c.type === "text" && c.content.indexOf(COMMENT_END, k === start ? out[start]!.content.indexOf(COMMENT_START) : 0) !== -1);
  if (start !== -1 && endAt !== -1) {
    const head = out[start]!.content.slice(0, out[start]!.content.indexOf(COMMENT_START));
    const tailText = out[endAt]!.content;
    const tail = tailText.slice(tailText.indexOf(COMMENT_END, endAt === start ? tailText.indexOf(COMMENT_START) : 0) + COMMENT_END.length);
    const merged = Object.assign(Object.create(Object.getPrototypeOf(out[start]!)) as Token, out[start]!, { content: head + tail });
    out = [...out.slice(0, start), merged, ...out.slice(endAt + 1)];
  }
  // A span list right after the element it styles; nomarkdown's markers anywhere.
  for (let k = 0; k < out.length; k++) {
    const child = out[k]!;
    if (child.type !== "text") continue;
    if (k > 0 && SPAN_OWNERS.has(out[k - 1]!.type)) child.content = child.content.replace(SPAN_IAL, "");
    child.content = child.content.replace(NOMARKDOWN, "");
  }
  // Lines that are nothing but lists.
  out = linesOf(out)
    .filter((line) => {
      const texts = line.filter((c) => !isBreak(c));
      return !(texts.length > 0 && texts.every((c) => c.type === "text") && LINE_IAL.test(texts.map((c) => c.content).join("")));
    })
    .flat();
  if (heading) {
    const last = out[out.length - 1];
    if (last?.type === "text") last.content = last.content.replace(HEADING_IAL, "");
  }
  out = out.filter((c) => c.type !== "text" || c.content !== "");
  while (isBreak(out[out.length - 1])) out.pop();
  while (isBreak(out[0])) out.shift();
  return out;
}

/** A list whose last item's text ends with a line `{:toc}`: kramdown puts the table of contents in its place. */
function isTocList(tokens: readonly Token[], open: number): boolean {
  const close = closingOf(tokens, open);
  const inner = tokens.slice(open + 1, close);
  const inline = inner.findLast((t) => t.type === "inline");
  if (inline === undefined) return false;
  const lines = lineTexts(inline.children ?? []);
  return lines.length > 1 && TOC.test(lines[lines.length - 1]!);
}

/** The index of the token that closes the one opened at `open`. */
function closingOf(tokens: readonly Token[], open: number): number {
  const level = tokens[open]!.level;
  for (let j = open + 1; j < tokens.length; j++) if (tokens[j]!.level === level && tokens[j]!.nesting === -1) return j;
  return tokens.length - 1;
}
