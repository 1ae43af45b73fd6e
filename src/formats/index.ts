import type { FeedModel, FormatName } from "../feeds/model.ts";
import { renderAtom } from "./atom.ts";
import { renderJsonFeed } from "./json-feed.ts";
import { renderRss } from "./rss.ts";

/** Output formats as data: one row drives rendering, file names, links and media types. */
export interface Format {
  readonly name: FormatName;
  readonly file: string;
  readonly mediaType: string;
  readonly render: (model: FeedModel) => string;
}

export const FORMATS: readonly Format[] = [
  { name: "rss", file: "rss.xml", mediaType: "application/rss+xml", render: renderRss },
  { name: "atom", file: "atom.xml", mediaType: "application/atom+xml", render: renderAtom },
  { name: "json", file: "feed.json", mediaType: "application/feed+json", render: renderJsonFeed },
];
