import { cacheKey } from "../cache/article-cache.ts";
import { documents, type Channel } from "../feeds/build-feeds.ts";
import type { FeedItem, FeedModel, FormatName, FormatUrls, ItemRef } from "../feeds/model.ts";
import { FEED_STYLESHEET_FILE, renderFeedStylesheet } from "../formats/feed-page.ts";
import { renderFrontDoor } from "../formats/front-door.ts";
import { FragmentMemo } from "../formats/fragment.ts";
import { FORMATS } from "../formats/index.ts";
import { renderOpml } from "../formats/opml.ts";
import type { Renderer } from "../formats/render-pool.ts";
import type { KeptDocument, KeptFrontDoor } from "../cache/kept-plan.ts";
import type { PendingFile } from "../output/publish.ts";
import { error, type Problem } from "../problems.ts";
import type { Site } from "../site/settings.ts";
import { VERSION } from "../version.ts";
import { frontDoorInput } from "./front-door-input.ts";
import { OPML_FILE, type DocumentSummary } from "./types.ts";

/**
 * Plans every document of every channel in each format the site writes (archive pages only in
 * the formats that have archives), then the OPML, the front door and the feed stylesheet. Feed documents are rendered only when asked to; `tell` hears of each one.
 */
export function planDocuments(
  site: Site,
  channels: readonly Channel[],
  body: (key: string) => Promise<string>,
  /** The renderer for this many item fragments (one item in one format). */
  renderer: (fragments: number) => Renderer,
  tell: (written: number, documents: number) => void,
): { feeds: DocumentSummary[]; documents: PendingFile[]; held: KeptDocument[]; frontDoor: KeptFrontDoor | undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const urls = (folder: string) => Object.fromEntries(FORMATS.map((format) => [format.name, new URL(`${folder}${format.file}`, site.feedsUrl).href])) as FormatUrls;
  const models = channels.flatMap((channel) => documents(site, channel, urls).map((model) => ({ channel, model })));
  const written = FORMATS.filter((format) => site.formats.includes(format.name));
  // A format without archives writes no archive pages, and its subscription document links to none.
  const jobs = models.flatMap(({ channel, model }) =>
    written.flatMap((format) => {
      if (site.archives.includes(format.name)) return [{ channel, model, format }];
      return model.archive ? [] : [{ channel, model: { ...model, prevArchive: undefined }, format }];
    }),
  );
  const render = renderer(new Set(jobs.flatMap(({ model }) => model.items.map((item) => item.body))).size * written.length);
  // Each body is fetched once, for all the formats its documents are in.
  const fragments = new FragmentMemo<ItemRef>(
    written.map((format) => format.name),
    async (formats, refs) => {
      const items = await hydrate(refs, body);
      return Promise.all(formats.map((format) => render.items(format as FormatName, items, site.language)));
    },
  );
  const docs: PendingFile[] = [];
  const held: KeptDocument[] = [];
  const madeBy = new Map<string, string>();
  const files = new Map<string, string[]>();
  let done = 0;
  for (const { channel, model, format } of jobs) {
    const path = `${model.folder}${format.file}`;
    const other = madeBy.get(path);
    if (other !== undefined) {
      problems.push(error(channel.file, undefined, undefined, `${channel.source} and ${other} would both write ${path}; rename one`));
      continue;
    }
    madeBy.set(path, channel.source);
    files.set(model.folder, [...(files.get(model.folder) ?? []), path]);
    // Counted now, so that a fragment is dropped after the last document that holds it.
    fragments.plan(format.name, model.items);
    // The model's own list: the document holds it until it is written anyway.
    held.push({ path, items: model.items });
    docs.push({
      path,
      digest: digestOf(format.name, model),
      render: async () => {
        const pieces = format.assemble(model, await fragments.take(format.name, model.items));
        fragments.release(model.items);
        tell(++done, jobs.length);
        return pieces;
      },
    });
  }
  // The small documents are rendered now: their digest is their content.
  const small = (path: string, content: string) => docs.push({ path, digest: cacheKey([content]), render: async () => [content] });
  // Readers take RSS most widely, then Atom: the OPML points at the first of those written.
  small(OPML_FILE, renderOpml(site, channels, (folder) => urls(folder)[written[0]!.name]));
  const frontDoor = site.frontDoor === undefined ? undefined : { path: site.frontDoor, input: frontDoorInput(site, channels, urls) };
  if (frontDoor !== undefined) small(frontDoor.path, renderFrontDoor(frontDoor.input));
  // The stylesheet serves the XML formats only.
  if (written.some((format) => format.name !== "json")) small(FEED_STYLESHEET_FILE, renderFeedStylesheet());
  return {
    feeds: models.flatMap(({ model }) => files.has(model.folder) ? [{ folder: model.folder, files: files.get(model.folder)!, items: model.items.length }] : []),
    documents: docs,
    held,
    frontDoor,
    problems,
  };
}

async function hydrate(refs: readonly ItemRef[], body: (key: string) => Promise<string>): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for (const { body: key, ...item } of refs) items.push({ ...item, contentHtml: await body(key) });
  return items;
}

/**
 * What a document's bytes depend on: its format, its own fields, and its items' cache keys
 * (which cover each article's bytes, path and the site settings) and ids (a pin in `_ids.yaml`
 * changes an id after the key is made). Equal digests, equal bytes.
 */
function digestOf(format: string, model: FeedModel<ItemRef>): string {
  const { items, ...fields } = model;
  return cacheKey([VERSION, format, JSON.stringify(fields), ...items.flatMap((item) => [item.body, item.id])]);
}
