// The single-threaded floor of feedwright's full job: one article at a time, read the file, split
// its front matter with gray-matter, render its Markdown with markdown-it (feedwright's options and
// plugins), and write as many files and bytes as feedwright's full cold build wrote, spread evenly
// over the run. Plain JavaScript under plain `node` (no tsx), one thread: what the full job costs
// with nothing but the unavoidable work. Issue 12's target is a cold build at ≤ 0.5× this.
//
//   node test/bench/job-floor.mjs CONTENT OUT FILES BYTES
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import { articlePaths, markdown } from "./floor-parts.mjs";

const [root, out, filesArg, bytesArg] = process.argv.slice(2);
const files = Number(filesArg);
const bytes = Number(bytesArg);
if (root === undefined || out === undefined || !Number.isInteger(files) || files < 1 || !Number.isInteger(bytes) || bytes < 0) {
  process.stderr.write("usage: job-floor.mjs CONTENT OUT FILES BYTES\n");
  process.exit(2);
}

const md = markdown();

const articles = articlePaths(root);

mkdirSync(out, { recursive: true });
const per = Math.floor(bytes / files);
let written = 0;
let writtenBytes = 0;
let rendered = 0;
let last = Buffer.from(" ");
// Files due after `done` of `articles.length` articles, each filled with the latest rendered HTML.
const writeDue = (done) => {
  const due = articles.length === 0 ? files : Math.floor((files * done) / articles.length);
  for (; written < due; written++) {
    const size = written === files - 1 ? bytes - per * (files - 1) : per;
    const folder = join(out, String(written % 64));
    if (written < 64) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${written}.out`), Buffer.alloc(size, last));
    writtenBytes += size;
  }
};
for (let i = 0; i < articles.length; i++) {
  // An options object: without one gray-matter caches by content and returns shared objects.
  const { data, content } = matter(readFileSync(articles[i], "utf8"), {});
  const html = md.render(content, {});
  rendered += html.length;
  if (html.length > 0) last = Buffer.from(`${String(data.title ?? "")}\n${html}`);
  writeDue(i + 1);
}
if (articles.length === 0) writeDue(0);
process.stdout.write(`job floor: ${articles.length} articles rendered (${rendered} characters of HTML); ${written} files, ${writtenBytes} bytes written\n`);
