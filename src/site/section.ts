import * as z from "zod";
import { issuesToProblems, text, trimmedText, unknownKeyWarnings } from "../content/fields.ts";
import { permalinkPattern } from "../content/permalink.ts";
import { GENERATOR_KEYS } from "../content/article.ts";
import { folderName } from "../feeds/folder-name.ts";
import { error, failed, ok, type Result } from "../problems.ts";
import { bodyText, HUGO_SECTION_KEYS, parseSettingsMatter } from "./matter.ts";

/** A subfolder of the content folder with its own `_index.md`: it gets feeds of its own. */
export interface Section {
  readonly file: string;
  /** Its folder under the content folder, `/`-separated (`notes`, `notes/short`). */
  readonly path: string;
  /** Its folder under the output folder, ending in `/` (`notes/`). */
  readonly folder: string;
  readonly title: string;
  readonly description: string;
  /** Whether its articles also appear in the site feed. */
  readonly inSiteFeed: boolean;
  /** The URL pattern of its articles, when it sets one (else the site's). */
  readonly permalink: string | undefined;
}

export const sectionSchema = z.object({
  title: trimmedText().min(1, "must not be empty"),
  description: text().optional(),
  inSiteFeed: z.boolean({ error: "expected true or false" }).default(true),
  permalink: permalinkPattern.optional(),
});

/** Pure: reads a section's `_index.md`; `path` is the section's folder under the content folder. */
export function parseSection(file: string, path: string, source: string): Result<Section> {
  const split = parseSettingsMatter(file, source, new Set(["title", "description", "permalink"]));
  if (!split.ok) return failed(split.problems);
  const matter = split.value;
  const warnings = unknownKeyWarnings(file, matter, [...Object.keys(sectionSchema.shape), ...HUGO_SECTION_KEYS, ...GENERATOR_KEYS]);
  const parsed = sectionSchema.safeParse(matter.data);
  if (!parsed.success) return failed([...issuesToProblems(file, matter, parsed.error.issues), ...warnings]);
  const segments = path.split("/").map(folderName);
  return ok(
    {
      file,
      path,
      folder: `${segments.join("/")}/`,
      title: parsed.data.title,
      description: (parsed.data.description ?? bodyText(matter)).trim() || parsed.data.title,
      inSiteFeed: parsed.data.inSiteFeed,
      permalink: parsed.data.permalink,
    },
    warnings,
  );
}

/** The section an article belongs to: the deepest section folder that holds it. */
export function sectionOf(articlePath: string, sections: readonly Section[]): Section | undefined {
  let best: Section | undefined;
  for (const section of sections) {
    if (articlePath.startsWith(`${section.path}/`) && (best === undefined || section.path.length > best.path.length)) best = section;
  }
  return best;
}
