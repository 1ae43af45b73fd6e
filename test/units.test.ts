/**
 * Unit tests on inline strings, no files and no build: the site settings, an article's front
 * matter and fields, and the date codec, each through its pure function.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asIsoDate, parseArticle } from "../src/content/article.ts";
import { parseDate, rfc3339, rfc822 } from "../src/content/dates.ts";
import { formatProblem, type Result } from "../src/problems.ts";
import { parseSite, type Site } from "../src/site/settings.ts";

function value<T>(result: Result<T>): T {
  assert.ok(result.ok, result.ok ? "" : result.problems.map(formatProblem).join("\n"));
  return result.value;
}
const problems = (result: Result<unknown>) => result.problems.map(formatProblem);

const SITE_SOURCE = `---\ntitle: Unit Site\nurl: https://unit.example.org/blog\ntimezone: Europe/Berlin\npermalink: /:year/:slug/\n---\nAbout units.\n`;
const site: Site = value(parseSite("content/_index.md", SITE_SOURCE, {}));

describe("parseSite on inline text", () => {
  it("reads the settings, with defaults, and the body as the description", () => {
    assert.equal(site.title, "Unit Site");
    assert.equal(site.url, "https://unit.example.org/blog/");
    assert.equal(site.description, "About units.");
    assert.equal(site.timezone, "Europe/Berlin");
    assert.equal(site.limit, 20);
    assert.deepEqual(site.author, { name: "Unit Site" });
  });

  it("names each bad setting with its line", () => {
    const bad = parseSite("content/_index.md", `---\ntitle: X\nurl: /relative/\nlimit: -3\n---\n`, {});
    assert.equal(bad.ok, false);
    const lines = problems(bad);
    assert.ok(lines.some((l) => l.startsWith("content/_index.md:3 url:")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("content/_index.md:4 limit:")), lines.join("\n"));
  });
});

describe("parseArticle on inline text", () => {
  const read = (source: string, path = "2023-04-12-hello-world.md") => parseArticle(`content/${path}`, path, source, { site });

  it("reads title, date in the site's zone, tags, slug from the file name, URL from the permalink", () => {
    const article = value(read(`---\ntitle: Hello\ndate: 2023-04-12 09:30\ntags: [a, b]\n---\nBody text.\n`));
    assert.equal(article.title, "Hello");
    assert.equal(article.date.toISO(), "2023-04-12T09:30:00.000+02:00");
    assert.deepEqual(article.tags, ["a", "b"]);
    assert.equal(article.slug, "hello-world");
    assert.equal(article.url, "https://unit.example.org/blog/2023/hello-world/");
    assert.equal(article.id, article.url);
    assert.equal(article.draft, false);
    assert.equal(article.body.trim(), "Body text.");
  });

  it("a title that YAML would read as a number stays the text written", () => {
    assert.equal(value(read(`---\ntitle: 2023\ndate: 2023-04-12\n---\n`)).title, "2023");
  });

  it("tags as one comma-separated string, as Hugo and Jekyll users write them", () => {
    assert.deepEqual(value(read(`---\ntitle: T\ndate: 2023-04-12\ntags: "x, y ,z"\n---\n`)).tags, ["x", "y", "z"]);
  });

  it("a missing title, and an impossible date: each named with its file and line", () => {
    const untitled = read(`---\ndate: 2023-04-12\n---\n`);
    assert.equal(untitled.ok, false);
    assert.deepEqual(problems(untitled), ["content/2023-04-12-hello-world.md:1 title: is required"]);
    const impossible = read(`---\ntitle: T\ndate: 2023-02-30\n---\n`);
    assert.equal(impossible.ok, false);
    const lines = problems(impossible);
    assert.ok(lines.length === 1 && lines[0]!.startsWith("content/2023-04-12-hello-world.md:3 date:") && lines[0]!.includes("not a real date"), lines.join("\n"));
  });

  it("summary, or description in its place; updated and draft", () => {
    const article = value(read(`---\ntitle: T\ndate: 2023-04-12\nupdated: 2023-04-13 10:00\ndescription: Said by hand.\ndraft: true\n---\nBody.\n`));
    assert.equal(article.summary, "Said by hand.");
    assert.equal(article.updated?.toISO(), "2023-04-13T10:00:00.000+02:00");
    assert.equal(article.draft, true);
  });
});

describe("dates: one codec", () => {
  it("reads a date, a wall time in the site's zone, and an explicit offset", () => {
    const day = parseDate("2023-04-12", "Europe/Berlin");
    assert.ok(day.ok);
    assert.equal(rfc3339(day.value), "2023-04-12T00:00:00+02:00");
    const wall = parseDate("2023-01-12 09:30", "Europe/Berlin");
    assert.ok(wall.ok);
    assert.equal(rfc822(wall.value), "Thu, 12 Jan 2023 09:30:00 +0100");
    const offset = parseDate("2023-04-12T09:30:00-05:00", "Europe/Berlin");
    assert.ok(offset.ok);
    assert.equal(offset.value.toMillis(), Date.parse("2023-04-12T14:30:00Z"));
  });

  it("refuses what is not a real date or time, and a wall time a daylight-saving jump skips", () => {
    for (const text of ["2023-02-30", "2023-13-01", "2023-04-12 25:00", "12/04/2023", "yesterday", ""]) {
      assert.equal(parseDate(text, "UTC").ok, false, text);
    }
    const skipped = parseDate("2023-03-26 02:30", "Europe/Berlin");
    assert.equal(skipped.ok, false);
    assert.match(skipped.ok ? "" : skipped.reason, /does not exist in Europe\/Berlin/);
  });

  it("reads a date parseDate takes as written the same after the rewrites for Ruby's, Go's and JavaScript's forms (readDate tries it as written first)", async () => {
    const fc = (await import("fast-check")).default;
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    const piece = fc.oneof(
      fc.constantFrom("T", " ", "  ", ":", "-", "+", ".", "Z", "z", "UTC", "GMT", " CEST", " PST", "t", "/", ",", "Jul", "July", "Mon, "),
      two(99),
      fc.integer({ min: 0, max: 9 }).map(String),
      fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, "0")),
    );
    // Mostly well-formed dates with their parts drawn near the edges, then arbitrary runs of pieces.
    const formed = fc
      .tuple(fc.integer({ min: 1, max: 9999 }), two(13), two(32), fc.constantFrom("", "T", " "), two(24), two(60), fc.option(two(60)), fc.option(fc.integer({ min: 0, max: 999999999 }).map(String)), fc.constantFrom("", "Z", "+02:00", "-0530", " +0100", "+14:00", "-12:00", "+99:99", " Z"), fc.constantFrom("", " ", "\t"))
      .map(([y, mo, d, sep, h, mi, s, f, off, pad]) => `${pad}${String(y).padStart(4, "0")}-${mo}-${d}${sep === "" ? "" : `${sep}${h}:${mi}${s === null ? "" : `:${s}${f === null ? "" : `.${f}`}`}${off}`}${pad}`);
    const text = fc.oneof(formed, fc.array(piece, { maxLength: 10 }).map((parts) => parts.join("")));
    const zone = fc.constantFrom("UTC", "Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata");
    let read = 0;
    fc.assert(
      fc.property(text, zone, (value, tz) => {
        const direct = parseDate(value, tz);
        if (!direct.ok) return;
        read++;
        const rewritten = parseDate(asIsoDate(value), tz);
        assert.ok(rewritten.ok, value);
        assert.equal(rewritten.value.toMillis(), direct.value.toMillis(), value);
        assert.equal(rewritten.value.offset, direct.value.offset, value);
      }),
      { numRuns: 4000, seed: 20261201 },
    );
    // The property is about dates that read: most of the runs must have been such.
    assert.ok(read > 1000, `only ${read} of 4000 read as written`);
  });
});

describe("the heap's growth is bounded only for a large build read by workers", () => {
  it("needs workers and at least BOUNDED_HEAP_FROM articles the cache does not serve", async () => {
    const { boundsHeap, BOUNDED_HEAP_FROM: from } = await import("../src/pipeline/memory.ts");
    assert.equal(boundsHeap(2, from, 0), true);
    assert.equal(boundsHeap(1, 100_000, 100_000 - from), true);
    // One thread reads (it is the bottleneck, and collections would slow it), or the cache serves most.
    assert.equal(boundsHeap(0, 100_000, 0), false);
    assert.equal(boundsHeap(2, from - 1, 0), false);
    assert.equal(boundsHeap(2, 100_000, 100_000 - from + 1), false);
  });
});

describe("underSite: a path under the site made absolute", () => {
  it("gives what the URL parser gives, whatever the path and the site URL", async () => {
    const fc = (await import("fast-check")).default;
    const { underSite } = await import("../src/site/urls.ts");
    // Pieces the parser treats specially (dot segments, encoded dots, a scheme's colon, `\`,
    // query, fragment, space, non-ASCII) beside those it keeps.
    const piece = fc.constantFrom("a", "Z", "0", "-", "_", "~", ".", "..", "%2e", "%2E", "%2F", "%", "%zz", "/", "//", ":", "\\", "?", "#", " ", "é", "@", "+");
    const path = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
    const siteUrl = fc.constantFrom("https://example.org/", "https://example.org/blog/", "https://example.org/blog", "http://example.org:8080/a/b/", "https://example.org/blog/?q=1#top", "https://xn--bcher-kva.example/");
    fc.assert(
      fc.property(path, siteUrl, (p, base) => {
        let expected: string;
        try {
          expected = new URL(p, base).href;
        } catch {
          return;
        }
        assert.equal(underSite(p, base), expected, JSON.stringify([p, base]));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the fast way for a plain permalink and still resolves dot segments", async () => {
    const { underSite } = await import("../src/site/urls.ts");
    assert.equal(underSite("2024/03/news/", "https://example.org/blog/"), "https://example.org/blog/2024/03/news/");
    assert.equal(underSite("2024/03/news/", "https://example.org/blog"), "https://example.org/2024/03/news/");
    assert.equal(underSite("a/../b/", "https://example.org/blog/"), "https://example.org/blog/b/");
    assert.equal(underSite("a/%2E%2e/b/", "https://example.org/blog/"), "https://example.org/blog/b/");
  });
});
