/** Feeds beside a site another generator builds: where they are served (feedsUrl), and the front door optional and placeable. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { planBuild } from "../src/pipeline/index.ts";
import { parseSite } from "../src/site/settings.ts";
import { project } from "./helpers/cli.ts";
import { join } from "node:path";

const NOW = DateTime.fromISO("2030-01-01T00:00:00Z", { zone: "UTC" });
const ARTICLE = { "2024-01-02-hello.md": "---\ntitle: Hello\ndate: 2024-01-02\ntags: [news]\n---\nBody.\n" };

async function plan(settings: string) {
  const dir = project(ARTICLE, `---\ntitle: Blog\nurl: https://example.org/blog/\n${settings}---\n`);
  const result = await planBuild({ contentDir: join(dir, "content"), outDir: join(dir, "dist"), now: NOW });
  assert.ok(result.plan !== undefined, JSON.stringify(result.problems));
  return new Map(result.plan.files.map((f) => [f.path, f.content]));
}

describe("feeds beside the site", () => {
  it("feedsUrl resolves against url (so it follows --site-url), or stands alone when absolute; default url", () => {
    const site = (extra: string, siteUrl?: string) => {
      const r = parseSite("_index.md", `---\ntitle: T\nurl: https://example.org/blog/\n${extra}---\n`, siteUrl === undefined ? {} : { siteUrl });
      assert.ok(r.ok, JSON.stringify(r.problems));
      return r.value;
    };
    assert.equal(site("").feedsUrl, "https://example.org/blog/");
    assert.equal(site("feedsUrl: feeds\n").feedsUrl, "https://example.org/blog/feeds/");
    assert.equal(site("feedsUrl: /feeds/\n").feedsUrl, "https://example.org/feeds/");
    assert.equal(site("feedsUrl: https://feeds.example.net/x/\n").feedsUrl, "https://feeds.example.net/x/");
    assert.equal(site("feedsUrl: feeds/\n", "http://127.0.0.1:8080/").feedsUrl, "http://127.0.0.1:8080/feeds/");
    assert.equal(site("").frontDoor, "index.html");
    assert.equal(site("frontDoor: false\n").frontDoor, undefined);
    assert.equal(site("frontDoor: subscribe/index.html\n").frontDoor, "subscribe/index.html");
    for (const bad of ["frontDoor: ../index.html\n", "frontDoor: index.php\n", "frontDoor: 3\n", "feedsUrl: ftp://x.org/\n"]) {
      const r = parseSite("_index.md", `---\ntitle: T\nurl: https://example.org/\n${bad}---\n`, {});
      assert.equal(r.ok, false, bad);
    }
  });

  it("feed URLs, ids of section and tag feeds, the stylesheet and the OPML point under feedsUrl; article links stay under url", async () => {
    const files = await plan("feedsUrl: feeds/\n");
    const feed = JSON.parse(files.get("feed.json")!) as { feed_url: string; home_page_url: string; items: { url: string }[] };
    assert.equal(feed.feed_url, "https://example.org/blog/feeds/feed.json");
    assert.equal(feed.home_page_url, "https://example.org/blog/");
    assert.equal(feed.items[0]!.url, "https://example.org/blog/hello/");
    assert.match(files.get("rss.xml")!, /href="https:\/\/example\.org\/blog\/feeds\/feed\.css"/);
    assert.match(files.get("tags/news/atom.xml")!, /<id>https:\/\/example\.org\/blog\/feeds\/tags\/news\/atom\.xml<\/id>/);
    assert.match(files.get("feeds.opml")!, /xmlUrl="https:\/\/example\.org\/blog\/feeds\/rss\.xml"/);
    assert.match(files.get("index.html")!, /https:\/\/example\.org\/blog\/feeds\/feeds\.opml/);
  });

  it("frontDoor: false writes no index.html (a site's home page stays its own); a path places it", async () => {
    const none = await plan("frontDoor: false\n");
    assert.equal(none.has("index.html"), false);
    assert.ok(none.has("feed.json"));
    const placed = await plan("frontDoor: subscribe.html\n");
    assert.equal(placed.has("index.html"), false);
    assert.match(placed.get("subscribe.html")!, /^<!DOCTYPE html>/i);
  });
});
