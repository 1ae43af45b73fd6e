import * as z from "zod";
import type { FrontMatter } from "../content/front-matter.ts";
import { issuesToProblems, parseFields, text, trimmedText, unknownKeyWarnings, withoutRepeats } from "../content/fields.ts";
import { personSchema, type Person } from "../content/people.ts";
import { isTimeZone } from "../content/dates.ts";
import { error, failed, ok, type Problem, type Result } from "../problems.ts";
import { permalinkPattern } from "../content/permalink.ts";
import { cleanText } from "../content/text.ts";
import type { FormatName } from "../feeds/model.ts";
import { bodyText, HUGO_SECTION_KEYS, parseSettingsMatter } from "./matter.ts";
import { httpUrl, idProblem, resolveLink } from "./urls.ts";

/** The site, as `content/_index.md` and the command-line flags describe it. */
export interface Site {
  readonly title: string;
  /** Absolute base URL of the articles, always ending in `/`. */
  readonly url: string;
  /** Where the output folder is served: absolute, ending in `/`; `url` unless `feedsUrl` says otherwise. */
  readonly feedsUrl: string;
  /** The front door's path in the output folder (`index.html`), or undefined for none. */
  readonly frontDoor: string | undefined;
  readonly description: string;
  readonly language: string | undefined;
  readonly author: Person;
  readonly copyright: string | undefined;
  readonly icon: string | undefined;
  readonly logo: string | undefined;
  readonly timezone: string;
  readonly limit: number;
  readonly permalink: string;
  /**
   * The content folder's path in the site generator's folder, as folders (`contentPath: en/news`
   * beside Jekyll, for `--content en/news`): what a Jekyll post's categories and a `{% link %}`
   * path start from, as Jekyll reads them. Empty: the site's root.
   */
  readonly contentPath: readonly string[];
  /** The Atom feed's permanent id. */
  readonly id: string;
  /** Items per RFC 5005 archive page. */
  readonly archiveSize: number;
  /** Whether tag feeds get RFC 5005 archives too (the site's and sections' do unless `archives` is off). */
  readonly tagArchives: boolean;
  /** The formats written, in the format table's order (rss, atom, json). */
  readonly formats: readonly FormatName[];
  /** The formats that get RFC 5005 archive pages: some of `formats`, or none. */
  readonly archives: readonly FormatName[];
  /** WebSub hub URL. */
  readonly hub: string | undefined;
  /** Raw HTML in article bodies is rendered, sanitised (docs/formats.md); false shows it as text. */
  readonly html: boolean;
  /** Front-matter keys of the site's old generator that articles may have without a warning. */
  readonly ignoreKeys: readonly string[];
  /** An article field read from another front-matter key, where the old site's posts keep it (`title: newstitle`). */
  readonly fields: Readonly<Partial<Record<MappedField, string>>>;
  /** Hugo shortcodes the site defines: name to an HTML pattern (docs/migrating.md). */
  readonly shortcodes: Readonly<Record<string, string>>;
  /** Which template code in bodies is expanded (src/markdown/templates/expand.ts): Liquid, Hugo's shortcodes, what looks like either, or none. */
  readonly templates: "auto" | "liquid" | "hugo" | "none";
  /** Every key of `_index.md` as written (`params:` among them), for `{{ site.X }}` and `{{< param >}}`. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Largest article file read, in bytes. */
  readonly maxFileBytes: number;
  /** Most tags one article may have (docs/security.md, "Bounded work"). */
  readonly maxTags: number;
}

export interface SiteOverrides {
  readonly siteUrl?: string;
}

export const SITE_FILE = "_index.md";

/** `maxTags` may be raised this far and no further: output grows with the square of it per article. */
const MAX_TAGS_CEILING = 200;

const url = httpUrl;

const language = text("a language tag like en or pt-BR").refine((value) => {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}, "expected a language tag like en or pt-BR");

/** The article fields `fields` may read from another key: the ones a theme renames (each is a key of the article schema). */
export const MAPPED_FIELDS = ["title", "date", "updated", "summary", "author", "authors", "tags", "categories", "slug", "id", "url", "permalink", "link", "image", "draft", "lang"] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

const FORMAT_NAMES = ["rss", "atom", "json"] as const satisfies readonly FormatName[];

const formatList = z
  .array(z.enum(FORMAT_NAMES, { error: "expected rss, atom or json" }), { error: "expected a list of formats like [rss, atom, json]" })
  .min(1, "expected at least one format")
  .refine((list) => new Set(list).size === list.length, "names a format twice");

export const siteSchema = z.object({
  title: trimmedText().min(1, "must not be empty"),
  url: url("the site's absolute URL"),
  description: text().optional(),
  language: language.optional(),
  author: personSchema.optional(),
  copyright: text().optional(),
  icon: text("a URL").optional(),
  logo: text("a URL").optional(),
  timezone: text("an IANA time zone").refine(isTimeZone, `expected an IANA time zone like UTC or Europe/Berlin`).default("UTC"),
  limit: z.number({ error: "expected a whole number" }).int("expected a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").default(20),
  permalink: permalinkPattern.default("/:slug/"),
  contentPath: text("a folder path like en/news")
    .refine((value) => value.split("/").every((part) => part !== "" && part !== "." && part !== ".." && !part.includes("\\") && !part.includes(":")), `expected a relative folder path like en/news, without "..", ".", ":" or empty parts`)
    .optional(),
  id: text("a URI").optional(),
  archiveSize: z.number({ error: "expected a whole number" }).int("expected a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").default(50),
  tagArchives: z.boolean({ error: "expected true or false" }).default(false),
  formats: formatList.default([...FORMAT_NAMES]),
  archives: z.union([z.boolean(), formatList], { error: "expected true, false or a list of formats like [rss, atom]" }).default(true),
  hub: url("the WebSub hub's URL").optional(),
  feedsUrl: text("a URL").optional(),
  frontDoor: z
    .union([z.boolean(), z.string()], { error: "expected true, false or a file name like subscribe.html" })
    .refine((v) => typeof v === "boolean" || (/^[\w.-]+(\/[\w.-]+)*\.html$/.test(v) && !v.split("/").some((part) => part === "." || part === "..")), "expected true, false or a path inside the output folder ending in .html, like index.html or subscribe/index.html")
    .default(true),
  ignoreKeys: z.array(text("a front-matter key"), { error: "expected a list of front-matter keys" }).default([]),
  fields: z
    .partialRecord(z.enum(MAPPED_FIELDS, { error: `expected one of ${MAPPED_FIELDS.join(", ")}` }), text("a front-matter key").regex(/^[^\s]+$/, "expected a front-matter key"), { error: (issue) => (issue.code === "invalid_type" ? "expected a map of field to front-matter key, like { title: newstitle }" : (issue.code as string) === "unrecognized_keys" ? `maps only ${MAPPED_FIELDS.join(", ")}` : undefined) })
    .default({}),
  html: z.boolean({ error: "expected true or false" }).default(true),
  shortcodes: z.record(z.string().regex(/^[\w.-]+$/, "expected a shortcode name"), z.string({ error: "expected an HTML pattern like <a href=\"https://github.com/{0}\">{0}</a>" })).default({}),
  templates: z.enum(["auto", "liquid", "hugo", "none"], { error: "expected auto, liquid, hugo or none" }).default("auto"),
  params: z.record(z.string(), z.unknown(), { error: "expected a map of names to values" }).optional(),
  maxFileBytes: z.number({ error: "expected a whole number of bytes" }).int("expected a whole number of bytes").min(1024, "must be at least 1024").max(64 * 1024 * 1024, "must be at most 67108864 (64 MiB)").default(1024 * 1024),
  maxTags: z.number({ error: "expected a whole number" }).int("expected a whole number").min(1, "must be at least 1").max(MAX_TAGS_CEILING, `must be at most ${MAX_TAGS_CEILING}`).default(50),
});

const TEXT_KEYS = new Set(["title", "description", "copyright", "url", "icon", "logo", "timezone", "permalink", "contentPath", "language", "id", "hub", "feedsUrl"]);

/** Pure: reads the site settings from the text of `_index.md`. */
export function parseSite(file: string, source: string, overrides: SiteOverrides): Result<Site> {
  const split = parseSettingsMatter(file, source, TEXT_KEYS);
  if (!split.ok) return failed(split.problems);
  return siteFrom(file, split.value, overrides);
}

/**
 * Pure: the site as far as a refused `_index.md` still says it, every refused setting at its
 * default (an unreadable file: all of them, with a placeholder title and URL). It publishes
 * nothing: it lets the articles be read and checked in the same run, so one run reports the
 * settings' problems and the articles' together.
 */
export function provisionalSite(file: string, source: string, overrides: SiteOverrides): Site {
  const split = parseSettingsMatter(file, source, TEXT_KEYS);
  const matter: FrontMatter = split.ok ? split.value : { language: "YAML", data: {}, lines: new Map(), endLine: 1, body: "", bodyLine: 1 };
  const { data: kept } = parseFields(siteSchema, matter.data);
  const placeholder = { title: "(site settings refused)", url: "https://example.invalid/" };
  const attempts: [Record<string, unknown>, SiteOverrides][] = [[{ ...placeholder, ...kept }, overrides], [placeholder, {}]];
  for (const [data, given] of attempts) {
    const site = siteFrom(file, { ...matter, data }, given);
    if (site.ok) return site.value;
  }
  throw new Error("unreachable: the placeholder settings are valid");
}

function siteFrom(file: string, matter: FrontMatter, overrides: SiteOverrides): Result<Site> {
  const data = overrides.siteUrl === undefined ? matter.data : { ...matter.data, url: cleanText(overrides.siteUrl) };
  const warnings = unknownKeyWarnings(file, matter, [...Object.keys(siteSchema.shape), ...HUGO_SECTION_KEYS]);
  // Every setting is checked even when one fails, so one run shows every problem of the file.
  const { data: s, whole, issues, bad } = parseFields(siteSchema, data);
  const refused = issuesToProblems(file, { ...matter, data }, issues).map((p) =>
    p.field === "url" && overrides.siteUrl !== undefined ? { ...p, file: "--site-url", line: undefined } as Problem : p,
  );
  // Without a good url, links are still checked (a javascript: icon is bad under any base); nothing is built.
  const base = new URL(s.url ?? "https://example.invalid/");
  base.hash = "";
  base.search = "";
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const problems: Problem[] = [...warnings];
  const resolve = (key: "icon" | "logo" | "feedsUrl"): string | undefined => {
    const value = s[key];
    if (value === undefined) return undefined;
    const link = resolveLink(value, base.href);
    if (link.ok) return link.href;
    problems.push(error(file, matter.lines.get(key), key, link.reason));
    return undefined;
  };
  // Relative to url, so `feeds/` follows a --site-url preview; absolute for a feeds host of its own.
  const feeds = s.feedsUrl === undefined ? base : new URL(resolve("feedsUrl") ?? base.href);
  feeds.hash = "";
  feeds.search = "";
  if (!feeds.pathname.endsWith("/")) feeds.pathname += "/";
  if (!["http:", "https:"].includes(feeds.protocol)) problems.push(error(file, matter.lines.get("feedsUrl"), "feedsUrl", `expected an http(s) URL, or a path under url like feeds/ (got ${JSON.stringify(s.feedsUrl)})`));
  const icon = resolve("icon");
  const logo = resolve("logo");
  // Without an id: the site's id is its url, so a url no id may be is named where it was given.
  const id = s.id === undefined ? urlAsId(file, matter, base.href, overrides, problems) : checkedId(file, matter, s.id, problems);
  const formats = FORMAT_NAMES.filter((f) => (s.formats ?? FORMAT_NAMES).includes(f));
  const archiveSetting = s.archives ?? true;
  const archives = archiveSetting === true ? formats : archiveSetting === false ? [] : FORMAT_NAMES.filter((f) => archiveSetting.includes(f));
  const unwritten = archives.filter((f) => !formats.includes(f));
  if (unwritten.length > 0) problems.push(error(file, matter.lines.get("archives"), "archives", `${unwritten.join(", ")} ${unwritten.length === 1 ? "is" : "are"} not written: add ${unwritten.length === 1 ? "it" : "them"} to formats (now ${formats.join(", ")}), or leave ${unwritten.length === 1 ? "it" : "them"} out here`));
  if (whole === undefined || problems.some((p) => p.severity === "error")) return failed([...refused, ...withoutRepeats(problems, bad)]);
  const w = whole;
  const title = w.title;
  const author = w.author ?? { name: title };
  return ok(
    {
      title,
      url: base.href,
      feedsUrl: feeds.href,
      frontDoor: w.frontDoor === true ? "index.html" : w.frontDoor === false ? undefined : w.frontDoor,
      description: (w.description ?? bodyText(matter)).trim() || title,
      language: w.language === undefined ? undefined : Intl.getCanonicalLocales(w.language)[0],
      author,
      copyright: w.copyright,
      icon,
      logo,
      timezone: w.timezone,
      limit: w.limit,
      permalink: w.permalink,
      contentPath: w.contentPath === undefined ? [] : w.contentPath.split("/"),
      id,
      archiveSize: w.archiveSize,
      tagArchives: w.tagArchives,
      formats,
      archives,
      html: w.html,
      ignoreKeys: w.ignoreKeys,
      fields: w.fields,
      shortcodes: w.shortcodes,
      templates: w.templates,
      data: matter.data,
      maxFileBytes: w.maxFileBytes,
      maxTags: w.maxTags,
      hub: w.hub === undefined ? undefined : new URL(w.hub).href,
    },
    problems,
  );
}

/** The site's url as its id (no `id:` set): refused at url's line, or at --site-url, when no id may be it. */
function urlAsId(file: string, matter: FrontMatter, href: string, overrides: SiteOverrides, problems: Problem[]): string {
  const invalid = idProblem(href, "set an id:");
  if (invalid === undefined) return href;
  const message = `is also the site's id, as no id: is set, and ${invalid}`;
  problems.push(overrides.siteUrl === undefined ? error(file, matter.lines.get("url"), "url", message) : error("--site-url", undefined, "url", message));
  return href;
}

/**
 * Ids must be absolute URIs in the form URL parsers print them, so that the Atom id (which
 * `feed` normalises) and the RSS guid and JSON id (which it does not) are the same string.
 */
export function checkedId(file: string, matter: FrontMatter, id: string, problems: Problem[]): string {
  let normal: string | undefined;
  try {
    normal = new URL(id).href;
  } catch {
    problems.push(error(file, matter.lines.get("id"), "id", `expected an absolute URI such as https://example.org/post/ or tag:example.org,2023:post (got ${JSON.stringify(id)})`));
    return id;
  }
  const invalid = idProblem(normal);
  if (invalid !== undefined) {
    problems.push(error(file, matter.lines.get("id"), "id", invalid));
    return normal;
  }
  if (normal !== id) {
    problems.push(error(file, matter.lines.get("id"), "id", `write the id in normal form, "${normal}" (got ${JSON.stringify(id)})`));
  }
  return normal;
}
