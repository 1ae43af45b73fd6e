import type { ArticleMeta } from "../cache/article-json.ts";
import type { ArticleCache } from "../cache/article-cache.ts";
import { keptPlan, type KeptPlan } from "../cache/kept-plan.ts";
import { channels, shownItems, type Entry } from "../feeds/build-feeds.ts";
import type { ItemRef } from "../feeds/model.ts";
import { newestFirst } from "../feeds/select.ts";
import { isPublished, statusWindow } from "../content/article.ts";
import type { Renderer } from "../formats/render-pool.ts";
import type { PendingFile } from "../output/publish.ts";
import { compareText, hasErrors, type Problem } from "../problems.ts";
import { sectionOf } from "../site/section.ts";
import { groupTemplateWarnings } from "../markdown/templates/group.ts";
import { readArticles, type Content } from "./articles.ts";
import type { Listing } from "../content/read.ts";
import { planDocuments } from "./documents.ts";
import type { ArticleSummary, BuildOptions, Plan } from "./types.ts";

/** A build before anything is written: every document planned, none rendered yet. */
export type Prepared = Omit<Plan, "files"> & {
  readonly documents: readonly PendingFile[];
  /** What was read (src/cache/last-build.ts). */
  readonly inputs: Content["inputs"];
  /** Between these instants (ms; null: no bound) every article is published or not as at this build's now. */
  readonly window: { readonly from: number | null; readonly until: number | null };
  /** The plan as the next build may patch it (src/cache/kept-plan.ts); undefined when no record of the build is kept. */
  readonly kept: KeptPlan | undefined;
};

/** Reads and checks the content and plans every document: articles, then feeds, then documents. */
export async function prepare(options: BuildOptions, cache: ArticleCache, renderer: (fragments: number) => Renderer, listing: Promise<Listing>): Promise<{ prepared: Prepared | undefined; problems: Problem[] }> {
  const { content, problems } = await readArticles(options, cache, listing);
  if (content === undefined) return { prepared: undefined, problems };
  const { site, articles } = content;
  const now = options.now;

  const published = articles.filter((a) => isPublished(a.meta, now)).sort((a, b) => newestFirst(a.meta, b.meta));
  const entries: Entry[] = published.map((a) => ({ file: a.meta.file, section: sectionOf(a.entry.path, content.sections), item: toItemRef(a.meta, a.key, a.excerpt) }));
  const made = channels(site, content.siteFile, content.sections, entries);
  problems.push(...made.problems);
  if (hasErrors(problems)) return { prepared: undefined, problems };

  // Articles reading left unrendered are rendered now if a document shows them, and only then:
  // their excerpt is the summary of their item.
  const shown = new Set(made.channels.flatMap((channel) => shownItems(site, channel).map((item) => item.body)));
  const excerpts = new Map<string, string>();
  // A body kept for this run only is found under a key of its own (src/pipeline/articles.ts).
  const moved = new Map<string, string>();
  let rendered = 0;
  const wanted = published.filter((article) => article.excerpt === undefined && shown.has(article.key));
  const outs = await content.render(wanted.map((article) => article.key));
  wanted.forEach((article, i) => {
    const out = outs[i]!;
    rendered++;
    if (article.meta.summary === undefined) excerpts.set(article.key, out.excerpt);
    if (out.key !== article.key) moved.set(article.key, out.key);
    problems.push(...out.problems);
  });
  if (rendered > 0) problems.splice(0, problems.length, ...groupTemplateWarnings(problems));
  if (hasErrors(problems)) return { prepared: undefined, problems };
  const summarised = (item: ItemRef): ItemRef => {
    const excerpt = excerpts.get(item.body);
    const body = moved.get(item.body) ?? item.body;
    return excerpt === undefined && body === item.body ? item : { ...item, summary: excerpt ?? item.summary, body };
  };
  const feeds = excerpts.size === 0 && moved.size === 0 ? made.channels : made.channels.map((channel) => ({ ...channel, items: channel.items.map(summarised) }));
  const read = moved.size === 0 ? articles : articles.map((a) => (moved.has(a.key) ? { ...a, key: moved.get(a.key)! } : a));

  const tell = (written: number, documents: number) => options.progress?.({ ...content.progress, written, documents });
  const planned = planDocuments(site, feeds, content.body, renderer, tell);
  problems.push(...planned.problems);
  if (hasErrors(problems)) return { prepared: undefined, problems };
  // Made while planning, from the documents' own lists of items; kept only with a record of the build.
  const kept = cache.ephemeral || options.keepRecord === false ? undefined : keptPlan(planned.held, read, planned.frontDoor);

  const summaries = articles
    .map(({ meta, entry }): ArticleSummary => {
      const published = isPublished(meta, now);
      return { file: meta.file, path: entry.path, id: meta.id, url: meta.url, title: meta.title, dateMs: meta.date.toMillis(), published, scheduled: !meta.draft && !published };
    })
    .sort((a, b) => compareText(a.path, b.path));
  return {
    prepared: {
      site,
      feeds: planned.feeds,
      siteFile: content.siteFile,
      documents: planned.documents,
      articles: summaries,
      leftOut: content.leftOut,
      inputs: content.inputs,
      window: statusWindow(articles.map((a) => a.meta), now),
      kept,
      counts: {
        // A draft left out for its problems is still a draft the build read: fixing it changes no count.
        articles: articles.length + content.leftOut.length,
        published: published.length,
        drafts: articles.filter((a) => a.meta.draft).length + content.leftOut.length,
        scheduled: articles.filter((a) => !a.meta.draft && !isPublished(a.meta, now)).length,
        items: Math.min(site.limit, feeds[0]!.items.length),
        feeds: made.channels.length,
        documents: planned.documents.length,
        rendered: content.progress.rendered + rendered,
      },
    },
    problems,
  };
}

/** An article's item as documents are planned with it (its body by key). */
export function toItemRef(meta: ArticleMeta, key: string, excerpt: string | undefined): ItemRef {
  return {
    id: meta.id,
    url: meta.url,
    title: meta.title,
    // Not rendered yet: the excerpt replaces it once it is (in `prepare`), if a document shows it.
    summary: meta.summary ?? excerpt ?? "",
    published: meta.date,
    updated: meta.updated ?? meta.date,
    authors: meta.authors,
    tags: meta.tags,
    categories: meta.categories,
    externalUrl: meta.externalUrl,
    image: meta.image,
    lang: meta.lang,
    body: key,
  };
}
