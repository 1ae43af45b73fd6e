import { join } from "node:path";
import { parseArticle } from "../content/article.ts";
import { readContent, shownPath } from "../content/read.ts";
import { ok, type Problem, type Result } from "../problems.ts";
import { parseSite, SITE_FILE } from "../site/settings.ts";
import { checkIdDrift, type CurrentArticle } from "./drift.ts";
import { readOutDir, readPrevious, type PreviousFeed } from "./previous.ts";

export interface GuardOptions {
  readonly contentDir: string;
  readonly outDir: string;
  /** A file or http(s) URL of the published feed; else the output folder's JSON Feeds. */
  readonly previous?: string;
  readonly accept: boolean;
  readonly maxFileBytes: number;
}

/**
 * The id-drift guard, run after a successful plan and before publishing: the problems it finds.
 * It reads the articles again, drafts and scheduled ones included (a draft is a deliberate
 * withdrawal, not a disappearance), because the feeds hold only what is published.
 */
export async function guardIds(options: GuardOptions): Promise<readonly Problem[]> {
  const previous: Result<PreviousFeed> | undefined =
    options.previous === undefined ? await readOutDir(options.outDir, shownPath(options.outDir)) : await readPrevious(options.previous);
  if (previous === undefined) return [];
  if (!previous.ok) return previous.problems;
  const current = await currentArticles(options);
  if (!current.ok) return current.problems;
  return checkIdDrift(previous.value, current.value.articles, { siteFile: current.value.siteFile, siteUrl: current.value.siteUrl, accept: options.accept });
}

async function currentArticles(options: GuardOptions): Promise<Result<{ articles: CurrentArticle[]; siteFile: string; siteUrl: string }>> {
  const read = await readContent({ contentDir: options.contentDir, maxFileBytes: options.maxFileBytes });
  const siteSource = read.files.find((f) => f.path === SITE_FILE);
  const siteFile = siteSource?.file ?? shownPath(join(options.contentDir, SITE_FILE));
  const site = siteSource === undefined ? undefined : parseSite(siteSource.file, siteSource.text, {});
  // planBuild has already reported every content problem; here they only mean "nothing to compare".
  if (site === undefined || !site.ok) return ok({ articles: [], siteFile, siteUrl: "" });
  const articles: CurrentArticle[] = [];
  for (const source of read.files) {
    if (source.path === SITE_FILE || source.path.endsWith(`/${SITE_FILE}`)) continue;
    const parsed = parseArticle(source.file, source.path, source.text, site.value);
    if (!parsed.ok) continue;
    const a = parsed.value;
    articles.push({ file: a.file, id: a.id, url: a.url, title: a.title, published: a.date.toMillis() });
  }
  return ok({ articles, siteFile, siteUrl: site.value.url });
}
