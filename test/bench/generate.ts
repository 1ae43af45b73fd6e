/**
 * A seeded generator of realistic blog corpora for the benchmark.
 *
 * Every article is a pure function of (seed, index): article i can be regenerated on its own
 * (the bench uses that to restore the article it edits), and two runs with the same seed write
 * the same bytes. Corpora are cached under os.tmpdir() keyed by (generator version, seed, size, now).
 *
 *   tsx test/bench/generate.ts --size 1000 [--seed 42] [--now 2030-01-01T00:00:00Z] [--out DIR]
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** Bump when the output of the generator changes, so cached corpora are not reused. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 42;
export const DEFAULT_NOW = "2030-01-01T00:00:00Z";
export const SITE_URL = "https://bench.example.org/";

// ---------------------------------------------------------------------------------------------
// PRNG: mulberry32, seeded per article through a 32-bit mix of (seed, index).

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's finaliser over two words: a well-spread seed for article `index`. */
export function mix(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ index) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Random, p: number): boolean => r() < p;

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const WORDS = (
  "the a an of to in and for on with as by at from that this it is are was be has have not but or " +
  "we you they our their its can will would should could may more most less new old first last " +
  "build feed feeds reader readers release version server client cache memory disk network time " +
  "data model models system systems user users page pages site sites web browser script code test " +
  "tests bug bugs fix patch change changes update updates index query queries table tables field " +
  "value values string number list lists array map object type types function functions module " +
  "package library framework compiler runtime thread threads process worker queue event events " +
  "request response header body status error errors warning log logs metric metrics trace latency " +
  "throughput benchmark profile profiler hot path loop branch stack heap garbage collector pause " +
  "small large fast slow simple complex careful quick plain clear honest useful strange familiar " +
  "morning evening week month year decade story note idea question answer reason result problem " +
  "approach design pattern tradeoff choice default option setting config file folder tree node " +
  "edge graph path route link links image images photo video audio podcast episode article post " +
  "writing reading learning shipping deploying testing measuring running waiting thinking talking " +
  "open closed public private local remote static dynamic global shared single double many few " +
  "because although while when where which who whose how why what whether either neither both each " +
  "every some any all none one two three four five ten hundred thousand million percent twice " +
  "garden kitchen coffee bicycle train city river mountain weather winter summer spring autumn"
).split(" ");

const TOPICS = [
  "Static Sites", "Feed Readers", "Build Caches", "Worker Threads", "Markdown", "Time Zones",
  "RSS in 2024", "Atom and JSON Feed", "Small Web", "Garbage Collection", "Benchmarks", "Unicode",
  "Self-Hosting", "Home Servers", "Bicycle Repair", "Sourdough", "Type Systems", "Code Review",
];

/** ~50 tags, drawn with Zipf-like weights: a few are everywhere, most are rare. */
export const TAGS = [
  "javascript", "typescript", "rust", "go", "python", "web", "rss", "atom", "json-feed", "css",
  "html", "performance", "testing", "devops", "linux", "open source", "security", "privacy",
  "databases", "postgres", "sqlite", "networking", "http", "unicode", "time zones", "markdown",
  "static sites", "indieweb", "accessibility", "design", "writing", "books", "music", "photography",
  "travel", "cooking", "cycling", "hardware", "keyboards", "self-hosting", "homelab", "ai",
  "machine learning", "compilers", "c++", "dotnet", "node.js", "deno", "wasm", "meta",
];
const TAG_WEIGHTS = TAGS.map((_, i) => 1 / (i + 1) ** 0.9);
const TAG_TOTAL = TAG_WEIGHTS.reduce((a, b) => a + b, 0);

const AUTHORS = [
  { form: "plain", name: "Ada Quinn" },
  { form: "email", name: "Bo Lindqvist", email: "bo@bench.example.org" },
  { form: "map", name: "Chidi Okafor", email: "chidi@bench.example.org", url: "https://chidi.example.net/" },
  { form: "plain", name: "Dana Ibáñez" },
  { form: "email", name: "Émile Durand", email: "emile@bench.example.org" },
] as const;

const LANGS = ["js", "ts", "python", "sh", "rust", "go", "json", "yaml", "", "html"];

function sentence(r: Random, min = 6, max = 18): string {
  const n = int(r, min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(r, WORDS));
  const s = words.join(" ");
  return s.charAt(0).toUpperCase() + s.slice(1) + pick(r, [".", ".", ".", ".", "?", "!"]);
}

function titleText(r: Random): string {
  const n = int(r, 3, 8);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = pick(r, WORDS);
    words.push(i === 0 || w.length > 3 ? w.charAt(0).toUpperCase() + w.slice(1) : w);
  }
  let t = words.join(" ");
  const twist = r();
  if (twist < 0.15) t = `${pick(r, TOPICS)}: ${t}`;
  else if (twist < 0.22) t = `${t} & ${pick(r, TOPICS)}`;
  else if (twist < 0.27) t = `“${t}”, Revisited`;
  else if (twist < 0.3) t = `Why ${t}?`;
  else if (twist < 0.32) t = `${t} <not a tag>`;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Bodies.

interface Context {
  readonly r: Random;
  readonly index: number;
  readonly size: number;
}

function otherSlug(c: Context): string {
  const j = int(c.r, 0, Math.max(0, c.size - 1));
  return `post-${String(j).padStart(6, "0")}`;
}

function inline(c: Context): string {
  const { r } = c;
  const parts: string[] = [];
  const n = int(r, 2, 5);
  for (let i = 0; i < n; i++) {
    let s = sentence(r);
    const k = r();
    if (k < 0.12) s = s.replace(/ (\w+) /, (_, w: string) => ` **${w}** `);
    else if (k < 0.2) s = s.replace(/ (\w+) /, (_, w: string) => ` *${w}* `);
    else if (k < 0.3) s = s.replace(/ (\w+) /, (_, w: string) => ` \`${w}()\` `);
    else if (k < 0.4) s = s.replace(/ (\w+ \w+) /, (_, w: string) => ` [${w}](../${otherSlug(c)}/) `);
    else if (k < 0.48) s = s.replace(/ (\w+) /, (_, w: string) => ` [${w}](https://example.com/${w}/${int(r, 1, 999)}) `);
    else if (k < 0.52) s = `${s} See <https://www.example.net/notes/${int(r, 1, 9999)}>.`;
    else if (k < 0.56) s = s.replace(/ (\w+) /, (_, w: string) => ` [${w}](/tags/${pick(r, TAGS).replace(/ /g, "-")}/) `);
    else if (k < 0.58) s = `${s} ~~${pick(r, WORDS)}~~`;
    parts.push(s);
  }
  return parts.join(" ");
}

function codeBlock(c: Context): string {
  const { r } = c;
  const lang = pick(r, LANGS);
  const lines: string[] = [];
  const n = int(r, 4, 18);
  for (let i = 0; i < n; i++) {
    const indent = "  ".repeat(int(r, 0, 3));
    const a = pick(r, WORDS);
    const b = pick(r, WORDS);
    switch (int(r, 0, 4)) {
      case 0: lines.push(`${indent}const ${a}_${i} = ${b}(${int(r, 0, 100)}, "${pick(r, WORDS)}");`); break;
      case 1: lines.push(`${indent}if (${a} < ${b} && ${a} > 0) { return <${b}>; }`); break;
      case 2: lines.push(`${indent}# ${sentence(r, 3, 8)}`); break;
      case 3: lines.push(`${indent}${a}.${b}(&x, [1, 2, 3]) // ${pick(r, WORDS)}`); break;
      default: lines.push(`${indent}$ ${a} --${b} ${int(r, 1, 64)} | grep '${pick(r, WORDS)}'`);
    }
  }
  return "```" + lang + "\n" + lines.join("\n") + "\n```";
}

function list(c: Context): string {
  const { r } = c;
  const ordered = chance(r, 0.35);
  const items: string[] = [];
  const n = int(r, 3, 7);
  for (let i = 0; i < n; i++) {
    let item = sentence(r, 3, 12);
    if (chance(r, 0.2)) item = `[${item.slice(0, -1)}](https://example.org/${pick(r, WORDS)}-${int(r, 1, 99)}/)`;
    items.push(`${ordered ? `${i + 1}.` : "-"} ${item}`);
    if (chance(r, 0.1)) items.push(`   - ${sentence(r, 3, 8)}`);
  }
  return items.join("\n");
}

function image(c: Context): string {
  const { r } = c;
  const alt = sentence(r, 2, 6).slice(0, -1);
  const name = `${pick(r, WORDS)}-${int(r, 1, 9999)}`;
  switch (int(r, 0, 2)) {
    case 0: return `![${alt}](images/${name}.jpg)`;
    case 1: return `![${alt}](/media/${name}.png "${pick(r, WORDS)}")`;
    default: return `![${alt}](https://cdn.example.com/${name}.webp)`;
  }
}

function table(c: Context): string {
  const { r } = c;
  const rows = [`| ${pick(r, WORDS)} | ${pick(r, WORDS)} | ms |`, "| --- | --- | ---: |"];
  const n = int(r, 3, 8);
  for (let i = 0; i < n; i++) rows.push(`| ${pick(r, WORDS)} | ${pick(r, WORDS)} ${pick(r, WORDS)} | ${int(r, 1, 5000)} |`);
  return rows.join("\n");
}

function body(c: Context, target: number): string {
  const { r } = c;
  const blocks: string[] = [inline(c)];
  let length = blocks[0]!.length;
  if (chance(r, 0.25)) blocks.push("<!-- more -->");
  while (length < target) {
    const k = r();
    let block: string;
    if (k < 0.1) block = `## ${titleText(r).replace(/[<>“”]/g, "")}`;
    else if (k < 0.14) block = `### ${sentence(r, 2, 6).slice(0, -1)}`;
    else if (k < 0.55) block = inline(c);
    else if (k < 0.67) block = list(c);
    else if (k < 0.76) block = codeBlock(c);
    else if (k < 0.83) block = image(c);
    else if (k < 0.89) block = `> ${inline(c)}`;
    else if (k < 0.91) block = table(c);
    else if (k < 0.92) block = "---";
    else block = inline(c);
    blocks.push(block);
    length += block.length + 2;
  }
  return blocks.join("\n\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Articles.

export interface GeneratedArticle {
  readonly index: number;
  /** Relative to the content folder. */
  readonly path: string;
  readonly text: string;
  readonly draft: boolean;
  readonly future: boolean;
  readonly large: boolean;
  /** Milliseconds since the epoch (approximate for dates written without an offset). */
  readonly time: number;
}

const DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const q = (s: string) => JSON.stringify(s);

/** Article `index` of a corpus of `size`: a pure function of its arguments. */
export function generateArticle(seed: number, size: number, index: number, now: string = DEFAULT_NOW): GeneratedArticle {
  const r = mulberry32(mix(seed, index));
  const c: Context = { r, index, size };
  const nowMs = Date.parse(now);
  const future = chance(r, 0.01);
  const draft = chance(r, 0.02);
  const large = chance(r, 0.01);
  // Whole days away from now (never within two days of it), a wall-clock hour from 06 to 22 so
  // no time falls into a daylight-saving gap of the site's zone.
  const days = future ? int(r, 2, 365) : -int(r, 2, 3650);
  const day = new Date(nowMs + days * DAY);
  const hour = int(r, 6, 22);
  const minute = int(r, 0, 59);
  const second = int(r, 0, 59);
  const time = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute, second);
  const dateForm = r();
  const date =
    dateForm < 0.2
      ? ymd(day)
      : dateForm < 0.7
        ? `${ymd(day)} ${pad(hour)}:${pad(minute)}`
        : dateForm < 0.85
          ? `${ymd(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}Z`
          : `${ymd(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}+0${int(r, 0, 9)}:00`;

  const slug = `post-${pad(index, 6)}`;
  const title = titleText(r);
  const fm: string[] = ["---", `title: ${q(title)}`, `date: ${date.includes("T") ? q(date) : date}`];
  if (chance(r, 0.15)) {
    const later = new Date(day.getTime() + int(r, 2, 400) * DAY);
    const updated = later.getTime() < nowMs - DAY || future ? later : new Date(nowMs - DAY);
    if (updated.getTime() > day.getTime() + DAY) fm.push(`updated: ${q(`${ymd(updated)}T12:00:00Z`)}`);
  }
  const summaryForm = r();
  if (summaryForm < 0.42) fm.push(`summary: ${q(sentence(r, 10, 30))}`);
  else if (summaryForm < 0.5) fm.push(`description: ${q(sentence(r, 10, 30))}`);
  const tagCount = int(r, 1, 4);
  const tags = new Set<string>();
  while (tags.size < tagCount) {
    let x = r() * TAG_TOTAL;
    let i = 0;
    while (i < TAGS.length - 1 && (x -= TAG_WEIGHTS[i]!) > 0) i++;
    tags.add(TAGS[i]!);
  }
  const tagForm = r();
  if (tagForm < 0.7) fm.push(`tags: [${[...tags].map(q).join(", ")}]`);
  else if (tagForm < 0.9) fm.push("tags:", ...[...tags].map((t) => `  - ${q(t)}`));
  else fm.push(`tags: ${q([...tags].join(", "))}`);
  if (chance(r, 0.3)) {
    const a = pick(r, AUTHORS);
    if (a.form === "plain") fm.push(`author: ${q(a.name)}`);
    else if (a.form === "email") fm.push(`author: ${q(`${a.name} <${a.email}>`)}`);
    else fm.push("author:", `  name: ${q(a.name)}`, `  email: ${a.email}`, `  url: ${q(a.url)}`);
  }
  if (chance(r, 0.1)) fm.push(`image: /media/cover-${pad(index, 6)}.jpg`);
  if (draft) fm.push("draft: true");
  else if (chance(r, 0.05)) fm.push("draft: false");
  fm.push("---", "");

  // Bodies of a few KB (1.5 to ~9 KB, skewed small); 1% large ones of ~100 KB.
  const target = large ? int(r, 80_000, 120_000) : Math.round(1500 + 7500 * r() ** 2);
  const text = fm.join("\n") + "\n" + body(c, target);
  return { index, path: `${ymd(day)}-${slug}.md`, text, draft, future, large, time };
}

export function siteIndex(): string {
  return [
    "---",
    `title: "Bench Blog"`,
    `url: "${SITE_URL}"`,
    "language: en",
    "author:",
    `  name: "Bench Author"`,
    "  email: author@bench.example.org",
    "timezone: Europe/Berlin",
    "limit: 20",
    "---",
    "A synthetic blog for feedwright's benchmark: ten years of articles about software, feeds and bicycles.",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Corpora on disk.

export interface CorpusMeta {
  readonly generator: number;
  readonly seed: number;
  readonly size: number;
  readonly now: string;
  readonly files: number;
  readonly bytes: number;
  readonly drafts: number;
  readonly future: number;
  readonly large: number;
  /** The article the bench edits: the newest published one, so every feed holding it changes. */
  readonly victim: { readonly index: number; readonly path: string };
  readonly generatedMs: number;
}

export interface Corpus {
  /** The folder holding `content/` and `meta.json`. */
  readonly root: string;
  /** The content folder to build. */
  readonly content: string;
  readonly meta: CorpusMeta;
  /** True when it was read from the cache rather than generated now. */
  readonly cached: boolean;
}

export interface CorpusOptions {
  readonly size: number;
  readonly seed?: number;
  readonly now?: string;
  /** Where corpora live; default `<os.tmpdir()>/feedwright-bench`. */
  readonly cacheDir?: string;
  readonly onProgress?: (done: number, size: number) => void;
}

export function corpusKey(seed: number, size: number, now: string): string {
  return `corpus-g${GENERATOR_VERSION}-s${seed}-n${size}-${now.replace(/[^0-9]/g, "")}`;
}

/** Writes a corpus into `dir` (which must not exist); returns its metadata. */
export function writeCorpus(dir: string, seed: number, size: number, now: string, onProgress?: (done: number, size: number) => void): CorpusMeta {
  const started = performance.now();
  const content = join(dir, "content");
  mkdirSync(content, { recursive: true });
  const index = siteIndex();
  writeFileSync(join(content, "_index.md"), index);
  let bytes = Buffer.byteLength(index);
  let drafts = 0;
  let future = 0;
  let large = 0;
  let victim: { index: number; path: string; time: number } | undefined;
  for (let i = 0; i < size; i++) {
    const a = generateArticle(seed, size, i, now);
    writeFileSync(join(content, a.path), a.text);
    bytes += Buffer.byteLength(a.text);
    if (a.draft) drafts++;
    if (a.future) future++;
    if (a.large) large++;
    if (!a.draft && !a.future && (victim === undefined || a.time > victim.time)) victim = { index: i, path: a.path, time: a.time };
    if (onProgress !== undefined && (i + 1) % 5000 === 0) onProgress(i + 1, size);
  }
  if (victim === undefined) throw new Error("no published article generated; use a larger size");
  return {
    generator: GENERATOR_VERSION,
    seed,
    size,
    now,
    files: size + 1,
    bytes,
    drafts,
    future,
    large,
    victim: { index: victim.index, path: victim.path },
    generatedMs: Math.round(performance.now() - started),
  };
}

/** The cached corpus for (seed, size, now), generated first if missing or incomplete. */
export function ensureCorpus(options: CorpusOptions): Corpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? DEFAULT_NOW;
  const base = options.cacheDir ?? join(tmpdir(), "feedwright-bench");
  const root = join(base, corpusKey(seed, options.size, now));
  const metaFile = join(root, "meta.json");
  if (existsSync(metaFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, "utf8")) as CorpusMeta;
      if (meta.generator === GENERATOR_VERSION && meta.seed === seed && meta.size === options.size) {
        const corpus = { root, content: join(root, "content"), meta, cached: true };
        restoreVictim(corpus);
        return corpus;
      }
    } catch {
      // unreadable metadata: regenerate
    }
  }
  rmSync(root, { recursive: true, force: true });
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const meta = writeCorpus(partial, seed, options.size, now, options.onProgress);
  writeFileSync(join(partial, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
  renameSync(partial, root);
  return { root, content: join(root, "content"), meta, cached: false };
}

/** The edited article's original text. */
export function victimText(corpus: Corpus): string {
  return generateArticle(corpus.meta.seed, corpus.meta.size, corpus.meta.victim.index, corpus.meta.now).text;
}

/** Puts the edited article back as generated (it is a pure function of seed and index). */
export function restoreVictim(corpus: Corpus): void {
  const file = join(corpus.content, corpus.meta.victim.path);
  const text = victimText(corpus);
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
}

/** Edits the victim's body: a new paragraph, different for each `run`. */
export function editVictim(corpus: Corpus, run: number): void {
  writeFileSync(join(corpus.content, corpus.meta.victim.path), `${victimText(corpus)}\nEdited by the benchmark, run ${run}: a corrected sentence.\n`);
}

// ---------------------------------------------------------------------------------------------

if (import.meta.url === `file://${process.argv[1] ? resolve(process.argv[1]) : ""}`) {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "1000" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      now: { type: "string", default: DEFAULT_NOW },
      out: { type: "string" },
    },
  });
  const size = Number(values.size);
  const seed = Number(values.seed);
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(seed)) {
    process.stderr.write("usage: generate.ts --size N [--seed N] [--now ISO] [--out DIR]\n");
    process.exit(2);
  }
  if (values.out !== undefined) {
    const meta = writeCorpus(resolve(values.out), seed, size, values.now);
    process.stdout.write(JSON.stringify(meta, null, 2) + "\n");
  } else {
    const corpus = ensureCorpus({ size, seed, now: values.now, onProgress: (d, n) => process.stderr.write(`generated ${d}/${n}\n`) });
    process.stdout.write(`${corpus.content}\n${JSON.stringify(corpus.meta, null, 2)}\n`);
  }
}
