/**
 * Feed models as plain, structured-clone-safe data, for rendering in worker threads: dates
 * travel as an instant and the offset they are written in, and come back as the same DateTime.
 */
import { DateTime, FixedOffsetZone } from "luxon";
import type { FeedItem, FeedModel } from "../feeds/model.ts";

type Instant = readonly [millis: number, offsetMinutes: number];

export type WireItem = Omit<FeedItem, "published" | "updated"> & { readonly published: Instant; readonly updated: Instant };
export type WireModel = Omit<FeedModel, "updated" | "items"> & { readonly updated: Instant; readonly items: readonly WireItem[] };

const toInstant = (d: DateTime): Instant => [d.toMillis(), d.offset];
const fromInstant = ([millis, offset]: Instant): DateTime => DateTime.fromMillis(millis, { zone: FixedOffsetZone.instance(offset) });

export function toWire(model: FeedModel): WireModel {
  return {
    ...model,
    updated: toInstant(model.updated),
    items: model.items.map((item) => ({ ...item, published: toInstant(item.published), updated: toInstant(item.updated) })),
  };
}

export function fromWire(model: WireModel): FeedModel {
  return {
    ...model,
    updated: fromInstant(model.updated),
    items: model.items.map((item) => ({ ...item, published: fromInstant(item.published), updated: fromInstant(item.updated) })),
  };
}
