import { prepare } from "./build/prepare.ts";
import type { BuildOptions, BuildResult, Plan, PlanResult } from "./build/types.ts";
import { ArticleCache } from "./cache/article-cache.ts";
import { FORMATS } from "./formats/index.ts";
import { defaultThreads, workerRenderer, type Renderer } from "./formats/render-pool.ts";
import { publish, type OutputFile } from "./output/publish.ts";
import { hasErrors, sortProblems, type Problem } from "./problems.ts";
import { changedTopics, saveRecord } from "./websub/ping.ts";

export type { ArticleSummary, BuildOptions, BuildResult, Counts, DocumentSummary, Plan, PlanResult, Progress } from "./build/types.ts";
export { FRONT_DOOR_FILE, OPML_FILE } from "./build/types.ts";
export { DEFAULT_MAX_FILE_BYTES } from "./build/articles.ts";

/**
 * Everything but writing: reads and checks the content, renders every document in memory.
 * `plan` is undefined when any problem is an error.
 */
export async function planBuild(options: BuildOptions): Promise<PlanResult> {
  const files: OutputFile[] = [];
  const result = await eachDocument(options, async (path, content) => void files.push({ path, content }));
  return result.plan === undefined ? result : { ...result, plan: { ...result.plan, files } };
}

/**
 * Everything but writing, in bounded memory: reads and checks the content, then renders the
 * documents one at a time, handing each to `visit` (in plan order) and keeping none; the plan's
 * `files` stays empty. Nothing is visited when any problem is an error.
 */
export async function eachDocument(options: BuildOptions, visit: (path: string, content: string) => Promise<void>): Promise<PlanResult> {
  const cache = await ArticleCache.open(options.cacheDir);
  let renderer: Renderer | undefined;
  try {
    const { prepared, problems } = await prepare(options, cache, (n) => (renderer = pickRenderer(options, n)));
    if (prepared === undefined) return { plan: undefined, problems: sortProblems(problems) };
    for (const doc of prepared.documents) await visit(doc.path, await doc.render());
    return { plan: { site: prepared.site, feeds: prepared.feeds, siteFile: prepared.siteFile, files: [], counts: prepared.counts, articles: prepared.articles }, problems: sortProblems(problems) };
  } finally {
    await renderer?.close();
    await cache.close();
  }
}

function pickRenderer(options: BuildOptions, documents: number): Renderer {
  return workerRenderer(options.threads ?? defaultThreads(documents));
}

/**
 * Plans, then publishes: the output folder changes only when the whole plan succeeded. Documents
 * are rendered one at a time as they are written, and not at all when the cache shows that the
 * file already holds them.
 */
export async function build(options: BuildOptions, beforePublish?: (plan: Plan) => Promise<readonly Problem[]>): Promise<BuildResult> {
  const cache = await ArticleCache.open(options.cacheDir);
  let renderer: Renderer | undefined;
  try {
    const { prepared, problems } = await prepare(options, cache, (n) => (renderer = pickRenderer(options, n)));
    if (prepared === undefined) return { plan: undefined, problems: sortProblems(problems), report: undefined };
    // `files` stays empty: documents are rendered while they are written, never all at once.
    const plan: Plan = { site: prepared.site, feeds: prepared.feeds, siteFile: prepared.siteFile, files: [], counts: prepared.counts, articles: prepared.articles };
    problems.push(...((await beforePublish?.(plan)) ?? []));
    if (hasErrors(problems)) return { plan, problems: sortProblems(problems), report: undefined };
    const report = await publish(options.outDir, prepared.documents, await cache.outputs(options.outDir));
    await cache.saveOutputs(options.outDir, report.records);
    if (prepared.site.hub !== undefined && options.cacheDir !== undefined) {
      const topics = changedTopics(report.changed, prepared.site.feedsUrl, FORMATS.map((f) => f.file));
      await saveRecord(options.cacheDir, options.outDir, { hub: prepared.site.hub, topics });
    }
    return { plan, problems: sortProblems(problems), report };
  } finally {
    await renderer?.close();
    await cache.close();
  }
}
