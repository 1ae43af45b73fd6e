/**
 * Values no reader can use are refused with file and line: offsets that do not exist, times past
 * 23:59:59, the year 0000, ids with spaces, credentials in the site's url and hub, and links in
 * icon, logo and image that readers never fetch (javascript:, data:, file:).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { parseArticle } from "../src/content/article.ts";
import { parseDate } from "../src/content/dates.ts";
import { trimSpace } from "../src/content/text.ts";
import { formatProblem } from "../src/problems.ts";
import { parseSite, type Site } from "../src/site/settings.ts";

const two = (n: number) => String(n).padStart(2, "0");

function site(extra = ""): ReturnType<typeof parseSite> {
  return parseSite("content/_index.md", `---\ntitle: S\nurl: https://example.org/\n${extra}---\n`, {});
}

function siteErrors(extra: string): string[] {
  return site(extra).problems.filter((p) => p.severity === "error").map(formatProblem);
}

const SITE = (site() as { value: Site }).value;

function articleErrors(extra: string): string[] {
  return parseArticle("content/a.md", "a.md", `---\ntitle: T\ndate: 2024-01-01\n${extra}---\nBody\n`, { site: SITE }).problems.filter((p) => p.severity === "error").map(formatProblem);
}

describe("dates", () => {
  it("an offset is accepted exactly when it exists (-12:00 to +14:00, minutes 00-59), and then keeps the instant", () => {
    fc.assert(
      fc.property(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.boolean(), (sign, h, m, colon) => {
        const offset = `${sign}${two(h)}${colon ? ":" : ""}${two(m)}`;
        const parsed = parseDate(`2024-06-15T12:00:00${offset}`, "UTC");
        const minutes = (sign === "-" ? -1 : 1) * (h * 60 + m);
        const exists = m <= 59 && minutes >= -12 * 60 && minutes <= 14 * 60;
        assert.equal(parsed.ok, exists, `${offset}: ${parsed.ok ? "accepted" : parsed.reason}`);
        if (parsed.ok) assert.equal(parsed.value.toMillis(), Date.UTC(2024, 5, 15, 12, 0, 0) - minutes * 60_000);
        else assert.match(parsed.reason, new RegExp(`the offset \\${offset} does not exist: offsets run from -12:00 to \\+14:00`));
      }),
      { numRuns: 1000 },
    );
  });

  it("a time is accepted exactly when it is on the clock (00:00:00 to 23:59:59), and is then the time written", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (h, m, s) => {
        const time = `${two(h)}:${two(m)}:${two(s)}`;
        const parsed = parseDate(`2024-06-15 ${time}`, "Asia/Tokyo");
        assert.equal(parsed.ok, h <= 23 && m <= 59 && s <= 59, `${time}: ${parsed.ok ? "accepted" : parsed.reason}`);
        if (parsed.ok) assert.equal(parsed.value.toFormat("HH:mm:ss"), time);
        else assert.doesNotMatch(parsed.reason, /daylight/);
      }),
      { numRuns: 1000 },
    );
  });

  it("24:00 is named as such, not as a daylight-saving gap", () => {
    const parsed = parseDate("2024-01-01 24:00", "Europe/Berlin");
    assert.deepEqual(parsed, { ok: false, reason: "24:00 is not a time of day in feeds: write 00:00 of the next day" });
  });

  it("+99:99 and +24:00 no longer move a date by days", () => {
    for (const offset of ["+99:99", "+24:00", "-13:00", "+14:01"]) assert.equal(parseDate(`2024-01-01T10:00${offset}`, "UTC").ok, false, offset);
    for (const offset of ["+14:00", "-12:00", "+05:45", "Z", "+0000"]) assert.equal(parseDate(`2024-01-01T10:00${offset === "Z" ? "Z" : offset}`, "UTC").ok, true, offset);
  });

  it("the year 0000, or one a zone moves out of 0001-9999, is refused; 0001 and 9999 in UTC are fine", () => {
    assert.match((parseDate("0000-06-01", "UTC") as { reason: string }).reason, /no year 0000/);
    assert.match((parseDate("0001-01-01T00:00:00Z", "Etc/GMT+5") as { reason: string }).reason, /falls in the year 0, which a feed cannot carry/);
    assert.match((parseDate("9999-12-31T23:00:00Z", "Pacific/Kiritimati") as { reason: string }).reason, /falls in the year 10000/);
    assert.equal(parseDate("0001-01-01T00:00:00Z", "UTC").ok, true);
    assert.equal(parseDate("9999-12-31T23:59:59Z", "UTC").ok, true);
  });

  it("through an article: file and line of the key", () => {
    assert.deepEqual(parseArticle("content/a.md", "a.md", `---\ntitle: T\ndate: 2024-01-01T10:00+99:99\n---\n`, { site: SITE }).problems.map(formatProblem), [
      `content/a.md:3 date: the offset +99:99 does not exist: offsets run from -12:00 to +14:00 (with minutes 00-59) (got "2024-01-01T10:00+99:99")`,
    ]);
    assert.deepEqual(articleErrors("updated: 0000-01-01\n").length, 1);
  });
});

describe("ids", () => {
  it("an id with a space or another character no IRI may hold is refused at its line", () => {
    assert.deepEqual(articleErrors("id: tag:a b\n"), [`content/a.md:4 id: an id may not hold a space; percent-encode it (" " is %20) or leave it out (got "tag:a b")`]);
    for (const id of ["tag:a<b", "tag:a\"b", "tag:a{b", "tag:a|b", "urn:x:a^b", "tag:a`b"]) assert.equal(articleErrors(`id: ${JSON.stringify(id)}\n`).length, 1, id);
    assert.deepEqual(siteErrors("id: tag:example.org,2024:my site\n").length, 1);
    assert.deepEqual(articleErrors("id: tag:example.org,2024:a%20b\n"), []);
  });
});

describe("URLs", () => {
  it("the site's url and hub may not hold a user name or password", () => {
    assert.deepEqual(parseSite("content/_index.md", `---\ntitle: S\nurl: https://u:p@example.org/\n---\n`, {}).problems.map(formatProblem), [
      `content/_index.md:3 url: must not hold a user name or password: it would be published in every feed (got "https://u:p@example.org/")`,
    ]);
    assert.deepEqual(siteErrors("hub: https://user@hub.example/\n"), [`content/_index.md:4 hub: must not hold a user name or password: it would be published in every feed (got "https://user@hub.example/")`]);
    assert.equal(siteErrors("hub: ftp://u:p@hub.example/\n").length, 1, "one error for a URL that is wrong twice");
  });

  it("icon, logo and image: a path or an http(s) URL, never another scheme and never credentials", () => {
    const schemes = fc.constantFrom("javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:image/png;base64,AAAA", "file:///etc/passwd", "ftp://example.org/a.png", "vbscript:x", "blob:https://example.org/x", "https://u:p@example.org/i.png");
    fc.assert(
      fc.property(schemes, fc.constantFrom("icon", "logo", "image"), (value, key) => {
        const errors = key === "image" ? articleErrors(`image: ${JSON.stringify(value)}\n`) : siteErrors(`${key}: ${JSON.stringify(value)}\n`);
        assert.equal(errors.length, 1, `${key}: ${value}: ${errors.join("; ")}`);
        assert.match(errors[0]!, new RegExp(`:4 ${key}: `));
      }),
    );
    for (const ok of ["/icon.png", "icon.png", "https://cdn.example/i.png", "//cdn.example/i.png"]) {
      assert.deepEqual(siteErrors(`icon: ${ok}\n`), [], ok);
      assert.deepEqual(articleErrors(`image: ${ok}\n`), [], ok);
    }
  });
});

describe("white space at the ends of titles, names and tags", () => {
  const SPACES = [" ", "\t", "\n", "\u00a0", "\u0085", "\u2028", "\u2029", "\u3000", "\u2003"];

  it("trimSpace removes exactly the white space Unicode and Python's strip count (U+0085 included) from both ends", () => {
    const edge = fc.array(fc.constantFrom(...SPACES), { maxLength: 4 }).map((a) => a.join(""));
    fc.assert(
      fc.property(edge, fc.string({ unit: "grapheme", maxLength: 8 }), edge, (before, middle, after) => {
        const expected = middle.replace(/^[\s\u0085]+/, "").replace(/[\s\u0085]+$/, "");
        assert.equal(trimSpace(`${before}${middle}${after}`), expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("is linear on a long run of spaces inside the text", () => {
    const long = `a${" ".repeat(200_000)}b${"\u0085".repeat(200_000)}`;
    const t0 = performance.now();
    assert.equal(trimSpace(long).length, 200_002);
    assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
  });

  it("a tag, title or author of only U+0085 is blank, as feed readers read it (fuzz regression tag-only-nel)", () => {
    const blankTag = parseArticle("content/a.md", "a.md", '---\ntitle: T\ndate: 2024-01-01\ntags: ["\u0085"]\n---\nB\n', { site: SITE });
    assert.ok(blankTag.ok, blankTag.problems.map(formatProblem).join("\n"));
    assert.deepEqual([blankTag.value.tags, blankTag.problems.map(formatProblem)], [[], ['content/a.md:4 warning: tags[0]: an empty tag, left out (got "\x85")']]);
    assert.match(parseArticle("content/a.md", "a.md", '---\ntitle: "\u0085"\ndate: 2024-01-01\n---\nB\n', { site: SITE }).problems.map(formatProblem).join("\n"), /title: must not be empty/);
    assert.match(articleErrors('author: "\u0085"\n').join("\n"), /author: expected a name/);
    const ok = parseArticle("content/a.md", "a.md", '---\ntitle: "\u0085T\u0085"\ndate: 2024-01-01\ntags: "\u0085go\u0085, x"\n---\nB\n', { site: SITE });
    assert.ok(ok.ok, ok.problems.map(formatProblem).join("\n"));
    assert.equal(ok.value.title, "T");
    assert.deepEqual(ok.value.tags, ["go", "x"]);
  });
});
