/**
 * Reading one article: stat, read, digest, front matter, validation and Markdown, as plain data
 * in and out, so the same function runs on the main thread (`--threads 0`, small sites: the
 * reference) and in the worker threads (src/formats/render-worker.ts), with the same results.
 * What the cache holds and whether a file changed since it was last read are the main thread's
 * knowledge, handed over once as `ReadSetup`; writing to the cache stays on the main thread.
 */
import { statSync } from "node:fs";
import { DateTime } from "luxon";
import { articleToJson, metaOf, type ArticleMeta } from "../cache/article-json.ts";
import { cacheKey, sha256 } from "../cache/article-cache.ts";
import { provenUnchanged } from "../cache/stamp.ts";
import { isPublished, parseArticle, type Article, type LeftOutDraft, type ReadContext } from "../content/article.ts";
import type { DataLayer } from "../content/directory-data.ts";
import { decodeSource, isRaw, readSource, type ContentEntry, type RawSource, type SourceFile, isSource } from "../content/read.ts";
import { cleanText } from "../content/text.ts";
import { renderMarkdown } from "../markdown/render.ts";
import { linksToArticles, templateContext } from "../markdown/templates/context.ts";
import type { Problem } from "../problems.ts";
import { parseSite, provisionalSite, type Site } from "../site/settings.ts";

/** A content file as it was when last read: what says, without reading it, that it is unchanged. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  /** sha256 of its bytes (keyOfSource). */
  readonly digest: string;
  /** Whether the text holds template code (`{{`, `{%`): then the site's template data is in its key. */
  readonly templates: boolean;
  /** When the stat was taken (ms since the epoch). */
  readonly at: number;
}

/** Everything that changes how an article reads or renders besides its own bytes, path, section and bundle image. */
export interface Keying {
  /** The code, and the site settings reading and rendering use. */
  readonly base: string;
  /** The site data template code may show (`{{ site.X }}`, shortcodes): only in the keys of articles that hold template code. */
  readonly templates: string;
}

/** Each part digested once: every article's key hashes the digests, not the settings again (site data can be large). */
export function keyingOf(site: Site, code: string): Keying {
  return {
    base: sha256(JSON.stringify([code, site.url, site.timezone, site.permalink, site.author, site.maxTags, site.ignoreKeys, site.fields, site.html])),
    templates: sha256(JSON.stringify([site.templates, site.data, site.title, site.description, site.language ?? null, site.copyright ?? null, site.shortcodes])),
  };
}

/** What the main thread tells every reader once. */
export interface ReadSetup {
  readonly siteFile: string;
  readonly siteText: string;
  readonly siteUrl: string | undefined;
  readonly maxFileBytes: number;
  /** The build's now, in ms since the epoch. */
  readonly now: number;
  /** `--drafts`: a draft reads as published. */
  readonly drafts: boolean;
  /** Every published article is rendered while reading (archives on); else only once a document shows it. */
  readonly eager: boolean;
  readonly keying: Keying;
  /** Cache keys whose entry serves its article as it is: such an article is not parsed again. */
  readonly known: ReadonlySet<string>;
  /** By path under the content folder: each file's stamp from the last build. */
  readonly stamps: ReadonlyMap<string, FileStamp>;
}

export interface ReadJob {
  readonly entry: ContentEntry;
  /** The permalink pattern its section sets, if one does. */
  readonly pattern: string | undefined;
  /** Eleventy's data files that apply to it, lowest priority first. */
  readonly data: readonly DataLayer[];
}

/** What parseArticle is told besides the text; `drafts`: `--drafts`, a preview. */
export function readContext(site: Site, job: ReadJob, drafts: boolean): ReadContext {
  // Set field by field, not spread: once per article.
  const context: { -readonly [K in keyof ReadContext]: ReadContext[K] } = { site };
  if (drafts) context.drafts = true;
  if (job.pattern !== undefined) context.permalink = job.pattern;
  if (job.entry.bundleImage !== undefined) context.bundleImage = job.entry.bundleImage;
  if (job.data.length > 0) context.data = job.data;
  return context;
}

export type ReadOutcome =
  /**
   * Its stamp when it was read: a file skipped with a warning (a listing page) is still an input
   * whose edits the next build must see. `leftOut`: a draft left out for its problems (warnings).
   */
  | { readonly kind: "failed"; readonly problems: Problem[]; readonly stamp?: FileStamp; readonly leftOut?: LeftOutDraft; readonly unknownKeys?: Readonly<Record<string, number>> }
  /** The cache holds it under `key`. */
  | { readonly kind: "known"; readonly key: string; readonly stamp: FileStamp }
  | {
      readonly kind: "read";
      readonly key: string;
      readonly stamp: FileStamp;
      /** Its fields as the cache keeps them (src/cache/article-json.ts). */
      readonly article: Record<string, unknown>;
      /** The same fields as parsed, when read on the thread that uses them: never sent between threads (its dates would arrive as plain objects). */
      readonly meta: ArticleMeta | undefined;
      /** The whole article as parsed, when read on the thread that uses it, published and not rendered: what renders it once a document shows it, if the caller keeps it. */
      readonly parsed: Article | undefined;
      /** Undefined when published but not rendered (archives off); "" for an article never shown. */
      readonly excerpt: string | undefined;
      readonly html: string | undefined;
      /** Its Markdown links to other articles: rendered by the main thread once every URL is known. */
      readonly deferred: Pick<Article, "body" | "bodyLine" | "frontMatter"> | undefined;
      readonly problems: Problem[];
    };

/** Reads one article; `read`, when given, is its file as another thread read it already (a build that reads every file). */
export type ArticleReader = (job: ReadJob, read?: RawSource | Problem) => ReadOutcome;

/** A reader for a worker thread: the site settings parsed again from the same text, as the main thread parsed them. */
export function readerFromSetup(setup: ReadSetup): { read: ArticleReader; shown: ReturnType<typeof shownRenderer> } {
  const overrides = setup.siteUrl === undefined ? {} : { siteUrl: setup.siteUrl };
  const parsed = parseSite(setup.siteFile, setup.siteText, overrides);
  // As the main thread does: refused settings leave a provisional site the articles are still checked against.
  const site = parsed.ok ? parsed.value : provisionalSite(setup.siteFile, setup.siteText, overrides);
  return { read: articleReader(site, setup), shown: shownRenderer(site, setup) };
}

/** An article as parsing gave it, with the problems its front matter had. */
export interface Parsed {
  readonly article: Article;
  readonly problems: readonly Problem[];
}

export function articleReader(site: Site, setup: ReadSetup, here = false): ArticleReader {
  const { known, stamps } = setup;
  const now = DateTime.fromMillis(setup.now);
  return (job, read): ReadOutcome => {
    const { entry } = job;
    const at = read !== undefined && isRaw(read) ? read.at : Date.now();
    const old = stamps.get(entry.path);
    // Only a file the last build stamped can be proven unchanged without reading it (a cold build stats none).
    const info = old === undefined ? undefined : statSync(entry.location, { throwIfNoEntry: false });
    if (info !== undefined && old !== undefined && provenUnchanged(info, old)) {
      const key = articleKey(setup.keying, job, old.digest, old.templates);
      if (known.has(key)) return { kind: "known", key, stamp: old };
    }
    const source = read === undefined ? readSource(entry, setup.maxFileBytes) : isRaw(read) ? decodeSource(entry, read) : read;
    if (!isSource(source)) return { kind: "failed", problems: [source] };
    const { key, digest, templates } = keyOfSource(setup.keying, job, source);
    // The open file's stat, taken after `at` and before reading: a file changed after it has a newer one than its stamp says, so is read again.
    // Written out, not spread: spreading the stat was 5 µs an article before the JIT had warmed.
    const { stat } = source;
    const stamp: FileStamp = { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, digest, templates, at };
    if (known.has(key)) return { kind: "known", key, stamp };
    const parsed = parseArticle(source.file, source.path, source.text, readContext(site, job, setup.drafts));
    if (!parsed.ok) return { kind: "failed", problems: [...parsed.problems], stamp, leftOut: parsed.leftOut, unknownKeys: parsed.unknownKeys };
    const meta = metaOf(parsed.value);
    const article = articleToJson(meta);
    const published = isPublished(setup.drafts && meta.draft ? { ...meta, draft: false } : meta, now);
    // One object literal per way out, every field always present (spreading a shared one cost 3 µs an article).
    const mine = here ? meta : undefined;
    if (!published || !setup.eager) return { kind: "read", key, stamp, article, meta: mine, parsed: here && published ? parsed.value : undefined, excerpt: published ? undefined : "", html: undefined, deferred: undefined, problems: [...parsed.problems] };
    // Links to other articles need every article's URL first.
    if (linksToArticles(parsed.value.body)) return { kind: "read", key, stamp, article, meta: mine, parsed: undefined, excerpt: "", html: undefined, deferred: { body: parsed.value.body, bodyLine: parsed.value.bodyLine, frontMatter: parsed.value.frontMatter }, problems: [...parsed.problems] };
    const out = renderArticle(site, source.file, parsed.value, new Map());
    return { kind: "read", key, stamp, article, meta: mine, parsed: undefined, excerpt: out.excerpt, html: out.html, deferred: undefined, problems: [...parsed.problems, ...out.problems] };
  };
}

export type ShownOutcome =
  /** The file is not what was read earlier in this build (its key differs, or it is gone). */
  | { readonly kind: "changed" }
  | {
      readonly kind: "rendered";
      readonly article: Record<string, unknown>;
      readonly excerpt: string;
      readonly html: string;
      /** The Markdown's problems (the front matter's were reported when it was read). */
      readonly problems: Problem[];
      /** Neither the front matter nor the Markdown had a problem: the body may be cached. */
      readonly clean: boolean;
    }
  /** It links to other articles: the main thread, which knows every URL, renders it. */
  | { readonly kind: "deferred" };

/**
 * Renders an article read unrendered earlier in this build (archives off) now that a document
 * shows it: as `kept` holds it, else read and parsed again, if the file still has the key it had
 * then. Reading keeps only the articles some document will show (src/pipeline/articles.ts,
 * `ShownSoFar`): holding thousands of them until the documents are planned cost the collector
 * more than reading the shown ones again (50,000 articles: 0.3–0.8 s against 0.1 s).
 */
export function shownRenderer(site: Site, setup: ReadSetup, kept: (key: string) => Parsed | undefined = () => undefined): (job: ReadJob, key: string) => ShownOutcome {
  return (job, key) => {
    const found = kept(key) ?? parsedAgain(site, setup, job, key);
    if (found === undefined) return { kind: "changed" };
    // The main thread renders it, once every URL is known.
    if (linksToArticles(found.article.body)) return { kind: "deferred" };
    const out = renderArticle(site, found.article.file, found.article, new Map());
    return { kind: "rendered", article: articleToJson(found.article), excerpt: out.excerpt, html: out.html, problems: [...out.problems], clean: found.problems.length === 0 && out.problems.length === 0 };
  };
}

/**
 * An article read earlier in this build, read and parsed again: undefined when the file is gone
 * or no longer has the key it had then (it changed while the build ran).
 */
export function parsedAgain(site: Site, setup: Pick<ReadSetup, "maxFileBytes" | "keying" | "drafts">, job: ReadJob, key: string): Parsed | undefined {
  const source = readSource(job.entry, setup.maxFileBytes);
  if (!isSource(source) || keyOfSource(setup.keying, job, source).key !== key) return undefined;
  const parsed = parseArticle(source.file, source.path, source.text, readContext(site, job, setup.drafts));
  return parsed.ok ? { article: parsed.value, problems: parsed.problems } : undefined;
}

/** An article's Markdown as feeds carry it; `links` resolves its links to other articles. */
export function renderArticle(site: Site, file: string, article: Article, links: ReadonlyMap<string, string>): { html: string; excerpt: string; problems: readonly Problem[] } {
  // Without template code there is nothing for the context to answer: it is not made.
  const templates = holdsTemplateCode(article.body) ? templateContext(site, article, links) : undefined;
  const out = renderMarkdown(article.body, { file, firstLine: article.bodyLine, baseUrl: article.url, rawHtml: site.html, ...(templates === undefined ? {} : { templates }) });
  return { html: cleanText(out.html), excerpt: cleanText(out.excerpt), problems: out.problems };
}

/** The cache key of one article: its path, text, section's pattern, bundle image and data files, and the site's keying. */
export function articleKey(keying: Keying, job: ReadJob, digest: string, templates: boolean): string {
  return cacheKey([keying.base, job.pattern ?? "", job.entry.path, digest, job.entry.bundleImage ?? "", JSON.stringify(job.data), templates ? keying.templates : ""]);
}

/** A file's cache key as read, and what its stamp keeps of it: the sha256 of its bytes (its text is a function of them) and whether it holds template code. */
function keyOfSource(keying: Keying, job: ReadJob, source: SourceFile): { key: string; digest: string; templates: boolean } {
  const digest = sha256(source.bytes);
  const templates = holdsTemplateCode(source.text);
  return { key: articleKey(keying, job, digest, templates), digest, templates };
}

/** Whether a text holds template code's openers (src/markdown/templates/expand.ts), `{{` or `{%`, anywhere: two native searches, a third of a regular expression's time. */
export function holdsTemplateCode(text: string): boolean {
  return text.includes("{{") || text.includes("{%");
}


