import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../src/cli.ts";
import type { Io } from "../src/commands/io.ts";
import { matchItems, urlKey } from "../src/guard/adopt.ts";
import { parsePins } from "../src/guard/pins.ts";
import { project } from "./helpers/cli.ts";

function capture(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: {}, signal: new AbortController().signal };
}

/** An RSS feed as Hugo writes it: guids are the old URLs, which had `.html` and no trailing slash. */
const OLD_RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Old</title><link>https://example.org/</link>
<item><title>Hello</title><link>https://example.org/hello.html</link><guid>https://example.org/hello.html</guid><pubDate>Thu, 10 Mar 2016 00:00:00 +0000</pubDate></item>
<item><title>Rust 1.0</title><link>https://example.org/2016/04/01/Rust-1.0.html</link><guid isPermaLink="false">tag:example.org,2016:rust</guid><pubDate>Fri, 01 Apr 2016 09:00:00 +0000</pubDate></item>
<item><title>Notes, in a section</title><link>https://example.org/notes/first</link><guid>https://example.org/notes/first</guid><pubDate>Sat, 02 Apr 2016 00:00:00 +0000</pubDate></item>
<item><title>Gone for good</title><link>https://example.org/gone.html</link><guid>https://example.org/gone.html</guid><pubDate>Sun, 03 Apr 2016 00:00:00 +0000</pubDate></item>
</channel></rss>`;

describe("adopt: matching", () => {
  it("URLs compare without host, trailing slash, .html, index.html or case", () => {
    assert.equal(urlKey("https://old.example.org/Posts/Hello.html"), "/posts/hello");
    assert.equal(urlKey("https://example.org/posts/hello/"), "/posts/hello");
    assert.equal(urlKey("https://example.org/posts/hello/index.html"), "/posts/hello");
    assert.equal(urlKey("tag:example.org,2016:x"), "example.org,2016:x");
  });

  it("by URL, else by title and a date within a day and a half; ambiguous and taken ones are reported", () => {
    const day = Date.UTC(2016, 2, 10);
    const articles = [
      { path: "a.md", url: "https://example.org/a/", id: "https://example.org/a/", title: "A", published: day },
      { path: "b.md", url: "https://example.org/bee/", id: "https://example.org/bee/", title: "B", published: day },
      { path: "c1.md", url: "https://example.org/c1/", id: "https://example.org/c1/", title: "C", published: day },
      { path: "c2.md", url: "https://example.org/c2/", id: "https://example.org/c2/", title: "C", published: day },
    ];
    const item = (id: string, url: string, title: string, published = day) => ({ id, url, title, published });
    const { matched, unmatched } = matchItems(
      [item("old-a", "http://www.example.org/a.html", "A, renamed"), item("old-b", "https://example.org/b.html", "B", day + 20 * 3600_000), item("old-c", "https://example.org/c.html", "C"), item("old-b2", "https://example.org/bb.html", "B")],
      articles,
    );
    assert.deepEqual(matched.map((m) => [m.item.id, m.article.path, m.by]), [["old-a", "a.md", "url"], ["old-b", "b.md", "title and date"]]);
    assert.deepEqual(unmatched.map((i) => i.id), ["old-c", "old-b2"]);
  });
});

describe("feedwright adopt", () => {
  it("pins every matched old id in content/_ids.yaml; the next build gives each article its old id", async () => {
    const dir = project({
      "2016-03-10-hello.md": `---\ntitle: Hello\ndate: 2016-03-10\n---\nHi.\n`,
      "2016-04-01-rust.md": `---\ntitle: Rust 1.0\ndate: 2016-04-01 09:00\n---\nRust.\n`,
      "notes/_index.md": `---\ntitle: Notes\n---\n`,
      "notes/2016-04-02-first.md": `---\ntitle: Notes, in a section\ndate: 2016-04-02\n---\nN.\n`,
      "2016-05-01-new.md": `---\ntitle: New since\ndate: 2016-05-01\n---\nNew.\n`,
    });
    const old = join(dir, "old.xml");
    writeFileSync(old, OLD_RSS);
    const content = join(dir, "content");
    const adopt = capture();
    assert.equal(await main(["adopt", old, "--content", content, "--no-cache"], adopt), 0, adopt.err.join(""));
    assert.match(adopt.out.join(""), /4 items in .*; 3 matched \(1 by URL, 2 by title and date\), ids pinned in .*_ids\.yaml; 1 not matched/);
    assert.match(adopt.err.join(""), /"Gone for good" https:\/\/example\.org\/gone\.html/);
    const pins = parsePins("_ids.yaml", readFileSync(join(content, "_ids.yaml"), "utf8"));
    assert.ok(pins.ok);
    assert.deepEqual(Object.fromEntries([...pins.value.ids].map(([k, v]) => [k, v.id])), {
      "2016-03-10-hello.md": "https://example.org/hello.html",
      "2016-04-01-rust.md": "tag:example.org,2016:rust",
      "notes/2016-04-02-first.md": "https://example.org/notes/first",
    });

    const build = capture();
    const out = join(dir, "dist");
    assert.equal(await main(["build", "--content", content, "--out", out, "--no-cache", "--now", "2020-01-01T00:00:00Z"], build), 0, build.err.join(""));
    const items = JSON.parse(readFileSync(join(out, "feed.json"), "utf8")).items as { id: string; title: string }[];
    const idOf = new Map(items.map((i) => [i.title, i.id]));
    for (const [title, id] of [["Hello", "https://example.org/hello.html"], ["Rust 1.0", "tag:example.org,2016:rust"], ["Notes, in a section", "https://example.org/notes/first"]]) {
      assert.equal(idOf.get(title!), id, title);
    }
    assert.equal(idOf.get("New since"), "https://example.org/new/");
  });

  it("a pin for an article that is not there is an error at its line", async () => {
    const dir = project({ "a.md": `---\ntitle: A\ndate: 2016-03-10\n---\nA.\n` });
    writeFileSync(join(dir, "content/_ids.yaml"), `a.md: "old-a"\nmissing.md: "old-m"\n`);
    const build = capture();
    assert.equal(await main(["build", "--content", join(dir, "content"), "--out", join(dir, "dist"), "--no-cache"], build), 1);
    assert.match(build.err.join(""), /_ids\.yaml:2 missing\.md: no article at content\/missing\.md/);
  });
});
