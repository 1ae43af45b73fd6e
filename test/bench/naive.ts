/**
 * The naive baseline of issue 6: read every file (one at a time), gray-matter with its default
 * options, markdown-it renders every article, then the site feed and one feed per tag are written
 * in RSS 2.0, Atom 1.0 and JSON Feed 1.1 with the `feed` package. No cache, no cleverness.
 *
 *   node --import tsx test/bench/naive.ts --content DIR --out DIR [--now ISO]
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { Feed } from "feed";
import matter from "gray-matter";
import MarkdownIt from "markdown-it";

interface Post {
  title: string;
  url: string;
  date: Date;
  summary: string | undefined;
  html: string;
  tags: string[];
  author: string | undefined;
}

async function listMarkdown(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listMarkdown(full)));
    else if (entry.name.endsWith(".md")) out.push(full);
  }
  return out.sort();
}

const slugify = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const authorName = (v: unknown): string | undefined =>
  typeof v === "string" ? v.replace(/\s*<[^>]*>\s*$/, "") : v !== null && typeof v === "object" && "name" in v ? String(v.name) : undefined;

export async function naiveBuild(contentDir: string, outDir: string, now: Date): Promise<{ articles: number; files: number }> {
  const md = new MarkdownIt({ linkify: true });
  const files = await listMarkdown(contentDir);
  const site = matter(await readFile(join(contentDir, "_index.md"), "utf8")).data;
  const posts: Post[] = [];
  for (const file of files) {
    const rel = relative(contentDir, file);
    if (rel === "_index.md") continue;
    const text = await readFile(file, "utf8");
    const { data, content } = matter(text);
    const html = md.render(content);
    if (data.draft === true) continue;
    const date = toDate(data.date);
    if (date > now) continue;
    const slug = typeof data.slug === "string" ? data.slug : rel.replace(/\.md$/, "").replace(/^\d{4}-\d{2}-\d{2}-/, "");
    const tags = Array.isArray(data.tags) ? data.tags.map(String) : typeof data.tags === "string" ? data.tags.split(",").map((t) => t.trim()) : [];
    posts.push({
      title: String(data.title),
      url: new URL(`${slug}/`, String(site.url)).href,
      date,
      summary: typeof data.summary === "string" ? data.summary : undefined,
      html,
      tags,
      author: authorName(data.author),
    });
  }
  posts.sort((a, b) => b.date.getTime() - a.date.getTime());
  const limit = typeof site.limit === "number" ? site.limit : 20;
  const siteUrl = String(site.url);

  const groups = new Map<string, { title: string; posts: Post[] }>([["", { title: String(site.title), posts }]]);
  for (const post of posts) {
    for (const tag of post.tags) {
      const key = `tags/${slugify(tag)}/`;
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { title: `${String(site.title)}: ${tag}`, posts: [] }));
      group.posts.push(post);
    }
  }

  await rm(outDir, { recursive: true, force: true });
  let written = 0;
  for (const [folder, group] of groups) {
    const base = new URL(folder, siteUrl).href;
    const items = group.posts.slice(0, limit);
    const feed = new Feed({
      title: group.title,
      id: base,
      link: siteUrl,
      description: typeof site.description === "string" ? site.description : group.title,
      copyright: "",
      updated: items[0]?.date ?? new Date(0),
      feedLinks: { rss: `${base}rss.xml`, atom: `${base}atom.xml`, json: `${base}feed.json` },
    });
    for (const post of items) {
      feed.addItem({
        title: post.title,
        id: post.url,
        link: post.url,
        date: post.date,
        ...(post.summary === undefined ? {} : { description: post.summary }),
        content: post.html,
        ...(post.author === undefined ? {} : { author: [{ name: post.author }] }),
        category: post.tags.map((name) => ({ name })),
      });
    }
    const dir = join(outDir, folder);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "rss.xml"), feed.rss2());
    await writeFile(join(dir, "atom.xml"), feed.atom1());
    await writeFile(join(dir, "feed.json"), feed.json1());
    written += 3;
  }
  return { articles: files.length - 1, files: written };
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: { content: { type: "string" }, out: { type: "string" }, now: { type: "string", default: "2030-01-01T00:00:00Z" } },
  });
  if (values.content === undefined || values.out === undefined) {
    process.stderr.write("usage: naive.ts --content DIR --out DIR [--now ISO]\n");
    process.exit(2);
  }
  const started = performance.now();
  const result = await naiveBuild(values.content, values.out, new Date(values.now));
  process.stdout.write(`naive: ${result.articles} articles, ${result.files} files written, ${Math.round(performance.now() - started)} ms\n`);
}
