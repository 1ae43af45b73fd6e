import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync, appendFileSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { codeVersion } from "../src/cache/code-version.ts";
import { KEEP_PARSED_BYTES } from "../src/pipeline/articles.ts";
import { build, planBuild, type BuildOptions } from "../src/pipeline/index.ts";
import { VERSION } from "../src/version.ts";
import { ROOT, snapshot, tempDir } from "./helpers/cli.ts";
import { opened } from "./helpers/opened.ts";

/** The article files a build opens (`_index.md` is read every time). */
const openedHere = <T>(dir: string, action: () => Promise<T>) => opened(dir, action, (path) => !path.endsWith("_index.md"));

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z");

function bytes(dir: string): Map<string, string> {
  return new Map([...snapshot(dir)].map(([path, { bytes: b }]) => [path, b]));
}

describe("the same bytes at one thread and at many, with and without the cache", () => {
  it("worker threads render exactly what the main thread renders", async () => {
    const contentDir = join(ROOT, "content");
    const one = await planBuild({ contentDir, outDir: "unused", now: NOW, threads: 0 });
    const many = await planBuild({ contentDir, outDir: "unused", now: NOW, threads: 2 });
    assert.ok(one.plan !== undefined && many.plan !== undefined);
    assert.deepEqual(many.plan.files, one.plan.files);
  });

  for (const threads of [0, 2]) it(`a cold build, a warm build and a build after one change agree with a build without cache (cached builds at ${threads} threads)`, async () => {
    const { dir, contentDir, cacheDir } = sampleCopy();
    const cached = (out: string) => build({ contentDir, outDir: join(dir, out), now: NOW, cacheDir, threads });
    const uncached = (out: string) => build({ contentDir, outDir: join(dir, out), now: NOW, threads: 2 - threads });

    const cold = await cached("a");
    assert.equal(cold.plan?.counts.rendered, cold.plan?.counts.published);
    const warm = await cached("a");
    assert.equal(warm.plan?.counts.rendered, 0, "nothing rendered when nothing changed");
    assert.equal(warm.report?.changed.length, 0);
    assert.equal(warm.report?.skipped, warm.plan?.counts.documents, "no document rendered either");
    await uncached("b");
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "b")));

    appendFileSync(join(contentDir, "2023-05-17-why-rss-still-matters.md"), "\nOne more line.\n");
    const one = await cached("a");
    assert.equal(one.plan?.counts.rendered, 1);
    assert.ok(one.report!.changed.length > 0 && one.report!.changed.length < 20, one.report!.changed.join(" "));
    await uncached("c");
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "c")));
  });

  for (const threads of [0, 2]) it(`a damaged or deleted cache is never trusted (at ${threads} threads)`, async () => {
    const dir = tempDir();
    const contentDir = join(ROOT, "content");
    const cacheDir = join(dir, "cache");
    await build({ contentDir, outDir: join(dir, "reference"), now: NOW, threads: 0 });
    await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads });
    // Damage every cached body, and forget what was written, so documents are rendered again.
    for (const name of readdirSync(join(cacheDir, "html"))) writeFileSync(join(cacheDir, "html", name), "<p>tampered</p>");
    rmSync(join(cacheDir, "outputs"), { recursive: true });
    rmSync(join(dir, "a"), { recursive: true });
    await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads });
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "reference")));
    // A corrupt index is ignored as a whole.
    for (const name of readdirSync(join(cacheDir, "index"))) writeFileSync(join(cacheDir, "index", name), "{not json");
    const again = await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads });
    assert.equal(again.plan?.counts.rendered, again.plan?.counts.published);
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "reference")));
    assert.ok(!readFileSync(join(dir, "a", "rss.xml"), "utf8").includes("tampered"));
  });
});

/** A copy of the sample content in a temporary folder, with where its build cache goes. */
function sampleCopy(): { dir: string; contentDir: string; cacheDir: string } {
  const dir = tempDir();
  const contentDir = join(dir, "content");
  cpSync(join(ROOT, "content"), contentDir, { recursive: true });
  return { dir, contentDir, cacheDir: join(dir, "cache") };
}

/** A copy of the sample content whose files were last changed an hour ago: past any doubt. */
function settledCopy(): { dir: string; contentDir: string } {
  const { dir, contentDir } = sampleCopy();
  const past = new Date(Date.now() - 3600_000);
  for (const name of readdirSync(contentDir, { recursive: true, encoding: "utf8" })) utimesSync(join(contentDir, name), past, past);
  return { dir, contentDir };
}

describe("reading runs on the workers, from the first file", () => {
  it("with threads, no article is read on the main thread, and the output is the same", async () => {
    const { dir, contentDir } = settledCopy();
    const one = await build({ contentDir, outDir: join(dir, "one"), now: NOW, threads: 0 });
    const many = await openedHere(contentDir, () => build({ contentDir, outDir: join(dir, "many"), now: NOW, threads: 2 }));
    assert.equal(many.result.plan?.counts.rendered, one.plan?.counts.published);
    assert.deepEqual(many.files, [], "read on the main thread");
    assert.deepEqual(bytes(join(dir, "many")), bytes(join(dir, "one")));
  });

  for (const size of ["small", "large"] as const) {
    it(`with archives off on one thread, a ${size} site's articles are opened once each: the shown ones are kept as parsed until rendered`, async () => {
      const { dir, contentDir } = settledCopy();
      const index = join(contentDir, "_index.md");
      writeFileSync(index, readFileSync(index, "utf8").replace("limit: 6\n", "limit: 2\narchives: false\n"));
      writeFileSync(join(contentDir, "2029-12-01-linking.md"), "---\ntitle: Linking\n---\nSee [why]({% post_url 2023-05-17-why-rss-still-matters %}).\n");
      // Old and untagged: in the site's feed only, which shows the newest two. Most are let go as
      // newer ones are read; none is shown.
      const old = size === "small" ? 3 : 2500;
      for (let n = 1; n <= old; n++) writeFileSync(join(contentDir, `2001-01-01-old-${n}.md`), `---\ntitle: Old ${n}\n---\nLong ago.\n`);
      const one = await openedHere(contentDir, () => build({ contentDir, outDir: join(dir, "one"), now: NOW, threads: 0 }));
      const rendered = one.result.plan?.counts.rendered ?? 0;
      const published = one.result.plan?.counts.published ?? 0;
      assert.ok(rendered > 0 && rendered < published, JSON.stringify(one.result.plan?.counts ?? one.result.problems));
      const opened = new Map<string, number>();
      for (const f of one.files) opened.set(f, (opened.get(f) ?? 0) + 1);
      assert.deepEqual([...opened].filter(([, n]) => n > 1).map(([f]) => f), [], "kept as parsed: none opened again");
      assert.equal(opened.size, published + (one.result.plan?.counts.drafts ?? 0) + (one.result.plan?.counts.scheduled ?? 0));
      // Workers read it again from the file: the same bytes.
      await build({ contentDir, outDir: join(dir, "many"), now: NOW, threads: 2 });
      assert.deepEqual(bytes(join(dir, "many")), bytes(join(dir, "one")));
      assert.match(readFileSync(join(dir, "one", "feed.json"), "utf8"), /See <a href=\\"https:\/\/[^"]*why-rss-still-matters/);
    });
  }

  it(`no more than ${KEEP_PARSED_BYTES / 1024 / 1024} MiB of files are kept as parsed: the shown ones past that are read again`, async () => {
    const { dir, contentDir } = settledCopy();
    for (const name of readdirSync(contentDir)) if (name.endsWith(".md") && name !== "_index.md") rmSync(join(contentDir, name));
    for (const section of ["notes", "reviews"]) rmSync(join(contentDir, section), { recursive: true, force: true });
    const index = join(contentDir, "_index.md");
    writeFileSync(index, readFileSync(index, "utf8").replace("limit: 6\n", "limit: 20\narchives: false\n"));
    // Twenty files of about 1 MB (the default cap on a file's size), all shown in the site's feed.
    const size = 1_000_000;
    for (let n = 10; n < 30; n++) writeFileSync(join(contentDir, `2024-01-${n}-big-${n}.md`), `---\ntitle: Big ${n}\n---\n${"word ".repeat(size / 5)}\n`);
    const one = await openedHere(contentDir, () => build({ contentDir, outDir: join(dir, "one"), now: NOW, threads: 0 }));
    assert.equal(one.result.plan?.counts.rendered, 20, JSON.stringify(one.result.plan?.counts ?? one.result.problems));
    const opened = new Map<string, number>();
    for (const f of one.files) opened.set(f, (opened.get(f) ?? 0) + 1);
    const once = [...opened].filter(([, n]) => n === 1).length;
    const fit = Math.floor(KEEP_PARSED_BYTES / (size + 30));
    assert.ok(once >= fit - 1 && once <= fit, `${once} opened once, ${fit} expected to fit`);
    assert.equal([...opened].filter(([, n]) => n === 2).length, 20 - once);
    await build({ contentDir, outDir: join(dir, "many"), now: NOW, threads: 2 });
    assert.deepEqual(bytes(join(dir, "many")), bytes(join(dir, "one")));
  });

  it("with archives off, the articles a document shows are rendered on the workers too", async () => {
    const { dir, contentDir } = settledCopy();
    const index = join(contentDir, "_index.md");
    writeFileSync(index, readFileSync(index, "utf8").replace("limit: 6\n", "limit: 2\narchives: false\n"));
    const one = await build({ contentDir, outDir: join(dir, "one"), now: NOW, threads: 0 });
    const many = await openedHere(contentDir, () => build({ contentDir, outDir: join(dir, "many"), now: NOW, threads: 2 }));
    // Reading renders nothing with archives off: every one of these was rendered once the documents were planned.
    assert.ok((one.plan?.counts.rendered ?? 0) > 0, JSON.stringify(one.plan?.counts));
    assert.equal(many.result.plan?.counts.rendered, one.plan?.counts.rendered);
    assert.deepEqual(many.files, [], "read on the main thread");
    assert.deepEqual(bytes(join(dir, "many")), bytes(join(dir, "one")));
  });

  it("Ctrl-C while the workers read: the build rejects with the signal's reason at once, nothing published", async () => {
    const { dir, contentDir } = settledCopy();
    const controller = new AbortController();
    const reason = new Error("interrupted");
    const stopped = build({ contentDir, outDir: join(dir, "out"), now: NOW, threads: 2, signal: controller.signal, progress: (p) => void (p.read === 3 && controller.abort(reason)) });
    await assert.rejects(stopped, (e) => e === reason);
    assert.ok(!existsSync(join(dir, "out")));
  });

  it("problems keep their file:line and their order at any thread count", async () => {
    const { dir, contentDir } = settledCopy();
    writeFileSync(join(contentDir, "bad-date.md"), "---\ntitle: Bad\ndate: 2023-02-30\n---\nText.\n");
    writeFileSync(join(contentDir, "warned.md"), "---\ntitle: Warned\ndate: 2023-02-03\nflavour: x\n---\n[x](javascript:alert(1))\n");
    writeFileSync(join(contentDir, "notes", "no-matter.md"), "Just text.\n");
    const at = async (threads: number) => (await build({ contentDir, outDir: join(dir, `out-${threads}`), now: NOW, threads })).problems;
    const zero = await at(0);
    assert.ok(zero.some((p) => p.file.endsWith("bad-date.md") && p.line === 3), JSON.stringify(zero));
    assert.deepEqual(await at(2), zero);
  });
});

describe("an unchanged file is not read again", () => {
  const options = (contentDir: string, dir: string, out = "a"): BuildOptions => ({ contentDir, outDir: join(dir, out), now: NOW, cacheDir: join(dir, "cache"), threads: 0 });

  it("a file whose size, times and inode match its stamp is neither read nor parsed", async () => {
    const { dir, contentDir } = settledCopy();
    const cold = await openedHere(contentDir, () => build(options(contentDir, dir)));
    assert.ok(cold.files.length >= 9, cold.files.join(" "));
    const warm = await openedHere(contentDir, () => build(options(contentDir, dir)));
    assert.deepEqual(warm.files, []);
    assert.equal(warm.result.plan?.counts.rendered, 0);
    assert.deepEqual(warm.result.problems, cold.result.problems);
  });

  it("an edit that keeps the size and the modification time is still seen (its change time is new)", async () => {
    const { dir, contentDir } = settledCopy();
    await build(options(contentDir, dir));
    const file = join(contentDir, "2023-05-17-why-rss-still-matters.md");
    const before = statSync(file);
    const text = readFileSync(file, "utf8");
    const edited = text.replace("RSS", "XSS");
    assert.ok(edited !== text && edited.length === text.length);
    writeFileSync(file, edited);
    utimesSync(file, before.atime, before.mtime);
    assert.equal(statSync(file).mtimeMs, before.mtimeMs);
    assert.equal(statSync(file).size, before.size);
    const again = await openedHere(contentDir, () => build(options(contentDir, dir)));
    assert.deepEqual(again.files, ["2023-05-17-why-rss-still-matters.md"]);
    assert.equal(again.result.plan?.counts.rendered, 1);
    await build({ contentDir, outDir: join(dir, "b"), now: NOW, threads: 0 });
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "b")));
  });

  it("a file changed just before its stamp was taken is read and hashed again (the racy case), and still not rendered", async () => {
    const { dir, contentDir } = settledCopy();
    const file = join(contentDir, "2023-06-07-data-centre-power.md");
    writeFileSync(file, readFileSync(file, "utf8") + "\nA fresh line.\n");
    await build(options(contentDir, dir));
    const again = await openedHere(contentDir, () => build(options(contentDir, dir)));
    assert.deepEqual(again.files, ["2023-06-07-data-centre-power.md"]);
    assert.equal(again.result.plan?.counts.rendered, 0, "same digest: the cached body is used");
  });
});

describe("the cache key holds what changes an article, and nothing else", () => {
  const withSetting = (contentDir: string, from: RegExp, to: string) => {
    const file = join(contentDir, "_index.md");
    const text = readFileSync(file, "utf8");
    assert.match(text, from);
    writeFileSync(file, text.replace(from, to));
  };

  for (const [name, from, to, rendered] of [
    ["limit", /^limit: 6$/m, "limit: 5", "none"],
    ["title", /^title: Signal & Noise$/m, "title: Signal and Noise", "none"],
    ["archiveSize", /^archiveSize: 4$/m, "archiveSize: 3", "none"],
    ["timezone", /^timezone: Europe\/Berlin$/m, "timezone: UTC", "all"],
    ["permalink", /^permalink: .*$/m, 'permalink: "/:slug/"', "some"],
  ] as const) {
    it(`changing ${name} renders ${rendered === "none" ? "no article" : "the articles again"}`, async () => {
      const { dir, contentDir, cacheDir } = sampleCopy();
      const first = await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads: 0 });
      withSetting(contentDir, from, to);
      const second = await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads: 0 });
      if (rendered === "none") assert.equal(second.plan?.counts.rendered, 0);
      else if (rendered === "all") assert.equal(second.plan?.counts.rendered, first.plan?.counts.published);
      else assert.ok((second.plan?.counts.rendered ?? 0) > 0);
      await build({ contentDir, outDir: join(dir, "b"), now: NOW, threads: 0 });
      assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "b")));
    });
  }

  it("an article with template code is rendered again when the site data it may show changes", async () => {
    const { dir, contentDir, cacheDir } = sampleCopy();
    writeFileSync(join(contentDir, "2023-07-01-templated.md"), "---\ntitle: Templated\n---\nWritten for {{ site.title }}.\n");
    await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads: 0 });
    withSetting(contentDir, /^title: Signal & Noise$/m, "title: Signal and Noise");
    const second = await build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads: 0 });
    assert.equal(second.plan?.counts.rendered, 1);
    assert.match(readFileSync(join(dir, "a", "feed.json"), "utf8"), /Written for Signal and Noise\./);
  });

  it("an article linking to others is cached with the link targets: rendered again only when one changes", async () => {
    const { dir, contentDir, cacheDir } = sampleCopy();
    writeFileSync(join(contentDir, "2023-07-02-linking.md"), "---\ntitle: Linking\n---\nSee [why]({% post_url 2023-05-17-why-rss-still-matters %}).\n");
    const cached = () => build({ contentDir, outDir: join(dir, "a"), now: NOW, cacheDir, threads: 0 });
    const cold = await cached();
    assert.equal(cold.plan?.counts.rendered, cold.plan?.counts.published);
    assert.equal((await cached()).plan?.counts.rendered, 0);
    const target = join(contentDir, "2023-05-17-why-rss-still-matters.md");
    writeFileSync(target, readFileSync(target, "utf8").replace("date: 2023-05-17 07:00\n", "date: 2023-05-17 07:00\nslug: why-rss\n"));
    assert.equal((await cached()).plan?.counts.rendered, 2, "the target and the article linking to it");
    assert.match(readFileSync(join(dir, "a", "feed.json"), "utf8"), /See <a href=\\"https:\/\/signal-and-noise\.example\.org\/2023\/why-rss\/\\">why<\/a>/);
    await build({ contentDir, outDir: join(dir, "b"), now: NOW, threads: 0 });
    assert.deepEqual(bytes(join(dir, "a")), bytes(join(dir, "b")));
  });

  it("running from source, the code is in the key, not only the version", () => {
    assert.match(codeVersion(), new RegExp(`^${VERSION.replace(/\./g, "\\.")}\\+[0-9a-f]{16}$`));
    assert.equal(codeVersion(), codeVersion());
  });
});
