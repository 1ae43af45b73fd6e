import { join } from "node:path";
import type { DateTime } from "luxon";
import { parseArticle, type Article } from "./content/article.ts";
import { readContent, shownPath } from "./content/read.ts";
import { channels, documents, toEntries } from "./feeds/build-feeds.ts";
import type { FormatUrls } from "./feeds/model.ts";
import { renderOpml } from "./formats/opml.ts";
import { parseSection, sectionOf, type Section } from "./site/section.ts";
import { selectArticles } from "./feeds/select.ts";
import { FORMATS } from "./formats/index.ts";
import { publish, type OutputFile, type PublishReport } from "./output/publish.ts";
import { error, hasErrors, sortProblems, type Problem } from "./problems.ts";
import { parseSite, SITE_FILE, type Site } from "./site/settings.ts";

export interface BuildOptions {
  readonly contentDir: string;
  readonly outDir: string;
  /** Replaces the site's `url` for one run (deploy previews). */
  readonly siteUrl?: string;
  /** Articles dated after this are left out. */
  readonly now: DateTime;
  readonly maxFileBytes?: number;
}

export interface Plan {
  readonly site: Site;
  readonly files: readonly OutputFile[];
  readonly counts: {
    readonly articles: number;
    readonly published: number;
    readonly drafts: number;
    readonly scheduled: number;
    /** Items in the site's subscription feed. */
    readonly items: number;
    /** Subscription feeds: the site's, each section's, each tag's. */
    readonly feeds: number;
  };
}

export type PlanResult = { readonly plan: Plan | undefined; readonly problems: readonly Problem[] };

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export const OPML_FILE = "feeds.opml";

/**
 * Everything but writing: reads and checks the content, renders every document in memory.
 * `plan` is undefined when any problem is an error.
 */
export async function planBuild(options: BuildOptions): Promise<PlanResult> {
  const read = await readContent({ contentDir: options.contentDir, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES });
  const problems: Problem[] = [...read.problems];
  const siteSource = read.files.find((f) => f.path === SITE_FILE);
  if (siteSource === undefined) {
    problems.push(error(shownPath(join(options.contentDir, SITE_FILE)), undefined, undefined, `missing: it holds the site settings (at least title and url)`));
    return { plan: undefined, problems: sortProblems(problems) };
  }
  const siteResult = parseSite(siteSource.file, siteSource.text, { ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }) });
  problems.push(...siteResult.problems);
  if (!siteResult.ok) return { plan: undefined, problems: sortProblems(problems) };
  const site = siteResult.value;

  const sections: Section[] = [];
  for (const source of read.files) {
    if (!source.path.endsWith(`/${SITE_FILE}`)) continue;
    const parsed = parseSection(source.file, source.path.slice(0, -SITE_FILE.length - 1), source.text);
    problems.push(...parsed.problems);
    if (parsed.ok) sections.push(parsed.value);
  }

  const articles: { article: Article; section: Section | undefined }[] = [];
  for (const source of read.files) {
    if (source.path === SITE_FILE || source.path.endsWith(`/${SITE_FILE}`)) continue;
    const parsed = parseArticle(source.file, source.path, source.text, site);
    problems.push(...parsed.problems);
    if (parsed.ok) articles.push({ article: parsed.value, section: sectionOf(source.path, sections) });
  }
  problems.push(...duplicates(articles.map((a) => a.article)));
  if (hasErrors(problems)) return { plan: undefined, problems: sortProblems(problems) };

  const selection = selectArticles(articles.map((a) => a.article), options.now);
  const sectionOfArticle = new Map(articles.map((a) => [a.article, a.section]));
  // Archives hold every published article, so every published article is rendered, once.
  const rendered = toEntries(selection.published.map((article) => ({ article, section: sectionOfArticle.get(article) })));
  problems.push(...rendered.problems);
  const made = channels(site, sections, rendered.entries);
  problems.push(...made.problems);
  if (hasErrors(problems)) return { plan: undefined, problems: sortProblems(problems) };

  const urls = (folder: string) =>
    Object.fromEntries(FORMATS.map((format) => [format.name, new URL(`${folder}${format.file}`, site.url).href])) as FormatUrls;
  const files: OutputFile[] = [];
  const madeBy = new Map<string, string>();
  for (const channel of made.channels) {
    for (const model of documents(site, channel, urls)) {
      for (const format of FORMATS) {
        const path = `${model.folder}${format.file}`;
        const other = madeBy.get(path);
        if (other !== undefined) {
          problems.push(error(channel.source.startsWith("the ") ? SITE_FILE : channel.source, undefined, undefined, `${channel.source} and ${other} would both write ${path}; rename one`));
          continue;
        }
        madeBy.set(path, channel.source);
        files.push({ path, content: format.render(model) });
      }
    }
  }
  files.push({ path: OPML_FILE, content: renderOpml(site, made.channels, (folder) => urls(folder).rss) });
  if (hasErrors(problems)) return { plan: undefined, problems: sortProblems(problems) };
  const siteChannel = made.channels[0]!;
  return {
    plan: {
      site,
      files,
      counts: {
        articles: articles.length,
        published: selection.published.length,
        drafts: selection.drafts,
        scheduled: selection.scheduled,
        items: Math.min(site.limit, siteChannel.items.length),
        feeds: made.channels.length,
      },
    },
    problems: sortProblems(problems),
  };
}

/** Two articles may not share an id or a URL: readers would merge them into one. */
function duplicates(articles: readonly Article[]): Problem[] {
  const problems: Problem[] = [];
  for (const key of ["id", "url"] as const) {
    const seen = new Map<string, Article>();
    for (const article of articles) {
      const first = seen.get(article[key]);
      if (first === undefined) seen.set(article[key], article);
      else problems.push(error(article.file, undefined, key, `same ${key} as ${first.file} (${article[key]}); set a different ${key === "id" ? "id" : "slug"} in one of them`));
    }
  }
  return problems;
}

export type BuildResult = PlanResult & { readonly report: PublishReport | undefined };

/** Plans, then publishes: `outDir` changes only when the whole plan succeeded. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const planned = await planBuild(options);
  if (planned.plan === undefined) return { ...planned, report: undefined };
  const report = await publish(options.outDir, planned.plan.files);
  return { ...planned, report };
}
