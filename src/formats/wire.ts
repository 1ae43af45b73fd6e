/**
 * Feed items as plain, structured-clone-safe data, for rendering in worker threads: dates
 * travel as an instant and the offset they are written in, and come back as the same DateTime.
 */
import { fromInstant, toInstant, type Instant } from "../content/dates.ts";
import type { FeedItem } from "../feeds/model.ts";

export type WireItem = Omit<FeedItem, "published" | "updated"> & { readonly published: Instant; readonly updated: Instant };

export function toWire(item: FeedItem): WireItem {
  return { ...item, published: toInstant(item.published), updated: toInstant(item.updated) };
}

export function fromWire(item: WireItem): FeedItem {
  return { ...item, published: fromInstant(item.published), updated: fromInstant(item.updated) };
}
