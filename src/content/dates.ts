import { DateTime, FixedOffsetZone, IANAZone } from "luxon";

// YYYY-MM-DD, optionally a time (T or a space), optionally an offset or Z. A date or time without
// an offset is wall time in the site's zone.
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)[ ]?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type DateParse = { readonly ok: true; readonly value: DateTime } | { readonly ok: false; readonly reason: string };

/**
 * Reads a front-matter date strictly: `2023-02-30` is refused, never rolled into March, and
 * the result is expressed in `zone` so every format writes the site's local offset.
 */
export function parseDate(text: string, zone: string): DateParse {
  const match = DATE.exec(text.trim());
  if (match === null) {
    return { ok: false, reason: `expected a date like 2023-04-12, 2023-04-12 09:30 or 2023-04-12T09:30:00+02:00` };
  }
  const [, day, time, offset] = match;
  const refused = timeProblem(time) ?? offsetProblem(offset);
  if (refused !== undefined) return { ok: false, reason: refused };
  const iso = `${day}${time === undefined ? "" : `T${time}`}${offset ?? ""}`;
  const parsed = DateTime.fromISO(iso, { zone, setZone: false });
  if (!parsed.isValid) {
    // Luxon explains "you specified 30 (of type number) as a day, which is invalid".
    const unit = /as an? (\w+)/.exec(parsed.invalidExplanation ?? "")?.[1];
    return { ok: false, reason: unit === undefined ? "not a real date or time" : `not a real date or time: that ${unit} does not exist` };
  }
  const local = parsed.setZone(zone);
  // A wall time skipped by a daylight-saving jump (02:30 on the spring-forward night) would be
  // silently moved by an hour; say so instead.
  if (offset === undefined && time !== undefined && local.toFormat("HH:mm") !== time.slice(0, 5)) {
    return { ok: false, reason: `${day} ${time.slice(0, 5)} does not exist in ${zone} (a daylight-saving change skips it)` };
  }
  // The offset at that instant never changes, and a DateTime in a fixed offset formats without
  // time-zone lookups (each of which costs an Intl call): the same text, much faster.
  // RFC 822 and RFC 3339 offsets have no seconds: a historical offset such as Monrovia's -0:44:30
  // in 1971 cannot be written, so such an instant is written in UTC rather than 30 s wrong.
  const zoneOut = Number.isInteger(local.offset) ? FixedOffsetZone.instance(local.offset) : FixedOffsetZone.utcInstance;
  const value = local.setZone(zoneOut);
  // XML Schema's dateTime, which RFC 4287's schema uses, has no year 0000, and RFC 3339 and
  // RFC 822 have four-digit years: the year as written in the site's zone must be 0001-9999.
  if (day?.startsWith("0000")) return { ok: false, reason: `there is no year 0000 in feeds (XML Schema, which Atom's schema uses, has none): use 0001 or later` };
  if (value.year < 1 || value.year > 9999) {
    return { ok: false, reason: `in the site's time zone (${zone}) this falls in the year ${value.year}, which a feed cannot carry: feeds have years 0001 to 9999` };
  }
  return { ok: true, value };
}

/** RFC 3339 §5.6: hours 00-23, minutes and seconds 00-59 (a leap second cannot be placed in a zone). */
function timeProblem(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const [hour = 0, minute = 0, second = 0] = time.split(":").map((part) => Number.parseFloat(part));
  if (hour === 24 && minute === 0 && second === 0) return `24:00 is not a time of day in feeds: write 00:00 of the next day`;
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
