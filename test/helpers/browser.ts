/**
 * For the browser test: the sample site built in memory and served on 127.0.0.1, and Debian's
 * Chromium driven by playwright-core. Never downloads a browser.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { DOMParser, XMLSerializer, type Element } from "@xmldom/xmldom";
import { DateTime } from "luxon";
import { chromium, type Browser } from "playwright-core";
import { SaxesParser } from "saxes";
import { planBuild } from "../../src/pipeline/index.ts";
import { addFeedStylesheet, FEED_STYLESHEET_FILE, renderFeedStylesheet } from "../../src/formats/feed-page.ts";
import { renderFrontDoor } from "../../src/formats/front-door.ts";
import type { FrontDoorFeed, FrontDoorInput } from "../../src/formats/front-door-input.ts";
import { FORMATS } from "../../src/formats/index.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CHROMIUM = "/usr/bin/chromium";
export const OUTPUT_DIR = join(ROOT, "test/.output/browser");

/** Headless, no sandbox (CI runs as root), and nothing that reaches the network on its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium; .ci/run does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

const MEDIA_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  // What nginx, Apache and most static hosts send for .xml, .json, .css and .opml.
  ".xml": "text/xml; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
  ".opml": "text/x-opml; charset=utf-8",
};

export interface LocalSite {
  /** `http://127.0.0.1:<port>/`, the site URL the feeds were built with. */
  readonly url: string;
  /** Path under the site (no leading slash) to content: what dist/ would hold. */
  readonly files: ReadonlyMap<string, string>;
  readonly input: FrontDoorInput;
  /** What the test had to add because the build does not make it yet: said, never silent. */
  readonly notes: readonly string[];
  /** Every request, as `METHOD path status`. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * Builds content/ with planBuild for a site URL on a fresh local port, and serves the result.
 * index.html is the build's own when it makes one, else renderFrontDoor on input read back
 * from the built feeds.
 */
export async function serveSampleSite(contentDir = join(ROOT, "content")): Promise<LocalSite> {
  const files = new Map<string, string>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname).replace(/^\//, "");
    const key = path === "" || path.endsWith("/") ? `${path}index.html` : path;
    // Chromium asks for /favicon.ico by itself on pages without an icon link (rss.xml): that is
    // the host's business, not the site's, so it gets an empty answer rather than a 404.
    const body = key === "favicon.ico" && !files.has(key) ? "" : files.get(key);
    const status = req.method !== "GET" && req.method !== "HEAD" ? 405 : body === undefined ? 404 : 200;
    requests.push(`${req.method} /${path} ${status}`);
    if (status !== 200 || body === undefined) {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${status}\n`);
      return;
    }
    const ext = key.slice(key.lastIndexOf("."));
    res.writeHead(body === "" ? 204 : 200, { "content-type": MEDIA_TYPES[ext] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((done, fail) => server.once("error", fail).listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () => closeServer(server);
  try {
    const { plan, problems } = await planBuild({ contentDir, outDir: join(ROOT, "test/.output/unused-dist"), siteUrl: url, now: DateTime.now() });
    if (plan === undefined) throw new Error(`the sample content does not build:\n${problems.map((p) => JSON.stringify(p)).join("\n")}`);
    for (const file of plan.files) files.set(file.path, file.content);

    const notes: string[] = [];
    const stylesheetUrl = new URL(FEED_STYLESHEET_FILE, url).href;
    if (!files.has(FEED_STYLESHEET_FILE)) {
      notes.push(`the build writes no ${FEED_STYLESHEET_FILE} yet: the test adds renderFeedStylesheet() and the xml-stylesheet instruction to every rss.xml and atom.xml`);
      files.set(FEED_STYLESHEET_FILE, renderFeedStylesheet());
      for (const [path, content] of files) {
        if (!/(^|\/)(rss|atom)\.xml$/.test(path) || content.includes("<?xml-stylesheet")) continue;
        const doc = new DOMParser().parseFromString(content, "text/xml");
        addFeedStylesheet(doc, stylesheetUrl);
        files.set(path, `${new XMLSerializer().serializeToString(doc)}\n`);
      }
    }
    const input = frontDoorInputFromFiles(files);
    if (!files.has("index.html")) {
      notes.push("the build writes no index.html yet: the test serves renderFrontDoor() on input read back from feeds.opml and feed.json");
      files.set("index.html", renderFrontDoor(input));
    }
    return { url, files, input, notes, requests, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done, fail) => server.close((error) => (error === undefined ? done() : fail(error))));
}

/**
 * The front door's input as the build would fill it, read back from what the build wrote:
 * every subscription feed from feeds.opml (site, sections, tags), the latest articles from the
 * site's feed.json.
 */
export function frontDoorInputFromFiles(files: ReadonlyMap<string, string>): FrontDoorInput {
  const opml = new DOMParser().parseFromString(required(files, "feeds.opml"), "text/xml");
  const outlines = Array.from(opml.getElementsByTagName("outline")) as Element[];
  const siteJson = JSON.parse(required(files, "feed.json")) as {
    title: string;
    description?: string;
    home_page_url: string;
    language?: string;
    items: { title: string; url: string; summary?: string; date_published: string }[];
  };
  const site = new URL(siteJson.home_page_url);
  const feeds: FrontDoorFeed[] = outlines.map((outline) => {
    const rssUrl = new URL(outline.getAttribute("xmlUrl") ?? "");
    const folder = decodeURIComponent(rssUrl.pathname.slice(site.pathname.length)).replace(/rss\.xml$/, "");
    return {
      title: outline.getAttribute("title") ?? "",
      kind: folder === "" ? "site" : folder.startsWith("tags/") ? "tag" : "section",
      formats: FORMATS.map((format) => ({
        label: format.name === "rss" ? "RSS" : format.name === "atom" ? "Atom" : "JSON Feed",
        mediaType: format.mediaType,
        url: new URL(format.file, rssUrl).href,
      })),
    };
  });
  return {
    site: { title: siteJson.title, description: siteJson.description ?? siteJson.title, url: site.href, language: siteJson.language },
    feeds,
    latest: siteJson.items.map((item) => ({
      title: item.title,
      url: item.url,
      date: item.date_published,
      dateText: DateTime.fromISO(item.date_published, { setZone: true }).setLocale("en-GB").toLocaleString(DateTime.DATE_FULL),
      summary: item.summary ?? "",
    })),
    opmlUrl: new URL("feeds.opml", site).href,
  };
}

function required(files: ReadonlyMap<string, string>, path: string): string {
  const content = files.get(path);
  if (content === undefined) throw new Error(`the build wrote no ${path}`);
  return content;
}

/** Well-formedness by a strict, non-validating XML parser: throws on the first error. */
export function parseXmlStrict(xml: string): { root: string; namespace: string } {
  const parser = new SaxesParser({ xmlns: true });
  let root: { root: string; namespace: string } | undefined;
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  parser.on("opentag", (tag) => {
    root ??= { root: tag.local ?? tag.name, namespace: tag.uri ?? "" };
  });
  parser.write(xml).close();
  if (failure !== undefined) throw failure;
  if (root === undefined) throw new Error("no root element");
  return root;
}
