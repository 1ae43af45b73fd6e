import { prepare } from "./prepare.ts";
import type { BuildOptions, BuildResult, Plan, PlanResult } from "./types.ts";
import { ArticleCache } from "../cache/article-cache.ts";
import { outputStamps, type LastBuild } from "../cache/last-build.ts";
import { FORMATS } from "../formats/index.ts";
import { joinPieces } from "../formats/fragment.ts";
import { defaultThreads, WORKER_THRESHOLD, workerRenderer, type Renderer } from "../formats/render-pool.ts";
import { publish, type OutputFile, type PublishReport } from "../output/publish.ts";
import type { Site } from "../site/settings.ts";
import { listContent, shownPath, type Listing } from "../content/read.ts";
import { fsReason } from "../fs-errors.ts";
import { checkpoint } from "../interrupt.ts";
import { inSiteOutput, outDirRefusal } from "../output/place.ts";
import { error, hasErrors, sortProblems, warning, type Problem } from "../problems.ts";
import { changedTopics, saveRecord } from "../websub/ping.ts";

export type { ArticleSummary, BuildOptions, BuildResult, Counts, DocumentSummary, Plan, PlanResult, Progress } from "./types.ts";
export { FRONT_DOOR_FILE, OPML_FILE } from "./types.ts";
export { DEFAULT_MAX_FILE_BYTES } from "./articles.ts";

/**
 * Rendered bodies the cache keeps in memory for the documents; the rest are read back from its
 * folder, once each. Kept small: a body held is held through the whole build, and V8 lets the
 * heap grow to a multiple of what is held before it collects (the cache's default is 192 MiB).
 */
export const BODIES_IN_MEMORY = 32 * 1024 * 1024;

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
  const listing = listContent(options.contentDir);
  const cache = await ArticleCache.open(options.cacheDir, BODIES_IN_MEMORY);
  let renderer: Renderer | undefined;
  let result: PlanResult;
  try {
    const { prepared, problems } = await prepare(options, cache, (n) => (renderer = pickRenderer(options, n)), listing);
    if (prepared === undefined) result = { plan: undefined, problems };
    else {
      for (const doc of prepared.documents) {
        await checkpoint(options.signal);
        await visit(doc.path, joinPieces(await doc.render()));
      }
      result = { plan: { site: prepared.site, feeds: prepared.feeds, siteFile: prepared.siteFile, files: [], counts: prepared.counts, articles: prepared.articles, leftOut: prepared.leftOut }, problems };
    }
  } finally {
    await renderer?.close();
    await cache.close();
  }
  return { ...result, problems: sortProblems([...result.problems, ...cache.problems()]) };
}

function pickRenderer(options: BuildOptions, fragments: number): Renderer {
  return workerRenderer(options.threads ?? defaultThreads(fragments, WORKER_THRESHOLD.fragments));
}

/**
 * After publishing, what the next build needs, kept in the cache: what was written, the feeds
 * `feedwright ping` announces, and this build's record (src/cache/last-build.ts). Never fails the
 * build: what cannot be kept is a warning in `problems`.
 */
export async function keepOutcome(options: BuildOptions, cache: ArticleCache, report: PublishReport, site: Pick<Site, "hub" | "feedsUrl">, record: Omit<LastBuild, "outputs">, problems: Problem[]): Promise<void> {
  await cache.saveOutputs(options.outDir, report.records);
  if (site.hub !== undefined && options.cacheDir !== undefined) {
    const topics = changedTopics(report.changed, site.feedsUrl, FORMATS.map((f) => f.file));
    try {
      await saveRecord(options.cacheDir, options.outDir, { hub: site.hub, topics });
    } catch (e) {
      problems.push(warning(shownPath(options.cacheDir), undefined, undefined, `the list of feeds for \`feedwright ping\` was not saved: ${fsReason(e)}; run ping after the next build`));
    }
  }
  // So that the next build, if nothing it depends on has changed, has nothing to do.
  const outputs = options.keepRecord === false ? undefined : outputStamps(options.outDir, report.records);
  if (outputs !== undefined) await cache.saveLastBuild(options, { ...record, outputs });
}

/**
 * Plans, then publishes: the output folder changes only when the whole plan succeeded, and then
 * only in the files feedwright wrote (src/output/publish.ts). Documents are rendered one at a
 * time as they are written, and not at all when the cache shows that the file already holds
 * them. Aborting `options.signal` stops the build with nothing published (it rejects with the
 * signal's reason), unless publishing had passed its commit point: then it completes.
 */
export async function build(options: BuildOptions, beforePublish?: (plan: Plan) => Promise<readonly Problem[]>): Promise<BuildResult> {
  const refusal = await outDirRefusal(options.outDir, options.contentDir);
  if (refusal !== undefined) return { plan: undefined, problems: [error(shownPath(options.outDir), undefined, undefined, refusal)], report: undefined };
  // Listed while the cache's index is read: the folder's listing waits on the disk (50,000
  // articles: 0.1 s), the index on this thread.
  const listing = listContent(options.contentDir);
  const cache = await ArticleCache.open(options.cacheDir, BODIES_IN_MEMORY);
  let renderer: Renderer | undefined;
  let result: BuildResult;
  try {
    result = await buildWith(options, cache, (n) => (renderer = pickRenderer(options, n)), listing, beforePublish);
  } finally {
    await renderer?.close();
    await cache.close();
  }
  return { ...result, problems: sortProblems([...result.problems, ...cache.problems()]) };
}

/**
 * Feeds written into a site's output folder (`--out public/feeds`, the recipes' way) are served
 * under feeds/, but without feedsUrl their own links (rel=self, feed_url, the OPML and the
 * stylesheet) say the site's root, where Hugo may serve a feed of its own.
 */
function feedsUrlWarning(outDir: string, site: Site, siteFile: string): Problem[] {
  if (site.data.feedsUrl !== undefined) return [];
  const nested = inSiteOutput(outDir);
  if (nested === undefined) return [];
  return [warning(siteFile, undefined, "feedsUrl", `is not set, but --out ${outDir} lies inside ${shownPath(nested.site)}/, a site's output folder: the feeds' own links (rel=self, JSON Feed feed_url, OPML, the stylesheet) say ${site.feedsUrl}; if ${shownPath(nested.site)}/ is served at url, set feedsUrl: ${nested.path}/`)];
}

async function buildWith(options: BuildOptions, cache: ArticleCache, renderer: (fragments: number) => Renderer, listing: Promise<Listing>, beforePublish?: (plan: Plan) => Promise<readonly Problem[]>): Promise<BuildResult> {
  const { prepared, problems } = await prepare(options, cache, renderer, listing);
  if (prepared === undefined) return { plan: undefined, problems, report: undefined };
  problems.push(...feedsUrlWarning(options.outDir, prepared.site, prepared.siteFile));
  // The content's problems: what a next build with nothing to do reports again (not the guard's).
  const contentProblems = [...problems];
  // `files` stays empty: documents are rendered while they are written, never all at once.
  const plan: Plan = { site: prepared.site, feeds: prepared.feeds, siteFile: prepared.siteFile, files: [], counts: prepared.counts, articles: prepared.articles, leftOut: prepared.leftOut };
  problems.push(...((await beforePublish?.(plan)) ?? []));
  if (hasErrors(problems)) return { plan, problems, report: undefined };
  options.signal?.throwIfAborted();
  const report = await publish(options.outDir, prepared.documents, {
    previous: await cache.outputs(options.outDir),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.beforeChange === undefined ? {} : { beforeChange: options.beforeChange }),
  });
  // From here on the feeds are published: nothing below may fail the build.
  const { counts, site, window, inputs } = prepared;
  const kept = { counts, problems: contentProblems, hub: site.hub ?? null, window, inputs: inputs.files, listing: inputs.listing, plan: prepared.kept };
  await keepOutcome(options, cache, report, site, kept, problems);
  return { plan, problems, report };
}
