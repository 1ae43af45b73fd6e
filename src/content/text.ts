/**
 * The one normalisation applied to text fields before any format sees them, so all three formats
 * carry the same strings: line breaks become `\n`, and characters XML 1.0 cannot carry at all
 * (C0 controls other than tab and newline, lone surrogates, U+FFFE and U+FFFF; XML 1.0 §2.2) are
 * removed.
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

/**
 * White space off both ends, as Unicode counts it: JavaScript's `trim` plus U+0085 NEXT LINE,
 * which Python's readers (feedparser) and XML 1.1 treat as white space. A title, name or tag
 * that is blank to a feed reader is blank here too. A loop, not `/\s+$/`: that regex is
 * quadratic on a long run of spaces inside untrusted text.
 */
export function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const isSpace = (code: number): boolean => code === 0x85 || (code <= 0x20 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : /\s/.test(String.fromCharCode(code)));

/** `cleanText`, then `trimSpace`: how titles, names, tags, categories and summaries are read. */
export function cleanLine(text: string): string {
  return trimSpace(cleanText(text));
}

/**
 * `cleanText` applied to every string in parsed front matter, however deep (lists, maps): settings
 * are cleaned as a whole where they are read, so no field can reach a feed uncleaned because its
 * reader forgot it.
 */
export function cleanStrings<T>(value: T): T {
  if (typeof value === "string") return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanStrings) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanStrings(v)])) as T;
  }
  return value;
}
