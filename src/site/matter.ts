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
