import { DateTime } from "luxon";
import { type Problem } from "../problems.ts";
import type { Section } from "../site/section.ts";
import type { Site } from "../site/settings.ts";
import { FEED_STYLESHEET_FILE } from "../formats/feed-page.ts";
import type { FeedModel, FormatUrls, ItemRef } from "./model.ts";
import { groupTags } from "./tags.ts";

/** Feeds with no items still need an `updated`; the clock would make builds differ, so: the epoch. */
const NO_ITEMS = DateTime.fromMillis(0, { zone: "UTC" });

/** A feed as readers subscribe to it, before it is cut into a subscription document and archives. */
export interface Channel {
  readonly kind: "site" | "section" | "tag";
  /** Output folder, `""` or ending in `/`. */
  readonly folder: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** What made it, for messages: a file, or a tag and the first file using it. */
  readonly source: string;
  /** The file a problem with this feed points at. */
  readonly file: string;
  /** Every item, newest first. */
  readonly items: readonly ItemRef[];
}

/** A published article as feeds see it: its item, and what it belongs to. */
export interface Entry {
  /** Where it came from, for messages. */
  readonly file: string;
  readonly item: ItemRef;
  readonly section: Section | undefined;
}

/**
 * The feeds `channels` puts an article in, by names of their own: the site's (unless its section
 * keeps out of it), its section's, and one per tag key (`tagKey`, from `tagKeys`). What reading
 * ranks an article by to know, before the channels are made, whether a document will show it
 * (`ShownSoFar` in ./select.ts).
 */
export function feedsOf(section: Section | undefined, tags: readonly string[], tagKey: (tag: string) => string): Set<string> {
  const feeds = new Set<string>();
  if (section?.inSiteFeed ?? true) feeds.add("site");
  if (section !== undefined) feeds.add(`section ${section.folder}`);
  for (const tag of tags) feeds.add(`tag ${tagKey(tag)}`);
  return feeds;
}

/** The site feed, one feed per section, one per tag. Entries arrive newest first and stay so. */
export function channels(site: Site, siteFile: string, sections: readonly Section[], entries: readonly Entry[]): { channels: Channel[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const result: Channel[] = [
    {
      kind: "site",
      folder: "",
      id: site.id,
      title: site.title,
      description: site.description,
      source: "the site feed",
      file: siteFile,
      items: entries.filter((e) => e.section?.inSiteFeed ?? true).map((e) => e.item),
    },
  ];
  // One pass over the entries, not one per section.
  const bySection = new Map<Section, ItemRef[]>(sections.map((section) => [section, []]));
  for (const entry of entries) if (entry.section !== undefined) bySection.get(entry.section)?.push(entry.item);
  for (const section of sections) {
    result.push({
      kind: "section",
      folder: section.folder,
      id: new URL(`${section.folder}atom.xml`, site.feedsUrl).href,
      title: `${site.title}: ${section.title}`,
      description: section.description,
      source: section.file,
      file: section.file,
      items: bySection.get(section)!,
    });
  }

  const tags = groupTags(entries);
  problems.push(...tags.problems);
  for (const { slug, tag, file, items } of tags.groups) {
    const folder = `tags/${slug}/`;
    result.push({
      kind: "tag",
      folder,
      id: new URL(`${folder}atom.xml`, site.feedsUrl).href,
      title: `${site.title}: ${tag}`,
      description: `Articles tagged “${tag}” on ${site.title}`,
      source: `the tag ${JSON.stringify(tag)} (${file})`,
      file,
      items,
    });
  }
  return { channels: result, problems };
}

/**
 * RFC 5005 §4: the subscription document holds the newest `limit` items; every older item is in
 * exactly one archive page (none with `archives: false`; for tag feeds, only with `tagArchives`). Pages are counted from the oldest item and hold `archiveSize` items,
 * so a new article changes only the newest page: every full page keeps its bytes forever.
 */
export function documents(site: Site, channel: Channel, urls: (folder: string) => FormatUrls): FeedModel<ItemRef>[] {
  const current = channel.items.slice(0, site.limit);
  const older = hasArchives(site, channel) ? channel.items.slice(site.limit).reverse() : []; // oldest first
  const pages: ItemRef[][] = [];
  for (let i = 0; i < older.length; i += site.archiveSize) pages.push(older.slice(i, i + site.archiveSize).reverse());
  const pageFolder = (n: number) => `${channel.folder}archive/${n}/`;

  const base = {
    id: channel.id,
    title: channel.title,
    description: channel.description,
    homeUrl: site.url,
    language: site.language,
    author: site.author,
    copyright: site.copyright,
    icon: site.icon,
    logo: site.logo,
    hub: site.hub,
    stylesheet: new URL(FEED_STYLESHEET_FILE, site.feedsUrl).href,
  };
  const subscription: FeedModel<ItemRef> = {
    ...base,
    folder: channel.folder,
    feedUrls: urls(channel.folder),
    updated: newest(current),
    items: current,
    archive: false,
    prevArchive: pages.length === 0 ? undefined : urls(pageFolder(pages.length)),
    nextArchive: undefined,
    current: undefined,
  };
  const archives = pages.map(
    (items, i): FeedModel<ItemRef> => ({
      ...base,
      folder: pageFolder(i + 1),
      feedUrls: urls(pageFolder(i + 1)),
      updated: newest(items),
      items,
      hub: undefined,
      archive: true,
      prevArchive: i === 0 ? undefined : urls(pageFolder(i)),
      nextArchive: i + 1 === pages.length ? undefined : urls(pageFolder(i + 2)),
      current: urls(channel.folder),
    }),
  );
  return [subscription, ...archives];
}

/**
 * Whether the channel gets archive pages. Tag feeds repeat articles the site's (or a section's)
 * archives already hold, once per tag: archiving them too multiplies the output (2.5 times on a
 * blog with a few tags per article), so they get archives only when the site asks for them.
 */
function hasArchives(site: Site, channel: Channel): boolean {
  return site.archives.length > 0 && (channel.kind !== "tag" || site.tagArchives);
}

/** The items some document of the channel holds (`documents` writes exactly these): only their bodies are ever rendered. */
export function shownItems(site: Site, channel: Channel): readonly ItemRef[] {
  return hasArchives(site, channel) ? channel.items : channel.items.slice(0, site.limit);
}

/** The newest date among the items, published or updated: a feed changes when an item does. */
export function newest(items: readonly ItemRef[]): DateTime {
  let latest: DateTime | undefined;
  for (const item of items) if (latest === undefined || item.updated > latest) latest = item.updated;
  return latest ?? NO_ITEMS;
}
