import type { DateTime } from "luxon";
import type { Person } from "../content/people.ts";

/** One feed document, independent of format: what every renderer in `formats/` receives. */
export interface FeedModel<Item = FeedItem> {
  /** Folder under the output folder, `""` for the site feed, else ending in `/`. */
  readonly folder: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The page this feed is the feed of (`rel="alternate"`). */
  readonly homeUrl: string;
  /** Absolute URL of this feed's document in each format, by format name. */
  readonly feedUrls: FormatUrls;
  readonly language: string | undefined;
  readonly author: Person;
  readonly copyright: string | undefined;
  readonly icon: string | undefined;
  readonly logo: string | undefined;
  /** The newest item's date: never the clock. */
  readonly updated: DateTime;
  readonly items: readonly Item[];
  /** Absolute URL of the CSS that makes the XML readable in a browser. */
  readonly stylesheet: string | undefined;
  /** WebSub hub to announce (`rel="hub"`). */
  readonly hub: string | undefined;
  /** RFC 5005 §4: an archive document (`fh:archive`), whose items never change once it is full. */
  readonly archive: boolean;
  /** RFC 5005 links, each as a URL per format. */
  readonly prevArchive: FormatUrls | undefined;
  readonly nextArchive: FormatUrls | undefined;
  /** From an archive document to the subscription document. */
  readonly current: FormatUrls | undefined;
}

export type FormatUrls = Readonly<Record<FormatName, string>>;

export interface FeedItem {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  /** Plain text. */
  readonly summary: string;
  /** HTML, every URL absolute. */
  readonly contentHtml: string;
  readonly published: DateTime;
  readonly updated: DateTime;
  readonly authors: readonly Person[];
  readonly tags: readonly string[];
  /** Written as categories beside the tags (JSON Feed: tags); no feeds of their own. */
  readonly categories: readonly string[];
  /** A link post's subject: JSON Feed `external_url`, Atom `rel="related"` (RFC 4287 §4.2.7.2). */
  readonly externalUrl: string | undefined;
  readonly image: string | undefined;
  readonly lang: string | undefined;
}

/** An item before its rendered body is fetched: documents are planned with these. */
export type ItemRef = Omit<FeedItem, "contentHtml"> & {
  /** Where the rendered body is kept (the article's cache key). */
  readonly body: string;
};

export type FormatName = "rss" | "atom" | "json";
