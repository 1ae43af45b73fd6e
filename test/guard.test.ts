import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { UsageError } from "../src/commands/args.ts";
import { checkIdDrift, type CurrentArticle, type DriftContext } from "../src/guard/drift.ts";
import { resolveNow } from "../src/guard/now.ts";
import type { PreviousFeed, PublishedItem } from "../src/guard/previous.ts";
import { formatProblem } from "../src/problems.ts";

const DAY = 86_400_000;
const JAN = Date.UTC(2023, 0, 1);
const CONTEXT: DriftContext = { siteFile: "content/_index.md", siteUrl: "https://example.org/", accept: false };

const base: CurrentArticle = { file: "content/a.md", id: "https://example.org/a/", url: "https://example.org/a/", title: "A", published: JAN, scheduled: false };

function article(name: string, day: number, extra: Partial<CurrentArticle> = {}): CurrentArticle {
  const url = `https://example.org/${name}/`;
  return { ...base, file: `content/${name}.md`, id: url, url, title: name.toUpperCase(), published: JAN + day * DAY, ...extra };
}

function item(a: CurrentArticle): PublishedItem {
  return { id: a.id, url: a.url, title: a.title, published: a.published };
}

function feed(items: readonly PublishedItem[]): PreviousFeed {
  return { source: "dist/feed.json", siteUrl: "https://example.org/", items };
}

function lines(previous: readonly CurrentArticle[], current: readonly CurrentArticle[], context: DriftContext = CONTEXT): string[] {
  return checkIdDrift(feed(previous.map(item)), current, context).map(formatProblem);
}

describe("id guard: the same article", () => {
  it("an unchanged site, an edited title, an edited date: nothing to say", () => {
    const a = article("a", 0);
    const b = article("b", 1);
    assert.deepEqual(lines([a, b], [a, b]), []);
    assert.deepEqual(lines([a, b], [{ ...a, title: "A, revised" }, b]), []);
    assert.deepEqual(lines([a, b], [{ ...a, published: a.published + DAY }, b]), []);
  });

  it("a changed id, found by title and date", () => {
    const a = article("a", 0);
    const moved = { ...a, id: "https://example.org/2023/a/", url: "https://example.org/2023/a/" };
    const [line, ...rest] = lines([a], [moved]);
    assert.equal(rest.length, 0);
    assert.match(line!, /^content\/a\.md id: changed from https:\/\/example\.org\/a\/ \(as published in dist\/feed\.json\) to https:\/\/example\.org\/2023\/a\/\./);
  });
});

describe("id guard: reuse and swaps", () => {
  it("a deleted article whose slug a new one takes (other title and date): refused, naming both", () => {
    const old = article("news", 0);
    const reused = { ...article("news", 40), title: "Something else entirely", file: "content/2023-02-10-news.md" };
    assert.deepEqual(lines([old], [reused]), [
      `content/2023-02-10-news.md id: takes the id https://example.org/news/, which dist/feed.json gave to "NEWS" (dated 2023-01-01T00:00:00.000Z), a different article (another title and date) that is gone from the content. ` +
        `Readers would show this article as an edit of that one, or not at all. Give this article its own id (another slug, or id: in its front matter); to withdraw the old one, keep its file with draft: true; if the change is deliberate, run again with --accept-id-changes`,
    ]);
  });

  it("two articles that swapped slugs: one problem naming both", () => {
    const a = article("a", 0);
    const b = article("b", 5);
    const swapped = [
      { ...a, id: b.id, url: b.url },
      { ...b, id: a.id, url: a.url },
    ];
    const found = lines([a, b], swapped);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /^content\/(a|b)\.md id: swapped ids with content\/(a|b)\.md: /);
  });

  it("a swap between two articles of the same day", () => {
    const a = article("a", 0);
    const b = article("b", 0);
    const found = lines([a, b], [{ ...a, id: b.id, url: b.url }, { ...b, id: a.id, url: a.url }]);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /swapped ids/);
  });

  it("an article that takes a published article's id while that one lives on under another", () => {
    const a = article("a", 0);
    const impostor = article("impostor", 9, { id: a.id });
    const found = lines([a], [{ ...a, id: "https://example.org/premier/" }, impostor]);
    assert.deepEqual(found, [
      `content/impostor.md id: takes the id https://example.org/a/, which dist/feed.json gave to "A" (now content/a.md). Readers would show this article as an edit of that one, or not at all. Give one of them a different id: in its front matter; if the change is deliberate, run again with --accept-id-changes`,
    ]);
  });

  it("property: a site compared with its own feed passes; any two articles swapping ids is found", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 30, selector: ([name]) => name }),
        fc.nat(),
        fc.nat(),
        (specs, i, j) => {
          const site = specs.map(([name, day]) => article(name, day));
          assert.deepEqual(lines(site, site), []);
          const x = i % site.length;
          const y = (x + 1 + (j % (site.length - 1))) % site.length;
          const swapped = site.map((a, k) => (k === x ? { ...a, id: site[y]!.id } : k === y ? { ...a, id: site[x]!.id } : a));
          const found = lines(site, swapped);
          assert.equal(found.length, 1, found.join("\n"));
          assert.match(found[0]!, /swapped ids/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("id guard: gone, hidden, and at scale", () => {
  it("a draft left out for its problems withdraws the item with its id or URL, and only that one; a title alone withdraws nothing", () => {
    const [a, b, c, d] = [article("a", 0), article("b", 1), article("c", 2), article("d", 3)];
    const gone = (withdrawn: Parameters<typeof checkIdDrift>[3]) => checkIdDrift(feed([a, b, c, d].map(item)), [d], CONTEXT, withdrawn).map(formatProblem);
    // Each of the left-out drafts names one published item by whatever could be read of it.
    const left = gone([{ title: undefined, id: a.id, url: undefined }, { title: undefined, id: undefined, url: b.url }]);
    assert.equal(left.length, 1, left.join("\n"));
    assert.match(left[0]!, /^dist\/feed\.json "C" \(https:\/\/example\.org\/c\/\) was published and is gone/);
    // Another broken draft with C's title (a copy, a translation) does not hide that C was deleted.
    assert.deepEqual(gone([{ title: undefined, id: a.id, url: undefined }, { title: undefined, id: undefined, url: b.url }, { title: "C", id: undefined, url: undefined }]), left);
  });

  it("more than five gone articles are one problem naming five, then how many more", () => {
    const site = Array.from({ length: 12 }, (_, k) => article(`p${k}`, k));
    const found = lines(site, site.slice(0, 2));
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^dist\/feed\.json 10 published articles are gone from the content: "P2" \(https:\/\/example\.org\/p2\/\), .*"P6" \(https:\/\/example\.org\/p6\/\), and 5 more\. /);
  });

  it("a now that schedules published articles: refused, naming SOURCE_DATE_EPOCH; --accept-id-changes lets it through", () => {
    const site = Array.from({ length: 7 }, (_, k) => article(`p${k}`, k));
    const scheduled = site.map((a) => ({ ...a, scheduled: true }));
    const now = { iso: "1980-01-01T00:00:00Z", source: "SOURCE_DATE_EPOCH=315532800" };
    const found = checkIdDrift(feed(site.map(item)), scheduled, { ...CONTEXT, now });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.severity, "error");
    assert.match(
      formatProblem(found[0]!),
      /^SOURCE_DATE_EPOCH SOURCE_DATE_EPOCH=315532800 sets now to 1980-01-01T00:00:00Z, before the date of 7 articles that dist\/feed\.json published: "P0" \(content\/p0\.md\), .*, and 2 more\. They would count as scheduled and leave every feed\. If now is wrong, unset SOURCE_DATE_EPOCH/,
    );
    assert.equal(checkIdDrift(feed(site.map(item)), scheduled, { ...CONTEXT, now, accept: true })[0]!.severity, "warning");
    const byFlag = checkIdDrift(feed(site.map(item)), scheduled, { ...CONTEXT, now: { iso: "1970-01-01T00:00:00Z", source: "--now 1970-01-01" } });
    assert.match(formatProblem(byFlag[0]!), /^--now --now 1970-01-01 sets now to .* pass a later --now, or none for the clock;/);
  });

  it("a published article whose date moved past the clock: refused on its date", () => {
    const a = article("a", 0);
    const found = lines([a], [{ ...a, published: a.published + 900 * DAY, scheduled: true }], { ...CONTEXT, now: { iso: "2024-01-01T00:00:00Z", source: "the clock" } });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^content\/a\.md date: is after now \(2024-01-01T00:00:00Z, the clock\), and dist\/feed\.json published this article/);
  });

  it("linear: each article is read a bounded number of times, however many items the feed had", () => {
    const n = 3000;
    const site = Array.from({ length: n }, (_, k) => article(`p${k}`, k % 400));
    const moved = site.map((a) => ({ ...a, id: `${a.id}x`, url: `${a.url}x` }));
    let reads = 0;
    // Counts element reads: a lookup per item by scanning (articles.find) makes n × n of them.
    const counted = new Proxy(moved, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const found = checkIdDrift(feed(site.map(item)), counted, CONTEXT);
    assert.equal(found.length, n);
    assert.ok(reads <= 4 * n, `${reads} reads of ${n} articles`);
  });
});

describe("now", () => {
  it("refuses a now no feed can write", () => {
    assert.throws(() => resolveNow(undefined, { SOURCE_DATE_EPOCH: "99999999999999999999" }), (e: unknown) => e instanceof UsageError && /^SOURCE_DATE_EPOCH=99999999999999999999: out of range; now must be between 1970-01-01 and 9999-12-31/.test(e.message));
    assert.throws(() => resolveNow(undefined, { SOURCE_DATE_EPOCH: "253402300800" }), /out of range/);
    assert.throws(() => resolveNow("0000-01-01", {}), /^UsageError: --now 0000-01-01: out of range/);
    assert.throws(() => resolveNow("tomorrow", {}), /--now: expected an ISO 8601 date/);
  });

  it("takes what a feed can write", () => {
    assert.equal(resolveNow(undefined, { SOURCE_DATE_EPOCH: "0" }).toISO(), "1970-01-01T00:00:00.000Z");
    assert.equal(resolveNow("9999-12-31T00:00:00Z", {}).year, 9999);
    assert.equal(resolveNow(undefined, { SOURCE_DATE_EPOCH: "1700000000" }).toMillis(), 1_700_000_000_000);
  });
});
