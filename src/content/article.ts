import type { DateTime } from "luxon";
import { z } from "zod";
import { error, failed, ok, warning, type Problem, type Result } from "../problems.ts";
import type { Site } from "../site/settings.ts";
import { checkedId } from "../site/settings.ts";
import { parseDate } from "./dates.ts";
import { issuesToProblems, text, unknownKeyWarnings } from "./fields.ts";
import { parseFrontMatter, type FrontMatter } from "./front-matter.ts";
import { isSafeSlug, permalink, slugFromFileName } from "./permalink.ts";
import { personSchema, type Person } from "./people.ts";
import { cleanText } from "./text.ts";
import { tagLimitProblems } from "../feeds/tags.ts";

/** An article read and checked, body not yet rendered: rendering waits until it is known to be needed. */
export interface Article {
  /** Where it came from, as shown in messages (`content/2023-04-12-news.md`). */
  readonly file: string;
  readonly title: string;
  readonly date: DateTime;
  readonly updated: DateTime | undefined;
  /** From `summary` or `description`; else derived from the body when rendered. */
  readonly summary: string | undefined;
  readonly authors: readonly Person[];
  readonly tags: readonly string[];
  readonly draft: boolean;
  readonly slug: string;
  readonly id: string;
  readonly url: string;
  readonly image: string | undefined;
  readonly lang: string | undefined;
  readonly body: string;
  readonly bodyLine: number;
}

/** A YAML list of tags, or one comma-separated string (as Hugo and Jekyll users write them). */
const tagList = z.unknown().transform((value, ctx): string[] => {
  if (typeof value === "string") return value.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
  if (!Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "expected a list of tags or one comma-separated string" });
    return [];
  }
  value.forEach((tag, i) => {
    if (typeof tag !== "string") ctx.addIssue({ code: "custom", path: [i], message: `each tag must be text; quote numbers and dates, as in "2023"` });
    else if (tag.trim() === "") ctx.addIssue({ code: "custom", path: [i], message: "a tag must not be empty" });
  });
  return value.filter((tag): tag is string => typeof tag === "string");
});

const flag = z.boolean({ error: "expected true or false" });

export const articleSchema = z.object({
  title: text().min(1, "must not be empty"),
  date: text("a date"),
  updated: text("a date").optional(),
  summary: text().optional(),
  description: text().optional(),
  author: personSchema.optional(),
  authors: z.array(personSchema, { error: "expected a list of authors" }).min(1, "expected at least one author").optional(),
  tags: tagList.optional(),
  draft: flag.optional(),
  slug: text().refine(isSafeSlug, `letters, digits, "-", "_", "." and "~" only, with no "/" or "..", and not a name Windows reserves (con, nul, com1, ...)`).optional(),
  id: text("a URI").optional(),
  image: text("a URL").optional(),
  lang: text("a language tag").refine(isLanguageTag, "expected a language tag like en or pt-BR").optional(),
});

const TEXT_KEYS = new Set(["title", "date", "updated", "summary", "description", "slug", "id", "image", "lang", "author"]);

/**
 * Pure: reads one article from its text. `file` names it in problems; `path` is its path under
 * the content folder, which gives the default slug.
 */
export function parseArticle(file: string, path: string, source: string, site: Site): Result<Article> {
  const split = parseFrontMatter(file, source, TEXT_KEYS);
  if (!split.ok) return failed(split.problems);
  const matter = split.value;
  const problems: Problem[] = unknownKeyWarnings(file, matter, Object.keys(articleSchema.shape));
  const parsed = articleSchema.safeParse(matter.data);
  if (!parsed.success) return failed([...issuesToProblems(file, matter, parsed.error.issues), ...problems]);
  const fm = parsed.data;
  const at = (key: string) => matter.lines.get(key);

  const date = readDate(file, matter, "date", fm.date, site.timezone, problems);
  const updated = fm.updated === undefined ? undefined : readDate(file, matter, "updated", fm.updated, site.timezone, problems);
  if (date !== undefined && updated !== undefined && updated < date) {
    problems.push(error(file, at("updated"), "updated", `is before date (${fm.date}); an update cannot precede publication`));
  }
  if (fm.author !== undefined && fm.authors !== undefined) {
    problems.push(error(file, at("authors"), "authors", `set author or authors, not both`));
  }
  if (fm.summary !== undefined && fm.description !== undefined) {
    problems.push(warning(file, at("description"), "description", `ignored: summary is set too`));
  }
  const fileName = path.split("/").pop() ?? path;
  const slug = fm.slug ?? slugFromFileName(fileName);
  if (slug === "") problems.push(error(file, 1, "slug", `cannot make a slug from the file name ${JSON.stringify(fileName)}; set slug:`));
  if (date === undefined || problems.some((p) => p.severity === "error")) return failed(problems);

  const url = permalink(site.permalink, site.url, slug, date);
  const id = fm.id === undefined ? url : checkedId(file, matter, fm.id, problems);
  let image: string | undefined;
  if (fm.image !== undefined) {
    try {
      image = new URL(fm.image, url).href;
    } catch {
      problems.push(error(file, at("image"), "image", `expected a URL (got ${JSON.stringify(fm.image)})`));
    }
  }
  const title = cleanText(fm.title).trim();
  if (title === "") problems.push(error(file, at("title"), "title", "must not be empty"));
  if (problems.some((p) => p.severity === "error")) return failed(problems);

  // Cleaned, then trimmed: " \u0001" passes the schema's trim and would become an empty name.
  const authors = (fm.authors ?? (fm.author === undefined ? [site.author] : [fm.author])).map((a) => ({ ...a, name: cleanText(a.name).trim() }));
  if (authors.some((a) => a.name === "")) problems.push(error(file, at(fm.authors === undefined ? "author" : "authors"), fm.authors === undefined ? "author" : "authors", "expected a name"));
  const tags = dedupe((fm.tags ?? []).map((tag) => cleanText(tag).trim()).filter((tag) => tag !== ""));
  for (const message of tagLimitProblems(tags, site.maxTags)) problems.push(error(file, at("tags"), "tags", message));
  if (problems.some((p) => p.severity === "error")) return failed(problems);

  const summary = fm.summary ?? fm.description;
  return ok(
    {
      file,
      title,
      date,
      updated,
      summary: summary === undefined ? undefined : cleanText(summary).trim(),
      authors,
      tags,
      draft: fm.draft ?? false,
      slug,
      id,
      url,
      image,
      lang: fm.lang === undefined ? undefined : Intl.getCanonicalLocales(fm.lang)[0],
      body: matter.body,
      bodyLine: matter.bodyLine,
    },
    problems,
  );
}

function readDate(file: string, matter: FrontMatter, key: string, value: string, zone: string, problems: Problem[]): DateTime | undefined {
  const parsed = parseDate(value, zone);
  if (parsed.ok) return parsed.value;
  problems.push(error(file, matter.lines.get(key), key, `${parsed.reason} (got ${JSON.stringify(value)})`));
  return undefined;
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}
