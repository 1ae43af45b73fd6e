import { join } from "node:path";
import { readArticles } from "../pipeline/articles.ts";
import { ArticleCache } from "../cache/article-cache.ts";
import { defaultCacheDir } from "../cache/folder.ts";
import { shownPath } from "../content/read.ts";
import { matchItems, renderPins } from "../guard/adopt.ts";
import { resolveNow } from "../guard/now.ts";
import { writeAtomically } from "../output/atomic.ts";
import { PINS_FILE, readPins } from "../guard/pins.ts";
import { readPrevious } from "../guard/previous.ts";
import { error, type Problem } from "../problems.ts";
import { reportProblems } from "../report/index.ts";
import { flag, text, type Args } from "./args.ts";
import { EXIT, type Io } from "./io.ts";

/** How many unmatched items the report names before "and N more". */
const SHOWN = 20;

/**
 * Reads the old site's published feed, matches its items to the articles, and pins every old id
 * in content/_ids.yaml (adding to what it holds). Prints what it could not match.
 */
export async function runAdopt(args: Args, io: Io): Promise<number> {
  const location = args.positionals[0] ?? "";
  const contentDir = text(args, "content") ?? "content";
  const fail = (problems: readonly Problem[]): number => {
    reportProblems(problems, io);
    return EXIT.failed;
  };
  const feed = await readPrevious(location);
  if (!feed.ok) return fail(feed.problems.map((p) => ({ ...p, file: "adopt" })));
  const existing = await readPins(contentDir);
  if (existing !== undefined && !existing.ok) return fail(existing.problems);

  const cache = await ArticleCache.open(flag(args, "no-cache") ? undefined : defaultCacheDir(process.cwd(), io.env));
  let read;
  try {
    read = await readArticles({ contentDir, outDir: "dist", now: resolveNow(text(args, "now"), io.env) }, cache);
  } finally {
    await cache.close();
  }
  if (read.content === undefined) return fail(read.problems);
  const articles = read.content.articles.map((a) => ({ path: a.entry.path, url: a.meta.url, id: a.meta.id, title: a.meta.title, published: a.meta.date.toMillis() }));
  const { matched, unmatched } = matchItems(feed.value.items, articles);

  const pins = new Map(matched.map(({ item, article }) => [article.path, item.id]));
  const conflicts = matched.filter(({ item, article }) => {
    const pin = existing?.value.ids.get(article.path);
    return pin !== undefined && pin.id !== item.id;
  });
  const file = join(contentDir, PINS_FILE);
  const shown = shownPath(file);
  await writeAtomically(file, renderPins(existing?.value, pins, location));

  const byUrl = matched.filter((m) => m.by === "url").length;
  io.stdout(
    `feedwright: adopt: ${feed.value.items.length} items in ${location}; ${matched.length} matched (${byUrl} by URL, ${matched.length - byUrl} by title and date), ids pinned in ${shown}; ${unmatched.length} not matched\n`,
  );
  const notes: Problem[] = conflicts.map(({ item, article }) =>
    error(shown, existing?.value.ids.get(article.path)?.line, article.path, `kept as it was; ${location} gives this article the id ${item.id}: if that is the one readers know, replace the line`),
  );
  if (unmatched.length > 0) {
    const named = unmatched.slice(0, SHOWN).map((i) => `  ${JSON.stringify(i.title)} ${i.id}${i.url !== undefined && i.url !== i.id ? ` (${i.url})` : ""}\n`);
    io.stderr(
      `feedwright: adopt: no article matches these items (by URL, or by title and a date within a day and a half); ` +
        `if one is here under another title, add its line to ${shown} by hand (path: id):\n${named.join("")}${unmatched.length > SHOWN ? `  and ${unmatched.length - SHOWN} more\n` : ""}`,
    );
  }
  if (notes.length > 0) reportProblems(notes.map((n) => ({ ...n, severity: "warning" as const })), io);
  return EXIT.ok;
}
