import type { DateTime } from "luxon";

export const PLACEHOLDERS = ["slug", "year", "month", "day"];

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

/** The slug a file name gives: `2023-04-12-big-news.md` → `big-news`. */
export function slugFromFileName(fileName: string): string {
  return slugify(fileName.replace(/\.md$/i, "").replace(/^\d{4}-\d{2}-\d{2}-?/, ""));
}

/** A slug written in front matter may not leave its folder or hide in one. */
export function isSafeSlug(slug: string): boolean {
  return /^[\p{L}\p{N}\p{M}_~-][\p{L}\p{N}\p{M}._~-]*$/u.test(slug) && !slug.includes("..") && !isReservedName(slug);
}

/** Applies a pattern such as `/:year/:slug/` to an article; the result is absolute. */
export function permalink(pattern: string, siteUrl: string, slug: string, date: DateTime): string {
  const path = pattern.replace(/:([a-z]+)/g, (whole, name: string) => {
    switch (name) {
      case "slug":
        return encodeURIComponent(slug);
      case "year":
        return date.toFormat("yyyy");
      case "month":
        return date.toFormat("MM");
      case "day":
        return date.toFormat("dd");
      default:
        return whole;
    }
  });
  return new URL(path.replace(/^\/+/, ""), siteUrl).href;
}
