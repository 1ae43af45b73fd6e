/**
 * A build with nothing to do does nothing (src/cache/last-build.ts): it reads no content file and
 * says what the last build said. Anything it depends on that changed sends it the long way, whose
 * output is a full build's.
 */
import assert from "node:assert/strict";
import fs, { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DateTime } from "luxon";
import { unchangedSince, type RunKey } from "../src/cache/last-build.ts";
import { sealed, unsealed } from "../src/cache/sealed.ts";
import { isPublished, statusWindow } from "../src/content/article.ts";
import { cli, project, snapshot } from "./helpers/cli.ts";
import { opened } from "./helpers/opened.ts";

const NOW = "2030-01-01T00:00:00Z";

const HUB_INDEX = `---
title: Up to date
url: https://example.org/
hub: https://hub.example.net/
---
`;

/** A small blog: a warning (an unknown key), a listing page (skipped, with a warning), a scheduled article, one that expires, a data file; every file last changed an hour ago. */
function blog(index?: string): string {
  const dir = project(
    {
      "posts/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [a]\nflavour: vanilla\n---\nOne.\n",
      "posts/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [a, b]\n---\nTwo.\n",
      "posts/later.md": "---\ntitle: Later\ndate: 2030-06-01\n---\nNot yet.\n",
      "posts/brief.md": "---\ntitle: Brief\ndate: 2024-03-01\nexpiryDate: 2030-03-01\n---\nFor a while.\n",
      "posts/all.md": "---\ntitle: All posts\n---\n{% for post in collections.all %}\n- {{ post.url }}\n{% endfor %}\n",
      "posts/posts.json": '{ "tags": ["posts"] }\n',
      "_ids.yaml": "{}\n",
    },
    index,
  );
  age(join(dir, "content"));
  return dir;
}

/** Every file under `dir` last modified an hour ago: its stamp proves it unchanged. */
function age(dir: string): void {
  const then = new Date(Date.now() - 3_600_000);
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) if (statSync(join(dir, name)).isFile()) utimesSync(join(dir, name), then, then);
}

const build = (dir: string, ...args: string[]) => cli(["build", "--now", NOW, ...args], dir);

/** What `unchangedSince` says for `dir`'s last build, run from `dir` as the CLI is. */
async function upToDate(dir: string, now = NOW, run: Partial<RunKey> = {}) {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await unchangedSince(`${dir}.cache/feedwright`, { contentDir: "content", outDir: "dist", ...run }, Date.parse(now));
  } finally {
    process.chdir(before);
  }
}

/** The summary without its time. */
const said = (text: string) => text.replace(/, \d+ ms\n$/, "\n");

function bytes(dir: string): Map<string, string> {
  return new Map([...snapshot(dir)].map(([path, { bytes }]) => [path, bytes]));
}

describe("a build with nothing to do", () => {
  it("opens no content file, touches no output, and says what the last build said", async () => {
    const dir = blog();
    assert.equal((await build(dir)).status, 0);
    const before = snapshot(join(dir, "dist"));
    // The same build the long way, for reference: without the record, it reads every file.
    rmSync(`${dir}.cache/feedwright/builds`, { recursive: true });
    const { result: long, files: read } = await opened(join(dir, "content"), () => build(dir));
    assert.equal(long.status, 0, long.stderr);
    assert.ok(read.includes("_index.md"), read.join(", "));
    assert.match(long.stderr, /flavour: unknown key/);
    assert.match(long.stdout, / 0 files written, \d+ unchanged/);
    const { result: again, files } = await opened(join(dir, "content"), () => build(dir));
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(files, [], "no content file was opened");
    assert.equal(again.stderr, long.stderr);
    assert.equal(said(again.stdout), said(long.stdout));
    assert.deepEqual(snapshot(join(dir, "dist")), before);
  });

  it("--json, --previous and --no-cache always take the long way", async () => {
    const dir = blog();
    await build(dir);
    await build(dir);
    const { files: json } = await opened(join(dir, "content"), () => build(dir, "--json"));
    assert.ok(json.length > 0);
    const { files: noCache } = await opened(join(dir, "content"), () => build(dir, "--no-cache"));
    assert.ok(noCache.length > 0);
    const { files: previous } = await opened(join(dir, "content"), () => build(dir, "--previous", join(dir, "dist", "feed.json")));
    assert.ok(previous.length > 0);
  });

  it("trusts no file modified within 2 s of its stamp", async () => {
    const dir = blog();
    await build(dir);
    await build(dir);
    assert.ok((await upToDate(dir)) !== undefined);
    writeFileSync(join(dir, "content/posts/two.md"), readFileSync(join(dir, "content/posts/two.md")));
    await build(dir);
    assert.equal(await upToDate(dir), undefined, "the file just written could change again within its mtime's granularity");
  });

  it("is not kept for builds that ask for none (serve's previews, each in a new folder)", async () => {
    const dir = blog();
    const { build: buildHere } = await import("../src/pipeline/index.ts");
    const cacheDir = join(dir, "cache");
    const result = await buildHere({ contentDir: join(dir, "content"), outDir: join(dir, "preview-1"), now: DateTime.fromISO(NOW), cacheDir, keepRecord: false });
    assert.ok(result.report !== undefined);
    assert.ok(existsSync(join(cacheDir, "index")));
    assert.equal(existsSync(join(cacheDir, "builds")), false);
  });

  it("tells `feedwright ping` that no feed changed, as any build that wrote nothing does", async () => {
    const dir = blog(HUB_INDEX);
    await build(dir);
    appendFileSync(join(dir, "content/posts/two.md"), "More.\n");
    age(join(dir, "content"));
    await build(dir);
    const record = () => JSON.parse(readFileSync(join(`${dir}.cache/feedwright/websub`, readdirSync(`${dir}.cache/feedwright/websub`)[0]!), "utf8")) as { topics: string[] };
    assert.ok(record().topics.length > 0);
    await build(dir);
    assert.ok((await upToDate(dir)) !== undefined);
    await build(dir);
    assert.deepEqual(record().topics, []);
  });
});

describe("anything the last build depended on that changed sends the build the long way", () => {
  const changes: [string, (dir: string) => void, string[]?][] = [
    ["an article's bytes, its size and mtime kept", (dir) => {
      const file = join(dir, "content/posts/two.md");
      const { atime, mtime } = statSync(file);
      writeFileSync(file, readFileSync(file, "utf8").replace("Two.", "Owt."));
      utimesSync(file, atime, mtime);
    }],
    ["an article added", (dir) => writeFileSync(join(dir, "content/posts/three.md"), "---\ntitle: Three\ndate: 2024-04-01\n---\nThree.\n")],
    ["an article removed", (dir) => rmSync(join(dir, "content/posts/one.md"))],
    ["an article renamed", (dir) => fs.renameSync(join(dir, "content/posts/one.md"), join(dir, "content/posts/uno.md"))],
    ["a listing page made an article", (dir) => writeFileSync(join(dir, "content/posts/all.md"), "---\ntitle: All posts\ndate: 2024-04-01\n---\nNo longer a list.\n")],
    ["a listing page's loop moved a line down, its size and mtime kept", (dir) => {
      const file = join(dir, "content/posts/all.md");
      const { atime, mtime } = statSync(file);
      writeFileSync(file, readFileSync(file, "utf8").replace("---\n{% for", "---\n\n{% for").replace("- {{ post.url }}", "-{{ post.url }}"));
      utimesSync(file, atime, mtime);
    }],
    ["a file that looks like a post added", (dir) => writeFileSync(join(dir, "content/posts/four.mdx"), "---\ntitle: Four\n---\n")],
    ["the site settings", (dir) => appendFileSync(join(dir, "content/_index.md"), "More about the site.\n")],
    ["a section's settings added", (dir) => writeFileSync(join(dir, "content/posts/_index.md"), "---\ntitle: Posts\n---\n")],
    ["a data file", (dir) => writeFileSync(join(dir, "content/posts/posts.json"), '{ "tags": ["writing"] }\n')],
    ["the id pins", (dir) => writeFileSync(join(dir, "content/_ids.yaml"), 'posts/one.md: "https://old.example.org/one"\n')],
    ["the id pins, the id change accepted (an id is pinned after the article's cache key is made)", (dir) => writeFileSync(join(dir, "content/_ids.yaml"), 'posts/one.md: "https://old.example.org/one"\n'), ["--accept-id-changes"]],
    ["an output file edited", (dir) => appendFileSync(join(dir, "dist/rss.xml"), "\n")],
    ["an output file removed", (dir) => rmSync(join(dir, "dist/tags/b/feed.json"))],
    ["the manifest removed", (dir) => rmSync(join(dir, "dist/.feedwright-manifest.json"))],
    ["now past a scheduled article's date", () => undefined, ["--now", "2030-07-01T00:00:00Z"]],
    ["now past an article's expiry", () => undefined, ["--now", "2030-04-01T00:00:00Z"]],
    ["now before the last build's", () => undefined, ["--now", "2024-01-15T00:00:00Z"]],
    ["--drafts", () => undefined, ["--drafts"]],
    ["--site-url", () => undefined, ["--site-url", "https://preview.example.org/"]],
    ["the record damaged", (dir) => {
      const folder = `${dir}.cache/feedwright/builds`;
      if (!existsSync(folder)) return;
      const file = join(folder, readdirSync(folder)[0]!);
      writeFileSync(file, readFileSync(file, "utf8").replace('"listing":"', '"listing":"0'));
    }],
    ["a record of another shape, with its digest right (another version of the same number)", (dir) => {
      const folder = `${dir}.cache/feedwright/builds`;
      if (!existsSync(folder)) return;
      const file = join(folder, readdirSync(folder)[0]!);
      const { check: _check, ...record } = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      // Sealed as the cache seals, so that only its shape is wrong.
      writeFileSync(file, sealed({ ...record, inputs: { "content/posts/one.md": [1, 2, 3, 4, 5] } }));
      assert.ok(unsealed(readFileSync(file)) !== undefined, "the seal holds: only the shape is wrong");
    }],
  ];
  for (const [what, change, args = []] of changes) {
    it(what, async () => {
      const dir = blog();
      assert.equal((await build(dir)).status, 0);
      await build(dir);
      assert.ok((await upToDate(dir)) !== undefined);
      // A twin with the same content and output but no cache at all: the long way, for reference.
      const twin = `${dir}-twin`;
      cpSync(dir, twin, { recursive: true });
      change(dir);
      change(twin);
      const { result, files } = await opened(join(dir, "content"), () => build(dir, ...args));
      assert.ok(files.includes("_index.md"), "the content was read");
      const reference = await build(twin, ...args);
      assert.deepEqual([result.status, said(result.stdout), result.stderr], [reference.status, said(reference.stdout), reference.stderr]);
      assert.deepEqual(bytes(join(dir, "dist")), bytes(join(twin, "dist")));
    });
  }

  // Found by a review: bodies kept for one run only (no cache entry) were keyed by their path, or by
  // a key their links' targets are not in, and a document's digest holds its items' keys.
  const bodies: [string, Record<string, string>, string | undefined, (dir: string) => void, string[]][] = [
    [
      "the body of an article with a warning (not cached)",
      {
        "warned.md": "---\ntitle: Warned\ndate: 2024-01-05\nupdated: 2024-01-01\ntags: [x]\n---\nFirst body.\n",
        "other.md": "---\ntitle: Other\ndate: 2024-01-01\ntags: [x]\n---\nOther body.\n",
      },
      undefined,
      (dir) => writeFileSync(join(dir, "content/warned.md"), readFileSync(join(dir, "content/warned.md"), "utf8").replace("First body.", "Second body, edited.")),
      [],
    ],
    [
      "the URL of an article another links to, archives off (the linking one is in a feed the target is not)",
      {
        "2024-01-02-a.md": "---\ntitle: A\ndate: 2024-01-02\ntags: [x]\n---\nSee [B]({% post_url 2024-01-01-b %}).\n",
        "2024-01-01-b.md": "---\ntitle: B\ndate: 2024-01-01\ntags: [y]\n---\nBody B.\n",
      },
      "---\ntitle: Linked\nurl: https://example.org/\narchives: false\npermalink: /:slug/\n---\n",
      (dir) => writeFileSync(join(dir, "content/2024-01-01-b.md"), readFileSync(join(dir, "content/2024-01-01-b.md"), "utf8").replace("title: B\n", "title: B\nslug: bee\n")),
      ["--accept-id-changes"],
    ],
    // Found by session 13's review: such a body was keyed by its path and its HTML, which the
    // article's other fields are not in.
    ...(["in an archive page", "in the current feed"] as const).map((where): (typeof bodies)[number] => [
      `the title of an article with a warning (not cached), ${where}`,
      {
        "warned.md": `---\ntitle: Warned\ndate: ${where === "in an archive page" ? "2020-01-02" : "2021-01-02"}\nupdated: 2019-01-01\n---\nSame body.\n`,
        "other.md": `---\ntitle: Other\ndate: ${where === "in an archive page" ? "2021-01-01" : "2020-01-01"}\n---\nOther body.\n`,
      },
      "---\ntitle: Test Site\nurl: https://example.org/\ntimezone: UTC\nlimit: 1\narchiveSize: 1\n---\n",
      (dir) => writeFileSync(join(dir, "content/warned.md"), readFileSync(join(dir, "content/warned.md"), "utf8").replace("title: Warned", "title: Warned and retitled")),
      [],
    ]),
    [
      "the author a data file gives an article with a warning (not cached)",
      {
        "posts/posts.11tydata.json": '{ "author": "Ada Lovelace" }\n',
        "posts/warned.md": "---\ntitle: Warned\ndate: 2024-01-05\nupdated: 2024-01-01\n---\nSame body.\n",
      },
      undefined,
      (dir) => writeFileSync(join(dir, "content/posts/posts.11tydata.json"), '{ "author": "Grace Hopper" }\n'),
      [],
    ],
  ];
  for (const [what, files, index, change, args] of bodies) {
    it(what, async () => {
      const dir = project(files, index);
      age(join(dir, "content"));
      assert.equal((await build(dir)).status, 0);
      change(dir);
      // The same content and output, no cache: the long way, for reference.
      const twin = `${dir}-twin`;
      cpSync(dir, twin, { recursive: true });
      const result = await build(dir, ...args);
      const reference = await build(twin, ...args);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(bytes(join(dir, "dist")), bytes(join(twin, "dist")));
    });
  }

  it("an edit through the folder itself, when builds name the content folder by a link to it", async () => {
    const dir = blog();
    fs.symlinkSync(join(dir, "content"), join(dir, "linked"));
    assert.equal((await build(dir, "--content", "linked")).status, 0);
    await build(dir, "--content", "linked");
    assert.ok((await upToDate(dir, NOW, { contentDir: "linked" })) !== undefined);
    appendFileSync(join(dir, "content/posts/one.md"), "More.\n");
    assert.equal(await upToDate(dir, NOW, { contentDir: "linked" }), undefined);
  });

  it("the folder behind a link to the content renamed: its messages name the files by their new path", async () => {
    const dir = blog();
    fs.renameSync(join(dir, "content"), join(dir, "c1"));
    fs.symlinkSync("c1", join(dir, "content"));
    assert.equal((await build(dir)).status, 0);
    assert.match((await build(dir)).stderr, /c1\/posts\/one\.md:\d+ warning/);
    fs.renameSync(join(dir, "c1"), join(dir, "c2"));
    fs.rmSync(join(dir, "content"));
    fs.symlinkSync("c2", join(dir, "content"));
    const again = await build(dir);
    assert.match(again.stderr, /c2\/posts\/one\.md:\d+ warning/);
    assert.doesNotMatch(again.stderr, /c1\//);
  });

  it("a build running in the output folder (its lock there)", async () => {
    const dir = blog();
    await build(dir);
    await build(dir);
    assert.ok((await upToDate(dir)) !== undefined);
    writeFileSync(join(dir, "dist/.feedwright-lock"), "");
    assert.equal(await upToDate(dir), undefined);
    rmSync(join(dir, "dist/.feedwright-lock"));
    mkdirSync(join(dir, "dist/.feedwright-staging"));
    assert.equal(await upToDate(dir), undefined);
  });
});

describe("statusWindow", () => {
  const day = 86_400_000;
  const article = fc.record({
    draft: fc.boolean(),
    date: fc.integer({ min: 0, max: 100 }),
    publishDate: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    expiryDate: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  });
  const at = (d: number) => DateTime.fromMillis(d * day, { zone: "UTC" });
  it("every now in [from, until) publishes exactly the articles now does", () => {
    fc.assert(
      fc.property(fc.array(article, { maxLength: 8 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: -1, max: 101 }), (raw, now, other) => {
        const articles = raw.map((a) => ({ draft: a.draft, date: at(a.date), publishDate: a.publishDate === undefined ? undefined : at(a.publishDate), expiryDate: a.expiryDate === undefined ? undefined : at(a.expiryDate) }));
        const { from, until } = statusWindow(articles, at(now));
        const inside = (from === null || other * day >= from) && (until === null || other * day < until);
        const same = articles.every((a) => isPublished(a, at(other)) === isPublished(a, at(now)));
        // Inside, the same (outside, the window is only cautious: an article may change twice).
        if (inside) assert.ok(same);
      }),
    );
  });
});
