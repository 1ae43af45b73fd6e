import type { Person } from "../content/people.ts";
import { rfc3339 } from "../content/dates.ts";
import type { FeedItem, FeedModel } from "../feeds/model.ts";
import type { Fragment, Piece } from "./fragment.ts";

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), the document's shape as a type. */
interface JsonFeed {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  icon?: string;
  favicon?: string;
  authors: JsonAuthor[];
  language?: string;
  /** Older items: JSON Feed's paging, which we point at the newest archive page. */
  next_url?: string;
  hubs?: { type: string; url: string }[];
  items: JsonItem[];
}

interface JsonAuthor {
  name: string;
  url?: string;
}

interface JsonItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  image?: string;
  external_url?: string;
  date_published: string;
  date_modified: string;
  authors: JsonAuthor[];
  tags?: string[];
  language?: string;
}

/**
 * Written here, not by `feed`: its json1() writes version 1, and leaves items without an id.
 * One article's item, serialised once and indented for its place in `items`.
 */
export function jsonFeedItem(item: FeedItem): Fragment {
  const json: JsonItem = {
    id: item.id,
    url: item.url,
    title: item.title,
    content_html: item.contentHtml,
    ...(item.summary === "" ? {} : { summary: item.summary }),
    ...(item.image === undefined ? {} : { image: item.image }),
    date_published: rfc3339(item.published),
    date_modified: rfc3339(item.updated),
    authors: item.authors.map(author),
    ...(item.externalUrl === undefined ? {} : { external_url: item.externalUrl }),
    ...(item.tags.length + item.categories.length === 0 ? {} : { tags: [...new Set([...item.tags, ...item.categories])] }),
    ...(item.lang === undefined ? {} : { language: item.lang }),
  };
  // JSON.stringify escapes every line break inside a string, so each "\n" is between tokens.
  return { markup: JSON.stringify(json, null, INDENT).replaceAll("\n", `\n${ITEM_INDENT}`), hasContent: item.contentHtml !== "" };
}

/** A whole JSON Feed in pieces (joined, its text): the feed's own fields serialised with no items, then the items' fragments in `items`. */
export function jsonFeedDocument(model: FeedModel<unknown>, items: readonly Fragment<Piece>[]): Piece[] {
  const feed: JsonFeed = {
    version: "https://jsonfeed.org/version/1.1",
    title: model.title,
    home_page_url: model.homeUrl,
    feed_url: model.feedUrls.json,
    description: model.description,
    ...(model.logo === undefined ? {} : { icon: model.logo }),
    ...(model.icon === undefined ? {} : { favicon: model.icon }),
    authors: [author(model.author)],
    ...(model.language === undefined ? {} : { language: model.language }),
    ...(model.prevArchive === undefined ? {} : { next_url: model.prevArchive.json }),
    ...(model.hub === undefined ? {} : { hubs: [{ type: "WebSub", url: model.hub }] }),
    items: [],
  };
  const head = JSON.stringify(feed, null, INDENT);
  if (items.length === 0) return [`${head}\n`];
  // `items` is the last key, so the document ends `"items": []` and the closing brace.
  const open = head.slice(0, head.length - EMPTY_TAIL.length);
  return [`${open}[\n${ITEM_INDENT}`, ...items.flatMap((item, i) => (i === 0 ? [item.markup] : [`,\n${ITEM_INDENT}`, item.markup])), `\n${" ".repeat(INDENT)}]\n}\n`];
}

const INDENT = 2;
/** Items sit two levels deep: in the document, in `items`. */
const ITEM_INDENT = " ".repeat(2 * INDENT);
const EMPTY_TAIL = "[]\n}";

function author(p: Person): JsonAuthor {
  return { name: p.name, ...(p.url === undefined ? {} : { url: p.url }) };
}
