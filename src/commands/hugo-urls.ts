/**
 * Hugo's URLs for `init`: which feedwright permalink gives the URLs Hugo publishes a section's
 * posts at, and (to check that translation on the posts themselves) the URL Hugo gives one post.
 * Read against Hugo's documentation (https://gohugo.io/content-management/urls/) and checked
 * against Debian's hugo 0.111 (test/interop/init-hugo.test.ts).
 */
import { posix } from "node:path";
import { placeOf } from "../content/permalink.ts";

/** What in a Hugo config decides its URLs. */
export interface HugoUrls {
  /** `[permalinks]` by section (`posts = "/:year/:slug/"`), Hugo 0.120's `[permalinks.page]` merged in. */
  readonly permalinks: Readonly<Record<string, string>>;
  /** `uglyURLs = true`: `/posts/a.html` instead of `/posts/a/`. */
  readonly uglyURLs: boolean;
  /** Hugo lower-cases every path unless `disablePathToLower = true`. */
  readonly lowerCase: boolean;
  /** `contentDir`, default `content`. */
  readonly contentDir: string;
  /** `publishDir`, default `public`: where the site is written. */
  readonly publishDir: string;
}

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** Pure: the URL settings of a Hugo config (any of its formats, already parsed). */
export function hugoUrls(config: unknown): HugoUrls {
  const c = record(config);
  const permalinks = record(c.permalinks);
  const bySection: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...permalinks, ...record(permalinks.page) })) {
    const pattern = str(value);
    if (pattern !== undefined) bySection[key] = pattern;
  }
  return {
    permalinks: bySection,
    uglyURLs: c.uglyURLs === true || c.uglyurls === true,
    lowerCase: !(c.disablePathToLower === true || c.disablepathtolower === true),
    contentDir: str(c.contentDir) ?? str(c.contentdir) ?? "content",
    publishDir: str(c.publishDir) ?? str(c.publishdir) ?? "public",
  };
}

/** Hugo's placeholders and the feedwright placeholder closest to each; `undefined`: none is close. */
const PLACEHOLDERS: Readonly<Record<string, string | undefined>> = {
  year: ":year",
  month: ":month",
  day: ":day",
  // Hugo's :slug falls back to the title made a URL, feedwright's to the file name: close, and checked per post.
  slug: ":slug",
  title: ":slug",
  slugorfilename: ":slug",
  slugorcontentbasename: ":slug",
  filename: ":filename",
  contentbasename: ":filename",
  section: ":section",
  sections: ":sections",
  monthname: undefined,
  weekday: undefined,
  weekdayname: undefined,
  yearday: undefined,
};

export type Translation = { readonly ok: true; readonly pattern: string } | { readonly ok: false; readonly reason: string };

/**
 * Pure: the feedwright permalink for the posts in `rel`, the content folder under Hugo's
 * (`articles`; `""` for Hugo's whole content folder). A section's `[permalinks]` entry applies to
 * that section only; without one Hugo's default is the folder path and the slug or file name.
 * `nested`: some post lies in a folder below the content folder. `section`: whose `[permalinks]`
 * entry, when `rel` is the whole content folder.
 */
export function hugoPattern(urls: HugoUrls, rel: string, nested: boolean, section = rel.split("/")[0] ?? ""): Translation {
  const prefix = rel === "" ? "" : `/${rel}`;
  const written = section === "" ? undefined : urls.permalinks[section];
  let pattern: string;
  if (written === undefined) {
    pattern = `${prefix}${nested || rel === "" ? "/:sections" : ""}/:slug/`;
  } else {
    if (/[[\]]/.test(written)) return { ok: false, reason: `Hugo's permalink ${JSON.stringify(written)} slices its placeholders, which feedwright cannot follow` };
    let unknown: string | undefined;
    pattern = written.replace(/:([a-z]+)/g, (whole, name: string) => {
      const mapped = PLACEHOLDERS[name];
      if (mapped === undefined) unknown ??= whole;
      // In the content folder `rel`, feedwright's folders start below the section: Hugo's start at it.
      if (name === "section" && rel !== "") return section;
      if (name === "sections" && rel !== "") return `${rel}/:sections`;
      return mapped ?? whole;
    });
    if (unknown !== undefined) return { ok: false, reason: `Hugo's permalink ${JSON.stringify(written)} uses ${unknown}, which feedwright has no placeholder for` };
    if (!pattern.startsWith("/")) pattern = `/${pattern}`;
  }
  return { ok: true, pattern: withEnding(pattern.replace(/\/{2,}/g, "/"), urls.uglyURLs) };
}

/** Hugo ends a page's path in `/`, or with uglyURLs in `.html`, unless the pattern names an extension. */
function withEnding(path: string, ugly: boolean): string {
  const last = path.split("/").at(-1) ?? "";
  if (/\.[A-Za-z0-9]+$/.test(last)) return path;
  if (ugly) return path === "/" ? "/index.html" : `${path.replace(/\/$/, "")}.html`;
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Hugo's path sanitizer, as 0.111 applies it to a title or file name: letters, digits, marks and
 * `. / \ _ - # ~ @ %` kept, a run of spaces becomes one `-` (none at the start, none next to a
 * `-`), anything else is dropped (`C++ tips: what's new?` → `C-tips-whats-new`).
 */
export function hugoSanitize(text: string): string {
  let out = "";
  let space = false;
  for (const ch of text) {
    if (/[\p{L}\p{N}\p{M}./\\_\-#~@%]/u.test(ch)) {
      if (space && out !== "" && ch !== "-" && !out.endsWith("-")) out += "-";
      space = false;
      out += ch;
    } else if (/\s/u.test(ch)) {
      space = true;
    }
  }
  return out;
}

/**
 * Pure: the name Hugo's URL gives a post (its slug, title or file name, made a path as Hugo makes
 * it, lower-cased): written as its `slug:`, it is the post's name in both Hugo's URL and
 * feedwright's. Undefined when its slug is that already, or its URL names it by nothing else.
 */
export function hugoSlug(urls: HugoUrls, rel: string, post: HugoPost): string | undefined {
  const slug = str(post.data.slug);
  const title = str(post.data.title) ?? "";
  const place = placeOf(post.path);
  const section = [...rel.split("/").filter((s) => s !== ""), ...place.folders][0] ?? "";
  const written = urls.permalinks[section];
  const name =
    written === undefined ? (slug ?? place.filename)
    : /:slug\b/.test(written) ? (slug ?? title)
    : /:title\b/.test(written) ? title
    : /:slugor/.test(written) ? (slug ?? place.filename)
    : undefined;
  if (name === undefined) return undefined;
  const clean = hugoSanitize(name).replace(/[/\\]/g, "");
  const cased = urls.lowerCase ? clean.toLowerCase() : clean;
  return cased === "" || cased === slug ? undefined : cased;
}

/** One post as init reads it: its path under the content folder and its front matter. */
export interface HugoPost {
  readonly path: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Pure: the path under `baseURL` Hugo publishes a post at (`articles/a-few-git-tricks/`), or
 * undefined when it cannot be told here (its own `url`, which feedwright follows as written; no
 * date for a pattern that needs one). `rel` is the content folder under Hugo's.
 */
export function hugoPath(urls: HugoUrls, rel: string, post: HugoPost): string | undefined {
  if (str(post.data.url) !== undefined) return undefined;
  const place = placeOf(post.path);
  const folders = [...rel.split("/").filter((s) => s !== ""), ...place.folders];
  const slug = str(post.data.slug);
  const title = str(post.data.title) ?? "";
  const written = urls.permalinks[folders[0] ?? ""];
  let path: string;
  if (written === undefined) {
    path = `/${[...folders, slug ?? place.filename].join("/")}/`;
  } else {
    // Hugo reads the day as written: in the date's own offset, or in its timeZone when it has none.
    const date = ["date", "publishDate", "pubDate", "published"].map((k) => str(post.data[k])).find((d) => d !== undefined);
    const ymd = date === undefined ? undefined : /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
    let known = true;
    path = written.replace(/:([a-z]+)/g, (whole, name: string) => {
      switch (name) {
        case "year":
        case "month":
        case "day":
          if (ymd === undefined || ymd === null) known = false;
          return ymd?.[{ year: 1, month: 2, day: 3 }[name]] ?? whole;
        case "slug":
        case "slugorfilename":
        case "slugorcontentbasename":
          return slug ?? (name === "slug" ? title : place.filename);
        case "title":
          return title;
        case "filename":
        case "contentbasename":
          return place.filename;
        case "section":
          return folders[0] ?? "";
        case "sections":
          return folders.join("/");
        default:
          known = false;
          return whole;
      }
    });
    if (!known) return undefined;
  }
  const clean = hugoSanitize(path.replace(/\/{2,}/g, "/"));
  const cased = urls.lowerCase ? clean.toLowerCase() : clean;
  return posix.normalize(withEnding(cased.startsWith("/") ? cased : `/${cased}`, urls.uglyURLs)).replace(/^\//, "");
}
