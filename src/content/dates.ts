import { DateTime, FixedOffsetZone, IANAZone } from "luxon";

// YYYY-MM-DD, optionally a time (T or a space), optionally an offset or Z. A date or time without
// an offset is wall time in the site's zone.
// Groups: the day, the time as written, its hour, minute, second and fraction, the offset.
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ]((\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)[ ]?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** One zone per offset, shared by every date in it: luxon makes a new one per call (10,000 articles held 11,188). */
const fixedZones = new Map<number, FixedOffsetZone>();

/** The instant `millis`, in the fixed offset of `offset` minutes: how every date is held, and how the cache gives one back. */
export function atOffset(millis: number, offset: number): DateTime {
  let zone = fixedZones.get(offset);
  if (zone === undefined) fixedZones.set(offset, (zone = FixedOffsetZone.instance(offset)));
  return DateTime.fromMillis(millis, { zone });
}

/** A date as plain data (the cache's JSON, the workers' messages): its instant, and the offset it is written in. */
export type Instant = readonly [millis: number, offsetMinutes: number];

export const toInstant = (date: DateTime): Instant => [date.toMillis(), date.offset];
export const fromInstant = ([millis, offset]: Instant): DateTime => atOffset(millis, offset);

export type DateParse = { readonly ok: true; readonly value: DateTime } | { readonly ok: false; readonly reason: string };

/**
 * Reads a front-matter date strictly: `2023-02-30` is refused, never rolled into March, and
 * the result is expressed in `zone` so every format writes the site's local offset.
 *
 * Computed here from the parts, not by luxon's `fromISO`: that looks the zone up three times
 * per date (each an Intl call: a second of a 10,000-article build), and it reads a wall time in
 * the hour a clock turned back twice (02:30 on the last Sunday of October in Berlin) as the
 * first or the second one depending on the season the build runs in. Here it is always the
 * first (the earlier instant), as RFC 5545 and Temporal read it; write the offset to mean the
 * other.
 */
export function parseDate(text: string, zone: string): DateParse {
  const match = DATE.exec(text.trim());
  if (match === null) {
    return { ok: false, reason: `expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00` };
  }
  const [, day = "", time, hourText = "0", minuteText = "0", secondText = "0", fraction, offset] = match;
  const [hour, minute, second] = [Number(hourText), Number(minuteText), Number(secondText)];
  const refused = (time === undefined ? undefined : timeProblem(time, hour, minute, second, fraction)) ?? offsetProblem(offset);
  if (refused !== undefined) return { ok: false, reason: refused };
  const [year, month, date] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
  if (month < 1 || month > 12) return { ok: false, reason: "not a real date or time: that month does not exist" };
  if (date < 1 || date > daysIn(year, month)) return { ok: false, reason: "not a real date or time: that day does not exist" };
  // As luxon reads a fraction of a second: whole milliseconds, the rest dropped.
  const millis = fraction === undefined ? 0 : Math.floor(Number.parseFloat(`0.${fraction}`) * 1000);
  const wall = utcMillis(year, month, date, hour, minute, second, millis);
  const iana = ianaZone(zone);
  let instant: number;
  if (offset === undefined) {
    const found = wallTime(wall, iana);
    // A wall time skipped by a daylight-saving jump (02:30 on the spring-forward night) would be
    // silently moved by an hour; say so instead. A day whose midnight is skipped (São Paulo,
    // 2018-11-04) starts when its clocks do.
    if (found.instant === undefined && time !== undefined) return { ok: false, reason: `${day} ${time.slice(0, 5)} does not exist in ${zone} (a daylight-saving change skips it)` };
    instant = found.instant ?? found.skippedTo;
  } else {
    instant = wall - offsetMinutes(offset) * 60_000;
  }
  // The offset at that instant never changes, and a DateTime in a fixed offset formats without
  // time-zone lookups (each of which costs an Intl call): the same text, much faster.
  // RFC 822 and RFC 3339 offsets have no seconds: a historical offset such as Monrovia's -0:44:30
  // in 1971 cannot be written, so such an instant is written in UTC rather than 30 s wrong.
  const local = offsetAt(iana, instant);
  const value = atOffset(instant, Number.isInteger(local) ? local : 0);
  // XML Schema's dateTime, which RFC 4287's schema uses, has no year 0000, and RFC 3339 and
  // RFC 822 have four-digit years: the year as written in the site's zone must be 0001-9999.
  if (day.startsWith("0000")) return { ok: false, reason: `there is no year 0000 in feeds (XML Schema, which Atom's schema uses, has none): use 0001 or later` };
  if (!value.isValid || value.year < 1 || value.year > 9999) {
    return { ok: false, reason: `in the site's time zone (${zone}) this falls in the year ${value.year}, which a feed cannot carry: feeds have years 0001 to 9999` };
  }
  return { ok: true, value };
}

const DAY_MS = 86_400_000;

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Milliseconds since the epoch of a wall time read as UTC; years 0-99 are those years, not 1900-1999 as `Date.UTC` has them. */
function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (year >= 100) return ms;
  const d = new Date(ms);
  d.setUTCFullYear(year);
  return d.getTime();
}

/** `Z`, `+02:00` or `-0530` in minutes east of UTC. */
function offsetMinutes(offset: string): number {
  if (offset === "Z") return 0;
  const digits = offset.replace(":", "");
  return (offset.startsWith("-") ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

const zones = new Map<string, IANAZone>();
function ianaZone(name: string): IANAZone {
  let zone = zones.get(name);
  if (zone === undefined) zones.set(name, (zone = IANAZone.create(name)));
  return zone;
}

/**
 * A zone's offset (minutes east of UTC) at an instant. A UTC day whose first millisecond and the
 * next day's first have the same offset is taken to have it all day: each midnight is looked up
 * once and serves the days on both sides of it, so a blog costs about one lookup per day it has
 * dates on, and on a day the clocks change (or at the midnight ending it) each instant is looked
 * up. This assumes no zone changed its clocks and back within one UTC day; the time-zone
 * database's changes are weeks apart or more where we looked (test/stable.test.ts compares every
 * quarter hour around each change of four zones, 2000-2025, with a lookup per instant).
 */
function offsetAt(zone: IANAZone, ts: number): number {
  let days = dayOffsets.get(zone.name);
  if (days === undefined) dayOffsets.set(zone.name, (days = { midnights: new Map(), days: new Map() }));
  const day = Math.floor(ts / DAY_MS);
  let offset = days.days.get(day);
  if (offset === undefined) {
    const first = midnightOffset(zone, days.midnights, day);
    offset = first === midnightOffset(zone, days.midnights, day + 1) ? first : Number.NaN;
    days.days.set(day, offset);
  }
  return Number.isNaN(offset) ? zone.offset(ts) : offset;
}
const dayOffsets = new Map<string, { midnights: Map<number, number>; days: Map<number, number> }>();

/** The zone's offset at the first millisecond of UTC day `day`, looked up once. */
function midnightOffset(zone: IANAZone, midnights: Map<number, number>, day: number): number {
  let offset = midnights.get(day);
  if (offset === undefined) midnights.set(day, (offset = zone.offset(day * DAY_MS)));
  return offset;
}

/**
 * The instant a wall time (as UTC milliseconds) names in `zone`: the earlier one where clocks
 * turned back and it happened twice, none where they jumped over it (then `skippedTo`, where
 * the clocks went on). Any change near it lies between the offsets a day before and a day
 * after, so those two are the only candidates.
 */
function wallTime(wall: number, zone: IANAZone): { instant: number | undefined; skippedTo: number } {
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const fits = (offset: number): number | undefined => {
    const ts = wall - offset * 60_000;
    return ts + offsetAt(zone, ts) * 60_000 === wall ? ts : undefined;
  };
  const first = fits(before);
  const second = after === before ? undefined : fits(after);
  // Skipped: read with the offset before the jump, it lands on the first instant after it.
  return { instant: first === undefined || second === undefined ? (first ?? second) : Math.min(first, second), skippedTo: wall - before * 60_000 };
}

/**
 * RFC 3339 §5.6: hours 00-23, minutes and seconds 00-59 (a leap second cannot be placed in a zone).
 * `second` is whole (a fraction never makes 59 into 60); `fraction` its digits after the point.
 */
function timeProblem(time: string, hour: number, minute: number, second: number, fraction: string | undefined): string | undefined {
  if (hour === 24 && minute === 0 && second === 0 && (fraction === undefined || Number(fraction) === 0)) return `24:00 is not a time of day in feeds: write 00:00 of the next day`;
  if (hour > 23) return `not a real time: hours run from 00 to 23 (got ${time})`;
  if (minute > 59) return `not a real time: minutes run from 00 to 59 (got ${time})`;
  if (second >= 60) return `not a real time: seconds run from 00 to 59 (got ${time})`;
  return undefined;
}

/** Offsets in use run from -12:00 to +14:00; anything else (`+99:99`, `+24:00`) would move the date by hours or days. */
function offsetProblem(offset: string | undefined): string | undefined {
  if (offset === undefined || offset === "Z") return undefined;
  const digits = offset.replace(":", "");
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  const total = (offset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
  if (minutes > 59 || total < -12 * 60 || total > 14 * 60) {
    return `the offset ${offset} does not exist: offsets run from -12:00 to +14:00 (with minutes 00-59)`;
  }
  return undefined;
}

export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** RFC 822 (as updated by RFC 1123: four-digit year), as RSS 2.0 requires: `Wed, 12 Apr 2023 09:00:00 +0200`. */
export function rfc822(date: DateTime): string {
  return date.toRFC2822() ?? "";
}

/** RFC 3339, as Atom (RFC 4287 §3.3) and JSON Feed require: `2023-04-12T09:00:00+02:00`. */
export function rfc3339(date: DateTime): string {
  return date.toISO({ suppressMilliseconds: true, includeOffset: true }) ?? "";
}
