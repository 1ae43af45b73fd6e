import type { FeedItem, FeedModel, FormatName } from "../feeds/model.ts";
import { atomDocument, atomEntry } from "./atom.ts";
import { joinPieces, type Fragment, type Piece } from "./fragment.ts";
import { jsonFeedDocument, jsonFeedItem } from "./json-feed.ts";
import { rssDocument, rssItem } from "./rss.ts";

export type { Fragment, Piece } from "./fragment.ts";

/** Output formats as data: one row drives rendering, file names, links and media types. */
export interface Format {
  readonly name: FormatName;
  readonly file: string;
  readonly mediaType: string;
  /** One article's item, the same in every document of this format; `language` is the documents'. */
  readonly item: (item: FeedItem, language: string | undefined) => Fragment;
  /**
   * A document in pieces, in order: its own head from the model, then these items' fragments as
   * they are. Joined, the document's text; a large one is written piece by piece, never held whole.
   */
  readonly assemble: (model: FeedModel<unknown>, items: readonly Fragment<Piece>[]) => readonly Piece[];
}

export const FORMATS: readonly Format[] = [
  { name: "rss", file: "rss.xml", mediaType: "application/rss+xml", item: rssItem, assemble: rssDocument },
  { name: "atom", file: "atom.xml", mediaType: "application/atom+xml", item: atomEntry, assemble: atomDocument },
  { name: "json", file: "feed.json", mediaType: "application/feed+json", item: jsonFeedItem, assemble: jsonFeedDocument },
];

export function formatNamed(name: FormatName): Format {
  return FORMATS.find((f) => f.name === name)!;
}

/** The format of a document by its path (`rss.xml`, `tags/a/feed.json`); undefined for any other file. */
export function formatOfPath(path: string): Format | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return FORMATS.find((f) => f.file === name);
}

/** A whole document in one call, its items rendered on the spot: what a build assembles from memoised fragments. */
export function renderDocument(format: FormatName, model: FeedModel): string {
  const f = formatNamed(format);
  return joinPieces(f.assemble(model, model.items.map((item) => f.item(item, model.language))));
}
