import { DateTime } from "luxon";
import * as z from "zod";
import { error, failed, ok, shown, warning, type Problem, type Result } from "../problems.ts";
import type { Site } from "../site/settings.ts";
import { checkedId } from "../site/settings.ts";
import { resolveLink } from "../site/urls.ts";
import { parseDate } from "./dates.ts";
import { didYouMean } from "../did-you-mean.ts";
import { issuesToProblems, parseFields, text, withoutRepeats } from "./fields.ts";
import { parseFrontMatter, type FrontMatter } from "./front-matter.ts";
import { mergeData, type DataLayer } from "./directory-data.ts";
import { isSafeSlug, permalink, placeOf } from "./permalink.ts";
import { personSchema, type Person } from "./people.ts";
import { cleanLine, cleanText, trimSpace } from "./text.ts";
import { tagLimitProblems } from "../feeds/tags.ts";

/** An article read and checked, body not yet rendered: rendering waits until it is known to be needed. */
export interface Article {
  /** Where it came from, as shown in messages (`content/2023-04-12-news.md`). */
  readonly file: string;
  readonly title: string;
  readonly date: DateTime;
  readonly updated: DateTime | undefined;
  /** Not published before this instant (Hugo's `publishDate`), when later than `date`. */
  readonly publishDate: DateTime | undefined;
  /** Not published from this instant on (Hugo's `expiryDate`). */
  readonly expiryDate: DateTime | undefined;
  /** From `summary`, `excerpt` or `description`; else derived from the body when rendered. */
  readonly summary: string | undefined;
  readonly authors: readonly Person[];
  readonly tags: readonly string[];
  /** Written as categories in every format beside the tags; they get no feeds of their own. */
  readonly categories: readonly string[];
  /** Held back: `draft: true`, `published: false`, Jekyll's `_drafts/`, Eleventy's `permalink: false`. */
  readonly draft: boolean;
  readonly slug: string;
  readonly id: string;
  readonly url: string;
  /** A link post's subject (`link`): JSON Feed `external_url`, Atom and RSS as set out in docs/migrating.md. */
  readonly externalUrl: string | undefined;
  readonly image: string | undefined;
  readonly lang: string | undefined;
  /** Front-matter keys this article has that feedwright does not read, with their lines: one warning per key per build. */
  readonly unknownKeys: Readonly<Record<string, number>>;
  /** The front matter as written, for the body's template code only (`{{ page.x }}`, Eleventy's `{{ x }}`). */
  readonly frontMatter: Readonly<Record<string, unknown>>;
  readonly body: string;
  readonly bodyLine: number;
}

/** Whether an article is in the feeds at `now`: not held back, its publication time reached, not expired. */
export function isPublished(article: Pick<Article, "draft" | "date" | "publishDate" | "expiryDate">, now: DateTime): boolean {
  return !article.draft && (article.publishDate ?? article.date) <= now && (article.expiryDate === undefined || now < article.expiryDate);
}

/**
 * The instants (ms) around `now` between which no article enters or leaves the feeds: `from` is
 * the latest publication or expiry time at or before now, `until` the earliest after it (null:
 * none). For every now in [from, until), `isPublished` says of each article what it says at `now`.
 */
export function statusWindow(articles: readonly Pick<Article, "draft" | "date" | "publishDate" | "expiryDate">[], now: DateTime): { from: number | null; until: number | null } {
  const at = now.toMillis();
  let from = -Infinity;
  let until = Infinity;
  for (const article of articles) {
    if (article.draft) continue;
    for (const time of [(article.publishDate ?? article.date).toMillis(), article.expiryDate?.toMillis()]) {
      if (time === undefined) continue;
      if (time <= at) from = Math.max(from, time);
      else until = Math.min(until, time);
    }
  }
  return { from: from === -Infinity ? null : from, until: until === Infinity ? null : until };
}

/** One string of tags or categories as Jekyll reads it: split at commas, or at white space when it holds no comma (`tags: ruby jekyll`). */
export function splitWords(value: string): string[] {
  return value.split(value.includes(",") ? "," : /\s+/).map(trimSpace).filter((word) => word !== "");
}

/** A YAML list, or one string of words (`splitWords`). */
const wordList = (one: string, what: string) =>
  z.unknown().transform((value, ctx): string[] => {
    if (typeof value === "string") return splitWords(value);
    if (!Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: `expected a list of ${what} or one comma- or space-separated string` });
      return [];
    }
    value.forEach((word, i) => {
      if (typeof word !== "string") ctx.addIssue({ code: "custom", path: [i], message: `each ${one} must be text; quote numbers and dates, as in "2023"` });
    });
    // An empty one is kept here, for parseArticle to name in a warning (emptyWords) and leave out.
    return value.filter((word): word is string => typeof word === "string");
  });

/** Jekyll's singular `tag:` and `category:`: the whole value is one. */
const oneWord = text().transform((value) => [value]);

const flag = z.boolean({ error: "expected true or false" });
const date = text("a date");

/** jekyll-seo-tag writes `image: { path: …, alt: … }`. */
const imageRef = z.union([text("a URL"), z.object({ path: text("a URL") }, { error: "expected a URL, or a map with path" }).transform((image) => image.path)], { error: "expected a URL, or a map with path" });

export const articleSchema = z.object({
  title: text().min(1, "must not be empty"),
  date: date.optional(),
  pubDate: date.optional(),
  updated: date.optional(),
  lastmod: date.optional(),
  last_modified_at: date.optional(),
  updatedDate: date.optional(),
  publishDate: date.optional(),
  expiryDate: date.optional(),
  summary: text().optional(),
  excerpt: text().optional(),
  description: text().optional(),
  author: personSchema.optional(),
  authors: z.array(personSchema, { error: "expected a list of authors" }).min(1, "expected at least one author").optional(),
  tags: wordList("tag", "tags").optional(),
  tag: oneWord.optional(),
  categories: wordList("category", "categories").optional(),
  category: oneWord.optional(),
  draft: flag.optional(),
  published: z.union([z.boolean(), date], { error: "expected true or false (Jekyll), or a date (Hugo's publishDate)" }).optional(),
  eleventyExcludeFromCollections: flag.optional(),
  slug: text().refine(isSafeSlug, `letters, digits, "-", "_", "." and "~" only, with no "/" or "..", and not a name Windows reserves (con, nul, com1, ...)`).optional(),
  permalink: z.union([text("a path like /2016/03/news.html"), z.literal(false)], { error: "expected a path like /2016/03/news.html, or false" }).optional(),
  url: text("a path like /2016/03/news/").optional(),
  id: text("a URI").optional(),
  link: text("an absolute http(s) URL").optional(),
  // JSON Feed's own name for it, which some sites write in front matter (Eleventy's blog).
  external_url: text("an absolute http(s) URL").optional(),
  image: imageRef.optional(),
  images: z.array(imageRef, { error: "expected a list of image URLs" }).optional(),
  heroImage: imageRef.optional(),
  lang: text("a language tag").refine(isLanguageTag, "expected a language tag like en or pt-BR").optional(),
});

type Key = keyof typeof articleSchema.shape;

const TEXT_KEYS = new Set<string>(["title", "date", "pubDate", "updated", "lastmod", "last_modified_at", "updatedDate", "publishDate", "expiryDate", "summary", "excerpt", "description", "slug", "id", "image", "heroImage", "lang", "author", "tag", "category", "url", "link", "external_url"]);

/** Keys that say the same thing, first one set wins: Jekyll's, Hugo's and Astro's names for it. */
const DATE_KEYS = ["date", "pubDate"] as const satisfies readonly Key[];
const UPDATED_KEYS = ["updated", "lastmod", "last_modified_at", "updatedDate"] as const satisfies readonly Key[];
const SUMMARY_KEYS = ["summary", "excerpt", "description"] as const satisfies readonly Key[];
const SAME: readonly (readonly Key[])[] = [DATE_KEYS, UPDATED_KEYS, SUMMARY_KEYS];

/**
 * The front-matter keys that make each part of a JSON Feed item, in the order a change is blamed
 * (`check` on a pull request annotates the first one present): what a reader knows an item by
 * first (its id, then its URL: `permalink:`, `url:` or `slug:`), then what it shows.
 */
export const ITEM_SOURCES: readonly (readonly [item: string, keys: readonly string[]])[] = [
  ["id", ["id"]],
  ["url", ["permalink", "url", "slug"]],
  ["date_published", [...DATE_KEYS, "publishDate", "published"]],
  ["title", ["title"]],
  ["date_modified", UPDATED_KEYS],
  ["external_url", ["link", "external_url"]],
  ["summary", SUMMARY_KEYS],
  ["authors", ["authors", "author"]],
  ["tags", ["tags", "tag", "categories", "category"]],
  ["image", ["image", "images", "heroImage"]],
  ["banner_image", ["image", "images", "heroImage"]],
  ["language", ["lang"]],
];

/**
 * Keys the generators feedwright reads from use for pages, menus and templates, which mean
 * nothing in a feed: read silently, never a warning (docs/migrating.md lists them). Keys a site
 * adds on top are silenced by its `ignoreKeys` setting.
 */
export const GENERATOR_KEYS: ReadonlySet<string> = new Set([
  // Jekyll and its common plugins (jekyll-seo-tag, jekyll-redirect-from, jekyll-sitemap)
  "layout", "excerpt_separator", "redirect_from", "redirect_to", "sitemap", "comments", "share", "seo",
  // Hugo (https://gohugo.io/content-management/front-matter/)
  "aliases", "weight", "type", "linkTitle", "keywords", "menu", "menus", "outputs", "resources", "params", "markup", "headless", "build", "_build", "cascade", "isCJKLanguage", "translationKey", "series", "toc", "math",
  // Eleventy (https://www.11ty.dev/docs/data-configuration/)
  "eleventyNavigation", "eleventyComputed", "eleventyImport", "pagination", "templateEngineOverride", "dynamicPermalink", "permalinkBypassOutputDir",
]);

/** What reading an article needs besides its text: the site, and the permalink pattern of its section if it sets one. */
export interface ReadContext {
  readonly site: Site;
  /** The pattern the article's section sets (its `_index.md`), else the site's. */
  readonly permalink?: string;
  /** A page bundle's featured image file beside its `index.md` (`featured.png`), the image when front matter names none. */
  readonly bundleImage?: string;
  /** Eleventy's directory and template data files that apply to it, lowest priority first: its front matter wins. */
  readonly data?: readonly DataLayer[];
  /** `--drafts` (a preview): drafts are published, so a draft's problems are errors, as any article's. */
  readonly drafts?: boolean;
}

/**
 * A draft left out because its other fields have problems (each then a warning): what could be
 * read of which article it is, for the id guard, which takes a draft for a deliberate withdrawal.
 */
export interface LeftOutDraft {
  readonly title: string | undefined;
  readonly id: string | undefined;
  readonly url: string | undefined;
}

/**
 * An article read, or its problems; for a draft left out, what could be read of it. A failed one
 * hands back its unknown keys with their lines (`unknownKeys`) to be counted in the build's one
 * warning per key, save those near a known key (`dtae`), named at once beside its errors.
 */
export type ArticleResult = Result<Article> & { readonly leftOut?: LeftOutDraft; readonly unknownKeys?: Readonly<Record<string, number>> };

/** Whether an article is held back: the one place that says so (docs/migrating.md, "Held back"). */
function heldBack(fm: Partial<z.infer<typeof articleSchema>>, place: ReturnType<typeof placeOf>): boolean {
  return fm.draft === true || fm.published === false || fm.permalink === false || fm.eleventyExcludeFromCollections === true || place.inDrafts;
}

const LEFT_OUT = "the article is a draft, so it is left out until this is fixed";

/**
 * A draft's problems when it is left out: it is never published, so its errors do not stop the
 * build, but are warnings saying so. Only a value that could be read makes it a draft
 * (`heldBack`): `draft: maybe` alone does not, and is an error with the rest; beside
 * `published: false` (or `draft: true` beside `permalink: 42`) it is one more problem of a draft.
 */
function asDraftProblems(problems: readonly Problem[]): Problem[] {
  return problems.map((p) => (p.severity !== "error" ? p : { ...p, severity: "warning", message: `${p.message}; ${LEFT_OUT}` }));
}

/**
 * The front matter as the generator saw it: the data files' defaults merged under it (Eleventy's
 * data cascade), then the site's `fields` applied (`title: newstitle`: the title is read from
 * `newstitle`, where the posts keep it, else from `title`). Keys given a line only where the
 * article itself writes them.
 */
function effectiveMatter(matter: FrontMatter, context: ReadContext): FrontMatter & { readonly origins: ReadonlyMap<string, string> } {
  const layers = context.data ?? [];
  // Most articles: no data file above them and no fields mapped, so nothing comes from elsewhere.
  if (layers.length === 0 && !keysOf(context.site).mapsFields) return { language: matter.language, data: mergeData([matter.data]), lines: matter.lines, endLine: matter.endLine, body: matter.body, bodyLine: matter.bodyLine, origins: NO_ORIGINS };
  const data = mergeData([...layers.map((layer) => layer.data), matter.data]);
  const lines = new Map(matter.lines);
  // Where a key the article does not write came from: the nearest data file that has it.
  const origins = new Map<string, string>();
  const originOf = (key: string) => [...layers].reverse().find((layer) => key in layer.data || `override:${key}` in layer.data)?.file;
  for (const key of Object.keys(data)) {
    const origin = matter.data[key] === undefined ? originOf(key) : undefined;
    if (origin !== undefined) origins.set(key, origin);
  }
  for (const [field, from] of Object.entries(context.site.fields)) {
    if (data[from] === undefined) continue;
    Object.defineProperty(data, field, { value: data[from], enumerable: true, writable: true, configurable: true });
    const line = matter.lines.get(from);
    if (line !== undefined) lines.set(field, line);
    else lines.delete(field);
    const origin = origins.get(from);
    if (origin !== undefined) origins.set(field, origin);
    else origins.delete(field);
  }
  return { ...matter, data, lines, origins };
}

const NO_ORIGINS: ReadonlyMap<string, string> = new Map();

const LISTING = "a listing page, not an article: skipped";

/**
 * A page that lists other posts is the generator's page, not a post: Eleventy's and
 * jekyll-paginate-v2's `pagination`, Eleventy's `eleventyImport` of collections, or a body that
 * loops over a collection (`{% for post in collections.blog %}`, `paginator.posts`, `site.posts`).
 */
function listingReason(matter: FrontMatter): { key: string | undefined; why: string } | undefined {
  if (matter.data.pagination !== undefined) return { key: "pagination", why: "it sets pagination" };
  if (matter.data.eleventyImport !== undefined) return { key: "eleventyImport", why: "it imports collections" };
  // Only a body with Liquid or Nunjucks tags can loop (most have none: skip the two passes below).
  if (!matter.body.includes("{%")) return undefined;
  // Outside code and {% raw %}: a post about templates shows such loops as examples.
  const prose = matter.body.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g, "");
  const loop = /^[ \t]*\{%-?\s*for\s+\w+\s+in\s+((?:collections|paginator|site)\.[\w.]+)/m.exec(prose);
  if (loop !== null) return { key: undefined, why: `its body loops over ${loop[1]}` };
  return undefined;
}

function at0(matter: FrontMatter, key: string | undefined): number | undefined {
  return key === undefined ? matter.bodyLine : matter.lines.get(key);
}

/** Whether a problem is parseArticle's note that it skipped a listing page. */
export function isListingNote(problem: Problem): boolean {
  return problem.severity === "warning" && problem.message.startsWith(LISTING);
}

/** The listing-page notes of a build as one warning naming the pages: they are expected, not mistakes. */
export function groupListingNotes(problems: readonly Problem[]): Problem[] {
  const notes = problems.filter(isListingNote);
  if (notes.length <= 1) return [...problems];
  const rest = problems.filter((p) => !isListingNote(p));
  const names = notes.map((p) => `${p.file} ${p.message.slice(LISTING.length + 1)}`);
  const shownNames = names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
  return [...rest, warning(notes[0]!.file, notes[0]!.line, notes[0]!.field, `${notes.length} listing pages, not articles: skipped: ${shownNames}`)];
}

/**
 * The data files' keys that no article field reads: one warning per key, at the first data file
 * that has it, with how many have it (an Eleventy site can have a data file beside every post).
 */
export function inheritedKeyWarnings(files: readonly { readonly file: string; readonly data: Readonly<Record<string, unknown>> }[], site: Site, siteFile: string): Problem[] {
  const { known, silentSet } = keysOf(site);
  const seen = new Map<string, { file: string; files: number }>();
  for (const { file, data } of files) {
    for (const key of new Set(Object.keys(data).map((k) => k.replace(/^override:/, "")))) {
      if (silentSet.has(key)) continue;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, { file, files: 1 });
      else first.files++;
    }
  }
  return [...seen].map(([key, { file, files }]) =>
    warning(file, undefined, key, `unknown key, ignored${files === 1 ? "" : `, in ${files} data files (this is the first)`}${didYouMean(key, known)}; if it is your old generator's, list it under ignoreKeys in ${siteFile}`),
  );
}

/** What every article of a site is read with: the keys it knows, and those whose values arrive as text. */
interface SiteKeys {
  /** The schema's keys and those the site's `fields` setting reads from. */
  readonly known: readonly string[];
  /** `known`, the generators' keys and the site's `ignoreKeys`: never an unknown-key warning. */
  readonly silent: readonly string[];
  readonly silentSet: ReadonlySet<string>;
  /** Keys read as their source text (TEXT_KEYS), and the keys mapped to one of them. */
  readonly text: ReadonlySet<string>;
  /** The site's `fields` setting maps at least one field. */
  readonly mapsFields: boolean;
}

/** Made once per site, not once per article (a site's settings never change while it is built). */
const siteKeys = new WeakMap<Site, SiteKeys>();

function keysOf(site: Site): SiteKeys {
  let keys = siteKeys.get(site);
  if (keys !== undefined) return keys;
  const mapped = mappedKeys(site);
  const known = [...Object.keys(articleSchema.shape), ...mapped];
  const silent = [...known, ...GENERATOR_KEYS, ...site.ignoreKeys];
  const text = mapped.length === 0 ? TEXT_KEYS : new Set([...TEXT_KEYS, ...Object.entries(site.fields).filter(([field]) => TEXT_KEYS.has(field)).map(([, from]) => from)]);
  keys = { known, silent, silentSet: new Set(silent), text, mapsFields: mapped.length > 0 };
  siteKeys.set(site, keys);
  return keys;
}

/** The keys a site's `fields` setting reads from: known, so never an unknown-key warning. */
function mappedKeys(site: Site): string[] {
  return Object.values(site.fields);
}

/**
 * Pure: reads one article from its text. `file` names it in problems; `path` is its path under
 * the content folder, which gives the default slug, a Jekyll file name's date, a bundle's name
 * and the folders its URL may use.
 */
export function parseArticle(file: string, path: string, source: string, context: ReadContext): ArticleResult {
  const { site } = context;
  const keys = keysOf(site);
  const split = parseFrontMatter(file, source, keys.text);
  if (!split.ok) return failed(split.problems);
  const own = split.value;
  const matter = effectiveMatter(own, context);
  const listing = listingReason(matter);
  if (listing !== undefined) return failed([warning(file, at0(matter, listing.key), listing.key, `${LISTING} (${listing.why})`)]);
  const place = placeOf(path);
  // Jekyll's drafts have no date (it uses the file's time when asked to show them): one is never needed there.
  const undated = place.date === undefined && !place.inDrafts && ![...DATE_KEYS, "publishDate", "published"].some((key) => typeof matter.data[key] === "string");
  const noDate = () => error(file, 1, "date", `is required (or a file name that starts with it, as in 2016-03-10-${place.slug || "news"}.md)`);
  // Every field is checked even when one fails, so one run shows every problem of the file.
  const { data: fm, issues, bad } = parseFields(articleSchema, matter.data);
  const draft = heldBack(fm, place);
  const problems: Problem[] = [...split.problems, ...(undated ? [noDate()] : [])];
  const at = (key: string) => matter.lines.get(key);
  const first = (keys: readonly Key[]): { key: Key; value: string } | undefined => {
    for (const key of keys) {
      const value = fm[key];
      if (typeof value === "string") return { key, value };
    }
    return undefined;
  };

  // Hugo's `published` is a date (another name for publishDate); Jekyll's is true or false.
  const publishText = fm.publishDate ?? (typeof fm.published === "string" ? fm.published : undefined);
  const publishKey = fm.publishDate === undefined ? "published" : "publishDate";
  const written = first(DATE_KEYS);
  let date: DateTime | undefined;
  if (written !== undefined) date = readDate(file, matter, written.key, written.value, site.timezone, problems);
  else if (place.date !== undefined) date = readDate(file, matter, "date", place.date, site.timezone, problems);
  else if (publishText !== undefined) date = readDate(file, matter, publishKey, publishText, site.timezone, problems);
  else if (place.inDrafts) date = readDate(file, matter, "date", "1970-01-01", site.timezone, problems);
  const publishDate = publishText === undefined ? undefined : readDate(file, matter, publishKey, publishText, site.timezone, problems);
  const expiryDate = fm.expiryDate === undefined ? undefined : readDate(file, matter, "expiryDate", fm.expiryDate, site.timezone, problems);
  const changed = first(UPDATED_KEYS);
  let updated = changed === undefined ? undefined : readDate(file, matter, changed.key, changed.value, site.timezone, problems);
  if (date !== undefined && updated !== undefined && changed !== undefined && updated < date) {
    // A date-only `updated` on the publication day means that day, not its midnight.
    if (!(/^\d{4}-\d{1,2}-\d{1,2}$/.test(changed.value.trim()) || dayWithMonthName(changed.value) !== undefined) || !updated.hasSame(date, "day")) {
      problems.push(warning(file, at(changed.key), changed.key, `is before the date (${written?.value ?? place.date ?? publishText}); ignored, an update cannot precede publication`));
    }
    updated = undefined;
  }
  if (fm.author !== undefined && fm.authors !== undefined) {
    problems.push(error(file, at("authors"), "authors", `set author or authors, not both`));
  }
  const slug = fm.slug ?? place.slug;
  if (slug === "") problems.push(error(file, 1, "slug", `cannot make a slug from the file name ${JSON.stringify(path.split("/").pop())}; set slug:`));

  problems.push(...emptyWords(file, matter, "tags", "tag", fm.tags), ...emptyWords(file, matter, "categories", "category", fm.categories));
  // Jekyll's categories from folders count from the site's root: the content folder may be one below it (contentPath).
  const folderCategories = site.contentPath.length === 0 ? place.folderCategories : placeOf([...site.contentPath, path].join("/")).folderCategories;
  const categories = dedupe([...folderCategories, ...(fm.categories ?? fm.category ?? [])].map((c) => cleanLine(c)).filter((c) => c !== ""));
  // Without a date or a slug there is no URL; what only needs a base is still checked against the site's.
  const url = date === undefined || slug === "" ? undefined : articleUrl(file, matter, fm, { site, pattern: context.permalink ?? site.permalink, slug, date, place, categories }, problems);
  const base = url ?? site.url;
  const id = fm.id === undefined ? url : checkedId(file, matter, fm.id, problems);
  const imageKey = fm.image !== undefined ? "image" : fm.images !== undefined ? "images" : "heroImage";
  const imageText = fm.image ?? fm.images?.[0] ?? fm.heroImage ?? (context.bundleImage === undefined ? undefined : encodeURIComponent(context.bundleImage));
  const image = imageText === undefined ? undefined : fetchable(file, matter, imageKey, imageText, base, problems);
  let externalUrl: string | undefined;
  const linkKey = fm.link !== undefined ? "link" : "external_url";
  const linkText = fm.link ?? fm.external_url;
  if (linkText !== undefined) {
    externalUrl = absolute(file, matter, linkKey, linkText, base, problems);
    if (externalUrl !== undefined && !/^https?:$/.test(new URL(externalUrl).protocol)) {
      problems.push(error(file, at(linkKey), linkKey, `expected an http(s) URL (got ${JSON.stringify(linkText)})`));
    }
  }
  const title = cleanLine(fm.title ?? "");
  if (title === "") problems.push(error(file, at("title"), "title", "must not be empty"));

  // Cleaned, then trimmed: " \u0001" passes the schema's trim and would become an empty name.
  const authors = (fm.authors ?? (fm.author === undefined ? [site.author] : [fm.author])).map((a) => ({ ...a, name: cleanLine(a.name) }));
  if (authors.some((a) => a.name === "")) problems.push(error(file, at(fm.authors === undefined ? "author" : "authors"), fm.authors === undefined ? "author" : "authors", "expected a name"));
  const tags = dedupe([...(fm.tags ?? []), ...(fm.tag ?? [])].map((tag) => cleanLine(tag)).filter((tag) => tag !== ""));
  for (const message of tagLimitProblems(tags, site.maxTags)) problems.push(error(file, at(fm.tags === undefined ? "tag" : "tags"), "tags", message));
  // Its own unknown keys with their lines (a data file's are named once, at the data file: inheritedKeyWarnings).
  const unknownKeys: Record<string, number> = {};
  for (const key of Object.keys(own.data)) {
    if (!keys.silentSet.has(key) && !key.startsWith("override:")) Object.defineProperty(unknownKeys, key, { value: at(key) ?? matter.endLine, enumerable: true });
  }
  if (date === undefined || url === undefined || id === undefined || issues.length > 0 || problems.some((p) => p.severity === "error")) {
    // An article that fails has an unknown key near a known one named at once, with the key meant
    // (`dtae`: `date`?), which may be why it fails; its other unknown keys are counted with every
    // other article's, in one warning per key.
    const hinted: Problem[] = [];
    const unknown: Record<string, number> = {};
    for (const [key, line] of Object.entries(unknownKeys)) {
      const hint = didYouMean(key, keys.silent);
      if (hint !== "") hinted.push(warning(file, line, key, `unknown key, ignored${hint}`));
      else Object.defineProperty(unknown, key, { value: line, enumerable: true });
    }
    const all = inherited([...issuesToProblems(file, matter, issues), ...withoutRepeats(problems, bad), ...hinted], matter.origins);
    // A draft is not published, so its problems do not stop the build; a preview publishes it, so they do.
    if (!draft || context.drafts === true) return { ...failed<Article>(all), unknownKeys: unknown };
    // Without a date, its URL is still known when its permalink does not use the date: the same
    // for any two dates. What the id guard knows it by (it never goes by a title alone).
    const undatedUrl = (): string | undefined => {
      if (slug === "") return undefined;
      const at = (d: DateTime) => articleUrl(file, matter, fm, { site, pattern: context.permalink ?? site.permalink, slug, date: d, place, categories }, []);
      const [a, b] = [at(DateTime.fromMillis(0, { zone: site.timezone })), at(DateTime.fromMillis(Date.UTC(2001, 10, 22, 13, 47, 58), { zone: site.timezone }))];
      return a !== undefined && a === b ? a : undefined;
    };
    const known = url ?? (date === undefined ? undatedUrl() : undefined);
    return { ...failed<Article>(asDraftProblems(all)), unknownKeys: unknown, leftOut: { title: title === "" ? undefined : title, id: fm.id === undefined ? known : id, url: known } };
  }

  const summary = first(["summary", "excerpt", "description"])?.value;
  return ok(
    {
      file,
      title,
      date,
      updated,
      publishDate: publishDate !== undefined && publishDate > date ? publishDate : undefined,
      expiryDate,
      summary: summary === undefined ? undefined : cleanLine(summary),
      authors,
      tags,
      categories,
      draft,
      slug,
      id,
      url,
      externalUrl,
      image,
      lang: fm.lang === undefined ? undefined : Intl.getCanonicalLocales(fm.lang)[0],
      unknownKeys,
      frontMatter: matter.data,
      body: matter.body,
      bodyLine: matter.bodyLine,
    },
    inherited(problems, matter.origins),
  );
}

/**
 * Hugo and Astro build a post with `tags: ["", "总结"]` or `tags: [""]`: an entry of a list that is
 * empty once cleaned is left out (the rest stay), each named in a warning. A string's empty words
 * (`tags: "a,,b"`) are no entries: splitWords drops them silently, as Jekyll does.
 */
function emptyWords(file: string, matter: FrontMatter, key: "tags" | "categories", one: string, words: readonly string[] | undefined): Problem[] {
  if (words === undefined || !Array.isArray(matter.data[key])) return [];
  return words.flatMap((word, i) => (cleanLine(word) === "" ? [warning(file, matter.lines.get(key), `${key}[${i}]`, `an empty ${one}, left out (got ${shown(word)})`)] : []));
}

/** A problem with a value the article inherits names the data file it came from: the place to mend it. */
function inherited(problems: readonly Problem[], origins: ReadonlyMap<string, string>): Problem[] {
  if (origins.size === 0) return [...problems];
  return problems.map((p) => {
    const origin = p.field === undefined ? undefined : origins.get(p.field.split(/[.[]/)[0] ?? "");
    if (origin === undefined) return p;
    const { line: _line, ...rest } = p;
    return { ...rest, message: `${p.message} (from ${origin})` };
  });
}

interface UrlInputs {
  readonly site: Site;
  readonly pattern: string;
  readonly slug: string;
  readonly date: DateTime;
  readonly place: ReturnType<typeof placeOf>;
  readonly categories: readonly string[];
}

/**
 * The article's URL on the site: Hugo's `url` (a path, as written), else Jekyll's or Eleventy's
 * `permalink` (a path that may hold placeholders; Eleventy's `…/index.html` is its folder), else
 * the section's or site's pattern. Always under the site's URL.
 */
function articleUrl(file: string, matter: FrontMatter, fm: Partial<z.infer<typeof articleSchema>>, inputs: UrlInputs, problems: Problem[]): string {
  const key = fm.url !== undefined ? "url" : typeof fm.permalink === "string" ? "permalink" : undefined;
  const written = fm.url ?? (typeof fm.permalink === "string" ? fm.permalink : undefined);
  // Eleventy's `{{ page.fileSlug }}` (often set once in a directory data file) is the file name's
  // slug: the one template value a permalink needs that feedwright knows without running anything.
  const own = written?.replace(/\{\{-?\s*page\.fileSlug\s*-?\}\}/g, () => encodeURIComponent(inputs.place.slug));
  const parts = { slug: inputs.slug, date: inputs.date, place: inputs.place, categories: inputs.categories };
  const fallback = permalink(inputs.pattern, inputs.site.url, parts);
  if (own === undefined || key === undefined) return fallback;
  if (/\{[{%]/.test(own)) {
    problems.push(error(file, matter.lines.get(key), key, `template code is not run (got ${JSON.stringify(own)}); write the path, or use placeholders such as /:year/:slug/`));
    return fallback;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(own) || own.startsWith("//")) {
    problems.push(error(file, matter.lines.get(key), key, `expected a path on the site, like /2016/03/news/ (got ${JSON.stringify(own)})`));
    return fallback;
  }
  const path = key === "permalink" ? own.replace(/(^|\/)index\.html$/, "$1") : own;
  const url = key === "url" ? new URL(path.replace(/^\/+/, ""), inputs.site.url).href : permalink(path, inputs.site.url, parts);
  if (!url.startsWith(inputs.site.url)) {
    problems.push(error(file, matter.lines.get(key), key, `leaves the site (${url} is not under ${inputs.site.url})`));
    return fallback;
  }
  return url;
}

function absolute(file: string, matter: FrontMatter, key: string, value: string, base: string, problems: Problem[]): string | undefined {
  try {
    return new URL(value, base).href;
  } catch {
    problems.push(error(file, matter.lines.get(key), key, `expected a URL (got ${JSON.stringify(value)})`));
    return undefined;
  }
}

/** An image: a path or an http(s) URL readers can fetch (src/site/urls.ts: no javascript:, data:, file:, no credentials). */
function fetchable(file: string, matter: FrontMatter, key: string, value: string, base: string, problems: Problem[]): string | undefined {
  const link = resolveLink(value, base);
  if (link.ok) return link.href;
  problems.push(error(file, matter.lines.get(key), key, link.reason));
  return undefined;
}

function readDate(file: string, matter: FrontMatter, key: string, value: string, zone: string, problems: Problem[]): DateTime | undefined {
  // Most dates are written as parseDate reads them; the others are rewritten first. A date read
  // as written reads the same rewritten (test/units.test.ts), so the rewrites wait for a refusal.
  const direct = parseDate(value, zone);
  if (direct.ok) return direct.value;
  if (/^(git )?(last modified|created)$/i.test(value.trim())) {
    problems.push(error(file, matter.lines.get(key) ?? 1, key, `Eleventy's ${JSON.stringify(value.trim())} is the file's time on disk or in git, which changes with every checkout: write the date, like 2023-04-12`));
    return undefined;
  }
  const parsed = parseDate(asIsoDate(value), zone);
  if (parsed.ok) return parsed.value;
  problems.push(error(file, matter.lines.get(key) ?? 1, key, `${parsed.reason} (got ${JSON.stringify(value)})`));
  return undefined;
}

/** A front-matter date in a form parseDate reads, where it was written as Ruby, Go or JavaScript write dates; else as it was. */
export function asIsoDate(value: string): string {
  return dayWithMonthName(value) ?? asWrittenByRubyOrGo(value);
}

/**
 * The date-and-time forms Jekyll (Ruby's Time.parse) and Hugo (Go's time formats) accept besides
 * ISO 8601, rewritten to it: a zone name after a numeric offset (`-0800 PST`, Ruby's and Go's
 * default string) is dropped, the offset being what counts; `UTC`/`GMT` alone is `Z`; a one-digit
 * month, day or hour gets its zero; RFC 2822 (`Thu, 10 Mar 2016 10:20:00 +0100`, Hugo's RFC1123) is
 * read by Luxon. Anything else is left as written, for parseDate to refuse.
 */
function asWrittenByRubyOrGo(value: string): string {
  const text = value.trim();
  if (/^[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{4} /.test(text)) {
    const rfc = DateTime.fromRFC2822(text, { setZone: true });
    if (rfc.isValid) return rfc.toISO({ suppressMilliseconds: true }) ?? text;
  }
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([T ])(\d{1,2})(:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(.*))?$/.exec(text);
  if (m === null) return value;
  const [, year, month = "", day = "", sep, hour, rest, zonePart = ""] = m;
  const pad = (n: string) => n.padStart(2, "0");
  const dayPart = `${year}-${pad(month)}-${pad(day)}`;
  if (hour === undefined) return dayPart;
  const zoneText = zonePart.trim();
  const offset = /^([+-]\d{2}:?\d{2})(?: [A-Z]{2,5})?$/.exec(zoneText)?.[1];
  const zoneOut = zoneText === "" ? "" : offset !== undefined ? ` ${offset}` : /^(UTC|GMT|Z)$/.test(zoneText) ? "Z" : zonePart;
  return `${dayPart}${sep}${pad(hour)}${rest}${zoneOut}`;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/**
 * A day as Astro's `z.coerce.date()` (JavaScript's Date) reads it and blogs write it:
 * `Jul 08 2022` (Astro's blog template), `July 8, 2022`, `8 July 2022`, `2022/07/08`, as
 * `2022-07-08`; undefined for anything else. A time is not guessed at: the day is read in the
 * site's zone, as a date-only `date` is.
 */
function dayWithMonthName(value: string): string | undefined {
  const text = value.trim().replace(/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+/i, "");
  const monthOf = (name: string) => MONTHS.findIndex((m) => name.length >= 3 && (m === name.toLowerCase() || (m.startsWith(name.toLowerCase()) && name.length <= 4))) + 1;
  let parts: [number, number, number] | undefined;
  let m = /^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (m !== null) parts = [Number(m[3]), monthOf(m[1] ?? ""), Number(m[2])];
  m = /^(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})$/.exec(text);
  if (m !== null) parts = [Number(m[3]), monthOf(m[2] ?? ""), Number(m[1])];
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text);
  if (m !== null) parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (parts === undefined || parts[1] === 0) return undefined;
  const [year, month, day] = parts;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
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
