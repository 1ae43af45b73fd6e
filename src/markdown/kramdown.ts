import type { MarkdownIt, Token } from "markdown-it";

/**
 * The attribute lists of kramdown (Jekyll's Markdown) and of Hugo's goldmark, which CommonMark
 * reads as text, so that feeds showed them as written:
 *
 * - `{: .note}` on the line under a paragraph, or alone between blocks;
 * - `[text](url){:target="_blank"}`, `![alt](src){: width="300"}` right after a link, an image or
 *   emphasis;
 * - `## Title {#id .class}` at the end of a heading (goldmark's heading attributes too);
 * - `{:toc}` under a one-item list (`* TOC`), which kramdown replaces with the page's table of
 *   contents: the list goes;
 * - kramdown's extensions: `{::comment}…{:/comment}` with what is between, `{::options … /}`, and the
 *   markers of `{::nomarkdown}…{:/nomarkdown}`.
 *
 * They style the site's page, and a feed reader has no use for them: they are left out, never
 * applied (an attribute list may carry any attribute, `onclick` too). Only text is looked at, so
 * code spans and blocks keep them; and only what has an attribute list's shape (classes, ids,
 * `key=value`, a reference name), so prose such as `{:a => 1}` stays.
 */
const ITEM = String.raw`(?:\.[\w-]+|#[\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+)|[\w-]+)`;
/** An item marked as one (a class, an id, `key=value`): what a list without kramdown's colon must hold, so that `## Using {braces}` stays. */
const MARKED = String.raw`(?:\.[\w-]+|#[\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+))`;
/** `{: …}` or `{:…}` (kramdown), anywhere a span may have one. */
const IAL = new RegExp(String.raw`\{:[ \t]*(?:${ITEM}[ \t]*)*\}`, "g");
/** At the end of a line of text, with the blanks before it. */
const IAL_AT_END = new RegExp(String.raw`[ 	]*\{:[ 	]*(?:${ITEM}[ 	]*)*\}[ 	]*$`);
/** At the end of a heading, with or without the colon (goldmark: `{#id .class}`). */
const HEADING_IAL = new RegExp(String.raw`[ \t]*(?:\{:[ \t]*(?:${ITEM}[ \t]*)*|\{[ \t]*(?:${MARKED}[ \t]*)+)\}[ \t]*$`);
const TOC = /\{:[ \t]*toc[ \t]*\}/;
const COMMENT_START = "{::comment}";
const COMMENT_END = "{:/comment}";
const EXTENSIONS = /\{::options\b[^}]*\/\}|\{::nomarkdown\}|\{:\/nomarkdown\}|\{:\/\}/g;

export function kramdownAttributes(md: MarkdownIt): void {
  // After text_join (the last core rule), so that an attribute list is one text token.
  md.core.ruler.push("kramdown_attributes", (state) => {
    state.tokens = leftOut(state.tokens);
  });
}

function leftOut(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // `* TOC` and `{:toc}`: a list of one item that stands for the table of contents.
    if ((token.type === "bullet_list_open" || token.type === "ordered_list_open") && isTocList(tokens, i)) {
      i = closingOf(tokens, i);
      continue;
    }
    if (token.type === "inline" && token.children !== null) {
      const heading = tokens[i - 1]?.type === "heading_open";
      token.children = cleaned(token.children, heading);
      // A paragraph that held only an attribute list (or a comment) is no paragraph.
      if (tokens[i - 1]?.type === "paragraph_open" && tokens[i + 1]?.type === "paragraph_close" && token.children.every((c) => c.type === "text" && c.content.trim() === "")) {
        kept.pop();
        i++;
        continue;
      }
    }
    kept.push(token);
  }
  return kept;
}

function cleaned(children: Token[], heading: boolean): Token[] {
  // A comment may run over several lines of the paragraph: all it holds goes, text or not.
  let inComment = false;
  for (const child of children) {
    if (child.type !== "text") {
      if (inComment) child.type = "text", child.content = "";
      continue;
    }
    let text = "";
    let rest = child.content;
    for (;;) {
      if (inComment) {
        const end = rest.indexOf(COMMENT_END);
        if (end === -1) break;
        rest = rest.slice(end + COMMENT_END.length);
        inComment = false;
      }
      const start = rest.indexOf(COMMENT_START);
      if (start === -1) {
        text += rest;
        break;
      }
      text += rest.slice(0, start);
      rest = rest.slice(start + COMMENT_START.length);
      inComment = true;
    }
    child.content = text.replace(EXTENSIONS, "").replace(IAL_AT_END, "").replace(IAL, "");
  }
  if (heading) {
    const last = children[children.length - 1];
    if (last?.type === "text") last.content = last.content.replace(HEADING_IAL, "");
  }
  // A line break left in front of what was a block attribute list's line, or at either end.
  const out = children.filter((c) => c.type !== "text" || c.content !== "");
  const isBreak = (t: Token | undefined) => t?.type === "softbreak" || t?.type === "hardbreak";
  while (isBreak(out[out.length - 1])) out.pop();
  while (isBreak(out[0])) out.shift();
  return out;
}

function isTocList(tokens: readonly Token[], open: number): boolean {
  const close = closingOf(tokens, open);
  const items = tokens.slice(open, close).filter((t) => t.type === "list_item_open" && t.level === tokens[open]!.level + 1);
  return items.length === 1 && tokens.slice(open, close).some((t) => t.type === "inline" && TOC.test(t.content));
}

/** The index of the token that closes the one opened at `open`. */
function closingOf(tokens: readonly Token[], open: number): number {
  const level = tokens[open]!.level;
  for (let j = open + 1; j < tokens.length; j++) if (tokens[j]!.level === level && tokens[j]!.nesting === -1) return j;
  return tokens.length - 1;
}
