import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { articleFromJson, articleToJson, type ArticleMeta } from "../cache/article-json.ts";
import { cacheKey, type ArticleCache } from "../cache/article-cache.ts";
import { codeVersion } from "../cache/code-version.ts";
import { inputStamp, listingDigest, type InputStamp } from "../cache/last-build.ts";
import { articleSchema, groupListingNotes, inheritedKeyWarnings, isPublished, parseArticle, type Article, type ReadContext } from "../content/article.ts";
import { layersFor } from "../content/directory-data.ts";
import { didYouMean } from "../did-you-mean.ts";
import { listContent, readDataFiles, readSource, shownPath, type ContentEntry, type Listing, type SourceFile, isSource } from "../content/read.ts";
import { READ_AHEAD_FROM, ReadAhead } from "../content/read-ahead.ts";
import { feedsOf } from "../feeds/build-feeds.ts";
import { ShownSoFar, showsEveryArticle } from "../feeds/select.ts";
import { tagKeys } from "../feeds/tags.ts";
import { defaultThreads, WORKER_THRESHOLD, WorkerPool } from "../formats/render-pool.ts";
import { linksToArticles, linkTargets } from "../markdown/templates/context.ts";
import { groupTemplateWarnings } from "../markdown/templates/group.ts";
import { error, hasErrors, warning, type Problem } from "../problems.ts";
import { parseSection, sectionOf, type Section } from "../site/section.ts";
import { parseSite, provisionalSite, SITE_FILE, type Site } from "../site/settings.ts";
import { pinIds, PINS_FILE } from "../guard/pins.ts";
import { checkpoint, letSignalsIn } from "../interrupt.ts";
import { boundHeapGrowth, boundsHeap } from "./memory.ts";
import { articleReader, keyingOf, parsedAgain, readContext, renderArticle as renderOne, shownRenderer, type Parsed, type ReadJob, type ReadOutcome, type ReadSetup, type ShownOutcome } from "./read-one.ts";
import type { BuildOptions, LeftOut, Progress } from "./types.ts";

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** How many files are read at once: enough to keep the disk busy, far below any EMFILE limit. */
const READ_CONCURRENCY = 16;
/** Reading on this thread lets Ctrl-C in once per so many articles (rendering one can take 2 ms). */
const SIGNALS_EVERY = 32;
/**
 * The articles some document will show are kept as parsed until they are rendered (`kept` in
 * readArticles), up to this many bytes of their files in all (front matter and Markdown: parsed,
 * a long YAML list can take more than ten times its size): past it, the rest are read again.
 */
export const KEEP_PARSED_BYTES = 16 * 1024 * 1024;

/** One article that was read and checked, with where its HTML is kept. */
export interface ReadArticle {
  readonly meta: ArticleMeta;
  /** Where its HTML is: a cache key, or an `uncached:` key for this run only. */
  readonly key: string;
  /** Undefined for a published article not rendered yet: `Content.render` makes it when a document shows it. */
  readonly excerpt: string | undefined;
  readonly entry: ContentEntry;
}

/** One article rendered once a document shows it: its excerpt, the Markdown's warnings, and the key its body is found under now (a body kept for this run only has a key of its own). */
export interface Rendered {
  readonly excerpt: string;
  readonly problems: Problem[];
  readonly key: string;
}

/** The content, read and checked: the site, its sections, and every article. */
export interface Content {
  readonly site: Site;
  /** Where the site settings were read (`content/_index.md`). */
  readonly siteFile: string;
  readonly sections: readonly Section[];
  readonly articles: readonly ReadArticle[];
  /** Drafts left out because their other fields have problems (reported as warnings), by path. */
  readonly leftOut: readonly LeftOut[];
  /** An article's HTML by its key. */
  readonly body: (key: string) => Promise<string>;
  /**
   * Renders published articles that reading left unrendered (their `excerpt` is undefined), on
   * the worker threads when there are many, so that `body` then finds them; returns each one's
   * excerpt, the Markdown's warnings and the key its body is found under, in the order of `keys`.
   */
  readonly render: (keys: readonly string[]) => Promise<Rendered[]>;
  /** How far reading got: progress keeps telling these while documents are written. */
  readonly progress: Pick<Progress, "read" | "articles" | "rendered">;
  /** What was read: the listing's digest, and each file's stamp from before it was read, by path under the content folder (src/cache/last-build.ts). */
  readonly inputs: { readonly listing: string; readonly files: ReadonlyMap<string, InputStamp> };
}

/**
 * Reads and checks the site settings, the sections and every article. Each article is read once;
 * its Markdown is rendered only when it is published (drafts and future articles never are) and
 * only when the cache does not already hold the result. `content` is undefined when any problem
 * is an error.
 */
export async function readArticles(
  options: BuildOptions,
  cache: ArticleCache,
  /** The content folder's listing, when it was started earlier (while the cache's index was read). */
  listing: Promise<Listing> = listContent(options.contentDir),
): Promise<{ content: Content | undefined; problems: Problem[] }> {
  const listed = await listing;
  // Each stamp taken before its file is read: a file changed meanwhile differs from it next time.
  // By path under the content folder, as the listing names it.
  // Not kept for a run-only cache (`--no-cache`), which keeps no record of the build.
  const inputs = new Map<string, InputStamp>();
  const stamped = (path: string, stamp: () => InputStamp) => void (cache.ephemeral || inputs.set(path, stamp()));
  const { settings, problems } = readSettings(options, listed, stamped);
  if (settings === undefined) return { content: undefined, problems };
  const { site, siteSource, siteOk, sections, maxFileBytes } = settings;
  const siteFile = siteSource.file;
  const jobOf = settings.job;
  const contextOf = (entry: ContentEntry): ReadContext => readContext(site, jobOf(entry), options.drafts === true);
  const keying = keyingOf(site, codeVersion());
  const now = options.now;
  // `--drafts` (a preview): a draft reads as published; the cache keeps what the file says.
  const preview = <T extends { draft: boolean } | undefined>(meta: T): T => (options.drafts === true && meta?.draft === true ? { ...meta, draft: false } : meta);
  // With archives off most articles are in no document: their Markdown is rendered only once the
  // documents are planned, and only for the items those hold (`render` below).
  const eager = showsEveryArticle(site);
  const articleEntries = listed.entries.filter((e) => !isIndex(e));
  const setup = readSetup(options, settings, { eager, keying, known: knownKeys(cache, eager, (meta) => !isPublished(preview(meta), now)), stamps: cache.stamps() });
  // By default the workers read only when Markdown is rendered while reading (archives on): then
  // they pay (10,000 articles, full job: 22 s on two workers against 37 s on one thread). Reading
  // and parsing alone ran no faster on them (12.0 s against 11.2 s, at twice the CPU time): with
  // archives off, the articles are read here and only the shown ones rendered on the workers.
  const threads = options.threads ?? (eager ? defaultThreads(articleEntries.length) : 0);
  let rendered = 0;
  let read = 0;
  // The articles a document will show are kept as parsed until they are rendered, not read and
  // parsed again (1,000 articles: 0.14 s of a 1.1 s build): each feed's newest so far, a few
  // hundred at any size (holding every article cost the collector more than reading the shown
  // ones again). An article read on a worker, or past the budget, is read again when shown.
  const kept = new ShownSoFar<Parsed>(site.limit, KEEP_PARSED_BYTES);
  const tagKey = tagKeys();
  const settle = (entry: ContentEntry, outcome: ReadOutcome) => {
    // Not an article, but read: the record stamps it (never the cache, which holds no entry for it).
    if (outcome.kind === "failed") {
      if (outcome.stamp !== undefined) stamped(entry.path, () => outcome.stamp!);
      return { problems: outcome.problems, leftOut: outcome.leftOut, unknownKeys: outcome.unknownKeys };
    }
    // Its cache stamp as it is (for one the cache knew, the object it read), not a copy.
    stamped(entry.path, () => outcome.stamp);
    if (outcome.kind === "known") {
      const cached = cache.get(outcome.key);
      const meta = cached === undefined ? undefined : preview(articleFromJson(entry.file, cached.article));
      // Known when reading started, it is whole in memory: only a bug could lose it. Read it again then.
      if (cached === undefined || meta === undefined) return settle(entry, articleReader(site, { ...setup, known: new Set(), stamps: new Map() })(jobOf(entry)));
      cache.stamp(entry.path, outcome.stamp);
      const published = isPublished(meta, now);
      // A published article cached while no document showed it has no body yet: rendered when one does.
      return { meta, key: outcome.key, excerpt: published && cached.htmlHash === undefined ? undefined : cached.excerpt, problems: [] };
    }
    cache.stamp(entry.path, outcome.stamp);
    // Read on this thread, its fields as parsed; from a worker, as the cache keeps them.
    const parsed = outcome.meta ?? articleFromJson(entry.file, outcome.article);
    if (parsed === undefined) throw new Error(`${entry.file}: its fields did not come back from the reader whole`);
    const meta = preview(parsed);
    // Links to other articles need every article's URL first: rendered after all are read, and
    // cached under a key that also holds every link target (`linkKey` below).
    if (outcome.deferred !== undefined) return { meta, excerpt: "", read: outcome.key, deferred: { ...parsed, ...outcome.deferred }, linking: outcome, problems: outcome.problems };
    // An article with warnings is not cached, so its warnings are shown on every build.
    const clean = outcome.problems.length === 0;
    // A run-only cache (`--no-cache`) keeps nothing but bodies: an article without one is not put.
    const put = clean && (outcome.html !== undefined || !cache.ephemeral) ? outcome : undefined;
    if (outcome.parsed !== undefined) {
      kept.offer(outcome.key, meta, feedsOf(sectionOf(entry.path, sections), meta.tags, tagKey), outcome.stamp.size, { article: outcome.parsed, problems: outcome.problems });
    }
    // Not rendered (not published, or archives off): its key is where `render` puts the body.
    if (outcome.html === undefined) return { meta, key: outcome.key, excerpt: outcome.excerpt, problems: outcome.problems, put };
    rendered++;
    return { meta, key: clean ? outcome.key : undefined, read: outcome.key, html: outcome.html, excerpt: outcome.excerpt, problems: outcome.problems, put };
  };
  const pool = threads > 0 && articleEntries.length > 0 ? new WorkerPool(Math.min(threads, articleEntries.length)) : undefined;
  // Read here, every file (nothing stamped to prove any unchanged): the files are read ahead on a
  // worker, unless the build was told how many threads to use.
  const ahead = pool === undefined && options.threads === undefined && setup.stamps.size === 0 && articleEntries.length >= READ_AHEAD_FROM && availableParallelism() > 1 ? new ReadAhead(articleEntries, maxFileBytes) : undefined;
  // The workers read and render, this thread holds what they send: its heap is what peaks.
  if (boundsHeap(pool?.threads ?? 0, articleEntries.length, setup.known.size)) boundHeapGrowth();
  const stop = () => void pool?.close(options.signal?.reason);
  options.signal?.addEventListener("abort", stop, { once: true });
  let results: ReturnType<typeof settle>[];
  try {
    pool?.broadcast({ kind: "read-setup", setup });
    const keep = async (result: ReturnType<typeof settle>) => {
      const put = "put" in result ? result.put : undefined;
      if (put === undefined) return result;
      await cache.put(put.key, put.article, put.excerpt ?? "", put.html);
      // The body is the cache's now: kept here too, every article's would be held until all are read.
      return Object.assign(result, { put: undefined, html: undefined });
    };
    const told = () => options.progress?.({ read, articles: articleEntries.length, rendered, written: 0, documents: 0 });
    if (pool === undefined) {
      // One after another on this thread, waiting only on writes to the cache (at most
      // READ_CONCURRENCY at once): an article the cache knows costs no promise and no turn of
      // the event loop, which at 50,000 articles came to a tenth of a second and much garbage.
      const readOne = articleReader(site, setup, true);
      const writes = new Set<Promise<unknown>>();
      results = new Array<ReturnType<typeof settle>>(articleEntries.length);
      for (const [i, entry] of articleEntries.entries()) {
        options.signal?.throwIfAborted();
        // Also lets in the files read ahead, which the worker sends a batch at a time.
        if (i % SIGNALS_EVERY === SIGNALS_EVERY - 1) await letSignalsIn(options.signal, ahead !== undefined);
        read++;
        told();
        const result = settle(entry, readOne(jobOf(entry), ahead?.take(i)));
        results[i] = result;
        if (!("put" in result) || result.put === undefined) continue;
        const write: Promise<unknown> = keep(result).finally(() => writes.delete(write));
        writes.add(write);
        if (writes.size >= READ_CONCURRENCY) await Promise.race(writes);
      }
      await Promise.all(writes);
    } else {
      // Enough requests in flight to keep every worker busy while the main thread handles replies.
      results = await mapLimit(articleEntries, pool.threads * READ_CONCURRENCY, async (entry) => {
        await checkpoint(options.signal);
        read++;
        told();
        const outcome = await pool.request<ReadOutcome>({ kind: "read", job: jobOf(entry) });
        options.signal?.throwIfAborted();
        return keep(settle(entry, outcome));
      });
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
    await pool?.close();
    await ahead?.close();
  }
  // Every published article's URL by the names links use, and their digest: made only once an
  // article linking to others is rendered (at 50,000 articles 0.15 s that most builds need not spend).
  let linkMap: ReadonlyMap<string, string> | undefined;
  const links = () => (linkMap ??= linkTargets(results.flatMap((r, i) => (r.meta === undefined || !isPublished(r.meta, now) ? [] : [{ path: articleEntries[i]!.path, url: r.meta.url }]))));
  let linkDigest: string | undefined;
  // An article linking to others renders the same while its bytes and every link target are the same.
  const linksDigest = () => (linkDigest ??= cacheKey([...links()].flat()));
  const renderArticle = (file: string, article: Article) => renderOne(site, file, article, links());

  const articles: ReadArticle[] = [];
  // Drafts left out for their problems (warnings): still drafts to the counts and the id guard.
  const leftOut: LeftOut[] = results.flatMap((r, i) => ("leftOut" in r && r.leftOut !== undefined ? [{ ...r.leftOut, file: articleEntries[i]!.file, path: articleEntries[i]!.path }] : []));
  const loose = new Map<string, string>();
  /**
   * Keeps a body no cache entry holds (rendered with warnings, or with links to other articles
   * whose URLs its cache key does not cover) for this run, under a key made from the key it was
   * read under (the file's bytes, its path, its data files and the settings) and the body itself:
   * a document's digest holds its items' keys, so one showing this article is written again
   * whenever its fields or its body change.
   */
  const keepLoose = (read: string, html: string): string => {
    const key = `uncached:${cacheKey([read, html])}`;
    loose.set(key, html);
    return key;
  };
  problems.push(...groupListingNotes(results.flatMap((r) => r.problems)));
  for (const [i, result] of results.entries()) {
    if (result.meta === undefined) continue;
    const entry = articleEntries[i]!;
    let key = result.key;
    let { excerpt, html } = result;
    if ("deferred" in result && result.deferred !== undefined) {
      const linkKey = cacheKey([result.linking.key, linksDigest()]);
      const cached = cache.get(linkKey);
      if (cached?.htmlHash !== undefined) {
        key = linkKey;
        excerpt = cached.excerpt;
      } else {
        const out = renderArticle(entry.file, result.deferred);
        rendered++;
        problems.push(...out.problems);
        html = out.html;
        excerpt = out.excerpt;
        // As any other: an article with warnings is not cached, so they are shown on every build.
        if (result.problems.length === 0 && out.problems.length === 0) {
          await cache.put(linkKey, result.linking.article, excerpt, html);
          key = linkKey;
        }
      }
    }
    if (key === undefined) {
      // Rendered with warnings: kept in memory for this run only.
      // Only one rendered while reading is without a key (one the cache knew, or not rendered, has its own).
      const read = "read" in result ? result.read : undefined;
      if (read === undefined) throw new Error(`${entry.file}: rendered, but read under no key`);
      key = keepLoose(read, html ?? "");
    }
    articles.push({ meta: result.meta, key, excerpt, entry });
  }
  problems.splice(0, problems.length, ...groupTemplateWarnings(problems));
  // Every article's unknown keys, the failed ones' too, in the order the files are listed: one
  // warning per key, counting every file.
  problems.push(...unknownKeys(results.flatMap((r, i) => (r.meta !== undefined ? [r.meta] : "unknownKeys" in r && r.unknownKeys !== undefined ? [{ file: articleEntries[i]!.file, unknownKeys: r.unknownKeys }] : [])), siteFile));
  // URLs and ids made under refused settings are placeholders: comparing them would only mislead.
  const pinsFile = resolve(options.contentDir, PINS_FILE);
  stamped(PINS_FILE, () => inputStamp(pinsFile));
  if (siteOk) problems.push(...(await pinIds(options.contentDir, articles, leftOut)), ...duplicates(articles.map((a) => a.meta)));
  // A folder of files none of which is read is a mistake to name, not an empty feed to publish.
  if (articleEntries.length === 0 && listed.skipped.length + listed.others > 0) {
    problems.push(error(shownPath(options.contentDir), undefined, undefined, `no articles: the folder holds ${listed.skipped.length + listed.others} file(s) but no .md or .markdown article besides ${SITE_FILE} files; an empty feed is not written`));
  }
  if (hasErrors(problems)) return { content: undefined, problems };

  const sourceOf = new Map(articles.map((a) => [a.key, a]));
  const body = async (key: string): Promise<string> => {
    const html = loose.get(key) ?? (await cache.html(key));
    if (html !== undefined) return html;
    // The cache entry was removed or damaged since it was read: never trusted, so render again.
    // Not by its key: an article linking to others is cached under a key of its links too.
    const article = sourceOf.get(key)!;
    const source = readSource(article.entry, maxFileBytes);
    const parsed = isSource(source) ? parseArticle(source.file, source.path, source.text, contextOf(article.entry)) : undefined;
    if (parsed?.ok !== true) throw new Error(`${article.entry.file} changed while the build ran; run it again`);
    return renderArticle(article.entry.file, parsed.value).html;
  };
  /** An article kept as parsed while reading: held until `render` is done. */
  const keptOf = (key: string): Parsed | undefined => kept.get(key);
  /** Renders one here, links to other articles and all: as kept, else read and parsed again. */
  const renderHere = async (key: string): Promise<Rendered> => {
    const article = sourceOf.get(key)!;
    const parsed = keptOf(key) ?? parsedAgain(site, setup, jobOf(article.entry), key);
    if (parsed === undefined) throw new Error(`${article.entry.file} changed while the build ran; run it again`);
    const { html, excerpt, ...out } = renderArticle(article.entry.file, parsed.article);
    // As while reading: an article with warnings is not cached, so they are shown on every build.
    // Its front matter's warnings were reported when it was read.
    // Nor is one that links to other articles: its HTML holds their URLs, which its key does not.
    if (parsed.problems.length > 0 || out.problems.length > 0 || linksToArticles(parsed.article.body)) return { excerpt, problems: [...out.problems], key: keepLoose(key, html) };
    await cache.put(key, articleToJson(parsed.article), excerpt, html);
    return { excerpt, problems: [...out.problems], key };
  };
  const render = async (keys: readonly string[]): Promise<Rendered[]> => {
    const threads = options.threads ?? defaultThreads(keys.length, WORKER_THRESHOLD.renders);
    const pool = threads > 0 && keys.length > 0 ? new WorkerPool(Math.min(threads, keys.length)) : undefined;
    const stop = () => void pool?.close(options.signal?.reason);
    options.signal?.addEventListener("abort", stop, { once: true });
    try {
      const shownSetup: ReadSetup = { ...setup, known: new Set(), stamps: new Map() };
      pool?.broadcast({ kind: "read-setup", setup: shownSetup });
      const here = shownRenderer(site, shownSetup, keptOf);
      return await mapLimit(keys, pool === undefined ? 1 : pool.threads * READ_CONCURRENCY, async (key) => {
        await checkpoint(options.signal);
        const article = sourceOf.get(key)!;
        const job = jobOf(article.entry);
        const outcome = pool === undefined ? here(job, key) : await pool.request<ShownOutcome>({ kind: "shown", job, key });
        options.signal?.throwIfAborted();
        if (outcome.kind === "changed") throw new Error(`${article.entry.file} changed while the build ran; run it again`);
        if (outcome.kind === "deferred") return renderHere(key);
        if (!outcome.clean) return { excerpt: outcome.excerpt, problems: outcome.problems, key: keepLoose(key, outcome.html) };
        await cache.put(key, outcome.article, outcome.excerpt, outcome.html);
        return { excerpt: outcome.excerpt, problems: outcome.problems, key };
      });
    } finally {
      options.signal?.removeEventListener("abort", stop);
      await pool?.close();
      // Not held past rendering (a later call reads what it needs again).
      kept.clear();
    }
  };
  return {
    content: { site, siteFile, sections, articles, leftOut, body, render, progress: { read, articles: articleEntries.length, rendered }, inputs: { listing: listingDigest(listed), files: inputs } },
    problems,
  };
}

/** What every article is read against: the site settings, the sections' and the data files. */
export interface Settings {
  readonly site: Site;
  /** The site settings' file (`content/_index.md`) as read: empty text when there is none. */
  readonly siteSource: SourceFile;
  /** The settings were taken; else `site` is what was left of them (provisional), and there is an error. */
  readonly siteOk: boolean;
  readonly sections: readonly Section[];
  /** The cap on an article file's size. */
  readonly maxFileBytes: number;
  /** What reading one article needs to know besides the site: its section's pattern and its data layers. */
  readonly job: (entry: ContentEntry) => ReadJob;
}

/**
 * Reads the site settings, each section's and the data files, stamping each (`stamped`) before
 * it is read. `settings` is undefined when the articles cannot be read at all.
 */
export function readSettings(options: Pick<BuildOptions, "contentDir" | "siteUrl" | "maxFileBytes">, listed: Listing, stamped: (path: string, stamp: () => InputStamp) => void): { settings: Settings | undefined; problems: Problem[] } {
  // _index.md is read under the default cap; the articles under the site's own setting.
  let maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const problems: Problem[] = [...listed.problems];

  const siteEntry = listed.entries.find((e) => e.path === SITE_FILE);
  const siteFile = siteEntry?.file ?? shownPath(join(options.contentDir, SITE_FILE));
  if (siteEntry === undefined) {
    // No folder to read: nothing more to say. A folder without settings: its articles are still checked.
    if (hasErrors(problems)) return { settings: undefined, problems };
    problems.push(error(siteFile, undefined, undefined, `missing: it holds the site settings (at least title and url)`));
  }
  if (siteEntry !== undefined) stamped(siteEntry.path, () => inputStamp(siteEntry.location));
  const siteSource: SourceFile | Problem = siteEntry === undefined ? { file: siteFile, path: SITE_FILE, text: "", bytes: new Uint8Array(), stat: { size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1 } } : readSource(siteEntry, maxFileBytes);
  if (!isSource(siteSource)) return { settings: undefined, problems: [...problems, siteSource] };
  const siteResult = siteEntry === undefined ? ({ ok: false, problems: [] } as const) : parseSite(siteSource.file, siteSource.text, { ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }) });
  problems.push(...siteResult.problems);
  // Refused or missing settings: the articles are still read against what is left, so one run shows every problem.
  const site = siteResult.ok ? siteResult.value : provisionalSite(siteSource.file, siteSource.text, { ...(options.siteUrl === undefined ? {} : { siteUrl: options.siteUrl }) });
  maxFileBytes = options.maxFileBytes ?? site.maxFileBytes;

  const sections: Section[] = [];
  for (const entry of listed.entries.filter((e) => isIndex(e) && e !== siteEntry)) {
    stamped(entry.path, () => inputStamp(entry.location));
    const source = readSource(entry, maxFileBytes);
    if (!isSource(source)) {
      problems.push(source);
      continue;
    }
    const parsed = parseSection(source.file, entry.path.slice(0, -SITE_FILE.length - 1), source.text);
    problems.push(...parsed.problems);
    if (parsed.ok) sections.push(parsed.value);
  }

  for (const file of listed.dataFiles) stamped(file.path, () => inputStamp(file.location));
  const data = readDataFiles(listed.dataFiles, maxFileBytes);
  problems.push(...data.problems, ...inheritedKeyWarnings(data.files, site, siteSource.file));

  const job = (entry: ContentEntry): ReadJob => ({ entry, pattern: sectionOf(entry.path, sections)?.permalink, data: layersFor(entry.path, data.files) });
  return { settings: { site, siteSource, siteOk: siteResult.ok, sections, maxFileBytes, job }, problems };
}

/** What every reader (this thread's, each worker's) is told once: the settings as read, and what the cache knows. */
export function readSetup(options: Pick<BuildOptions, "siteUrl" | "now" | "drafts">, settings: Settings, known: Pick<ReadSetup, "eager" | "keying" | "known" | "stamps">): ReadSetup {
  return {
    siteFile: settings.siteSource.file,
    siteText: settings.siteSource.text,
    siteUrl: options.siteUrl,
    maxFileBytes: settings.maxFileBytes,
    now: options.now.toMillis(),
    drafts: options.drafts === true,
    ...known,
  };
}

/** A section's or the site's settings file, not an article. */
export const isIndex = (e: ContentEntry) => e.path === SITE_FILE || e.path.endsWith(`/${SITE_FILE}`);

/**
 * One warning per unknown key for the whole build, at its first file, with how many files have
 * it: a key every post of an old site carries would otherwise bury the warnings that matter.
 */
function unknownKeys(articles: readonly Pick<ArticleMeta, "file" | "unknownKeys">[], siteFile: string): Problem[] {
  const seen = new Map<string, { file: string; line: number; files: number }>();
  for (const article of articles) {
    for (const [key, line] of Object.entries(article.unknownKeys)) {
      const known = seen.get(key);
      if (known === undefined) seen.set(key, { file: article.file, line, files: 1 });
      else known.files++;
    }
  }
  const keys = Object.keys(articleSchema.shape);
  return [...seen].map(([key, { file, line, files }]) =>
    files === 1
      ? warning(file, line, key, `unknown key, ignored${didYouMean(key, keys)}`)
      : warning(file, line, key, `unknown key, ignored, in ${files} files (this is the first)${didYouMean(key, keys)}; if it is your old generator's, list it under ignoreKeys in ${siteFile}`),
  );
}

/** Two articles may not share an id or a URL: readers would merge them into one. */
function duplicates(articles: readonly ArticleMeta[]): Problem[] {
  const repeats = (key: "id" | "url") => {
    const seen = new Map<string, ArticleMeta>();
    const found: [article: ArticleMeta, first: ArticleMeta][] = [];
    for (const article of articles) {
      const first = seen.get(article[key]);
      if (first === undefined) seen.set(article[key], article);
      else found.push([article, first]);
    }
    return found;
  };
  const ids = repeats("id");
  // Where every id is its article's URL (unless pinned, it is), URLs repeat exactly where ids do:
  // one map of 50,000, not two.
  const urls = articles.every((a) => a.url === a.id) ? ids : repeats("url");
  const problem = (key: "id" | "url") => ([article, first]: [ArticleMeta, ArticleMeta]) =>
    error(article.file, undefined, key, `same ${key} as ${first.file} (${article[key]}); set a different ${key === "id" ? "id" : "slug"} in one of them`);
  return [...ids.map(problem("id")), ...urls.map(problem("url"))];
}

/**
 * Keys of the cache entries that serve their article without reading it: every one with a body,
 * and one without when its article needs none (not published, or archives off).
 */
function knownKeys(cache: ArticleCache, eager: boolean, needsNoBody: (meta: ArticleMeta) => boolean): Set<string> {
  const keys = new Set<string>();
  for (const [key, entry] of cache.entries()) {
    // Archives off, no article needs a body to be read: every entry serves. (One whose fields do
    // not come back whole is read again when it is settled.)
    if (entry.htmlHash !== undefined || !eager) keys.add(key);
    else {
      const meta = articleFromJson("", entry.article);
      if (meta !== undefined && needsNoBody(meta)) keys.add(key);
    }
  }
  return keys;
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
