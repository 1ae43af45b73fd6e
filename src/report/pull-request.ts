import { ITEM_SOURCES } from "../content/article.ts";
import { openingLine, parseFrontMatter } from "../content/front-matter.ts";
import type { ArticleSummary, Counts } from "../pipeline/index.ts";
import { compareText, error, formatProblem, type Problem } from "../problems.ts";
import type { FileDifference } from "./diff.ts";

/**
 * What `check` shows on a pull request instead of one annotation per stale file: one annotation
 * per article a build would add or change, at its source file, and everything else that differs
 * in one more. Items are matched to articles by id, the one thing a feed item and its source share.
 * Each annotation is at the line of the front-matter field whose change made the difference, when
 * one can be named (changedLine), else at the line the front matter opens.
 */
export function blameDifferences(outShown: string, differences: readonly FileDifference[], articles: readonly ArticleSummary[], linesOf: (file: string) => ArticleLines | undefined): Problem[] {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const blamed = new Map<string, { article: ArticleSummary; added: string[]; changed: string[]; keys: Set<string> }>();
  const explained = new Set<string>();
  const unblamed: string[] = [];
  const listed = new Set<string>();
  for (const d of differences) {
    if (d.items === undefined) continue;
    const feed = folderOf(d.path);
    const blame = (id: string, how: "added" | "changed") => {
      const article = byId.get(id);
      if (article === undefined) return unblamed.push(`${outShown}/${d.path}: item ${id} ${how}, from no article`) && listed.add(d.path);
      const entry = blamed.get(article.file) ?? { article, added: [], changed: [], keys: new Set<string>() };
      entry[how].push(feed);
      for (const key of d.items?.keys?.[id] ?? []) entry.keys.add(key);
      blamed.set(article.file, entry);
      return explained.add(feed);
    };
    for (const id of d.items.added) blame(id, "added");
    for (const id of d.items.changed) blame(id, "changed");
    for (const id of d.items.removed) unblamed.push(`${outShown}/${d.path}: item ${id} removed`) && listed.add(d.path);
  }
  const problems: Problem[] = [];
  for (const [file, { article, added, changed, keys }] of [...blamed].sort(([a], [b]) => compareText(a, b))) {
    const feeds = (list: readonly string[]) => `${list.length} feed${list.length === 1 ? "" : "s"} (${list.map((f) => `${outShown}/${f}`).join(", ")})`;
    const what = [...(added.length > 0 ? [`added to ${feeds(added)}`] : []), ...(changed.length > 0 ? [`changed in ${feeds(changed)}`] : [])].join(" and ");
    const lines = linesOf(file);
    problems.push(error(file, lines === undefined ? undefined : changedLine(keys, lines), "out of date", `${JSON.stringify(article.title)} (id ${article.id}) is ${what} by a build: run feedwright build and commit ${outShown}/`));
  }
  // Files of a feed whose items were blamed differ because of those items (its other formats).
  const rest = differences.filter((d) => !explained.has(folderOf(d.path)) && !listed.has(d.path));
  const lines = [...unblamed, ...rest.map((d) => `${outShown}/${d.path}: ${d.kind === "missing" ? "missing" : d.kind === "extra" ? "would be removed" : "differs"}`)];
  // `dist/`, not `dist`: a bare name reads as no file, and would not be put under a working-directory.
  if (lines.length > 0) problems.push(error(`${outShown}/`, undefined, "out of date", `${lines.length} difference${lines.length === 1 ? "" : "s"} from a fresh build that no article explains:\n${lines.join("\n")}\nrun feedwright build and commit ${outShown}/`));
  return problems;
}

/** `tags/x/feed.json` → `tags/x/`; `feed.json` → `` (the site feed). */
function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

/** Where the parts of an article's file are: its front matter's opening line, each top-level key's line, the body's first line. */
export interface ArticleLines {
  readonly opening: number;
  readonly keys: ReadonlyMap<string, number>;
  readonly body: number | undefined;
}

/** Pure: the lines of an article's text; only the opening line when its front matter cannot be read. */
export function articleLines(file: string, text: string): ArticleLines {
  const opening = openingLine(text);
  const split = parseFrontMatter(file, text, new Set());
  return split.ok ? { opening, keys: split.value.lines, body: split.value.bodyLine } : { opening, keys: new Map(), body: undefined };
}


/**
 * Pure: the line to annotate for an item whose JSON Feed keys `changed` differ: the line of the
 * first front-matter field that makes one of them (an `id:` that changed, else the `slug:` or
 * `permalink:` behind a new URL, else `date:`, `title:`, ...); the body's first line when only
 * the content changed; else (a renamed file, a site-wide setting) the front matter's opening line.
 */
export function changedLine(changed: ReadonlySet<string>, lines: ArticleLines): number {
  for (const [item, keys] of ITEM_SOURCES) {
    if (!changed.has(item)) continue;
    for (const key of keys) {
      const line = lines.keys.get(key);
      if (line !== undefined) return line;
    }
  }
  if (lines.body !== undefined && (changed.has("content_html") || changed.has("content_text"))) return lines.body;
  return lines.opening;
}

/**
 * Pure: the id-drift guard's findings on an article (field `id`, no line) placed at the field
 * that changed its id: from what the output folder's feeds show changed about its item when they
 * were compared (`keys`), else `id:`, then what makes its URL.
 */
export function placeIdProblems(problems: readonly Problem[], linesOf: (file: string) => ArticleLines | undefined, keysOf: (file: string) => ReadonlySet<string> | undefined): Problem[] {
  return problems.map((p) => {
    if (p.field !== "id" || p.line !== undefined) return p;
    const lines = linesOf(p.file);
    if (lines === undefined) return p;
    const keys = keysOf(p.file);
    return { ...p, line: changedLine(keys !== undefined && (keys.has("id") || keys.has("url")) ? keys : new Set(["id", "url"]), lines) };
  });
}

/** Pure: by article file, the JSON Feed keys its items' differences show changed. */
export function changedKeys(differences: readonly FileDifference[], articles: readonly ArticleSummary[]): Map<string, Set<string>> {
  const fileOf = new Map(articles.map((a) => [a.id, a.file]));
  const found = new Map<string, Set<string>>();
  for (const d of differences) {
    for (const [id, keys] of Object.entries(d.items?.keys ?? {})) {
      const file = fileOf.get(id);
      if (file === undefined) continue;
      const set = found.get(file) ?? new Set<string>();
      for (const key of keys) set.add(key);
      found.set(file, set);
    }
  }
  return found;
}

export interface SummaryInput {
  readonly passed: boolean;
  readonly outShown: string;
  readonly compared: boolean;
  readonly counts: Counts | undefined;
  readonly differences: readonly FileDifference[];
  /** Problems other than the differences themselves. */
  readonly problems: readonly Problem[];
}

/**
 * The job summary (Markdown, for `$GITHUB_STEP_SUMMARY`): counts, a table of the items a build
 * would add, remove or change per feed, the other files that differ, and the errors.
 */
export function renderSummary(input: SummaryInput): string {
  const out: string[] = [`## feedwright check: ${input.passed ? "passed" : "failed"}`, ""];
  const { counts } = input;
  if (counts !== undefined) {
    out.push(table(["Articles", "Published", "Drafts", "Scheduled", "Items per feed", "Feeds"], [[counts.articles, counts.published, counts.drafts, counts.scheduled, counts.items, counts.feeds].map(String)]), "");
  }
  if (!input.compared) out.push(text(`${input.outShown}/ not found, so not compared.`), "");
  else if (input.differences.length === 0) out.push(text(`${input.outShown}/ is up to date.`), "");
  else {
    const feeds = input.differences.filter((d) => d.items !== undefined);
    if (feeds.length > 0) {
      const ids = (list: readonly string[]) => (list.length === 0 ? "0" : `${list.length}: ${list.map(code).join(", ")}`);
      out.push(table(["Feed", "Added", "Removed", "Changed"], feeds.map((d) => [code(`${input.outShown}/${d.path}`), ids(d.items!.added), ids(d.items!.removed), ids(d.items!.changed)])), "");
    }
    const files = input.differences.filter((d) => d.items === undefined);
    if (files.length > 0) out.push(table(["File", "Difference"], files.map((d) => [code(`${input.outShown}/${d.path}`), d.kind === "missing" ? "missing: a build would write it" : d.kind === "extra" ? "a build would remove it" : "differs"])), "");
  }
  const errors = input.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) out.push(table(["Error"], errors.map((p) => [text(formatProblem(p))])), "");
  return `${out.join("\n")}\n`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
}

/**
 * Text in a table cell: a `|` would end the cell and a line break the row (GFM tables); `<` and
 * `&` would be read as HTML or an entity.
 */
export function text(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\|/g, "\\|").replace(/\r\n?|\n/g, "<br>");
}

/** A value shown as code in a table cell: a code span keeps HTML and entities literal; GFM still needs `\|` inside it. */
export function code(value: string): string {
  const flat = value.replace(/\r\n?|\n/g, " ").replace(/\|/g, "\\|");
  const fence = "`".repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
