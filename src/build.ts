import { join } from "node:path";
import type { DateTime } from "luxon";
import { parseArticle, type Article } from "./content/article.ts";
import { readContent, shownPath } from "./content/read.ts";
import { siteFeed, toFeedItems } from "./feeds/build-feeds.ts";
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
  readonly counts: { readonly articles: number; readonly published: number; readonly drafts: number; readonly scheduled: number; readonly items: number };
}

export type PlanResult = { readonly plan: Plan | undefined; readonly problems: readonly Problem[] };

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

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

  const articles: Article[] = [];
  for (const source of read.files) {
    if (source.path.endsWith(`/${SITE_FILE}`) || source.path === SITE_FILE) continue;
    const parsed = parseArticle(source.file, source.path, source.text, site);
    problems.push(...parsed.problems);
    if (parsed.ok) articles.push(parsed.value);
  }
  problems.push(...duplicates(articles));
  if (hasErrors(problems)) return { plan: undefined, problems: sortProblems(problems) };

  const selection = selectArticles(articles, options.now);
  const shown = selection.published.slice(0, site.limit);
  const rendered = toFeedItems(shown);
  problems.push(...rendered.problems);
  if (hasErrors(problems)) return { plan: undefined, problems: sortProblems(problems) };

  const feedUrl = (file: string) => new URL(file, site.url).href;
  const models = [siteFeed(site, rendered.items, feedUrl)];
  const files: OutputFile[] = [];
  for (const model of models) {
    for (const format of FORMATS) files.push({ path: `${model.folder}${format.file}`, content: format.render(model) });
  }
  return {
    plan: {
      site,
      files,
      counts: {
        articles: articles.length,
        published: selection.published.length,
        drafts: selection.drafts,
        scheduled: selection.scheduled,
        items: models[0]!.items.length,
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
