import { join } from "node:path";
import { DateTime } from "luxon";
import { articleFromJson, articleToJson, type ArticleMeta } from "./cache/article-json.ts";
import { ArticleCache, cacheKey } from "./cache/article-cache.ts";
import { parseArticle } from "./content/article.ts";
import { listContent, readSource, shownPath, type ContentEntry, type SourceFile } from "./content/read.ts";
import { cleanText } from "./content/text.ts";
import { rfc3339 } from "./content/dates.ts";
import { channels, documents, type Channel, type Entry } from "./feeds/build-feeds.ts";
import type { FeedItem, FeedModel, FormatName, FormatUrls, ItemRef } from "./feeds/model.ts";
import { FEED_STYLESHEET_FILE, renderFeedStylesheet } from "./formats/feed-page.ts";
import { renderFrontDoor } from "./formats/front-door.ts";
import type { FrontDoorInput } from "./formats/front-door-input.ts";
import { newestFirst } from "./feeds/select.ts";
import { FORMATS } from "./formats/index.ts";
import { renderOpml } from "./formats/opml.ts";
import { defaultThreads, workerRenderer, type Renderer } from "./formats/render-pool.ts";
import { renderMarkdown } from "./markdown/render.ts";
import { publish, type OutputFile, type PendingFile, type PublishReport } from "./output/publish.ts";
import { compareText, error, hasErrors, sortProblems, type Problem } from "./problems.ts";
import { parseSection, sectionOf, type Section } from "./site/section.ts";
import { parseSite, SITE_FILE, type Site } from "./site/settings.ts";
import { VERSION } from "./version.ts";
import { changedTopics, saveRecord } from "./websub/ping.ts";

export interface BuildOptions {
  readonly contentDir: string;
  readonly outDir: string;
  /** Replaces the site's `url` for one run (deploy previews). */
  readonly siteUrl?: string;
  /** Articles dated after this are left out. */
  readonly now: DateTime;
  /** Overrides the site's `maxFileBytes` setting. */
  readonly maxFileBytes?: number;
  /** Build cache folder; without one, nothing outlives the run. */
  readonly cacheDir?: string;
  /** Worker threads rendering documents; by default some when there are many documents, else none. */
  readonly threads?: number;
  /** Told how far the build is, often: a terminal shows it, nothing else needs it. */
  readonly progress?: (progress: Progress) => void;
}

/** How far a build is. */
export interface Progress {
  readonly read: number;
  readonly articles: number;
  readonly rendered: number;
  readonly written: number;
  readonly documents: number;
}

export interface Counts {
  readonly articles: number;
  readonly published: number;
  readonly drafts: number;
  readonly scheduled: number;
  /** Items in the site's subscription feed. */
  readonly items: number;
  /** Subscription feeds: the site's, each section's, each tag's. */
  readonly feeds: number;
  /** Documents written per build: every format of every feed and archive page, and the OPML. */
  readonly documents: number;
  /** Articles whose Markdown was rendered in this run (the rest came from the cache). */
  readonly rendered: number;
}

/** One article as the build saw it: what the id-drift guard and reports need. */
export interface ArticleSummary {
  readonly file: string;
  readonly path: string;
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly date: string;
  readonly published: boolean;
}

/** One folder of documents: a subscription feed or an archive page, and what it holds. */
export interface DocumentSummary {
  /** Folder under the output folder: `""` for the site feed. */
  readonly folder: string;
  readonly files: readonly string[];
  readonly items: number;
}

export interface Plan {
  readonly site: Site;
  /** Every folder of documents, in the order they are written. */
  readonly feeds: readonly DocumentSummary[];
  /** Where the site settings were read (`content/_index.md`). */
  readonly siteFile: string;
  readonly files: readonly OutputFile[];
  readonly counts: Counts;
  readonly articles: readonly ArticleSummary[];
}

export type PlanResult = { readonly plan: Plan | undefined; readonly problems: readonly Problem[] };

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export const OPML_FILE = "feeds.opml";

export const FRONT_DOOR_FILE = "index.html";

const FORMAT_LABELS: Record<FormatName, string> = { rss: "RSS", atom: "Atom", json: "JSON Feed" };

/** What dist/index.html shows: every subscription feed, and the site feed's items. */
function frontDoorInput(site: Site, channels: readonly Channel[], urls: (folder: string) => FormatUrls): FrontDoorInput {
  return {
    site: { title: site.title, description: site.description, url: site.url, language: site.language },
    feeds: channels.map((c) => ({
      title: c.title,
      kind: c.kind,
      formats: FORMATS.map((f) => ({ label: FORMAT_LABELS[f.name], mediaType: f.mediaType, url: urls(c.folder)[f.name] })),
    })),
    latest: channels[0]!.items.slice(0, site.limit).map((item) => ({
      title: item.title,
      url: item.url,
      date: rfc3339(item.published),
      dateText: item.published.setLocale(site.language ?? "en").toLocaleString(DateTime.DATE_FULL),
      summary: item.summary,
    })),
    opmlUrl: new URL(OPML_FILE, site.url).href,
  };
}

/** How many files are read at once: enough to keep the disk busy, far below any EMFILE limit. */
const READ_CONCURRENCY = 16;

/** A build before anything is written: every document planned, none rendered yet. */
interface Prepared {
  readonly site: Site;
  readonly feeds: readonly DocumentSummary[];
  readonly siteFile: string;
  readonly documents: readonly PendingFile[];
  readonly counts: Counts;
  readonly articles: readonly ArticleSummary[];
}

/**
 * Reads and checks the content and plans every document. Each article is read once; its
 * Markdown is rendered only when it is published (drafts and future articles never are) and
 * only when the cache does not already hold the result.
 */
async function prepare(options: BuildOptions, cache: ArticleCache, renderer: (documents: number) => Renderer): Promise<{ prepared: Prepared | undefined; problems: Problem[] }> {
  // _index.md is read under the default cap; the articles under the site's own setting.
  let maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const listed = await listContent({ contentDir: options.contentDir, maxFileBytes });
  const problems: Problem[] = [...listed.problems];
  const isIndex = (e: ContentEntry) => e.path === SITE_FILE || e.path.endsWith(`/${SITE_FILE}`);

  const siteEntry = listed.entries.find((e) => e.path === SITE_FILE);
  if (siteEntry === undefined) {
    if (problems.length === 0) problems.push(error(shownPath(join(options.contentDir, SITE_FILE)), undefined, undefined, `missing: it holds the site settings (at least title and url)`));
    return { prepared: undefined, problems };
  }
  const siteSource = readSource(siteEntry, maxFileBytes);
  if (!isSource(siteSource)) return { prepared: undefined, problems: [...problems, siteSource] };
  const siteResult = parseSite(siteSource.file, siteSource.text, { ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }) });
  problems.push(...siteResult.problems);
  if (!siteResult.ok) return { prepared: undefined, problems };
  const site = siteResult.value;
  maxFileBytes = options.maxFileBytes ?? site.maxFileBytes;

  const sections: Section[] = [];
  for (const entry of listed.entries.filter((e) => isIndex(e) && e !== siteEntry)) {
    const source = readSource(entry, maxFileBytes);
    if (!isSource(source)) {
      problems.push(source);
      continue;
    }
    const parsed = parseSection(source.file, entry.path.slice(0, -SITE_FILE.length - 1), source.text);
    problems.push(...parsed.problems);
    if (parsed.ok) sections.push(parsed.value);
  }

  // Everything that can change how an article reads or renders, besides its own bytes and path.
  const fingerprint = JSON.stringify([VERSION, site]);
  const renderArticle = (file: string, article: { body: string; bodyLine: number; url: string }) =>
    renderMarkdown(article.body, { file, firstLine: article.bodyLine, baseUrl: article.url, rawHtml: site.html });
  const now = options.now;
  let rendered = 0;
  let read = 0;
  const articleEntries = listed.entries.filter((e) => !isIndex(e));
  const tell = (written: number, documents: number) => options.progress?.({ read, articles: articleEntries.length, rendered, written, documents });
  const results = await mapLimit(articleEntries, READ_CONCURRENCY, async (entry) => {
    read++;
    tell(0, 0);
    const source = readSource(entry, maxFileBytes);
    if (!isSource(source)) return { problems: [source] };
    const key = cacheKey([fingerprint, entry.path, source.text]);
    const cached = cache.get(key);
    if (cached !== undefined) {
      const meta = articleFromJson(entry.file, cached.article);
      const published = meta !== undefined && !meta.draft && meta.date <= now;
      // A published article cached before it was published has no body yet: render it now.
      if (meta !== undefined && (!published || cached.htmlHash !== undefined)) return { meta, key, excerpt: cached.excerpt, problems: [] };
    }
    const parsed = parseArticle(source.file, source.path, source.text, site);
    if (!parsed.ok) return { problems: [...parsed.problems] };
    const { body: _body, bodyLine: _line, ...meta } = parsed.value;
    const renderNow = !meta.draft && meta.date <= now;
    if (!renderNow) {
      if (parsed.problems.length === 0) await cache.put(key, articleToJson(meta), "", undefined);
      return { meta, key, excerpt: "", problems: [...parsed.problems] };
    }
    const out = renderArticle(source.file, parsed.value);
    rendered++;
    const html = cleanText(out.html);
    const excerpt = cleanText(out.excerpt);
    // An article with warnings is not cached, so its warnings are shown on every build.
    const clean = parsed.problems.length === 0 && out.problems.length === 0;
    if (clean) await cache.put(key, articleToJson(meta), excerpt, html);
    return { meta, key: clean ? key : undefined, html: clean ? undefined : html, excerpt, problems: [...parsed.problems, ...out.problems] };
  });

  const articles: { meta: ArticleMeta; key: string; excerpt: string; entry: ContentEntry }[] = [];
  const loose = new Map<string, string>();
  results.forEach((result, i) => {
    problems.push(...result.problems);
    if (result.meta === undefined) return;
    const entry = articleEntries[i]!;
    let key = result.key;
    if (key === undefined) {
      // Rendered with warnings: kept in memory for this run only.
      key = `uncached:${entry.path}`;
      loose.set(key, result.html ?? "");
    }
    articles.push({ meta: result.meta, key, excerpt: result.excerpt, entry });
  });
  problems.push(...duplicates(articles.map((a) => a.meta)));
  if (hasErrors(problems)) return { prepared: undefined, problems };

  const published = articles.filter((a) => !a.meta.draft && a.meta.date <= now).sort((a, b) => newestFirst(a.meta, b.meta));
  const entries: Entry[] = published.map((a) => ({ file: a.meta.file, section: sectionOf(a.entry.path, sections), item: toItemRef(a.meta, a.key, a.excerpt) }));
  const made = channels(site, siteEntry.file, sections, entries);
  problems.push(...made.problems);
  if (hasErrors(problems)) return { prepared: undefined, problems };

  const urls = (folder: string) => Object.fromEntries(FORMATS.map((format) => [format.name, new URL(`${folder}${format.file}`, site.url).href])) as FormatUrls;
  const sourceOf = new Map(articles.map((a) => [a.key, a]));
  const body = async (key: string): Promise<string> => {
    const html = loose.get(key) ?? (await cache.html(key));
    if (html !== undefined) return html;
    // The cache entry was removed or damaged since it was read: never trusted, so render again.
    const article = sourceOf.get(key)!;
    const source = readSource(article.entry, maxFileBytes);
    const parsed = isSource(source) ? parseArticle(source.file, source.path, source.text, site) : undefined;
    if (parsed?.ok !== true) throw new Error(`${article.entry.file} changed while the build ran; run it again`);
    return cleanText(renderArticle(article.entry.file, parsed.value).html);
  };
  const models = made.channels.flatMap((channel) => documents(site, channel, urls).map((model) => ({ channel, model })));
  const render = renderer(models.length * FORMATS.length);
  const docs: PendingFile[] = [];
  const madeBy = new Map<string, string>();
  let written = 0;
  const total = models.length * FORMATS.length;
  for (const { channel, model } of models) {
    for (const format of FORMATS) {
      const path = `${model.folder}${format.file}`;
      const other = madeBy.get(path);
      if (other !== undefined) {
        problems.push(error(channel.file, undefined, undefined, `${channel.source} and ${other} would both write ${path}; rename one`));
        continue;
      }
      madeBy.set(path, channel.source);
      docs.push({
        path,
        digest: digestOf(format.name, model),
        render: async () => {
          const content = await render.render(format.name, await hydrate(model, body));
          tell(++written, total);
          return content;
        },
      });
    }
  }
  // The small documents are rendered now: their digest is their content.
  const small = (path: string, content: string) => docs.push({ path, digest: cacheKey([content]), render: async () => content });
  small(OPML_FILE, renderOpml(site, made.channels, (folder) => urls(folder).rss));
  small(FRONT_DOOR_FILE, renderFrontDoor(frontDoorInput(site, made.channels, urls)));
  small(FEED_STYLESHEET_FILE, renderFeedStylesheet());
  if (hasErrors(problems)) return { prepared: undefined, problems };

  const summaries = articles
    .map(({ meta, entry }): ArticleSummary => ({ file: meta.file, path: entry.path, id: meta.id, url: meta.url, title: meta.title, date: meta.date.toISO() ?? "", published: !meta.draft && meta.date <= now }))
    .sort((a, b) => compareText(a.path, b.path));
  return {
    prepared: {
      site,
      feeds: models.map(({ model }) => ({ folder: model.folder, files: FORMATS.map((f) => `${model.folder}${f.file}`), items: model.items.length })),
      siteFile: siteEntry.file,
      documents: docs,
      articles: summaries,
      counts: {
        articles: articles.length,
        published: published.length,
        drafts: articles.filter((a) => a.meta.draft).length,
        scheduled: articles.filter((a) => !a.meta.draft && a.meta.date > now).length,
        items: Math.min(site.limit, made.channels[0]!.items.length),
        feeds: made.channels.length,
        documents: docs.length,
        rendered,
      },
    },
    problems,
  };
}

function toItemRef(meta: ArticleMeta, key: string, excerpt: string): ItemRef {
  return {
    id: meta.id,
    url: meta.url,
    title: meta.title,
    summary: meta.summary ?? excerpt,
    published: meta.date,
    updated: meta.updated ?? meta.date,
    authors: meta.authors,
    tags: meta.tags,
    image: meta.image,
    lang: meta.lang,
    body: key,
  };
}

async function hydrate(model: FeedModel<ItemRef>, body: (key: string) => Promise<string>): Promise<FeedModel> {
  const items: FeedItem[] = [];
  for (const { body: key, ...item } of model.items) items.push({ ...item, contentHtml: await body(key) });
  return { ...model, items };
}

/**
 * What a document's bytes depend on: its format, its own fields, and its items' cache keys
 * (which cover each article's bytes, path and the site settings). Equal digests, equal bytes.
 */
function digestOf(format: string, model: FeedModel<ItemRef>): string {
  const { items, ...fields } = model;
  return cacheKey([VERSION, format, JSON.stringify(fields), ...items.map((item) => item.body)]);
}

/**
 * Everything but writing: reads and checks the content, renders every document in memory.
 * `plan` is undefined when any problem is an error.
 */
export async function planBuild(options: BuildOptions): Promise<PlanResult> {
  const cache = await ArticleCache.open(options.cacheDir);
  let renderer: Renderer | undefined;
  try {
    const { prepared, problems } = await prepare(options, cache, (n) => (renderer = pickRenderer(options, n)));
    if (prepared === undefined) return { plan: undefined, problems: sortProblems(problems) };
    const files: OutputFile[] = [];
    for (const doc of prepared.documents) files.push({ path: doc.path, content: await doc.render() });
    return { plan: { site: prepared.site, feeds: prepared.feeds, siteFile: prepared.siteFile, files, counts: prepared.counts, articles: prepared.articles }, problems: sortProblems(problems) };
  } finally {
    await renderer?.close();
    await cache.close();
  }
}

function pickRenderer(options: BuildOptions, documents: number): Renderer {
  return workerRenderer(options.threads ?? defaultThreads(documents));
}

export type BuildResult = PlanResult & { readonly report: PublishReport | undefined };

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
      const topics = changedTopics(report.changed, prepared.site.url, FORMATS.map((f) => f.file));
      await saveRecord(options.cacheDir, options.outDir, { hub: prepared.site.hub, topics });
    }
    return { plan, problems: sortProblems(problems), report };
  } finally {
    await renderer?.close();
    await cache.close();
  }
}

/** Two articles may not share an id or a URL: readers would merge them into one. */
function duplicates(articles: readonly ArticleMeta[]): Problem[] {
  const problems: Problem[] = [];
  for (const key of ["id", "url"] as const) {
    const seen = new Map<string, ArticleMeta>();
    for (const article of articles) {
      const first = seen.get(article[key]);
      if (first === undefined) seen.set(article[key], article);
      else problems.push(error(article.file, undefined, key, `same ${key} as ${first.file} (${article[key]}); set a different ${key === "id" ? "id" : "slug"} in one of them`));
    }
  }
  return problems;
}

function isSource(value: SourceFile | Problem): value is SourceFile {
  return "text" in value;
}

/** Like Promise.all over `items`, with at most `limit` running at once; results keep their order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
