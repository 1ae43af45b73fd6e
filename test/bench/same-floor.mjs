// The single-threaded floor of the same job as Hugo (RSS only, no archives): read every article
// and split its front matter with gray-matter, render with markdown-it (feedwright's options and
// plugins) only the bodies a feed shows, and write as many files and bytes as feedwright's same-job
// cold build wrote. Plain JavaScript under plain `node` (no tsx), one thread, no validation, no
// dates beyond `new Date`, no feed markup: what that job costs with nothing but the unavoidable
// work, to read the same job's ratio to Hugo against.
//
// "A feed shows" is approximated from the front matter as gray-matter reads it: the newest LIMIT
// articles of the site, of each top folder and of each tag as written (a list, or text split at
// commas or white space), leaving out drafts and articles dated after NOW.
//
//   node test/bench/same-floor.mjs CONTENT OUT FILES BYTES LIMIT NOW
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import matter from "gray-matter";
import { articlePaths, markdown } from "./floor-parts.mjs";

const [root, out, filesArg, bytesArg, limitArg, nowArg] = process.argv.slice(2);
const files = Number(filesArg);
const bytes = Number(bytesArg);
const limit = Number(limitArg);
const now = Date.parse(nowArg ?? "");
if (root === undefined || out === undefined || !Number.isInteger(files) || files < 1 || !Number.isInteger(bytes) || bytes < 0 || !Number.isInteger(limit) || limit < 1 || Number.isNaN(now)) {
  process.stderr.write("usage: same-floor.mjs CONTENT OUT FILES BYTES LIMIT NOW\n");
  process.exit(2);
}

const md = markdown();

const paths = articlePaths(root);

const articles = [];
for (const path of paths) {
  // An options object: without one gray-matter caches by content and returns shared objects.
  const { data, content } = matter(readFileSync(path, "utf8"), {});
  const time = new Date(data.date).getTime();
  if (data.draft === true || !(time <= now)) continue;
  const tags = Array.isArray(data.tags) ? data.tags.map(String) : typeof data.tags === "string" ? data.tags.split(data.tags.includes(",") ? "," : /\s+/) : [];
  const rel = relative(root, path);
  articles.push({ time, content, title: String(data.title ?? ""), feeds: ["", ...(rel.includes(sep) ? [`folder:${rel.split(sep)[0]}`] : []), ...tags.map((t) => `tag:${t.trim()}`)] });
}
articles.sort((a, b) => b.time - a.time);
const feeds = new Map();
const shown = new Set();
for (const a of articles) {
  for (const feed of a.feeds) {
    const n = feeds.get(feed) ?? 0;
    if (n < limit) shown.add(a);
    feeds.set(feed, n + 1);
  }
}
let rendered = 0;
let last = " ";
for (const a of shown) {
  const html = md.render(a.content, {});
  rendered += html.length;
  if (html.length > 0) last = `${a.title}\n${html}`;
}

mkdirSync(out, { recursive: true });
const per = Math.floor(bytes / files);
let written = 0;
for (let i = 0; i < files; i++) {
  const size = i === files - 1 ? bytes - per * (files - 1) : per;
  writeFileSync(join(out, `${i}.out`), Buffer.alloc(size, last));
  written += size;
}
process.stdout.write(`same-job floor: ${paths.length} articles read, ${shown.size} rendered for ${feeds.size} feeds (${rendered} characters of HTML); ${files} files, ${written} bytes written\n`);
