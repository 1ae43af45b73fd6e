import type { Person } from "../content/people.ts";
import { rfc3339 } from "../content/dates.ts";
import type { FeedModel } from "../feeds/model.ts";

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
  date_published: string;
  date_modified: string;
  authors: JsonAuthor[];
  tags?: string[];
  language?: string;
}

/** Written here, not by `feed`: its json1() writes version 1, and leaves items without an id. */
export function renderJsonFeed(model: FeedModel): string {
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
    items: model.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      content_html: item.contentHtml,
      ...(item.summary === "" ? {} : { summary: item.summary }),
      ...(item.image === undefined ? {} : { image: item.image }),
      date_published: rfc3339(item.published),
      date_modified: rfc3339(item.updated),
      authors: item.authors.map(author),
      ...(item.tags.length === 0 ? {} : { tags: [...item.tags] }),
      ...(item.lang === undefined ? {} : { language: item.lang }),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

function author(p: Person): JsonAuthor {
  return { name: p.name, ...(p.url === undefined ? {} : { url: p.url }) };
}
