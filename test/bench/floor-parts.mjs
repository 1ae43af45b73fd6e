// What the floors share: the article files of a content folder, and markdown-it as feedwright
// configures it. Plain JavaScript, loaded by plain `node` (no tsx).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import deflist from "markdown-it-deflist";
import footnote from "markdown-it-footnote";
import taskLists from "markdown-it-task-lists";

/** Every `.md` file under `root` but the `_index.md` settings files, sorted. */
export function articlePaths(root) {
  const paths = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".md") && entry.name !== "_index.md") paths.push(full);
    }
  };
  walk(root);
  return paths.sort();
}

/** markdown-it with feedwright's options and plugins. */
export const markdown = () => new MarkdownIt("default", { html: true, linkify: true, typographer: false }).use(footnote).use(deflist).use(taskLists);
