/**
 * Golden files: every file a build of test/fixtures/golden writes (RSS, Atom, JSON Feed, their
 * archive, section and tag feeds, the OPML list, the front door and its style sheet), byte for
 * byte, in test/golden/. A change to any output shows here as a line diff of the file it changed.
 *
 * When a change is meant: `npm run test:update-golden` (UPDATE_GOLDEN=1) rewrites test/golden/
 * from the build, prints the diff of every file it changed, and `git diff test/golden` shows it
 * again for review. Beyond bytes, the golden documents are read back by independent parsers.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { after, describe, it } from "node:test";
import { DateTime } from "luxon";
import { build } from "../src/pipeline/index.ts";
import { formatProblem } from "../src/problems.ts";
import { FIXTURES, ROOT } from "./helpers/cli.ts";
import { lineDiff } from "./helpers/line-diff.ts";
import { checkJsonFeed, children, parseXmlStrict, readFeedsmith, readRowanmanning, relaxNgAtom, type Format } from "./helpers/parsers.ts";

const GOLDEN = join(ROOT, "test/golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Every file under `dir`, by path with "/", sorted. */
function files(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) found.set(relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join("/"), readFileSync(join(entry.parentPath ?? entry.path, entry.name), "utf8"));
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const out = mkdtempSync(join(tmpdir(), "feedwright-golden-"));
after(() => rmSync(out, { recursive: true, force: true }));
const result = await build({ contentDir: join(FIXTURES, "golden"), outDir: join(out, "dist"), now: DateTime.fromISO("2030-01-01T00:00:00Z") });
const built = files(join(out, "dist"));

if (UPDATE) {
  const before = files(GOLDEN);
  rmSync(GOLDEN, { recursive: true, force: true });
  for (const [path, text] of built) {
    mkdirSync(dirname(join(GOLDEN, path)), { recursive: true });
    writeFileSync(join(GOLDEN, path), text);
  }
  const report: string[] = [];
  for (const path of new Set([...before.keys(), ...built.keys()])) {
    const was = before.get(path);
    const now = built.get(path);
    if (was === now) continue;
    report.push(was === undefined ? `=== test/golden/${path}: new` : now === undefined ? `=== test/golden/${path}: removed` : `=== test/golden/${path}\n${lineDiff(was, now)}`);
  }
  process.stdout.write(report.length === 0 ? "golden files: nothing changed\n" : `golden files rewritten:\n${report.join("\n")}\n`);
}

const golden = files(GOLDEN);
const FIX = "npm run test:update-golden rewrites them, if the change is meant";

describe("golden files: a build of test/fixtures/golden, byte for byte (test/golden/)", () => {
  it("builds without problems", () => {
    assert.deepEqual(result.problems.map(formatProblem), []);
  });

  it("the same files", () => {
    assert.deepEqual([...built.keys()], [...golden.keys()], FIX);
  });

  for (const [path, want] of golden) {
    it(path, () => {
      const got = built.get(path);
      assert.ok(got !== undefined, `not written: ${path}`);
      if (got !== want) assert.fail(`${path} differs from test/golden/${path} (${FIX}):\n${lineDiff(want, got)}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// What the golden documents say, read by parsers: written out by hand from the fixture.

const SITE = "https://golden.example.org/";
const id = (slug: string) => `${SITE}${slug}/`;
const DOCUMENTS: Readonly<Record<string, { readonly title: string; readonly ids: readonly string[] }>> = {
  "": { title: "Golden Site", ids: [id("a-note"), id("second")] },
  "archive/1/": { title: "Golden Site", ids: [id("first")] },
  "notes/": { title: "Golden Site: Notes", ids: [id("a-note")] },
  "tags/alpha/": { title: "Golden Site: Alpha", ids: [id("second"), id("first")] },
  "tags/beta/": { title: "Golden Site: beta", ids: [id("a-note"), id("first")] },
};
const FORMAT_FILES: Readonly<Record<Format, string>> = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" };

describe("golden files: read back by independent parsers", () => {
  for (const [folder, doc] of Object.entries(DOCUMENTS)) {
    for (const [format, file] of Object.entries(FORMAT_FILES) as [Format, string][]) {
      const path = `${folder}${file}`;
      it(`${path}: title and items, newest first (feedsmith${format === "json" ? "" : ", @rowanmanning/feed-parser"})`, () => {
        const source = golden.get(path);
        assert.ok(source !== undefined, `no golden ${path}`);
        const reads = [readFeedsmith(format, source), ...(format === "json" ? [] : [readRowanmanning(source)])];
        for (const read of reads) {
          assert.equal(read.title, doc.title);
          assert.deepEqual(
            read.items.map((i) => i.id),
            doc.ids,
          );
        }
      });
    }
  }

  it("every Atom document is valid RFC 4287 (libxml2, RELAX NG)", async () => {
    const atom = [...golden].filter(([p]) => p.endsWith("atom.xml")).map(([name, xml]) => ({ name, xml }));
    assert.equal(atom.length, Object.keys(DOCUMENTS).length);
    assert.deepEqual(await relaxNgAtom(atom), { ok: true, errors: [] });
  });

  it("every JSON Feed is valid JSON Feed 1.1, every XML document well-formed", () => {
    for (const [path, source] of golden) {
      // Every .json but the list of files the build wrote (src/output/manifest.ts).
      if (path.endsWith(".json") && path !== ".feedwright-manifest.json") assert.deepEqual(checkJsonFeed(source), [], path);
      if (/\.(xml|opml)$/.test(path)) assert.deepEqual(parseXmlStrict(source).errors, [], path);
    }
  });

  it("feeds.opml lists each subscription feed once, by its RSS URL and title (archive pages are not subscriptions)", () => {
    const { root } = parseXmlStrict(golden.get("feeds.opml") ?? "");
    assert.ok(root !== undefined);
    const outlines: { url: string; title: string | undefined }[] = [];
    const walk = (el: NonNullable<typeof root>) => {
      if (el.local === "outline" && el.attributes.xmlUrl !== undefined) outlines.push({ url: el.attributes.xmlUrl, title: el.attributes.title });
      for (const c of el.children) walk(c);
    };
    walk(children(root, "", "body")[0]!);
    const want = Object.entries(DOCUMENTS)
      .filter(([folder]) => !folder.startsWith("archive/"))
      .map(([folder, doc]) => ({ url: `${SITE}${folder}rss.xml`, title: doc.title }));
    assert.deepEqual(outlines, want);
  });
});
