import type { DateTime } from "luxon";
import { underSite } from "../site/urls.ts";
import { text } from "./fields.ts";
import { MARKDOWN } from "./read.ts";

/**
 * The placeholders a permalink pattern may use: Jekyll's and Hugo's, with their meanings
 * (https://jekyllrb.com/docs/permalinks/, https://gohugo.io/content-management/urls/).
 */
export const PLACEHOLDERS = [
  "slug",
  "title",
  "filename",
  "path",
  "year",
  "short_year",
  "month",
  "i_month",
  "day",
  "i_day",
  "y_day",
  "hour",
  "minute",
  "second",
  "categories",
  "section",
  "sections",
  "output_ext",
];

/** At least one of these tells articles apart; a pattern without one gives every article of a day one URL. */
export const NAMING_PLACEHOLDERS = ["slug", "title", "filename", "path"];

/** Jekyll's built-in permalink styles, by name (https://jekyllrb.com/docs/permalinks/#built-in-formats). */
export const PERMALINK_STYLES: Readonly<Record<string, string>> = {
  date: "/:categories/:year/:month/:day/:title:output_ext",
  pretty: "/:categories/:year/:month/:day/:title/",
  ordinal: "/:categories/:year/:y_day/:title:output_ext",
  none: "/:categories/:title:output_ext",
};

/** A permalink pattern as the site or a section sets it: a path with placeholders, or a Jekyll style name. */
export const permalinkPattern = text("a pattern like /:slug/")
  .refine((value) => value.startsWith("/") || value in PERMALINK_STYLES, `must start with "/", or be one of Jekyll's styles: ${Object.keys(PERMALINK_STYLES).join(", ")}`)
  .refine((value) => [...(PERMALINK_STYLES[value] ?? value).matchAll(/:([a-z_]+)/g)].every((m) => PLACEHOLDERS.includes(m[1] ?? "")), `unknown placeholder: use ${PLACEHOLDERS.map((p) => `:${p}`).join(", ")}`)
  .refine((value) => NAMING_PLACEHOLDERS.some((p) => (PERMALINK_STYLES[value] ?? value).includes(`:${p}`)), `must contain one of ${NAMING_PLACEHOLDERS.map((p) => `:${p}`).join(", ")}, or two articles would share a URL`);

/** Folders that hold posts in Jekyll without naming anything in their URLs. */
const JEKYLL_FOLDERS = new Set(["_posts", "_drafts"]);

/**
 * A readable, stable slug: Unicode letters and digits are kept (never dropped, so `ünïcödé`
 * stays `ünïcödé`), everything else becomes a single `-`.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return isReservedName(slug) ? `${slug}_` : slug;
}

/** Device names Windows will not create as files or folders, with any extension (`con`, `nul.txt`, `com1`). */
export function isReservedName(name: string): boolean {
  return /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i.test(name);
}

/** Where an article sits under the content folder, read as Jekyll and Hugo read it. */
export interface ArticlePlace {
  /** The file name without its Markdown ending (`MARKDOWN`); for a page bundle's `index.md`, the bundle's folder name. */
  readonly filename: string;
  /** The slug the file name gives, as written: `2016-03-10-Rust-1.0.md` → `Rust-1.0`. */
  readonly slug: string;
  /** The date a Jekyll file name starts with (`2016-03-10`), if any. */
  readonly date: string | undefined;
  /** Folders above it that name something (not `_posts` or `_drafts`), and the bundle's own folder excluded. */
  readonly folders: readonly string[];
  /** Folders above a Jekyll `_posts` folder, which Jekyll makes categories. */
  readonly folderCategories: readonly string[];
  /** In Jekyll's `_drafts` folder. */
  readonly inDrafts: boolean;
  /** The path without extension, a bundle's `/index` dropped, `_posts/` dropped: Eleventy's default URL. */
  readonly path: string;
}


/** Reads a content path (`blog/_posts/2016-03-10-news.md`, `posts/my-post/index.md`). */
export function placeOf(path: string): ArticlePlace {
  const parts = path.split("/");
  const file = parts.pop() ?? path;
  const base = file.replace(MARKDOWN, "");
  const bundle = base === "index" && parts.length > 0;
  const filename = bundle ? (parts.at(-1) ?? base) : base;
  // Jekyll reads one-digit months and days too (`2015-10-8-isoc.md`).
  const dated = /^(\d{4})-(\d{1,2})-(\d{1,2})-(.*)$/s.exec(filename);
  const postsAt = parts.findIndex((p) => p === "_posts" || p === "_drafts");
  const folders = (bundle ? parts.slice(0, -1) : parts).filter((p) => !JEKYLL_FOLDERS.has(p));
  return {
    filename,
    slug: (dated?.[4] ?? filename).trim(),
    date: dated === null ? undefined : `${dated[1]}-${(dated[2] ?? "").padStart(2, "0")}-${(dated[3] ?? "").padStart(2, "0")}`,
    folders,
    folderCategories: postsAt > 0 ? parts.slice(0, postsAt) : [],
    inDrafts: parts.includes("_drafts"),
    path: [...folders, filename].join("/"),
  };
}

/** A slug written in front matter may not leave its folder or hide in one. */
export function isSafeSlug(slug: string): boolean {
  return /^[\p{L}\p{N}\p{M}_~-][\p{L}\p{N}\p{M}._~-]*$/u.test(slug) && !slug.includes("..") && !isReservedName(slug);
}

/** What a permalink pattern is filled in from. */
export interface PermalinkParts {
  readonly slug: string;
  readonly date: DateTime;
  readonly place: ArticlePlace;
  readonly categories: readonly string[];
}

/**
 * Fills in a permalink pattern (`/:year/:month/:title.html`, or a Jekyll style name such as
 * `pretty`) and makes it absolute under the site's URL. Empty placeholders (`:categories` of an
 * article with none) leave no empty folder behind, as in Jekyll.
 */
export function permalink(pattern: string, siteUrl: string, parts: PermalinkParts): string {
  const { date, place } = parts;
  const segments = (list: readonly string[]) => list.map((s) => encodeURIComponent(s)).join("/");
  const path = (PERMALINK_STYLES[pattern] ?? pattern).replace(/:([a-z_]+)/g, (whole, name: string) => {
    switch (name) {
      case "slug":
      case "title":
        return encodeURIComponent(parts.slug);
      case "filename":
        return encodeURIComponent(place.filename);
      case "path":
        return place.path.split("/").map((s) => encodeURIComponent(s)).join("/");
      case "year":
        return date.toFormat("yyyy");
      case "short_year":
        return date.toFormat("yy");
      case "month":
        return date.toFormat("MM");
      case "i_month":
        return date.toFormat("M");
      case "day":
        return date.toFormat("dd");
      case "i_day":
        return date.toFormat("d");
      case "y_day":
        return date.toFormat("ooo");
      case "hour":
        return date.toFormat("HH");
      case "minute":
        return date.toFormat("mm");
      case "second":
        return date.toFormat("ss");
      case "categories":
        // Jekyll: lower-cased, each once, one folder each.
        return segments([...new Set(parts.categories.map((c) => c.toLowerCase()))]);
      case "section":
        return encodeURIComponent(place.folders[0] ?? "");
      case "sections":
        return segments(place.folders);
      case "output_ext":
        return ".html";
      default:
        return whole;
    }
  });
  return underSite(path.replace(/\/{2,}/g, "/").replace(/^\/+/, ""), siteUrl);
}
