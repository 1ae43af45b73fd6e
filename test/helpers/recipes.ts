/**
 * The recipes in examples/: where each one's posts are and where its generator writes the site,
 * and what both recipe tests (test/recipes.test.ts on the committed output folders,
 * test/interop/recipes.test.ts with the real generators) ask of a site with feeds beside it.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DOMParser } from "@xmldom/xmldom";

export const RECIPES = [
  { name: "hugo", content: "content/posts", site: "public" },
  { name: "jekyll", content: "_posts", site: "_site" },
  { name: "eleventy", content: "posts", site: "_site" },
  { name: "astro", content: "src/content/blog", site: "dist" },
  { name: "plain", content: "content", site: "site" },
] as const;

/** Every file under `dir` (relative path → sha256 of its bytes). */
export function hashes(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.set(relative(dir, full), createHash("sha256").update(readFileSync(full)).digest("hex"));
    }
  };
  walk(dir);
  return found;
}

/**
 * The file a static host serves for `url`, when the output folder `site` is served at `base`:
 * `/posts/x/` is `posts/x/index.html`, `/posts/x.html` itself, `/posts/x` either `posts/x` or
 * `posts/x/index.html`. Undefined when `url` is not under `base` or no such file was written.
 */
export function pageFile(site: string, base: string, url: string): string | undefined {
  if (!url.startsWith(base)) return undefined;
  const path = decodeURIComponent(new URL(url).pathname.slice(new URL(base).pathname.length));
  const candidates = path === "" || path.endsWith("/") ? [`${path}index.html`] : [path, `${path}/index.html`];
  return candidates.find((c) => existsSync(join(site, c)) && statSync(join(site, c)).isFile());
}

/** Every article link in the feeds under `feeds` (JSON Feed item urls, Atom entry links, RSS item links), by feed file. */
export function articleLinks(feeds: string): { feed: string; url: string }[] {
  const links: { feed: string; url: string }[] = [];
  for (const path of hashes(feeds).keys()) {
    const text = readFileSync(join(feeds, path), "utf8");
    if (path.endsWith("feed.json")) {
      for (const item of (JSON.parse(text) as { items: { url?: string }[] }).items) if (item.url !== undefined) links.push({ feed: path, url: item.url });
    } else if (path.endsWith("atom.xml") || path.endsWith("rss.xml")) {
      const doc = new DOMParser().parseFromString(text, "text/xml");
      for (const entry of Array.from(doc.getElementsByTagName(path.endsWith("atom.xml") ? "entry" : "item"))) {
        for (const link of Array.from(entry.childNodes)) {
          if (link.nodeName !== "link") continue;
          const element = link as unknown as { getAttribute(name: string): string | null; textContent: string | null };
          const href = path.endsWith("atom.xml") ? ((element.getAttribute("rel") ?? "alternate") === "alternate" ? element.getAttribute("href") : null) : element.textContent;
          if (href) links.push({ feed: path, url: href.trim() });
        }
      }
    }
  }
  return links;
}
