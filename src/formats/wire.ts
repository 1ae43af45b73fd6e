/**
 * Feed items as plain, structured-clone-safe data, for rendering in worker threads: dates
 * travel as an instant and the offset they are written in, and come back as the same DateTime.
 */
import type { DateTime } from "luxon";
import { atOffset } from "../content/dates.ts";
import type { FeedItem } from "../feeds/model.ts";

type Instant = readonly [millis: number, offsetMinutes: number];

export type WireItem = Omit<FeedItem, "published" | "updated"> & { readonly published: Instant; readonly updated: Instant };

const toInstant = (d: DateTime): Instant => [d.toMillis(), d.offset];
const fromInstant = ([millis, offset]: Instant): DateTime => atOffset(millis, offset);

export function toWire(item: FeedItem): WireItem {
  return { ...item, published: toInstant(item.published), updated: toInstant(item.updated) };
}

export function fromWire(item: WireItem): FeedItem {
  return { ...item, published: fromInstant(item.published), updated: fromInstant(item.updated) };
}
