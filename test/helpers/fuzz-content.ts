/**
 * Random content folders for the property tests, and the oracle: what every reader should see
 * after the README's "Text normalisation". A case is plain data (JSON-serialisable), so a shrunk
 * counterexample can be kept as a fixture under test/fixtures/fuzz-regressions/ and replayed.
 */
import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";

export interface PersonCase {
  readonly name: string;
  readonly email?: string;
}

export interface DateCase {
  /** The instant, whole seconds. */
  readonly ms: number;
  /** How it is written: with an offset (minutes), as `Z`, or as wall time / a day in the site's zone. */
  readonly form: { readonly kind: "offset"; readonly minutes: number } | { readonly kind: "z" } | { readonly kind: "wall" } | { readonly kind: "day" };
}

export interface ArticleCase {
  readonly title: string;
  readonly date: DateCase;
  readonly updatedAfter?: number;
  readonly summary?: string;
  /** A list, or (`tagsAsText`) joined into one comma-separated string (space-separated when it holds no comma). */
  readonly tags?: readonly string[];
  readonly tagsAsText?: boolean;
  /** `author` as a map, `author` as text, or an `authors` list of maps. */
  readonly authors?: { readonly style: "map" | "text" | "list"; readonly people: readonly PersonCase[] };
  readonly slug?: string;
  readonly id?: string;
  readonly body: string;
  /** `escaped`: every character outside printable ASCII as a YAML `\u` escape; `json`: JSON.stringify, other characters raw. */
  readonly quoting: "escaped" | "json";
}

export interface SiteCase {
  readonly title: string;
  readonly url: string;
  readonly timezone: string;
  readonly description?: string;
  readonly copyright?: string;
  readonly author?: PersonCase;
  readonly language?: string;
}

export interface ContentCase {
  readonly site: SiteCase;
  readonly articles: readonly ArticleCase[];
}

// ---------------------------------------------------------------------------------------------
// Generators

const awkward = [
  "]]>", "]]", "]]]]>", "<![CDATA[", "<", ">", "&", "&amp;", "&lt;", "&#0;", '"', "'", "<b>", "</title>", "<script>alert(1)</script>", "<!--", "-->",
  "\u200F", "\u200E", "\u202E", "\u2066", "\u200B", "\u200D", "\uFEFF", "\u00A0", "\u0085", "\u2028", "\u2029", "\u3000",
  "\uFFFE", "\uFFFF", "\uFFFD", "\uD800", "\uDBFF", "\uDC00", "\uDFFF",
  "😀", "👩‍👩‍👧", "🇩🇪", "e\u0301", "ﷺ", "𝕏", "日本語", "עברית", "العربية",
  "\r\n", "\r", "\n", "\t", " ", "  ", ",", ":", ": ", "#", "- ", "* ", "`", "\\", "%", "{", "}", "[", "]", "|", ">", "!", "?", "@", "$",
];

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ") },
  { weight: 3, arbitrary: fc.constantFrom(...awkward) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
);

/** Text from all of Unicode, weighted towards what breaks feeds. */
export const text = (maxUnits = 24, u: fc.Arbitrary<string> = unit): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 20, arbitrary: fc.array(u, { maxLength: maxUnits }).map((units) => units.join("")) },
    { weight: 1, arbitrary: fc.array(u, { minLength: 1000, maxLength: 3000 }).map((units) => units.join("")) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => "]]>".repeat(n)) },
  );

/** Text a schema accepts as required text: something left after trimming. */
const someText = (maxUnits: number | undefined, u: fc.Arbitrary<string>) => text(maxUnits, u).filter((t) => trimmed(t) !== "");

// Generated emails are valid ones: src/content/people.ts refuses the rest (security.test.ts).
const EMAIL = /^[^\s@<>()\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]+@[^\s@<>()\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]+\.[^\s@<>()\u0000-\u001f\u007f\ufffe\uffff\ud800-\udfff]+$/;
const email = fc.oneof(
  fc.emailAddress(),
  fc.tuple(fc.constantFrom("a&b", "o'brien", "x]]>y", "q\"q", "\u00e9l\u00e8ve", "\u0001c", "\uFFFEd"), fc.constantFrom("example.org", "b\u00fccher.example")).map(([l, d]) => `${l}@${d}`),
).filter((e) => EMAIL.test(e));

const person = (u: fc.Arbitrary<string>): fc.Arbitrary<PersonCase> => fc.record({ name: someText(16, u), email: fc.option(email, { nil: undefined }) }, { requiredKeys: ["name"] });

const MIN = Date.UTC(1971, 0, 1) / 1000;
const MAX = Date.UTC(2099, 0, 1) / 1000;
const date: fc.Arbitrary<DateCase> = fc.record({
  ms: fc.integer({ min: MIN, max: MAX }).map((s) => s * 1000),
  form: fc.oneof(
    // Offsets in use: -12:00 to +14:00 (src/content/dates.ts refuses the rest).
    fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => ({ kind: "offset" as const, minutes: q * 15 })),
    fc.constant({ kind: "z" as const }),
    fc.constant({ kind: "wall" as const }),
    fc.constant({ kind: "day" as const }),
  ),
});

const ZONES = ["UTC", ...Intl.supportedValuesOf("timeZone")];
const slugUnit = fc.constantFrom(..."abcxyz019-_~.", "ü", "ß", "İ", "日", "ا", "é", "Ω");

/**
 * Any tag builds (src/feeds/folder-name.ts names a folder for it); most get a letter or digit
 * somewhere, and tags that fold to the same name share a feed.
 */
const tag = (u: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 1, arbitrary: someText(10, u) },
    { weight: 5, arbitrary: fc.tuple(text(6, u), fc.constantFrom("a", "Z", "7", "ß", "é", "日", "ا", "Ω"), text(6, u)).map(([before, letter, after]) => `${before}${letter}${after}`) },
  );

function article(index: number, u: fc.Arbitrary<string>): fc.Arbitrary<ArticleCase> {
  return fc.record(
    {
      title: someText(undefined, u),
      date,
      updatedAfter: fc.integer({ min: 0, max: 400 * 86400 }).map((s) => s * 1000),
      summary: text(undefined, u),
      tags: fc.array(tag(u), { maxLength: 5 }),
      tagsAsText: fc.boolean(),
      authors: fc.record({ style: fc.constantFrom("map" as const, "text" as const, "list" as const), people: fc.array(person(u), { minLength: 1, maxLength: 3 }) }),
      slug: fc.array(slugUnit, { minLength: 1, maxLength: 12 }).map((u) => `${u.join("")}-${index}`).filter((s) => /^[\p{L}\p{N}\p{M}_~-]/u.test(s) && !s.includes("..")),
      id: fc.oneof(fc.uuid().map((u) => `urn:uuid:${u}`), fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((s) => `tag:example.org,2023:${s}-${index}`)),
      body: fc.array(fc.oneof(text(12, u), fc.constantFrom("\n\n", "\n# ", "\n- ", "\n> ", "\n```\n", "[link](", "](a/b.html)", "![pic](img.png)", "\n<!-- more -->\n", "http://example.com/x?a=1&b=2", "<div onclick=x>", "\n| a | b |\n|---|---|\n| ]]> | & |\n")), { maxLength: 30 }).map((parts) => parts.join("")),
      quoting: fc.constantFrom("escaped" as const, "json" as const),
    },
    { requiredKeys: ["title", "date", "body", "quoting"] },
  ).map((a) => {
    if (a.authors === undefined || a.authors.style === "list") return a;
    const people = a.authors.people.slice(0, 1);
    // `Name <x>` as text is read as a name and an email: keep such names to the map form.
    const style = a.authors.style === "text" && /<[^<>]*>$/.test(trimmed(people[0]!.name)) ? ("map" as const) : a.authors.style;
    return { ...a, authors: { style, people } };
  });
}

/** Content folders whose text is drawn from `u`. */
export const contentCaseOf = (u: fc.Arbitrary<string>): fc.Arbitrary<ContentCase> => fc.record({
  site: fc.record(
    {
      title: someText(undefined, u),
      url: fc.constantFrom("https://example.org/", "https://example.org/blog/", "http://b\u00fccher.example/a%20b/", "https://example.org:8443/~me/"),
      timezone: fc.constantFrom(...ZONES),
      description: text(undefined, u),
      copyright: text(undefined, u),
      author: person(u),
      language: fc.constantFrom("en", "pt-BR", "ar", "zh-Hant-TW"),
    },
    { requiredKeys: ["title", "url", "timezone"] },
  ),
  articles: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => article(i, u)))),
});

/** Any text at all: every output must stay well-formed. */
export const contentCase = contentCaseOf(unit);

/**
 * Printable text dense in markup-like pieces (`<!--`, `<![CDATA[`, `]]>`, `<b>`): everything above
 * except what README "Text normalisation" lists as read differently by some reader (C1 controls,
 * U+0085, U+2028/U+2029, whitespace other than a space, `&` before a possible entity name), so
 * read-back is compared with few reader models in play; the any-Unicode cases exercise the rest.
 * The characters we remove (C0 controls, U+FFFE, U+FFFF, lone surrogates) stay in: they must vanish.
 */
const readableUnit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ") },
  { weight: 3, arbitrary: fc.constantFrom("]]>", "]]", "<![CDATA[", "<", ">", "& ", '"', "'", "<b>", "</title>", "<!--", "-->", "\u200F", "\u200E", "\u202E", "\u2066", "\u200B", "\u200D", "\uFEFF", "\u00A0", "\uFFFD", "😀", "👩‍👩‍👧", "🇩🇪", "e\u0301", "ﷺ", "𝕏", "日本語", "עברית", "العربية", ",", ":", "#", "`", "\\", "%", "{", "}", "[", "]", "|", "!", "?", "@", "$", "é", "ß", "Ω") },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom("\uFFFE", "\uFFFF", "\uD800", "\uDBFF", "\uDC00", "\uDFFF") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => /^[\p{L}\p{N}\p{P}\p{S}\p{M}]$/u.test(c) && !/[\u0080-\u009f&]/.test(c)) },
);
export const readableContentCase = contentCaseOf(readableUnit);

// ---------------------------------------------------------------------------------------------
// Writing a case as files

/** A YAML double-quoted scalar holding exactly `value`. */
export function quote(value: string, style: "escaped" | "json"): string {
  if (style === "json") return JSON.stringify(value);
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c >= 0x20 && c < 0x7f) out += value[i];
    else out += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

function personYaml(p: PersonCase, q: (v: string) => string, indent: string): string {
  return `${indent}name: ${q(p.name)}\n${p.email === undefined ? "" : `${indent.replace("- ", "  ")}email: ${q(p.email)}\n`}`;
}

function dateText(d: DateCase, zone: string): string {
  const at = DateTime.fromMillis(d.ms, { zone });
  switch (d.form.kind) {
    case "offset":
      return DateTime.fromMillis(d.ms, { zone: `UTC${d.form.minutes < 0 ? "-" : "+"}${Math.floor(Math.abs(d.form.minutes) / 60)}:${String(Math.abs(d.form.minutes) % 60).padStart(2, "0")}` }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
    case "z":
      return DateTime.fromMillis(d.ms, { zone: "UTC" }).toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
    case "wall":
      return at.toFormat("yyyy-MM-dd HH:mm:ss");
    case "day":
      return at.toFormat("yyyy-MM-dd");
  }
}

export function articleFile(a: ArticleCase, zone: string): string {
  const q = (v: string) => quote(v, a.quoting);
  let fm = `title: ${q(a.title)}\ndate: ${dateText(a.date, zone)}\n`;
  if (a.updatedAfter !== undefined) fm += `updated: ${DateTime.fromMillis(expectedDate(a.date, zone) + a.updatedAfter, { zone: "UTC" }).toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'")}\n`;
  if (a.summary !== undefined) fm += `summary: ${q(a.summary)}\n`;
  if (a.tags !== undefined) fm += a.tagsAsText ? `tags: ${q(a.tags.join(","))}\n` : a.tags.length === 0 ? "tags: []\n" : `tags:\n${a.tags.map((t) => `  - ${q(t)}\n`).join("")}`;
  if (a.authors !== undefined) {
    const [first] = a.authors.people;
    if (a.authors.style === "text" && first !== undefined) fm += `author: ${q(first.email === undefined ? first.name : `${first.name} <${first.email}>`)}\n`;
    else if (a.authors.style === "map" && first !== undefined) fm += `author:\n${personYaml(first, q, "  ")}`;
    else fm += `authors:\n${a.authors.people.map((p) => personYaml(p, q, "  - ")).join("")}`;
  }
  if (a.slug !== undefined) fm += `slug: ${q(a.slug)}\n`;
  if (a.id !== undefined) fm += `id: ${q(a.id)}\n`;
  return `---\n${fm}---\n${a.body}\n`;
}

export function siteFile(s: SiteCase): string {
  const q = (v: string) => quote(v, "escaped");
  let fm = `title: ${q(s.title)}\nurl: ${q(s.url)}\ntimezone: ${s.timezone}\n`;
  if (s.description !== undefined) fm += `description: ${q(s.description)}\n`;
  if (s.copyright !== undefined) fm += `copyright: ${q(s.copyright)}\n`;
  if (s.author !== undefined) fm += `author:\n${personYaml(s.author, q, "  ")}`;
  if (s.language !== undefined) fm += `language: ${s.language}\n`;
  return `---\n${fm}---\n`;
}

export const articleName = (i: number) => `post-${i}.md`;

// ---------------------------------------------------------------------------------------------
// The oracle

/**
 * README "Text normalisation", written independently of src/content/text.ts: line ends become
 * `\n`; C0 controls but tab and newline, U+FFFE, U+FFFF and lone surrogates are removed; the
 * result is trimmed.
 */
export function normal(value: string): string {
  let out = "";
  for (const ch of value.replace(/\r\n?/g, "\n")) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) continue;
    out += ch;
  }
  return trimmed(out);
}

/** White space off both ends as feed readers count it: JavaScript's plus U+0085 (src/content/text.ts). */
const trimmed = (value: string): string => value.replace(/^[\s\u0085]+/, "").replace(/[\s\u0085]+$/, "");

export interface ExpectedItem {
  readonly file: string;
  readonly id: string;
  readonly link: string;
  readonly title: string;
  readonly published: number;
  readonly updated: number;
  readonly authors: readonly PersonCase[];
  readonly tags: readonly string[];
}

export type Expected =
  | { readonly ok: true; readonly title: string; readonly items: readonly ExpectedItem[] }
  /** The files that must be named by an error. */
  | { readonly ok: false; readonly files: readonly string[] };

function expectedDate(d: DateCase, zone: string): number {
  if (d.form.kind === "offset" || d.form.kind === "z") return d.ms;
  return wallInstant(dateText(d, zone), zone);
}

/**
 * The instant a date without an offset names in `zone`, as src/content/dates.ts promises: where
 * the clocks turned back and the wall time happened twice, the earlier; where they jumped over it
 * (a day's midnight), the same wall time read with the offset before the jump. Found by trying
 * every offset the zone has in the two days around it, sampled hourly, rather than computed as
 * the code does. (luxon's fromISO, used here before, picks by the season the test runs in.)
 */
function wallInstant(text: string, zone: string): number {
  const wall = DateTime.fromISO(text.replace(" ", "T"), { zone: "UTC" }).toMillis();
  const z = IANAZone.create(zone);
  const offsets = new Set<number>();
  for (let h = -26; h <= 26; h++) offsets.add(z.offset(wall + h * 3_600_000));
  const fits = [...offsets].map((o) => wall - o * 60_000).filter((ts) => ts + z.offset(ts) * 60_000 === wall);
  return fits.length > 0 ? Math.min(...fits) : wall - z.offset(wall - 86_400_000) * 60_000;
}

/** What a correct build of `c` must produce; `files` are the article paths as written. */
export function expected(c: ContentCase, siteUrl: string, files: readonly string[]): Expected {
  const bad = new Set<string>();
  const siteTitle = normal(c.site.title);
  const siteAuthor = c.site.author === undefined ? { name: siteTitle } : { ...c.site.author, name: normal(c.site.author.name) };
  if (siteTitle === "" || siteAuthor.name === "") return { ok: false, files: [files[0]!.replace(/[^/]+$/, "_index.md")] };
  const items: ExpectedItem[] = [];
  c.articles.forEach((a, i) => {
    const file = files[i]!;
    const title = normal(a.title);
    // As text: split at commas when it holds one, else at white space, as Jekyll reads `tags: ruby jekyll`.
    const joined = (a.tags ?? []).join(",");
    const rawTags = a.tags === undefined ? [] : a.tagsAsText ? joined.split(joined.includes(",") ? "," : /\s+/).map(trimmed).filter((t) => t !== "") : a.tags;
    const people = a.authors === undefined ? [siteAuthor] : a.authors.people.map((p) => ({ ...p, name: normal(p.name) }));
    const tags = [...new Set(rawTags.map(normal).filter((t) => t !== ""))];
    // An empty tag is left out with a warning (src/content/article.ts, emptyWords), not an error.
    // A tag is at most 100 characters once cleaned, and an article has at most 50 distinct tags
    // (the default maxTags; src/feeds/tags.ts, docs/security.md). Text split at white space can
    // make a few generated tags into more than 50.
    if (title === "" || people.some((p) => p.name === "") || tags.length > 50 || rawTags.some((t) => [...normal(t)].length > 100)) {
      bad.add(file);
      return;
    }
    const published = expectedDate(a.date, c.site.timezone);
    const link = new URL(`${encodeURIComponent(a.slug ?? `post-${i}`)}/`, siteUrl).href;
    items.push({
      file,
      id: a.id ?? link,
      link,
      title,
      published,
      updated: published + (a.updatedAfter ?? 0),
      authors: people,
      tags,
    });
  });
  // Article errors stop the build before tag feeds are made.
  if (bad.size > 0) return { ok: false, files: [...bad] };
  // Tag feeds never stop a build: every tag gets a folder of its own, or shares one with the tags
  // it equals under case folding (src/feeds/tags.ts).
  items.sort((x, y) => y.published - x.published || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { ok: true, title: siteTitle, items };
}
