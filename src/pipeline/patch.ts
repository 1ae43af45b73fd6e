/**
 * A build that finds a few articles edited since the last build and nothing else changed
 * (src/cache/last-build.ts), where each edit leaves every field the plan is made from as it was:
 * then the plan is the last build's, and only those articles' items differ. Each one's new item
 * is put in place of its old one in the documents the last build's plan placed it in
 * (src/cache/kept-plan.ts), and its summary on the front door; every other document is left
 * as it is, unrendered. A document is its head and its items' fragments placed as they are
 * (src/formats/fragment.ts), so the result is byte for byte what the long way writes.
 *
 * Whatever this cannot prove sends the build the long way (`patchBuild` returns undefined before
 * anything is written): an edited file that is not an article, or fails to read, or has or had a
 * problem; one whose fields (title, dates, tags, id, anything but its body) changed; one that
 * links to other articles; a plan, cache entry or body that is missing; an old item not found
 * exactly once in a document that holds it; a body that became empty or stopped being so (RSS
 * declares its namespaces by that); `--drafts`.
 */
import { hash } from "node:crypto";
import { join } from "node:path";
import { ArticleCache, cacheKey } from "../cache/article-cache.ts";
import { articleFromJson, type ArticleMeta } from "../cache/article-json.ts";
import { codeVersion } from "../cache/code-version.ts";
import { placesOf, readPlan, withKeys, type KeptArticle, type KeptFrontDoor, type KeptPlan } from "../cache/kept-plan.ts";
import type { EditedSince, InputStamp } from "../cache/last-build.ts";
import { isPublished } from "../content/article.ts";
import type { ContentEntry } from "../content/read.ts";
import type { FeedItem } from "../feeds/model.ts";
import { formatOfPath, type Format } from "../formats/index.ts";
import { renderFrontDoor } from "../formats/front-door.ts";
import { MANIFEST_FILE } from "../output/bookkeeping.ts";
import { publish, type FileRecord, type PendingFile, type PublishReport } from "../output/publish.ts";
import { readRegular } from "../output/tree.ts";
import { hasErrors, type Problem } from "../problems.ts";
import { isIndex, readSettings, readSetup } from "./articles.ts";
import { keepOutcome, BODIES_IN_MEMORY } from "./index.ts";
import { toItemRef } from "./prepare.ts";
import { articleReader, keyingOf, type FileStamp, type ReadJob } from "./read-one.ts";
import type { BuildOptions, Counts } from "./types.ts";

export interface Patched {
  readonly counts: Counts;
  readonly problems: readonly Problem[];
  readonly report: PublishReport;
}

/** One edited article, read again, with its item before and after. */
interface Edit {
  readonly path: string;
  readonly stamp: FileStamp;
  readonly key: string;
  readonly put: { readonly article: Record<string, unknown>; readonly excerpt: string; readonly html: string | undefined };
  /** Its place in the plan, with the old and new items; undefined when no document holds it. */
  readonly held: { readonly kept: KeptArticle; readonly before: FeedItem; readonly after: FeedItem } | undefined;
}

/** Patches the last build's output for the edited articles in `since`; undefined when it cannot (then nothing was written). */
export async function patchBuild(options: BuildOptions, since: EditedSince): Promise<Patched | undefined> {
  if (options.cacheDir === undefined || options.drafts === true || since.plan === null) return undefined;
  const plan = await readPlan(since.recordFile, since.plan);
  if (plan === undefined) return undefined;
  const entries = new Map<string, ContentEntry>();
  const wanted = new Set(since.paths);
  for (const entry of since.listing.entries) if (wanted.has(entry.path) && !isIndex(entry)) entries.set(entry.path, entry);
  // The site settings, a section's, a data file or the id pins: everything may change.
  if (entries.size !== wanted.size) return undefined;
  const { settings, problems: settingsProblems } = readSettings(options, since.listing, () => undefined);
  if (settings === undefined || hasErrors(settingsProblems)) return undefined;
  const { site } = settings;

  // Every edited file read and parsed, and rendered if published, whatever the cache holds.
  const setup = readSetup(options, settings, { eager: true, keying: keyingOf(site, codeVersion()), known: new Set(), stamps: new Map() });
  const read = articleReader(site, setup);
  const placed = placesOf(plan, wanted);
  const cache = await ArticleCache.openFor(options.cacheDir, BODIES_IN_MEMORY, [...entries.keys(), ...[...placed.values()].map((article) => article.key)]);
  try {
    const edits: Edit[] = [];
    for (const entry of entries.values()) {
      const edit = await editOf(entry, settings.job(entry), placed.get(entry.path), cache, read, since.last.problems, options);
      if (edit === undefined) return undefined;
      edits.push(edit);
    }
    const files = await patchedFiles(options.outDir, plan, edits, since, cache, site.language);
    if (files === undefined) return undefined;
    options.signal?.throwIfAborted();
    const report = await publish(options.outDir, files.documents, {
      previous: files.previous,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.beforeChange === undefined ? {} : { beforeChange: options.beforeChange }),
    });
    // Published: from here on nothing may fail the build.
    for (const edit of edits) {
      cache.stamp(edit.path, edit.stamp);
      await cache.put(edit.key, edit.put.article, edit.put.excerpt, edit.put.html);
    }
    const counts = { ...since.last.counts, rendered: edits.length };
    const problems: Problem[] = [...since.last.problems];
    const inputs = new Map<string, InputStamp>(since.last.inputs);
    for (const edit of edits) inputs.set(edit.path, edit.stamp);
    const kept = { ...withKeys(plan, new Map(edits.map((edit) => [edit.path, edit.key] as const))), frontDoor: files.frontDoor };
    await keepOutcome(options, cache, report, site, { counts, problems: since.last.problems, hub: since.last.hub, window: since.last.window, inputs, listing: since.last.listing, plan: kept }, problems);
    return { counts, problems: [...problems, ...cache.problems()], report };
  } finally {
    await cache.close();
  }
}

/** An edited article read again and checked against what the cache kept of it; undefined when its edit is more than its body. */
async function editOf(
  entry: ContentEntry,
  job: ReadJob,
  /** As the last build's plan holds it; undefined when it does not (then the long way). */
  kept: KeptArticle | undefined,
  cache: ArticleCache,
  read: ReturnType<typeof articleReader>,
  lastProblems: readonly Problem[],
  options: BuildOptions,
): Promise<Edit | undefined> {
  // As the last build of this output folder read it: the plan's key, not the cache's newest stamp
  // (which another build may have made: a preview into another folder, or one that failed).
  if (kept === undefined) return undefined;
  // Its warnings, kept with the last build's outcome, may have changed.
  if (lastProblems.some((p) => p.file === entry.file || p.message.includes(entry.file))) return undefined;
  const outcome = read(job);
  if (outcome.kind !== "read" || outcome.problems.length > 0 || outcome.deferred !== undefined) return undefined;
  const oldKey = kept.key;
  await cache.more([oldKey, outcome.key]);
  const before = cache.get(oldKey);
  // Every field but the body as it was: the plan stands.
  if (before === undefined || JSON.stringify(before.article) !== JSON.stringify(outcome.article)) return undefined;
  const meta = articleFromJson(entry.file, outcome.article);
  if (meta === undefined) return undefined;
  const put = { article: outcome.article, excerpt: outcome.excerpt ?? "", html: outcome.html };
  const stamp = outcome.stamp;
  if (kept.documents.length === 0) return { path: entry.path, stamp, key: outcome.key, put, held: undefined };
  // Held by a document, so published: the body was rendered while reading, and was last time.
  const oldHtml = await cache.html(oldKey);
  if (!isPublished(meta, options.now) || outcome.html === undefined || oldHtml === undefined) return undefined;
  return { path: entry.path, stamp, key: outcome.key, put, held: { kept, before: itemOf(meta, oldKey, before.excerpt, oldHtml), after: itemOf(meta, outcome.key, put.excerpt, outcome.html) } };
}

function itemOf(meta: ArticleMeta, key: string, excerpt: string, html: string): FeedItem {
  const { body: _body, ...item } = toItemRef(meta, key, excerpt);
  return { ...item, contentHtml: html };
}

/**
 * Every document the last build wrote, as publish takes them: those holding an edited item with
 * its new fragment in place of the old, the front door with its new summaries, and the rest as
 * the last build recorded them (never rendered: publish finds them as they were).
 */
async function patchedFiles(outDir: string, plan: KeptPlan, edits: readonly Edit[], since: EditedSince, cache: ArticleCache, language: string | undefined): Promise<{ documents: PendingFile[]; previous: Map<string, FileRecord>; frontDoor: KeptFrontDoor | null } | undefined> {
  const previous = await cache.outputs(outDir);
  const written = [...since.last.outputs.keys()].filter((path) => path !== MANIFEST_FILE);
  if (written.length !== previous.size || written.some((path) => !previous.has(path))) return undefined;
  const texts = new Map<string, Buffer>();
  for (const edit of edits) {
    if (edit.held === undefined) continue;
    const fragments = new Map<Format, readonly [Buffer, Buffer]>();
    for (const path of edit.held.kept.documents) {
      const format = formatOfPath(path);
      if (format === undefined || !previous.has(path)) return undefined;
      let pair = fragments.get(format);
      if (pair === undefined) {
        const before = format.item(edit.held.before, language);
        const after = format.item(edit.held.after, language);
        if (before.hasContent !== after.hasContent) return undefined;
        pair = [Buffer.from(before.markup), Buffer.from(after.markup)];
        fragments.set(format, pair);
      }
      let text = texts.get(path);
      if (text === undefined) {
        const read = await readRegular(join(outDir, path)).catch(() => undefined);
        if (read?.kind !== "file") return undefined;
        text = read.bytes;
      }
      const at = text.indexOf(pair[0]);
      if (at < 0 || text.indexOf(pair[0], at + 1) >= 0) return undefined;
      texts.set(path, Buffer.concat([text.subarray(0, at), pair[1], text.subarray(at + pair[0].length)]));
    }
  }
  // The front door as the next patch must know it: with these summaries.
  let kept = plan.frontDoor;
  let frontDoor: { path: string; text: string } | undefined;
  if (kept !== null) {
    const summaries = new Map(edits.flatMap((edit) => (edit.held === undefined ? [] : [[edit.held.after.url, edit.held.after.summary] as const])));
    const latest = kept.input.latest.map((item) => ({ ...item, summary: summaries.get(item.url) ?? item.summary }));
    if (latest.some((item, i) => item.summary !== kept!.input.latest[i]!.summary)) {
      if (!previous.has(kept.path)) return undefined;
      kept = { path: kept.path, input: { ...kept.input, latest } };
      frontDoor = { path: kept.path, text: renderFrontDoor(kept.input) };
    }
  }
  const documents = written.map((path): PendingFile => {
    const text = texts.get(path);
    if (text !== undefined) return { path, digest: `patched:${hash("sha256", text)}`, render: async () => [text] };
    // The front door's digest is its text, as the long way has it.
    if (path === frontDoor?.path) return { path, digest: cacheKey([frontDoor.text]), render: async () => [frontDoor.text] };
    return {
      path,
      digest: previous.get(path)!.digest,
      render: () => Promise.reject(new Error(`${path} changed while the build ran; run it again`)),
    };
  });
  return { documents, previous, frontDoor: kept };
}
