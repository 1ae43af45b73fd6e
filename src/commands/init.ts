import { existsSync, readdirSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { parse as parseYaml, stringify } from "yaml";
import { parseArticle } from "../content/article.ts";
import { MARKDOWN, shownPath } from "../content/read.ts";
import { parseFrontMatter } from "../content/front-matter.ts";
import { permalinkPattern, placeOf } from "../content/permalink.ts";
import { error, warning, type Problem } from "../problems.ts";
import { reportProblems } from "../report/index.ts";
import { parseSettingsMatter } from "../site/matter.ts";
import { parseSite, SITE_FILE, type Site } from "../site/settings.ts";
import { httpUrl } from "../site/urls.ts";
import { flag, text, type Args } from "./args.ts";
import { hugoPath, hugoPattern, hugoSlug, hugoUrls, type HugoPost, type HugoUrls } from "./hugo-urls.ts";
import { EXIT, type Io } from "./io.ts";

const toml = (source: string): unknown => parseToml(source);
const yaml = (source: string): unknown => parseYaml(source);
const json = (source: string): unknown => JSON.parse(source);

/** Another generator's config files, in the order they are looked for, and how each is read. */
const CONFIGS: readonly { file: string; kind: "hugo" | "jekyll"; parse: (source: string) => unknown }[] = [
  { file: "hugo.toml", kind: "hugo", parse: toml },
  { file: "hugo.yaml", kind: "hugo", parse: yaml },
  { file: "hugo.yml", kind: "hugo", parse: yaml },
  { file: "hugo.json", kind: "hugo", parse: json },
  { file: "config.toml", kind: "hugo", parse: toml },
  // Hugo's configuration folder (https://gohugo.io/configuration/introduction/#configuration-directory).
  { file: "config/_default/hugo.toml", kind: "hugo", parse: toml },
  { file: "config/_default/hugo.yaml", kind: "hugo", parse: yaml },
  { file: "config/_default/hugo.json", kind: "hugo", parse: json },
  { file: "config/_default/config.toml", kind: "hugo", parse: toml },
  { file: "_config.yml", kind: "jekyll", parse: yaml },
  { file: "_config.yaml", kind: "jekyll", parse: yaml },
];

type Settings = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** `https://x.org` + `/blog` → `https://x.org/blog/`: feedwright's `url` is a folder. */
function siteUrl(base: string | undefined, path = ""): string | undefined {
  if (base === undefined) return undefined;
  const joined = `${base.replace(/\/+$/, "")}/${path.replace(/^\/+|\/+$/g, "")}`;
  return joined.endsWith("/") ? joined : `${joined}/`;
}

function person(value: unknown): unknown {
  if (typeof value === "string") return str(value);
  const r = record(value);
  const name = str(r.name);
  if (name === undefined) return undefined;
  const email = str(r.email);
  const url = str(r.url) ?? str(r.uri);
  return { name, ...(email === undefined ? {} : { email }), ...(url === undefined ? {} : { url }) };
}

/** A Jekyll or Hugo permalink, kept as written when feedwright can follow it (it reads both kinds); else left out rather than guessed. */
function permalink(pattern: string | undefined): string | undefined {
  // Jekyll adds the leading slash a pattern lacks (`permalink: :title` is `/:title`).
  const written = pattern !== undefined && !pattern.startsWith("/") && pattern.startsWith(":") ? `/${pattern}` : pattern;
  return written !== undefined && permalinkPattern.safeParse(written).success ? written : undefined;
}

/**
 * Where the posts are, seen from Hugo: `rel` is the content folder under Hugo's `contentDir`
 * (`articles` for `--content content/articles`, `""` for the whole of it), undefined when it lies
 * elsewhere; `nested`: some post is in a folder below it.
 */
export interface PostsPlace {
  /** The content folder's path in the site's (Hugo: in its content folder), `/`-separated; undefined when outside it. */
  readonly rel: string | undefined;
  readonly nested: boolean;
  /** Jekyll: the content folder is, or holds, a `_posts` folder. */
  readonly posts?: boolean;
}

/** Whether a Jekyll `_posts` folder is anywhere under `dir`. */
function holdsPosts(dir: string): boolean {
  try {
    return (readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).some((p) => p.split(/[\\/]/).includes("_posts"));
  } catch {
    return false;
  }
}

/** Hugo's permalink for the posts in `place`: its section's `[permalinks]` entry, else Hugo's default URL. */
function hugoPermalink(config: unknown, place: PostsPlace): string | undefined {
  if (place.rel === undefined) return undefined;
  const translated = hugoPattern(hugoUrls(config), place.rel, place.nested);
  return translated.ok ? permalink(translated.pattern) : undefined;
}

/** Jekyll's `defaults:` entry for posts (scope `type: posts`) sets their permalink over the site's. */
function jekyllPostsPermalink(defaults: unknown): string | undefined {
  if (!Array.isArray(defaults)) return undefined;
  const entry = defaults.map(record).find((d) => record(d.scope).type === "posts" && str(record(d.values).permalink) !== undefined && ["", "_posts"].includes(str(record(d.scope).path) ?? ""));
  return entry === undefined ? undefined : str(record(entry.values).permalink);
}

/** Pure: site settings from a Hugo or Jekyll config, only what it says (nothing invented). */
export function settingsFromConfig(kind: "hugo" | "jekyll", config: unknown, place: PostsPlace = { rel: "", nested: false }): Settings {
  const c = record(config);
  const params = record(c.params);
  // A multilingual Hugo site keeps its title under [languages.<default>] (or in languages.<lang>.toml).
  const language = record(record(c.languages)[str(c.defaultContentLanguage) ?? "en"]);
  const s: Settings =
    kind === "hugo"
      ? {
          title: str(c.title) ?? str(language.title),
          url: siteUrl(str(c.baseURL) ?? str(c.baseurl) ?? str(c.baseUrl)),
          description: str(params.description) ?? str(c.description) ?? str(record(language.params).description),
          language: str(c.languageCode) ?? str(c.defaultContentLanguage),
          author: person(params.author ?? c.author),
          copyright: str(c.copyright),
          timezone: str(c.timeZone) ?? str(c.timezone),
          permalink: hugoPermalink(c, place),
        }
      : {
          title: str(c.title),
          url: siteUrl(str(c.url), str(c.baseurl) ?? ""),
          description: str(c.description),
          language: str(c.lang) ?? str(c.locale),
          author: person(c.author),
          timezone: str(c.timezone),
          // Jekyll's default style is `date`: /:categories/:year/:month/:day/:title.html.
          permalink: permalink(jekyllPostsPermalink(c.defaults) ?? str(c.permalink) ?? "date"),
          // Jekyll's folder categories count from the site's root: where the content folder is in it.
          contentPath: place.posts === true && place.rel !== undefined && place.rel !== "" && place.rel !== "_posts" ? place.rel : undefined,
        };
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}

/** In Hugo's config/_default/, the default language's settings may be in their own languages.<lang>.toml: read as [languages.<lang>]. */
async function withLanguageFile(file: string, config: unknown): Promise<unknown> {
  const c = record(config);
  if (!file.startsWith("config/_default/")) return config;
  const lang = str(c.defaultContentLanguage) ?? "en";
  let own: unknown;
  try {
    own = toml(await readFile(`config/_default/languages.${lang}.toml`, "utf8"));
  } catch {
    return config;
  }
  return { ...c, languages: { ...record(c.languages), [lang]: { ...record(own), ...record(record(c.languages)[lang]) } } };
}

/** Pure: the text of `_index.md` for these settings. */
export function siteFileText(settings: Settings): string {
  return `---\n${stringify(settings, { lineWidth: 0 })}---\n`;
}

/** The settings in the order `_index.md` shows them. */
function inOrder(settings: Settings): Settings {
  return Object.fromEntries(["title", "url", "feedsUrl", "description", "language", "author", "copyright", "timezone", "permalink", "contentPath"].filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]));
}

/** What is asked when there is no config, or it lacks a title or URL; the default is in brackets. */
const QUESTIONS = [
  { key: "title", question: "Site title", fallback: (cwd: string) => basename(resolve(cwd)) },
  { key: "url", question: "Site URL, where the articles live", fallback: () => "https://example.org/" },
  { key: "description", question: "One-line description (empty for none)", fallback: () => "" },
] as const;

/**
 * Eleventy's and Astro's configurations are code, which init never runs: their default output
 * folder (`_site`, `dist`) is taken when one of their configuration files is there, so that
 * `--out _site/feeds` gets its `feedsUrl` as beside Hugo and Jekyll.
 */
function codeConfigOut(): string | undefined {
  const has = (names: readonly string[]) => names.some((name) => existsSync(name));
  if (has([".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts"])) return "_site";
  if (has(["astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts", "astro.config.cjs"])) return "dist";
  return undefined;
}

/** `child` under `parent` as a `/`-separated path (`""` when the same), or undefined when it lies elsewhere. */
function under(parent: string, child: string): string | undefined {
  const rel = relative(resolve(parent), resolve(child));
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

interface Post extends HugoPost {
  readonly file: string;
  readonly source: string;
}

/** The Markdown files under the content folder that may be posts (not `_index.md`, nothing under a `_` or `.` name). */
async function readPosts(contentDir: string): Promise<Post[]> {
  let names: string[];
  try {
    names = await readdir(contentDir, { recursive: true });
  } catch {
    return [];
  }
  const posts: Post[] = [];
  for (const name of names.map((n) => n.split(sep).join("/")).sort()) {
    if (!MARKDOWN.test(name) || name.split("/").some((part) => part.startsWith("_") || part.startsWith("."))) continue;
    const file = join(contentDir, name);
    const source = await readFile(file, "utf8").catch(() => undefined);
    if (source === undefined) continue;
    const matter = parseFrontMatter(file, source, new Set());
    posts.push({ file, path: name, source, data: matter.ok ? matter.value.data : {} });
  }
  return posts;
}

/**
 * The posts whose link the written permalink would not make the URL Hugo publishes them at
 * (Hugo's :slug falls back to the title, feedwright's to the file name; Hugo takes the day in the
 * date's own offset, feedwright in the site's zone; Hugo lower-cases): a warning each, with the fix.
 */
function hugoMismatches(urls: HugoUrls, rel: string, posts: readonly Post[], site: Site): Problem[] {
  const problems: Problem[] = [];
  const base = new URL(site.url).pathname;
  for (const post of posts) {
    const hugo = hugoPath(urls, rel, post);
    if (hugo === undefined) continue;
    const read = parseArticle(shownPath(post.file), post.path, post.source, { site });
    if (!read.ok) continue;
    let ours: string;
    try {
      ours = decodeURIComponent(new URL(read.value.url).pathname);
    } catch {
      continue;
    }
    if (ours === base + hugo) continue;
    // What makes both agree without moving Hugo's page: the post's name as Hugo writes it, or the date's zone.
    const fixes: string[] = [];
    const slug = hugoSlug(urls, rel, post);
    if (slug !== undefined && !ours.split("/").includes(slug)) fixes.push(`slug: ${slug} in its front matter gives Hugo's name in both`);
    else if (ours.toLowerCase() === (base + hugo).toLowerCase()) fixes.push(`Hugo lower-cases the path; feedwright keeps the file name's case: a file name in lower case keeps Hugo's URL and gives it to both`);
    const offset = (typeof post.data.date === "string" ? /(?:[+-]\d{2}:?\d{2}|Z)$/.exec(post.data.date.trim())?.[0] : undefined);
    if (offset !== undefined && /:(year|month|day)\b/.test(site.permalink)) fixes.push(`Hugo takes the day in the date's own offset (${offset}), feedwright in timezone ${site.timezone}`);
    problems.push(warning(shownPath(post.file), undefined, undefined, `Hugo publishes it at ${base}${hugo}, but permalink ${site.permalink} links ${ours}${fixes.length === 0 ? "" : `: ${fixes.join("; ")}`} (docs/migrating.md, "Hugo's URLs")`));
  }
  return problems;
}

export async function runInit(args: Args, io: Io): Promise<number> {
  const contentDir = text(args, "content") ?? "content";
  const target = join(contentDir, SITE_FILE);
  const fail = (problems: readonly Problem[]): number => {
    reportProblems(problems, io);
    return EXIT.failed;
  };
  let settings: Settings = {};
  // Nobody to ask (--yes, or no terminal): the defaults.
  let from = flag(args, "yes") || io.ask === undefined ? "the defaults" : "your answers";
  let found: { kind: "hugo" | "jekyll"; config: unknown } | undefined;
  let hugoSite: { urls: HugoUrls; rel: string | undefined; posts: Post[] } | undefined;
  const notes: Problem[] = [];
  for (const config of CONFIGS) {
    let source: string;
    try {
      source = await readFile(config.file, "utf8");
    } catch {
      continue;
    }
    try {
      const parsed = await withLanguageFile(config.file, config.parse(source));
      if (config.kind === "hugo") {
        const urls = hugoUrls(parsed);
        hugoSite = { urls, rel: under(urls.contentDir, contentDir), posts: await readPosts(contentDir) };
      }
      const place: PostsPlace | undefined =
        hugoSite !== undefined
          ? { rel: hugoSite.rel, nested: hugoSite.posts.some((p) => placeOf(p.path).folders.length > 0) }
          : { rel: under(process.cwd(), contentDir), nested: false, posts: basename(resolve(contentDir)) === "_posts" || holdsPosts(contentDir) };
      settings = settingsFromConfig(config.kind, parsed, place);
      found = { kind: config.kind, config: parsed };
      if (hugoSite !== undefined) notes.push(...hugoNotes(config.file, hugoSite.urls, hugoSite.rel, contentDir, settings.permalink !== undefined));
    } catch (e) {
      return fail([error(config.file, undefined, undefined, `cannot be read as ${config.file.split(".").pop()}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`)]);
    }
    from = config.file;
    break;
  }
  // Beside a generator the feeds go into its output folder (docs/migrating.md: `--out public/feeds`), served under url.
  const siteOut = found === undefined ? codeConfigOut() : (hugoSite?.urls.publishDir ?? str(record(found.config).destination) ?? "_site");
  const out = text(args, "out") ?? (siteOut === undefined ? undefined : `${siteOut}/feeds`);
  const feedsPath = siteOut === undefined || out === undefined ? undefined : under(siteOut, out);
  if (feedsPath !== undefined && feedsPath !== "") settings = { ...settings, feedsUrl: `${feedsPath}/` };
  const next = out === undefined ? `feedwright new "My first article"` : `feedwright build --content ${contentDir} --out ${out}`;
  if (existsSync(target)) return fail(await existingFile(target, settings, hugoSite !== undefined, next));
  const ask = flag(args, "yes") ? undefined : io.ask;
  for (const q of QUESTIONS) {
    if (settings[q.key] !== undefined) continue;
    const fallback = q.fallback(process.cwd());
    let answer = fallback;
    // A URL the settings would refuse is asked again, saying why, rather than failing after the last question.
    for (let tries = 1; ask !== undefined; tries++) {
      answer = (await ask(`${q.question}${fallback === "" ? "" : ` [${fallback}]`}: `)).trim() || fallback;
      const refused = q.key === "url" ? httpUrl("url").safeParse(siteUrl(answer)).error?.issues[0]?.message : undefined;
      if (refused === undefined) break;
      // Three refused: stop here, saying why, rather than ask the rest and then fail.
      if (tries === 3) return fail([error(shownPath(target), undefined, q.key, `${refused} (got ${JSON.stringify(answer)}); nothing written`)]);
      io.stderr(`  ${refused} (got ${JSON.stringify(answer)})\n`);
    }
    if (q.key === "url" && answer === fallback) notes.push(warning(shownPath(target), 3, "url", `${fallback} is a placeholder: set url to the address the site is published at before the feeds go out (feed readers keep the links and ids they first see)`));
    if (answer !== "") settings = { ...settings, [q.key]: q.key === "url" ? siteUrl(answer) : answer };
  }
  const ordered = inOrder(settings);
  const body = siteFileText(ordered);
  const checked = parseSite(shownPath(target), body, {});
  if (!checked.ok) return fail(checked.problems);
  if (hugoSite?.rel !== undefined && settings.permalink !== undefined) notes.push(...hugoMismatches(hugoSite.urls, hugoSite.rel, hugoSite.posts, checked.value));
  // In Hugo's content folder the file is a page to Hugo, whose url: (the site's) it refuses: the recipe hides it.
  if (hugoSite?.rel !== undefined && from !== "your answers" && from !== "the defaults") notes.push(hugoIgnore(from, hugoSite.urls.contentDir, hugoSite.rel, shownPath(target)));
  await mkdir(contentDir, { recursive: true });
  try {
    await writeFile(target, body, { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fail([error(shownPath(target), undefined, undefined, `already exists; left as it was`)]);
    throw e;
  }
  reportProblems(notes, io);
  io.stdout(`feedwright: wrote ${shownPath(target)} from ${from} (${Object.keys(ordered).join(", ")}); next: ${next}\n`);
  return EXIT.ok;
}

/**
 * `_index.md` is there already, and is never written over. Either it is feedwright's, or (Hugo)
 * it is the section's own page, which feedwright reads its settings from too: then say which
 * lines to add, but not `url`, which Hugo reads as the page's own URL (so it goes to build as
 * --site-url).
 */
async function existingFile(target: string, settings: Settings, hugo: boolean, build: string): Promise<Problem[]> {
  const shown = shownPath(target);
  const source = await readFile(target, "utf8").catch(() => undefined);
  const matter = source === undefined ? undefined : parseSettingsMatter(shown, source, new Set());
  // feedwright's own: it reads, or its url is a site's (Hugo's page may have url: /posts/, its own path).
  const feedwrights = (data: Record<string, unknown>) => typeof data.url === "string" && /^https?:\/\//.test(data.url);
  if (source === undefined || matter === undefined || !matter.ok || parseSite(shown, source, {}).ok || feedwrights(matter.value.data)) return [error(shown, undefined, undefined, `already exists; left as it was (edit it, or remove it to start again)`)];
  const has = matter.value.data;
  const add = Object.fromEntries(Object.entries(inOrder(settings)).filter(([k]) => has[k] === undefined && !(hugo && k === "url")));
  const written = matter.value.language === "TOML" ? stringifyToml(add) : matter.value.language === "JSON" ? JSON.stringify(add).slice(1, -1) : stringify(add, { lineWidth: 0 });
  const lines = Object.keys(add).length === 0 ? "" : ` add to its front matter (${matter.value.language}): ${written.trim().split("\n").join("; ")}`;
  const url = hugo && settings.url !== undefined ? `; and build with --site-url ${String(settings.url)} (${build.startsWith("feedwright build") ? `${build} --site-url ${String(settings.url)}` : "every build"}), not url: in this file, which Hugo reads as the page's own URL` : "";
  return [error(shown, undefined, undefined, `already exists, not as feedwright's settings; left as it was. feedwright reads its settings from this file too:${lines}${url}`)];
}

/**
 * feedwright's `_index.md` in Hugo's content folder is a page to Hugo (the section's, or the home
 * page), and Hugo stops at its `url:`, which is no path: Hugo must be told to skip it
 * (docs/migrating.md, the recipe's `ignoreFiles`).
 */
function hugoIgnore(configFile: string, hugoContent: string, rel: string, written: string): Problem {
  // Hugo matches ignoreFiles against the file's whole path, unanchored.
  const folder = [hugoContent, rel].filter((p) => p !== "").join("/").replace(/\\/g, "/").replace(/^\.\//, "");
  const pattern = `${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/_index\\.md$`;
  const line = configFile.endsWith(".toml") ? `ignoreFiles = ['${pattern}']` : configFile.endsWith(".json") ? `"ignoreFiles": ["${pattern.replace(/\\/g, "\\\\")}"]` : `ignoreFiles: ['${pattern}']`;
  const where = configFile.endsWith(".toml") ? `near the top of ${configFile} (before its first [table])` : `to ${configFile}`;
  return warning(configFile, undefined, "ignoreFiles", `Hugo reads ${written} as ${rel === "" ? "the home page" : `the ${rel} section's page`} and stops at its url: add ${line} ${where}, so that Hugo skips it (or merge it into an ignoreFiles list there)`);
}

/** What init could not translate from Hugo's URL settings, said where the user can act on it. */
function hugoNotes(file: string, hugo: HugoUrls, rel: string | undefined, contentDir: string, written: boolean): Problem[] {
  if (rel === undefined) return [warning(file, undefined, "contentDir", `${contentDir} is not under Hugo's content folder (${hugo.contentDir}), so no permalink was written: set permalink in ${SITE_FILE} to the URLs Hugo gives these posts`)];
  if (rel === "") {
    // Hugo's whole content folder: each section's own permalink belongs in that section's _index.md.
    return Object.keys(hugo.permalinks).map((section) => {
      const t = hugoPattern(hugo, "", true, section);
      return warning(file, undefined, "permalinks", t.ok ? `Hugo's permalink for ${section} applies to ${hugo.contentDir}/${section}/ only: give ${section}/${SITE_FILE} (a section) permalink: ${t.pattern}` : `${section}: ${t.reason}`);
    });
  }
  if (written) return [];
  const t = hugoPattern(hugo, rel, true);
  return [warning(file, undefined, "permalinks", `${t.ok ? `no permalink written` : t.reason}; feedwright's default /:slug/ is not where Hugo publishes these posts: set permalink in ${SITE_FILE}`)];
}
