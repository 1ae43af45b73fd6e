/**
 * Tag and section folder names (src/feeds/folder-name.ts, src/feeds/tags.ts): any tag builds;
 * every name is safe on every common disk and bounded in bytes; names a case-insensitive disk
 * takes as one are one feed, and any two others get two folders.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { build, planBuild } from "../src/pipeline/index.ts";
import { foldKey, folderName, MAX_FOLDER_NAME_BYTES } from "../src/feeds/folder-name.ts";
import { formatProblem } from "../src/problems.ts";
import { tempDir } from "./helpers/cli.ts";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

/** Names Windows will not create, with or without an extension (written here, not imported). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Characters that tell names apart only by case, punctuation or spacing: collisions live here. */
const near = fc.constantFrom(..."aAsSſßẞςσΣ-_ .#+", "\u0301", "é", "e\u0301", "É", "İ", "i", "I", "ı", "😀", "日", "1", "¹", "con");
const nearName = fc.array(near, { minLength: 1, maxLength: 6 }).map((u) => u.join(""));
const anyName = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
  nearName,
);

function safe(name: string): void {
  assert.ok(name.length > 0, "empty");
  assert.ok(Buffer.byteLength(name) <= MAX_FOLDER_NAME_BYTES, `${Buffer.byteLength(name)} bytes: ${name}`);
  assert.match(name, /^[\p{L}\p{N}\p{M}][\p{L}\p{N}\p{M}_-]*$/u, `unsafe characters: ${JSON.stringify(name)}`);
  assert.ok(!WINDOWS_RESERVED.test(name), `reserved on Windows: ${name}`);
  assert.equal(name, name.normalize("NFC"), "not NFC");
}

describe("folder names", () => {
  it("any name gives a non-empty, bounded, OS-safe, deterministic folder name", () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const folder = folderName(name);
        safe(folder);
        assert.equal(folderName(name), folder);
      }),
      { numRuns: 3000 },
    );
  });

  it("names that are not case-fold-equal (white space as a hyphen) get different folders; case-fold-equal ones the same", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(nearName, anyName), { minLength: 2, maxLength: 40 }), (names) => {
        const byFolder = new Map<string, string>();
        for (const name of names) {
          const key = foldKey(name);
          const folder = folderName(name);
          const other = byFolder.get(folder);
          assert.ok(other === undefined || other === key, `${JSON.stringify(name)} and a name folding to ${JSON.stringify(other)} share ${folder}`);
          byFolder.set(folder, key);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("the pairs a case-insensitive disk merges are one name (full case folding, NFC)", () => {
    for (const [a, b] of [["ΟΔΟΣ", "οδοσ"], ["οδος", "ΟΔΟΣ"], ["ſun", "sun"], ["Straße", "STRASSE"], ["ẞ", "ss"], ["Café", "cafe\u0301"], ["AI", "ai"], ["Big News", "big-news"], ["a  b", "a-b"]] as const) {
      assert.equal(folderName(a), folderName(b), `${a} / ${b}`);
    }
    for (const [a, b] of [["C#", "C"], ["C++", "C"], ["a_b", "a b"], ["a_b", "a-b"], ["+", "-"], ["😀", "😁"], ["con", "con_"]] as const) {
      assert.notEqual(folderName(a), folderName(b), `${a} / ${b}`);
    }
  });

  it("clean slugs stay as they are, so existing feed URLs do not move", () => {
    for (const name of ["ai", "open-web", "künstliche-intelligenz", "日本語", "web3"]) assert.equal(folderName(name), name);
    assert.equal(folderName("Open-Web"), "open-web");
    assert.equal(folderName("Big News"), "big-news");
  });
});

function site(articles: Record<string, string>): string {
  const dir = tempDir("feedwright-folders-");
  mkdirSync(join(dir, "content"));
  writeFileSync(join(dir, "content/_index.md"), `---\ntitle: S\nurl: https://example.org/\n---\n`);
  for (const [name, text] of Object.entries(articles)) {
    mkdirSync(join(dir, "content", name, ".."), { recursive: true });
    writeFileSync(join(dir, "content", name), text);
  }
  return dir;
}

const article = (tags: readonly string[], day = 1) => `---\ntitle: T\ndate: 2024-01-0${day}T00:00:00Z\ntags: ${JSON.stringify(tags)}\n---\nBody\n`;

describe("tag feeds", () => {
  it("any tag builds: emoji, +, C# beside C, each its own feed", async () => {
    const dir = site({ "a.md": article(["😀", "+", "C#", "C", "C++"]) });
    const { plan, problems } = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    assert.deepEqual(problems.map(formatProblem), []);
    const folders = new Set(plan!.files.filter((f) => f.path.startsWith("tags/")).map((f) => f.path.split("/")[1]));
    assert.equal(folders.size, 5);
  });

  it("ΟΔΟΣ and οδοσ, ſun and sun: one feed each, holding both articles, titled with the more used spelling", async () => {
    const dir = site({ "a.md": article(["ΟΔΟΣ", "ſun"], 1), "b.md": article(["οδοσ", "sun"], 2), "c.md": article(["sun"], 3) });
    const { plan, problems } = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    assert.deepEqual(problems.map(formatProblem), []);
    const feed = (folder: string) => JSON.parse(plan!.files.find((f) => f.path === `tags/${folder}/feed.json`)!.content) as { title: string; items: unknown[] };
    assert.equal(feed("οδοσ").items.length, 2);
    assert.equal(feed("sun").items.length, 3);
    assert.equal(feed("sun").title, "S: sun");
    assert.equal(plan!.files.filter((f) => f.path.startsWith("tags/") && f.path.endsWith("feed.json")).length, 2);
  });

  it("an article tagged Go and go is in that feed once", async () => {
    const dir = site({ "a.md": article(["Go", "go"]) });
    const { plan } = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    const feed = JSON.parse(plan!.files.find((f) => f.path === "tags/go/feed.json")!.content) as { items: unknown[] };
    assert.equal(feed.items.length, 1);
  });

  it("a long tag in a script of 3-byte characters is published: no ENAMETOOLONG at publish", async () => {
    const tag = "日本語".repeat(30);
    const dir = site({ "a.md": article([tag]) });
    const result = await build({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    assert.deepEqual(result.problems.map(formatProblem), []);
    const [folder] = readdirSync(join(dir, "dist/tags"));
    assert.ok(Buffer.byteLength(folder!) <= MAX_FOLDER_NAME_BYTES);
    assert.ok(existsSync(join(dir, "dist/tags", folder!, "atom.xml")));
  });

  it("a section whose folder name is long, reserved or has no letter gets a safe folder", async () => {
    const long = "ü".repeat(120);
    const dir = site({ [`${long}/_index.md`]: `---\ntitle: L\n---\n`, [`${long}/a.md`]: article([]), "CON/_index.md": `---\ntitle: C\n---\n`, "+/_index.md": `---\ntitle: P\n---\n` });
    const result = await build({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
    assert.deepEqual(result.problems.map(formatProblem), []);
    const folders = readdirSync(join(dir, "dist")).filter((f) => !/\.|^archive$/.test(f));
    assert.equal(folders.length, 3, folders.join(", "));
    for (const folder of folders) safe(folder);
  });
});
