/**
 * The bench's "same job as Hugo": one corpus written out twice more, next to the generated one
 * and cached with it.
 *
 * - `same-job/content`: the corpus for feedwright with `formats: [rss]` and `archives: false`
 *   added to its `_index.md`: the site feed and one per tag, RSS only, the newest `limit` items.
 *   Articles are hard links to the corpus' files (copies where links fail), except the edited
 *   one, which is a copy so each tool's edit stays its own.
 * - `hugo/`: a Hugo site on the same articles writing RSS only for home, sections and tags, no
 *   HTML (see hugoConfig), with the front matter Hugo 0.111 cannot read as feedwright does
 *   adapted (see hugoArticle).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { splitWords } from "../../src/content/article.ts";
import { SITE_URL, siteIndex, victimText, type Corpus } from "./generate.ts";

/** Bump when what is written here changes, so cached copies are rebuilt. */
export const SAME_JOB_VERSION = 2;

// ---------------------------------------------------------------------------------------------
// feedwright, same job.

/** The corpus' `_index.md` with feedwright's job cut down to Hugo's. */
export function sameJobIndex(index: string = siteIndex()): string {
  const lines = index.split("\n");
  const close = lines.indexOf("---", 1);
  if (lines[0] !== "---" || close < 0) throw new Error("sameJobIndex: the site index has no front matter");
  return [...lines.slice(0, close), "formats: [rss]", "archives: false", ...lines.slice(close)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Hugo.

/**
 * An article as Hugo 0.111 must see it to show the same items as feedwright does:
 * - `date: 2024-05-06 14:05` (a space, no seconds), which feedwright reads in the site's zone,
 *   is silently the zero time to Hugo 0.111: written `2024-05-06T14:05:00` (Hugo reads it in its
 *   `timeZone`, set to the corpus' Europe/Berlin).
 * - `tags: "a, b"` (one string, which feedwright splits at commas, or at white space when it holds
 *   no comma, as Jekyll does) is one term "a, b" to Hugo: written as a list, split the same way.
 * - Hugo has no `--now`: it compares dates with the machine's clock. The bench builds with
 *   `buildFuture` and marks the articles dated after the bench's `now` as drafts instead.
 * Pure: the same text in, the same text out.
 */
export function hugoArticle(text: string, now: string): string {
  const lines = text.split("\n");
  const close = lines.indexOf("---", 1);
  if (lines[0] !== "---" || close < 0) return text;
  const head = lines.slice(1, close);
  let future = false;
  const nowDay = now.slice(0, 10);
  const out: string[] = [];
  for (const line of head) {
    const date = /^date: "?(\d{4}-\d{2}-\d{2})([ T])?(\d{2}:\d{2}(?::\d{2})?)?(.*?)"?$/.exec(line);
    if (date !== null) {
      // The generator keeps every date two days or more away from `now`: the day decides.
      if (date[1]! > nowDay) future = true;
      if (date[2] === " " && date[3] !== undefined && date[4] === "") {
        out.push(`date: ${date[1]}T${date[3].length === 5 ? `${date[3]}:00` : date[3]}`);
        continue;
      }
    }
    const tags = /^tags: "(.*)"$/.exec(line);
    if (tags !== null) {
      const text = JSON.parse(`"${tags[1]}"`) as string;
      const list = splitWords(text);
      out.push(`tags: [${list.map((t) => JSON.stringify(t)).join(", ")}]`);
      continue;
    }
    if (future && /^draft: /.test(line)) continue;
    out.push(line);
  }
  if (future) out.push("draft: true");
  return ["---", ...out, ...lines.slice(close)].join("\n");
}

/** Hugo's home page: the site's title; articles get a permalink but no page of their own. */
export function hugoIndex(): string {
  return [
    "---",
    `title: "Bench Blog"`,
    // In Hugo 0.111 a cascade applies to the page that declares it too, and to term pages:
    // home and terms are rendered (their RSS), articles only linked.
    "_build:",
    "  render: always",
    "cascade:",
    "- _build:",
    "    render: link",
    "  _target:",
    "    kind: page",
    "- _build:",
    "    render: always",
    "  _target:",
    '    kind: "{section,term}"',
    "---",
    "A synthetic blog for feedwright's benchmark: ten years of articles about software, feeds and bicycles.",
    "",
  ].join("\n");
}

/**
 * RSS for home, sections and tags, nothing else: no HTML (articles render as `link`, see
 * hugoIndex), no taxonomy list, sitemap, robots.txt or 404 page. `rssLimit` is the corpus'
 * `limit`. Code fences are not highlighted (feedwright does not highlight either; Chroma's
 * inline styles more than double Hugo's time on this corpus).
 */
export function hugoConfig(content: string, limit: number): string {
  return [
    `baseURL: ${JSON.stringify(SITE_URL)}`,
    `title: "Bench Blog"`,
    "languageCode: en",
    "timeZone: Europe/Berlin",
    `contentDir: ${JSON.stringify(content)}`,
    `rssLimit: ${limit}`,
    "buildFuture: true",
    // Hugo 0.111 logs an ERROR for "taxonomy" in disableKinds (its meaning changed in 0.73) unless told.
    'ignoreErrors: ["error-disable-taxonomy"]',
    'disableKinds: [taxonomy, sitemap, robotsTXT, "404"]',
    "outputs:",
    "  home: [RSS]",
    "  section: [RSS]",
    "  term: [RSS]",
    "markup:",
    "  highlight:",
    "    codeFences: false",
    "",
  ].join("\n");
}

/**
 * Hugo 0.111's embedded RSS template (tpl/tplimpl/embedded/templates/_default/rss.xml, without
 * the author lines the site does not set) with each item's full body in `content:encoded`, as
 * feedwright writes it: the same job is the same items with the same bodies.
 */
export const HUGO_RSS_TEMPLATE = `{{- $pctx := . -}}
{{- if .IsHome -}}{{ $pctx = .Site }}{{- end -}}
{{- $pages := slice -}}
{{- if or $.IsHome $.IsSection -}}
{{- $pages = $pctx.RegularPages -}}
{{- else -}}
{{- $pages = $pctx.Pages -}}
{{- end -}}
{{- $limit := .Site.Config.Services.RSS.Limit -}}
{{- if ge $limit 1 -}}
{{- $pages = $pages | first $limit -}}
{{- end -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{{ if eq  .Title  .Site.Title }}{{ .Site.Title }}{{ else }}{{ with .Title }}{{.}} on {{ end }}{{ .Site.Title }}{{ end }}</title>
    <link>{{ .Permalink }}</link>
    <description>Recent content {{ if ne  .Title  .Site.Title }}{{ with .Title }}in {{.}} {{ end }}{{ end }}on {{ .Site.Title }}</description>
    <generator>Hugo -- gohugo.io</generator>{{ with .Site.LanguageCode }}
    <language>{{.}}</language>{{end}}{{ if not .Date.IsZero }}
    <lastBuildDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</lastBuildDate>{{ end }}
    {{- with .OutputFormats.Get "RSS" -}}
    {{ printf "<atom:link href=%q rel=\\"self\\" type=%q />" .Permalink .MediaType | safeHTML }}
    {{- end -}}
    {{ range $pages }}
    <item>
      <title>{{ .Title }}</title>
      <link>{{ .Permalink }}</link>
      <pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
      <guid>{{ .Permalink }}</guid>
      <description>{{ .Summary | html }}</description>
      <content:encoded>{{ .Content | html }}</content:encoded>
    </item>
    {{ end }}
  </channel>
</rss>
`;

/** `hugo version`'s first line, or undefined where there is no `hugo` on PATH. */
export function hugoVersion(hugo = "hugo"): string | undefined {
  const r = spawnSync(hugo, ["version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim().split("\n")[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// On disk, cached beside the corpus.

export interface SameJob {
  /** feedwright's content folder for the same job. */
  readonly content: string;
  /** The Hugo site (hugo.yaml, layouts/) and its content folder. */
  readonly hugoSite: string;
  readonly hugoContent: string;
  /** Adapted for Hugo: how many articles, per reason. */
  readonly adapted: { readonly dates: number; readonly tags: number; readonly future: number };
}

/** Items per feed: the corpus' `limit`, which Hugo's `rssLimit` repeats. */
export const SAME_JOB_LIMIT = 20;

/** The same-job folders for `corpus`, written first when missing or stale. */
export function ensureSameJob(corpus: Corpus): SameJob {
  const root = join(corpus.root, "same-job");
  const stamp = join(root, "stamp.json");
  const want = { version: SAME_JOB_VERSION, generator: corpus.meta.generator, size: corpus.meta.size, victim: corpus.meta.victim.path };
  const paths = { content: join(root, "content"), hugoSite: join(root, "hugo"), hugoContent: join(root, "hugo", "content") };
  if (existsSync(stamp)) {
    try {
      const had = JSON.parse(readFileSync(stamp, "utf8")) as typeof want & { adapted: SameJob["adapted"] };
      if (had.version === want.version && had.generator === want.generator && had.size === want.size && had.victim === want.victim) {
        const job = { ...paths, adapted: had.adapted };
        restoreSameJobVictim(corpus, job);
        return job;
      }
    } catch {
      // unreadable: write again
    }
  }
  rmSync(root, { recursive: true, force: true });
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const content = join(partial, "content");
  const hugoContent = join(partial, "hugo", "content");
  mkdirSync(content, { recursive: true });
  mkdirSync(hugoContent, { recursive: true });
  mkdirSync(join(partial, "hugo", "layouts", "_default"), { recursive: true });
  writeFileSync(join(content, "_index.md"), sameJobIndex(readFileSync(join(corpus.content, "_index.md"), "utf8")));
  writeFileSync(join(hugoContent, "_index.md"), hugoIndex());
  writeFileSync(join(partial, "hugo", "hugo.yaml"), hugoConfig(paths.hugoContent, SAME_JOB_LIMIT));
  writeFileSync(join(partial, "hugo", "layouts", "_default", "rss.xml"), HUGO_RSS_TEMPLATE);
  const adapted = { dates: 0, tags: 0, future: 0 };
  for (const name of readdirSync(corpus.content).sort()) {
    if (name === "_index.md" || !name.endsWith(".md")) continue;
    const from = join(corpus.content, name);
    if (name === corpus.meta.victim.path) copyFileSync(from, join(content, name));
    else {
      try {
        linkSync(from, join(content, name));
      } catch {
        copyFileSync(from, join(content, name));
      }
    }
    const text = readFileSync(from, "utf8");
    const hugo = hugoArticle(text, corpus.meta.now);
    if (hugo !== text) {
      if (/^date: \d{4}-\d{2}-\d{2} /m.test(text)) adapted.dates++;
      if (/^tags: "/m.test(text)) adapted.tags++;
      if (/^draft: true$/m.test(hugo) && !/^draft: true$/m.test(text)) adapted.future++;
    }
    writeFileSync(join(hugoContent, name), hugo);
  }
  writeFileSync(join(partial, "stamp.json"), JSON.stringify({ ...want, adapted }, null, 2) + "\n");
  renameSync(partial, root);
  return { ...paths, adapted };
}

/** The edited article as each same-job copy holds it unedited. */
function victims(corpus: Corpus, job: SameJob): { file: string; text: string }[] {
  const text = victimText(corpus);
  return [
    { file: join(job.content, corpus.meta.victim.path), text },
    { file: join(job.hugoContent, corpus.meta.victim.path), text: hugoArticle(text, corpus.meta.now) },
  ];
}

/** The same paragraph editVictim adds, in feedwright's (`which: 0`) or Hugo's (`1`) copy. */
export function editSameJobVictim(corpus: Corpus, job: SameJob, which: 0 | 1, run: number): void {
  const v = victims(corpus, job)[which]!;
  writeFileSync(v.file, `${v.text}\nEdited by the benchmark, run ${run}: a corrected sentence.\n`);
}

export function restoreSameJobVictim(corpus: Corpus, job: SameJob): void {
  for (const v of victims(corpus, job)) if (!existsSync(v.file) || readFileSync(v.file, "utf8") !== v.text) writeFileSync(v.file, v.text);
}

// ---------------------------------------------------------------------------------------------
// Comparing the two tools' feeds.

/**
 * Every RSS file under `dir` named `name` (`index.xml` for Hugo, `rss.xml` for feedwright), by
 * its folder relative to `dir` ("" for the site feed, "tags/rust" for a tag), with the articles
 * its items link to (the `post-NNNNNN` of each `<link>`), in order.
 */
export function feedItems(dir: string, name: string): Map<string, string[]> {
  const feeds = new Map<string, string[]>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === name) feeds.set(relative(dir, d), itemPosts(readFileSync(full, "utf8")));
    }
  };
  walk(dir);
  return feeds;
}

/** The `post-NNNNNN` of each item's link, in order. */
export function itemPosts(xml: string): string[] {
  const posts: string[] = [];
  for (const item of xml.split("<item>").slice(1)) {
    const link = /<link>[^<]*?(post-\d{6})\/?<\/link>/.exec(item);
    posts.push(link?.[1] ?? "?");
  }
  return posts;
}

export interface FeedComparison {
  readonly feeds: number;
  readonly items: number;
  /** Feeds only one side wrote, and feeds whose sets of items differ. */
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly differ: readonly string[];
  /** Feeds under different folder names on each side ("tags/c++" and "tags/c--z3nrxld67t") holding the same items. */
  readonly renamed: readonly (readonly [string, string])[];
}

/**
 * Pure: the two tools' feeds, paired by folder, and the rest by holding the same set of articles
 * (the tools slug some tags differently), then compared by the set of articles each holds.
 */
export function compareFeeds(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): FeedComparison {
  const key = (posts: readonly string[]) => [...posts].sort().join(" ");
  const differ: string[] = [];
  let items = 0;
  for (const [k, posts] of a) {
    items += posts.length;
    const other = b.get(k);
    if (other !== undefined && key(posts) !== key(other)) differ.push(k === "" ? "(site)" : k);
  }
  const loneA = [...a.keys()].filter((k) => !b.has(k)).sort();
  const loneB = new Map([...b.keys()].filter((k) => !a.has(k)).sort().map((k) => [key(b.get(k)!), k] as const));
  const renamed: [string, string][] = [];
  const onlyA: string[] = [];
  for (const k of loneA) {
    const match = loneB.get(key(a.get(k)!));
    if (match === undefined) onlyA.push(k);
    else {
      renamed.push([k, match]);
      loneB.delete(key(a.get(k)!));
    }
  }
  return { feeds: a.size, items, onlyA, onlyB: [...loneB.values()].sort(), differ: differ.sort(), renamed };
}
