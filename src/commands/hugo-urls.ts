/**
 * Hugo's URLs for `init`: which feedwright permalink gives the URLs Hugo publishes a section's
 * posts at. Read against Hugo's documentation (https://gohugo.io/content-management/urls/) and
 * checked against Debian's hugo 0.111.
 */

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

/** One post as init reads it: its path under the content folder and its front matter. */
export interface HugoPost {
  readonly path: string;
  readonly data: Readonly<Record<string, unknown>>;
}
