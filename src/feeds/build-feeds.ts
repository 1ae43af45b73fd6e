import type { Article } from "../content/article.ts";
import { cleanText } from "../content/text.ts";
import { renderMarkdown } from "../markdown/render.ts";
import type { Problem } from "../problems.ts";
import type { Site } from "../site/settings.ts";
import type { FeedItem, FeedModel } from "./model.ts";
import { DateTime } from "luxon";

/** Feeds with no items still need an `updated`; the clock would make builds differ, so: the epoch. */
const NO_ITEMS = DateTime.fromMillis(0, { zone: "UTC" });

/** Renders the Markdown of the articles a feed shows: only those are ever rendered. */
export function toFeedItems(articles: readonly Article[]): { items: FeedItem[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const items = articles.map((article): FeedItem => {
    const body = renderMarkdown(article.body, { file: article.file, firstLine: article.bodyLine, baseUrl: article.url });
    problems.push(...body.problems);
    return {
      id: article.id,
      url: article.url,
      title: article.title,
      summary: article.summary ?? cleanText(body.excerpt),
      contentHtml: cleanText(body.html),
      published: article.date,
      updated: article.updated ?? article.date,
      authors: article.authors,
      tags: article.tags,
      image: article.image,
      lang: article.lang,
    };
  });
  return { items, problems };
}

/** The site-wide feed: the newest `limit` items. */
export function siteFeed(site: Site, items: readonly FeedItem[], feedUrl: (file: string) => string): FeedModel {
  const shown = items.slice(0, site.limit);
  return {
    folder: "",
    id: site.id,
    title: site.title,
    description: site.description,
    homeUrl: site.url,
    feedUrls: { rss: feedUrl("rss.xml"), atom: feedUrl("atom.xml"), json: feedUrl("feed.json") },
    language: site.language,
    author: site.author,
    copyright: site.copyright,
    icon: site.icon,
    logo: site.logo,
    updated: newest(shown),
    items: shown,
  };
}

/** The newest date among the items, published or updated: a feed changes when an item does. */
export function newest(items: readonly FeedItem[]): DateTime {
  let latest: DateTime | undefined;
  for (const item of items) if (latest === undefined || item.updated > latest) latest = item.updated;
  return latest ?? NO_ITEMS;
}
