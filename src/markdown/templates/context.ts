import type { Article } from "../../content/article.ts";
import type { Problem } from "../../problems.ts";
import type { Site } from "../../site/settings.ts";
import { BUNDLE_INDEX, MARKDOWN } from "../../content/read.ts";

/** A page bundle's path (`post/index.md`), to be named by its folder. */
const BUNDLE_PATH = new RegExp(`/${BUNDLE_INDEX.source.slice(1)}`, "i");

/** What template code in an article may refer to; plain data the pipeline passes in. */
export interface TemplateContext {
  /** `{{ site.X }}`, `{{< param >}}`: the site settings' values and every other key of `_index.md`. */
  readonly site: Readonly<Record<string, unknown>>;
  /** `{{ page.X }}`, `{{< param >}}`: the article's own values. */
  readonly page: Readonly<Record<string, unknown>>;
  /**
   * `{% link %}`, `{% post_url %}`, `{{< ref >}}`: an article's URL by its path under `content/`
   * (`_posts/2016-03-10-easier.md`), that path without its extension, and its file or folder name
   * without extension (`2016-03-10-easier`). Built by `linkTargets`.
   */
  readonly links: ReadonlyMap<string, string>;
  /** Site-defined shortcodes (Hugo's, Eleventy's): name to an HTML pattern with `{0}`, `{name}` and `{inner}`. */
  readonly shortcodes: Readonly<Record<string, string>>;
  /** The content folder's path in the site's (the `contentPath` setting): a Jekyll `{% link %}` path from the site's root starts with it (a Hugo `ref` is from the content folder). */
  readonly contentPath?: readonly string[];
  /** The site's `templates` setting: which template code is expanded (expand.ts). Default `auto`. */
  readonly engine?: TemplateEngine;
}

/**
 * `liquid`: `{% %}` and `{{ }}` are Liquid (Jekyll, Eleventy), shortcodes are text. `hugo`:
 * shortcodes are expanded, `{{ }}` and `{% %}` are text, as Hugo shows them in content. `none`:
 * nothing is. `auto`: shortcodes and `{% tag %}` are, and `{{ }}` only when it is surely Liquid.
 */
export type TemplateEngine = "auto" | "liquid" | "hugo" | "none";

export const EMPTY_CONTEXT: TemplateContext = { site: {}, page: {}, links: new Map(), shortcodes: {} };

/** The expansion's state as each tag's handler sees it. */
export interface Expansion {
  readonly context: TemplateContext;
  readonly engine: TemplateEngine;
  /** Names a `{% assign %}`, `{% set %}`, `{% capture %}` or `{% for %}` of this article set (Liquid, never prose), with the literal assigned if it was one. */
  readonly variables: Map<string, string | undefined>;
  /** Whether the construct being expanded sits inside a URL (set before each one). */
  inUrl: boolean;
  readonly baseUrl: string;
  readonly problems: Problem[];
  /** `file:line` problem at offset `at` of the source; a build reports those of one `group` once (group.ts). */
  warn(at: number, message: string, group?: string): void;
  /** The note readers see for template code that gave nothing; inside a URL, a marker that takes the URL out. */
  placeholder(label: string): string;
  /** `text` rendered as Markdown (inline when it is one paragraph): a `{{% %}}` shortcode's or a paired Eleventy shortcode's content. */
  markdown(text: string): string;
  /** Stands for an HTML fragment in the Markdown; replaced once the Markdown is rendered. */
  html(fragment: string): string;
}

/**
 * Warns that template code at `at` gave nothing, saying what readers get instead, and returns
 * that: `label` in the text, or inside a URL a marker that takes the link out (expand.ts).
 */
export function unsupported(x: Expansion, at: number, what: string, label: string, hint: string, group: string): string {
  x.warn(at, `${what}: ${x.inUrl ? "it is inside a URL, so the link is left out and its text stays" : `the article shows "${label}" in its place`}${hint}`, group);
  return x.placeholder(label);
}

/** `&`, `<`, `>` and `"` as entities: a value inserted into Markdown shows as the text it is. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** A value of site or page data at a dotted path (`author.name`), as text, or undefined. */
export function lookup(root: Readonly<Record<string, unknown>>, path: readonly string[]): string | undefined {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.join(", ");
  if (value !== null && typeof value === "object" && typeof (value as { name?: unknown }).name === "string") return (value as { name: string }).name;
  return undefined;
}

/** `linkTargets` input: one row per article. */
export interface LinkTarget {
  /** Path under `content/`, with `/` separators. */
  readonly path: string;
  readonly url: string;
}

/** The `links` lookup of a `TemplateContext`: by path, path without extension, and name. */
export function linkTargets(targets: readonly LinkTarget[]): Map<string, string> {
  const links = new Map<string, string>();
  const names = new Map<string, string | null>();
  for (const { path, url } of targets) {
    links.set(path, url);
    const bare = path.replace(MARKDOWN, "");
    links.set(bare, url);
    // A page bundle (`post/index.md`) is named by its folder.
    const name = bare.endsWith("/index") ? bare.slice(0, -"/index".length).split("/").pop()! : bare.split("/").pop()!;
    // A name two articles share points at neither: the path must then be written in full.
    names.set(name, names.has(name) ? null : url);
  }
  for (const [name, url] of names) if (url !== null && !links.has(name)) links.set(name, url);
  return links;
}

/** The URL of the article a template names, trying the ways Jekyll and Hugo write it. */
export function findLink(links: ReadonlyMap<string, string>, target: string, contentPath: readonly string[] = []): string | undefined {
  const written = target.trim().replace(/^\.?\//, "").replace(/#.*$/, "");
  // A path from the site's root, through the content folder (`en/news/_posts/x.md` for `contentPath: en/news`).
  const prefix = contentPath.length === 0 ? undefined : `${contentPath.join("/")}/`;
  const clean = prefix !== undefined && written.startsWith(prefix) ? written.slice(prefix.length) : written;
  const anchor = /#.*$/.exec(target.trim())?.[0] ?? "";
  for (const key of [clean, clean.replace(/\/$/, ""), MARKDOWN.test(clean) ? clean.replace(MARKDOWN, "") : clean.replace(/\.html$/, ""), clean.replace(BUNDLE_PATH, ""), clean.split("/").pop() ?? ""]) {
    const url = links.get(key);
    if (url !== undefined) return url + anchor;
  }
  return undefined;
}

/** Whether `body` names other articles (`{% link %}`, `{% post_url %}`, `ref`, `relref`). */
export function linksToArticles(body: string): boolean {
  return /\{%-?\s*(?:link|post_url)\s|\{\{[<%]\s*(?:ref|relref)\s/.test(body);
}

/**
 * What an article's template code may read: `site.*` as Jekyll names it (`url` is the origin and
 * `baseurl` the path, so `{{ site.url }}{{ site.baseurl }}` is the site's address) over every key
 * of `_index.md`, and as `page.*` (and Eleventy's bare names) the article's front matter as
 * written under the values feedwright made of it.
 */
export function templateContext(site: Site, article: Article, links: ReadonlyMap<string, string>): TemplateContext {
  const base = new URL(site.url);
  const path = base.pathname.replace(/\/$/, "");
  return {
    site: {
      ...site.data,
      title: site.title,
      description: site.description,
      url: base.origin,
      // Jekyll's site.timezone; what the date filters write in.
      timezone: site.timezone,
      baseurl: typeof site.data.baseurl === "string" ? site.data.baseurl : path,
      author: site.author,
      ...(site.language === undefined ? {} : { language: site.language, lang: site.language }),
      ...(site.copyright === undefined ? {} : { copyright: site.copyright }),
    },
    page: {
      ...article.frontMatter,
      title: article.title,
      date: article.date.toISO(),
      url: article.url,
      slug: article.slug,
      id: article.id,
      tags: article.tags,
      ...(article.summary === undefined ? {} : { summary: article.summary, description: article.summary }),
      ...(article.authors[0] === undefined ? {} : { author: article.authors[0] }),
      ...(article.image === undefined ? {} : { image: article.image }),
      ...(article.lang === undefined ? {} : { lang: article.lang }),
    },
    links,
    shortcodes: site.shortcodes,
    contentPath: site.contentPath,
    // A post in Jekyll's _posts/ or _drafts/ is Jekyll's: every {{ }} in it is Liquid, as Jekyll reads it.
    engine: site.templates === "auto" && /(^|[\\/])_(posts|drafts)[\\/]/.test(article.file) ? "liquid" : site.templates,
  };
}
