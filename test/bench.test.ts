// The bench's pure helpers (test/bench/): Hugo's copy of the corpus, the feed comparison, what a
// run wrote, and issue 12's targets. The bench itself is never run here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DEFAULT_NOW, generateArticle, siteIndex } from "./bench/generate.ts";
import type { Results, SizeResult, Variant, VariantResult } from "./bench/run.ts";
import { writtenBetween } from "./bench/run.ts";
import { compareFeeds, hugoArticle, itemPosts, sameJobIndex } from "./bench/same-job.ts";
import { evaluateTargets } from "./bench/targets.ts";

const NOW = "2030-01-01T00:00:00Z";

describe("hugoArticle", () => {
  it("writes a date with a space and no seconds as ISO local time", () => {
    const out = hugoArticle('---\ntitle: "A"\ndate: 2024-05-06 14:05\n---\n\nBody\n', NOW);
    assert.equal(out, '---\ntitle: "A"\ndate: 2024-05-06T14:05:00\n---\n\nBody\n');
  });

  it("splits a tag string at commas into a list", () => {
    const out = hugoArticle('---\ntitle: "A"\ndate: 2024-05-06\ntags: "open source, c++, rss"\n---\nBody\n', NOW);
    assert.match(out, /^tags: \["open source", "c\+\+", "rss"\]$/m);
  });

  it("splits a tag string without a comma at white space, as feedwright does", () => {
    const out = hugoArticle('---\ntitle: "A"\ndate: 2024-05-06\ntags: "machine learning  rss"\n---\nBody\n', NOW);
    assert.match(out, /^tags: \["machine", "learning", "rss"\]$/m);
  });

  it("makes an article dated after now a draft, replacing its draft line", () => {
    const out = hugoArticle('---\ntitle: "A"\ndate: "2030-03-01T10:00:00Z"\ndraft: false\n---\nBody\n', NOW);
    assert.equal(out, '---\ntitle: "A"\ndate: "2030-03-01T10:00:00Z"\ndraft: true\n---\nBody\n');
  });

  it("leaves what Hugo reads as feedwright does alone", () => {
    const text = '---\ntitle: "A"\ndate: "2024-05-06T14:05:00+02:00"\ntags: ["a", "b"]\n---\nBody\ndate: 2024-05-06 14:05\n';
    assert.equal(hugoArticle(text, NOW), text);
  });

  it("leaves no form Hugo 0.111 misreads in any generated article, and is idempotent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (index) => {
        const a = generateArticle(42, 100_000, index, DEFAULT_NOW);
        const once = hugoArticle(a.text, DEFAULT_NOW);
        const head = once.slice(0, once.indexOf("\n---\n", 3));
        assert.doesNotMatch(head, /^date: "?\d{4}-\d{2}-\d{2} /m);
        assert.doesNotMatch(head, /^tags: "/m);
        assert.equal(/^draft: true$/m.test(head), a.draft || a.future);
        assert.equal(once.slice(once.indexOf("\n---\n", 3)), a.text.slice(a.text.indexOf("\n---\n", 3)), "the body is untouched");
        assert.equal(hugoArticle(once, DEFAULT_NOW), once);
      }),
      { numRuns: 300 },
    );
  });
});

describe("sameJobIndex", () => {
  it("adds formats and archives inside the site's front matter", () => {
    const out = sameJobIndex(siteIndex());
    const head = out.split("\n---\n")[0]!;
    assert.match(head, /^formats: \[rss\]$/m);
    assert.match(head, /^archives: false$/m);
    assert.equal(out.replace("formats: [rss]\narchives: false\n", ""), siteIndex());
  });
});

describe("compareFeeds", () => {
  const rss = (...posts: string[]) => posts.map((p) => `<item><title>x</title><link>https://e.org/${p}/</link></item>`).join("");

  it("reads the post of each item's link, in order", () => {
    assert.deepEqual(itemPosts(`<rss><channel><link>https://e.org/</link>${rss("post-000002", "post-000001")}</channel></rss>`), ["post-000002", "post-000001"]);
  });

  it("pairs feeds by folder, then by content, and names what differs", () => {
    const hugo = new Map([
      ["", ["post-000001", "post-000002"]],
      ["tags/c++", ["post-000003"]],
      ["tags/rss", ["post-000001"]],
      ["tags/only-hugo", ["post-000009"]],
    ]);
    const feedwright = new Map([
      ["", ["post-000002", "post-000001"]],
      ["tags/c--z3nrxld67t", ["post-000003"]],
      ["tags/rss", ["post-000002"]],
    ]);
    const c = compareFeeds(hugo, feedwright);
    assert.deepEqual(c.renamed, [["tags/c++", "tags/c--z3nrxld67t"]]);
    assert.deepEqual(c.differ, ["tags/rss"]);
    assert.deepEqual(c.onlyA, ["tags/only-hugo"]);
    assert.deepEqual(c.onlyB, []);
    assert.equal(c.items, 5);
  });
});

describe("writtenBetween", () => {
  it("counts the files that are new or changed, and their bytes", () => {
    const before = new Map([
      ["a.xml", "1:100:10"],
      ["b.xml", "2:100:20"],
    ]);
    const after = new Map([
      ["a.xml", "1:100:10"],
      ["b.xml", "3:200:25"],
      ["c.xml", "4:200:7"],
    ]);
    assert.deepEqual(writtenBetween(before, after), { files: 2, bytes: 32 });
  });
});

describe("evaluateTargets", () => {
  const v = (variant: Variant, medianMs: number | undefined, extra: Partial<VariantResult> = {}): VariantResult => ({
    variant,
    label: variant,
    command: [],
    runs: [],
    ...(medianMs === undefined ? {} : { medianMs }),
    ...extra,
  });
  const size = (n: number, variants: VariantResult[], checks: SizeResult["checks"] = {}): SizeResult =>
    ({ size: n, corpus: {} as SizeResult["corpus"], variants, loadavg: { before: [] }, checks }) as SizeResult;
  const results = (sizes: SizeResult[]): Results => ({ sizes, targets: [] }) as unknown as Results;
  const target = (all: ReturnType<typeof evaluateTargets>, start: string) => all.find((t) => t.target.startsWith(start))!;

  it("holds the same job against Hugo, the full job against its floor and its own growth", () => {
    const all = evaluateTargets(
      results([
        size(10_000, [
          v("cold", 12_000, { peakRssKiB: 900 * 1024 }),
          v("job-floor", 20_000),
          v("same-floor", 3_600),
          v("same-cold", 2_500, { peakRssKiB: 300 * 1024 }),
          v("hugo-cold", 3_000, { peakRssKiB: 500 * 1024 }),
          v("same-warm", 1_000),
          v("hugo-warm", 3_000),
          v("same-changed", 800),
          v("hugo-changed", 3_000),
        ]),
        size(50_000, [v("cold", 70_000)]),
      ]),
    );
    const cold = target(all, "same job as Hugo, cold, 10,000");
    assert.equal(cold.met, true);
    assert.equal(cold.ratio!.toFixed(3), (2500 / 3000).toFixed(3));
    assert.match(cold.measured, /full job 4\.00 × \(12\.00 s\); same-job floor 1\.20 × \(3\.60 s\)$/);
    assert.equal(target(all, "full job, cold, 10,000 articles ≤ 0.5").met, false); // 0.6 ×
    assert.equal(target(all, "full job, cold, 10,000 → 50,000").met, false); // 5.83 ×
    assert.equal(target(all, "same job, nothing changed, 10,000").met, false); // 0.33 ×
    assert.equal(target(all, "same job, one edited, 10,000").met, true); // 0.27 ×
    assert.equal(target(all, "same job, cold, 10,000 articles: peak RSS").met, true);
    assert.equal(target(all, "same job as Hugo, cold, 50,000").met, undefined);
    assert.equal(target(all, "same job as Hugo, cold, 50,000").measured, "not run");
    assert.equal(target(all, "same job, nothing changed, 50,000").measured, "not run");
    assert.equal(target(all, "same job as Hugo, cold, 1,000").measured, "not run");
  });

  it("counts a failed feedwright run as not met, and a missing Hugo as not measured", () => {
    const all = evaluateTargets(
      results([
        size(1000, [v("same-cold", undefined, { error: "exit 1: boom\nmore" }), v("hugo-cold", 500)]),
        size(10_000, [v("same-cold", 2_000)]),
        size(100_000, [v("cold", 200_000, { peakRssKiB: 1100 * 1024 })]),
      ]),
    );
    const failed = target(all, "same job as Hugo, cold, 1,000");
    assert.equal(failed.met, false);
    assert.equal(failed.measured, "feedwright failed: exit 1: boom");
    assert.equal(target(all, "same job as Hugo, cold, 10,000").met, undefined);
    assert.equal(target(all, "full job, cold, 100,000").met, false);
  });

  it("meets the cache check only when every cold = … check is true, ignoring Hugo's checks", () => {
    const ok = evaluateTargets(results([size(1000, [], { "cold = nothing changed": true, "same articles per feed, Hugo and feedwright same job": "items differ in 1" })]));
    assert.equal(target(ok, "output byte-identical").met, true);
    const bad = evaluateTargets(results([size(1000, [], { "cold = nothing changed (same job)": "differs" })]));
    assert.equal(target(bad, "output byte-identical").met, false);
  });
});
