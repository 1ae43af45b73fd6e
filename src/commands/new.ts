import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { shownPath } from "../content/read.ts";
import { slugify } from "../content/permalink.ts";
import { error, type Problem } from "../problems.ts";
import { reportProblems } from "../report/index.ts";
import { parseSite, SITE_FILE, type Site } from "../site/settings.ts";
import { COMMON, resolveNow, text, type Args, type Command } from "./args.ts";
import { EXIT, type Io } from "./io.ts";
import type { DateTime } from "luxon";

export const newCommand: Command = {
  name: "new",
  summary: "start an article: writes content/<date>-<slug>.md as a draft, never over an existing file",
  positionals: { name: '"Title"', min: 1, max: 1 },
  options: { content: COMMON.content, now: { ...COMMON.now, description: "the article's date (default: SOURCE_DATE_EPOCH, else now)" } },
  run: runNew,
};

/** Pure: the new article's file name and text. The date is written in the site's zone, as people read it. */
export function scaffold(title: string, site: Site, now: DateTime): { name: string; text: string } | undefined {
  const slug = slugify(title);
  if (slug === "") return undefined;
  const local = now.setZone(site.timezone);
  const front = stringify({ title, date: local.toFormat("yyyy-MM-dd HH:mm"), draft: true }, { lineWidth: 0 });
  return { name: `${local.toFormat("yyyy-MM-dd")}-${slug}.md`, text: `---\n${front}---\nWrite the first paragraph here: it becomes the summary.\n` };
}

export async function runNew(args: Args, io: Io): Promise<number> {
  const title = (args.positionals[0] ?? "").trim();
  const contentDir = text(args, "content") ?? "content";
  const now = resolveNow(text(args, "now"), io.env);
  const siteFile = shownPath(join(contentDir, SITE_FILE));
  const fail = (problems: readonly Problem[]): number => {
    reportProblems(problems, io);
    return EXIT.failed;
  };
  let siteText: string;
  try {
    siteText = await readFile(join(contentDir, SITE_FILE), "utf8");
  } catch {
    return fail([error(siteFile, undefined, undefined, `missing: it holds the site settings (title, url, timezone); is ${contentDir}/ the content folder? (--content)`)]);
  }
  const site = parseSite(siteFile, siteText, {});
  if (!site.ok) return fail(site.problems);
  const made = scaffold(title, site.value, now);
  if (made === undefined) return fail([error("feedwright", undefined, undefined, `new: cannot make a file name from the title ${JSON.stringify(title)}: use at least one letter or digit`)]);
  const path = join(contentDir, made.name);
  await mkdir(contentDir, { recursive: true });
  try {
    await writeFile(path, made.text, { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fail([error(shownPath(path), undefined, undefined, `already exists; left as it was (pick another title, or edit that file)`)]);
    throw e;
  }
  io.stdout(`feedwright: wrote ${shownPath(path)} (draft: true; set it to false, or remove the line, to publish)\n`);
  return EXIT.ok;
}
