import { parseFrontMatter, type FrontMatter } from "../content/front-matter.ts";
import { cleanStrings, cleanText } from "../content/text.ts";
import { markdownToText } from "../markdown/render.ts";
import type { Result } from "../problems.ts";

/**
 * The boundary every settings file (the site's `_index.md`, each section's) is read through:
 * every string in its front matter and its body pass `cleanText` here, once, before any schema or
 * feed sees them. A field added later is cleaned without anyone remembering to.
 */
export function parseSettingsMatter(file: string, source: string, textKeys: ReadonlySet<string>): Result<FrontMatter> {
  const split = parseFrontMatter(file, source, textKeys);
  if (!split.ok) return split;
  return { ...split, value: { ...split.value, data: cleanStrings(split.value.data), body: cleanText(split.value.body) } };
}

/** A settings file's body as plain text, for a description left unset (Markdown may decode to anything). */
export function bodyText(matter: FrontMatter): string {
  return cleanText(markdownToText(matter.body)).trim();
}

/**
 * What Hugo reads in a section's `_index.md` besides what feedwright does
 * (https://gohugo.io/content-management/front-matter/): the section page's own URL, dates,
 * layout and listing settings. They mean nothing to its feeds, so they are read silently, in a
 * section's `_index.md` and in the site's (which, for `--content content/posts`, is Hugo's page of
 * the section too).
 */
export const HUGO_SECTION_KEYS = ["url", "slug", "date", "lastmod", "publishDate", "expiryDate", "draft", "summary", "images", "layout", "sitemap", "paginate", "pagerSize", "linkTitle", "keywords", "cascade", "aliases", "weight", "type", "menu", "menus", "outputs", "params", "build", "_build", "headless", "translationKey"];
