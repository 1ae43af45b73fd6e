/**
 * How values must be handed to the `feed` package (6.0.0) so that what it writes reads back as
 * what we meant. It serialises with xml-js, whose escaping has gaps this module closes. Every
 * helper names the gap it works around; the property tests in test/ hold them to it.
 */
import type { DateTime } from "luxon";
import { rfc3339, rfc822 } from "../content/dates.ts";

/**
 * For element text that `feed` passes to xml-js unescaped. xml-js first turns every `&amp;` back
 * into `&` (to avoid "double escaping"), then escapes `&`, `<` and `>`: so a literal `&amp;` in a
 * title would come out as `&`. Writing each `&` as `&amp;` first makes that round trip exact.
 */
export function text(value: string): string {
  return value.replace(/&/g, "&amp;");
}

/**
 * For CDATA sections. xml-js splits only the first `]]>` of a CDATA section
 * (`String.prototype.replace` with a string pattern); every further `]]>` would end the section
 * early and break the document. Split those ourselves, the same way, leaving the first to xml-js.
 */
export function cdata(value: string): string {
  const first = value.indexOf("]]>");
  if (first === -1) return value;
  const head = value.slice(0, first + 3);
  return head + value.slice(first + 3).replaceAll("]]>", "]]]]><![CDATA[>");
}

/** Plain text as HTML, for the elements `feed` marks `type="html"` (Atom) or that hold HTML (RSS description). */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * `feed` writes dates with `toUTCString()` (RSS) and `toISOString()` (Atom), always in UTC.
 * Feeds should carry the site's own offset, so this Date reports its instant in the site's zone
 * through exactly those two methods; everything else about it is an ordinary Date.
 */
export class ZonedDate extends Date {
  readonly #zoned: DateTime;
  constructor(zoned: DateTime) {
    super(zoned.toMillis());
    this.#zoned = zoned;
  }
  override toISOString(): string {
    return rfc3339(this.#zoned);
  }
  override toUTCString(): string {
    return rfc822(this.#zoned);
  }
}
