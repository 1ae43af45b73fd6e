/**
 * Property: for any content folder, the build either stops with errors that name our files, or
 * writes feeds that are well-formed (XML: saxes, strict, with namespaces) and valid (every Atom
 * document against RFC 4287's schema with jing, every JSON Feed against a 1.1 schema), and
 * that three independent readers (eight reader/format pairs) read back as what went in: ids,
 * links, dates, titles, authors and tags, after the README's "Text normalisation" and with
 * each reader's documented quirks restated below (the `Reader` table).
 * `FUZZ_RUNS=5000 npx tsx --test test/interop/fuzz.test.ts` for a longer run; `FUZZ_SEED=<n>` to replay
 * one; `FUZZ_NO_SHRINK=1` to stop at the first failure unshrunk.
 */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { decode as decodeHtmlEntities } from "html-entities";
import { DateTime } from "luxon";
import { planBuild } from "../../src/pipeline/index.ts";
import { shownPath } from "../../src/content/read.ts";
import { formatProblem } from "../../src/problems.ts";
import { FIXTURES, tempDir } from "../helpers/cli.ts";
import { assertWellFormed } from "../helpers/well-formed.ts";
import { articleFile, articleName, contentCase, expected, readableContentCase, siteFile, type ContentCase, type ExpectedItem } from "../helpers/fuzz-content.ts";
import { checkJsonFeed, FeedparserProcess, feedsmithStripComments, jingAtom, readFeedsmithAtom, readFeedsmithJson, readFeedsmithRss, readJsonParse, readRowanmanning, type ReadFeed, type ReadItem } from "../helpers/parsers.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const NOW = DateTime.fromISO("2100-01-01T00:00:00Z");
const REGRESSIONS = join(FIXTURES, "fuzz-regressions");

// Not sanitising: feedparser hands back the characters as written (RSS titles included).
const python = new FeedparserProcess({ sanitizeHtml: false });
after(() => python.close());

type Format = "rss" | "atom" | "json";

/**
 * What a reader may legitimately change, per reader: kept narrow, and each one documented in the
 * README's "Text normalisation".
 */
interface Reader {
  readonly name: string;
  readonly format: Format;
  /** How this reader shows a text field that went in as `value`. */
  readonly text?: (value: string) => string;
  /** Applied to what the reader returned before comparing (for readers that reflow whitespace). */
  readonly seen?: (value: string) => string;
  /** The same for tags and for author names, where they differ (an attribute is not text content). */
  readonly tagText?: (value: string) => string;
  readonly authorText?: (name: string, email: string | undefined) => string;
  /** The same for the feed's own title, where it is written otherwise than item titles. */
  readonly feedTitleText?: (value: string) => string;
  /**
   * RSS 2.0 `<author>` is one string, `email (name)`, and these readers split it (and, for
   * rowanmanning, also `dc:creator`) by guesswork: only the number of authors is compared.
   */
  readonly authorsCounted?: boolean;
  /**
   * The same guesswork for the name beside an email in RSS `<author>email (name)</author>`:
   * feedsmith splits it at every bracket and decodes each piece again (`parseBracketedPerson`).
   * The email is compared, and so is every name written alone (`dc:creator`).
   */
  readonly namesBesideEmailsGuessed?: boolean;
  /**
   * feedparser keeps one author_detail per entry, so an Atom person without an <email> after one
   * with an email reads back with an email guessed from the earlier one (`a&b@x` gives `b@x`):
   * such a person's email is not compared.
   */
  readonly emailLeaksForward?: boolean;
}

/**
 * What @rowanmanning/feed-parser shows: it decodes HTML entities once more in text it has already
 * parsed (its textContentNormalized uses html-entities), and joins the CDATA sections a `]]>` is
 * split into with a line break; whitespace runs are compared as one space.
 */
const collapse = (value: string): string => value.replace(/\s+/g, " ").trim();
const rowanText = (value: string): string => collapse(decodeHtmlEntities(value));
/** Atom titles are type="html": there the one decoding is right. */
const rowanAtomText = (value: string): string => collapse(value);
/**
 * In attributes (Atom category terms) its XML parser decodes the five named entities but not
 * character references, which XML serialisers must use there for tab and line feed.
 */
const rowanAttribute = (value: string): string => collapse(value.replace(/\t/g, "&#9;").replace(/\n/g, "&#10;"));

// Windows-1252 at 0x80-0x9F (feedparser's _cp1252 table; Node's TextDecoder treats the label as
// Latin-1). The five bytes Windows-1252 leaves undefined stay as they are.
const CP1252: Record<number, string> = Object.fromEntries(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'].map((ch, i) => [0x80 + i, ch]),
);

/**
 * Python's feedparser repairs two kinds of mojibake in every text it reads (feedparser/mixin.py,
 * `pop`): text whose characters are all below U+0100 and whose Latin-1 bytes are valid UTF-8 is
 * decoded again as UTF-8 ("Ã©" becomes "é"), and C1 controls U+0080-U+009F become the Windows-1252
 * characters at those bytes (U+0091 becomes "‘"). Our feeds carry the characters as written.
 */
export function feedparserText(value: string): string {
  // First it strips what Python calls whitespace at both ends, U+0085 included.
  let out = value.replace(/^[\s\u0085]+|[\s\u0085]+$/g, "");
  if (/^[\u0000-\u00ff]*$/.test(out)) {
    try {
      out = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(out, "latin1"));
    } catch {
      // not UTF-8 in disguise: kept
    }
  }
  return out.replace(/[\u0080-\u009f]/g, (ch) => CP1252[ch.charCodeAt(0)] ?? ch);
}

const READERS: readonly Reader[] = [
  // rowanmanning decodes HTML entities once more in text it has already parsed (its
  // textContentNormalized uses html-entities), so a title that says "&#0;" reads as U+FFFD; and
  // it reads every author name through a contact-string heuristic.
  { name: "@rowanmanning/feed-parser rss", format: "rss", authorsCounted: true, text: rowanText, seen: collapse },
  { name: "@rowanmanning/feed-parser atom", format: "atom", authorsCounted: true, text: rowanAtomText, feedTitleText: rowanText, tagText: rowanAttribute, seen: collapse },
  // RSS item titles are CDATA sections, where feedsmith drops what looks like a comment.
  { name: "feedsmith rss", format: "rss", text: feedsmithStripComments, feedTitleText: (v) => v, tagText: (v) => v, authorText: (v) => v, namesBesideEmailsGuessed: true },
  { name: "feedsmith atom", format: "atom" },
  { name: "feedsmith json", format: "json" },
  { name: "feedparser rss", format: "rss", authorsCounted: true, text: feedparserText },
  // Atom categories are `term` attributes, which feedparser does not repair.
  { name: "feedparser atom", format: "atom", text: feedparserText, tagText: (v) => v, authorText: (v) => v, emailLeaksForward: true },
  { name: "JSON.parse", format: "json" },
];

/** A person as compared: `name <email>`, either part left empty where a reader cannot be held to it. */
function personKey(reader: Reader, name: string, email: string | undefined | null, emailGuessed = false): string {
  const hasEmail = email !== undefined && email !== null && email !== "";
  const shownName = reader.namesBesideEmailsGuessed === true && hasEmail ? "" : loose(name);
  return `${shownName} <${reader.format === "json" || emailGuessed || !hasEmail ? "" : email}>`;
}

function authorsIn(reader: Reader, item: ExpectedItem, name: (name: string, email: string | undefined) => string): string[] {
  return item.authors.map((a) => personKey(reader, name(a.name, a.email), a.email)).sort();
}

/**
 * Readers disagree about whitespace: some trim with Python's idea of it (U+0085 included), some
 * turn U+2028 or the join of two CDATA sections into a line break. Whitespace runs are compared
 * as one space, on both sides; every other character must match.
 */
const loose = (value: string): string => value.replace(/\u0085/g, " ").replace(/\s+/g, " ").trim();

/** Where two long strings first differ, with a little of each around it. */
function firstDifference(got: string, want: string): string {
  let at = 0;
  while (at < got.length && at < want.length && got[at] === want[at]) at++;
  const around = (v: string) => JSON.stringify(v.slice(Math.max(0, at - 20), at + 20));
  return `read ${around(got)} where ${around(want)} went in (at ${at} of ${want.length})`;
}

function sameList(got: readonly string[], want: readonly string[], label: string): void {
  assert.equal(got.length, want.length, `${label}: ${got.length} read, ${want.length} went in`);
  got.forEach((g, k) => assert.ok(g === want[k], `${label} [${k}]: ${firstDifference(g, want[k]!)}`));
}

function compare(reader: Reader, read: ReadFeed, title: string, items: readonly ExpectedItem[]): void {
  const text = reader.text ?? ((v: string) => v);
  const t = (v: string) => loose(text(v));
  const where = (i: number, field: string) => `${reader.name}: item ${i} (${items[i]?.file}) ${field}`;
  assert.equal(loose((reader.seen ?? ((x: string) => x))(read.title ?? "")), loose((reader.feedTitleText ?? text)(title)), `${reader.name}: feed title`);
  assert.equal(read.items.length, items.length, `${reader.name}: number of items`);
  items.forEach((want, i) => {
    const got: ReadItem = read.items[i]!;
    assert.equal(got.id, want.id, where(i, "id"));
    assert.equal(got.link, want.link, where(i, "link"));
    const seen = (v: string | null) => loose((reader.seen ?? ((x: string) => x))(v ?? ""));
    assert.ok(seen(got.title) === t(want.title), `${where(i, "title")}: ${firstDifference(seen(got.title), t(want.title))}`);
    assert.equal(got.published, want.published, where(i, "published"));
    if (reader.format !== "rss") assert.equal(got.updated, want.updated, where(i, "updated"));
    const people = want.authors;
    // Persons (in document order) whose email this reader guesses from an earlier one.
    const guessed = (k: number) => reader.emailLeaksForward === true && people[k]?.email === undefined && people.slice(0, k).some((p) => p.email !== undefined);
    const authors = got.authors.map((a, k) => personKey(reader, a.name ?? "", a.email, guessed(k))).sort();
    if (reader.authorsCounted) assert.equal(authors.length, want.authors.length, where(i, "number of authors"));
    else sameList(authors, authorsIn(reader, { ...want, authors: people }, reader.authorText ?? ((name) => text(name))), where(i, "authors"));
    sameList(got.tags.map(seen), want.tags.map((v) => loose((reader.tagText ?? text)(v))), where(i, "tags"));
  });
}

const outcomes = { built: 0, expectedErrors: 0, bodyErrors: 0 };

/**
 * Where a property keeps every Atom document its cases produced, to validate them all against
 * RFC 4287's RELAX NG schema with one run of jing (a JVM per case would cost minutes).
 */
let atomKept: ((c: ContentCase, path: string, content: string) => void) | undefined;

/** Runs `property` keeping its Atom documents, then has jing validate every one of them. */
async function withAtomValidated(property: () => Promise<void>): Promise<void> {
  const dir = tempDir("feedwright-fuzz-atom-");
  const cases = new Map<ContentCase, number>();
  const paths: string[] = [];
  atomKept = (c, path, content) => {
    let n = cases.get(c);
    if (n === undefined) {
      n = cases.size;
      cases.set(c, n);
      writeFileSync(join(dir, `case-${n}.json`), JSON.stringify({ case: c }));
    }
    // Named by number (a tag's folder may be longer than a file name may be); index.tsv says which.
    const file = join(dir, `atom-${paths.length}.xml`);
    writeFileSync(file, content);
    appendFileSync(join(dir, "index.tsv"), `${basename(file)}\tcase-${n}.json\t${path}\n`);
    paths.push(file);
  };
  try {
    await property();
  } finally {
    atomKept = undefined;
  }
  assert.ok(paths.length > 0, "no Atom document was built");
  const jing = jingAtom(paths);
  // On failure the folder stays: each message names a document; index.tsv names its case.
  assert.ok(jing.ok, `jing (RFC 4287 schema) refused Atom documents kept in ${dir}:\n${jing.stdout.slice(0, 4000)}`);
  rmSync(dir, { recursive: true, force: true });
}

/** Builds one case in memory (files on disk, output only in memory) and checks it. */
async function check(c: ContentCase): Promise<void> {
  const dir = tempDir("feedwright-fuzz-");
  try {
    const content = join(dir, "content");
    mkdirSync(content);
    writeFileSync(join(content, "_index.md"), siteFile(c.site));
    const files = c.articles.map((a, i) => {
      const path = join(content, articleName(i));
      writeFileSync(path, articleFile(a, c.site.timezone));
      return shownPath(path);
    });
    const ours = new Set([shownPath(join(content, "_index.md")), ...files]);
    const want = expected(c, new URL(c.site.url).href, files);

    const { plan, problems } = await planBuild({ contentDir: content, outDir: join(dir, "dist"), now: NOW });
    const errors = problems.filter((p) => p.severity === "error");
    for (const e of errors) assert.ok(ours.has(e.file), `an error names no file of ours: ${formatProblem(e)}`);
    if (!want.ok) {
      assert.equal(plan, undefined, `expected errors naming ${want.files.join(", ")}`);
      for (const file of want.files) assert.ok(errors.some((e) => e.file === file), `expected an error naming ${file}; got ${errors.map(formatProblem).join("; ")}`);
      outcomes.expectedErrors++;
      return;
    }
    if (plan === undefined) {
      // A link in a random body may be no URL at all: that, and only that, may stop a good case.
      assert.deepEqual(errors.filter((e) => e.field !== "body").map(formatProblem), []);
      outcomes.bodyErrors++;
      return;
    }

    const out = new Map(plan.files.map((f) => [f.path, f.content]));
    const rss = out.get("rss.xml")!;
    const atom = out.get("atom.xml")!;
    const json = out.get("feed.json")!;
    // Every document the build writes, including any added since this test was written.
    for (const file of plan.files) {
      // Every .json we write is a JSON Feed: valid to the 1.1 schema, not only parseable.
      if (file.path.endsWith(".json")) assert.deepEqual(checkJsonFeed(file.content), [], `${file.path} is not valid JSON Feed 1.1`);
      else if (/\.(xml|opml)$/.test(file.path)) assertWellFormed(file.content, file.path);
      if (file.path.endsWith("atom.xml")) atomKept?.(c, file.path, file.content);
    }

    // Debian's feedparser 6.0.10 predates its JSON Feed support: it reads RSS and Atom.
    const [pyRss, pyAtom] = await python.read([rss, atom]);
    for (const [name, read] of [["rss", pyRss], ["atom", pyAtom]] as const) {
      // A CharacterEncodingOverride (decoded otherwise than declared) says nothing of the markup.
      assert.equal(read?.bozo && !read.encodingOverridden, false, `feedparser ${name}: ${read?.bozoException}`);
    }
    const reads: ReadFeed[] = [readRowanmanning(rss), readRowanmanning(atom), readFeedsmithRss(rss), readFeedsmithAtom(atom), readFeedsmithJson(json), pyRss!, pyAtom!, readJsonParse(json)];
    READERS.forEach((reader, i) => compare(reader, reads[i]!, want.title, want.items));
    outcomes.built++;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("random content folders", () => {
  it(`${RUNS} folders of any Unicode: errors name files, or every output is well-formed and every reader reads back the ids, links, dates, titles, authors and tags that went in`, { timeout: 30 * 60_000 }, async () => {
    await withAtomValidated(() =>
      fc.assert(
        fc.asyncProperty(contentCase, (c) => check(c)),
        { numRuns: RUNS, includeErrorInReport: true, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: process.env.FUZZ_NO_SHRINK === "1" },
      ),
    );
  });

  it(`${RUNS} folders of printable text dense in markup (<!--, <![CDATA[, ]]>, <b>): every reader reads back exactly what went in`, { timeout: 30 * 60_000 }, async () => {
    const started = performance.now();
    await withAtomValidated(() =>
      fc.assert(
        fc.asyncProperty(readableContentCase, (c) => check(c)),
        { numRuns: RUNS, includeErrorInReport: true, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: process.env.FUZZ_NO_SHRINK === "1" },
      ),
    );
    const ms = performance.now() - started;
    if (process.env.FUZZ_REPORT === "1") process.stdout.write(`# fuzz: ${RUNS} runs in ${Math.round(ms)} ms: ${JSON.stringify(outcomes)}\n`);
  });

  // Each shrunk counterexample the property found, kept as data and replayed as it was found.
  for (const name of readdirSync(REGRESSIONS).filter((f) => f.endsWith(".json")).sort()) {
    it(`regression: ${name}`, async () => {
      const kept = JSON.parse(readFileSync(join(REGRESSIONS, name), "utf8")) as { case: ContentCase; error?: string };
      if (kept.error === undefined) await check(kept.case);
      else await assert.rejects(check(kept.case), (e: Error) => e.message.includes(kept.error!));
    });
  }

  // Found by the any-Unicode read-back: @xmldom/xmldom applied XML 1.1 line ends while finishing
  // RSS and Atom, so these three became a line feed there and stayed themselves in JSON Feed.
  it("U+0085, U+2028 and U+2029 in titles, tags and names are carried as written in all three formats", async () => {
    const dir = tempDir("feedwright-fuzz-");
    try {
      const odd = "a\u0085b\u2028c\u2029d";
      mkdirSync(join(dir, "content"));
      writeFileSync(join(dir, "content/_index.md"), `---\ntitle: "S ${odd}"\nurl: https://example.org/\n---\n`);
      writeFileSync(join(dir, "content/p.md"), `---\ntitle: "T ${odd}"\ndate: 2020-01-01T00:00:00Z\ntags: ["G ${odd}"]\nauthor: {name: "N ${odd}"}\n---\nBody\n`);
      const { plan, problems } = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
      assert.deepEqual(problems.map(formatProblem), []);
      const out = new Map(plan!.files.map((f) => [f.path, f.content]));
      const reads = [readFeedsmithRss(out.get("rss.xml")!), readFeedsmithAtom(out.get("atom.xml")!), readJsonParse(out.get("feed.json")!)];
      for (const read of reads) {
        assert.equal(read.title, `S ${odd}`);
        assert.equal(read.items[0]!.title, `T ${odd}`);
        assert.deepEqual(read.items[0]!.tags, [`G ${odd}`]);
        assert.deepEqual(read.items[0]!.authors.map((a) => a.name), [`N ${odd}`]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
