// The three markdown-it plugins ship no types; each is a plain markdown-it plugin function.
declare module "markdown-it-footnote" {
  import type { MarkdownIt } from "markdown-it";
  export default function footnote(md: MarkdownIt): void;
}
declare module "markdown-it-deflist" {
  import type { MarkdownIt } from "markdown-it";
  export default function deflist(md: MarkdownIt): void;
}
declare module "markdown-it-task-lists" {
  import type { MarkdownIt } from "markdown-it";
  export default function taskLists(md: MarkdownIt, options?: { enabled?: boolean; label?: boolean; labelAfter?: boolean }): void;
}
