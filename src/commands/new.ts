import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { shownPath } from "../content/read.ts";
import { slugify } from "../content/permalink.ts";
import { error, type Problem } from "../problems.ts";
import { reportProblems } from "../report/index.ts";
import { parseSite, SITE_FILE, type Site } from "../site/settings.ts";
import { text, UsageError, type Args } from "./args.ts";
import { resolveNow } from "./now.ts";
import { EXIT, type Io } from "./io.ts";
import type { DateTime } from "luxon";

/**
 * How a new article is held back: `draft: true` (Hugo's, Astro's and feedwright's), or, for a
 * Jekyll site, `published: false`, the one Jekyll itself honours (it publishes a post that says
 * `draft: true`). feedwright reads both.
 */
export type HeldBy = "draft" | "published";

/** A Jekyll site's posts are in a `_posts` folder: then `published: false` holds a new one back. */
export function heldBy(contentDir: string, folder: string): HeldBy {
  return [...contentDir.split(/[\\/]/), ...folder.split("/")].includes("_posts") ? "published" : "draft";
}

/** Pure: the new article's file name and text. The date is written in the site's zone, as people read it. */
export function scaffold(title: string, site: Site, now: DateTime, held: HeldBy = "draft"): { name: string; text: string } | undefined {
  const slug = boundedSlug(slugify(title));
  if (slug === "") return undefined;
  const local = now.setZone(site.timezone);
  const date = local.toFormat("yyyy-MM-dd HH:mm");
  const front = stringify(held === "draft" ? { title, date, draft: true } : { title, date, published: false }, { lineWidth: 0 });
  return { name: `${local.toFormat("yyyy-MM-dd")}-${slug}.md`, text: `---\n${front}---\nWrite the first paragraph here: it becomes the summary.\n` };
}

/**
 * `notes/My note` is the title `My note` in the folder `notes/` (a section when it has an
 * `_index.md`), as `hugo new posts/x.md` puts a post in posts/. Undefined when the folder part
 * could leave the content folder.
 */
export function splitSection(input: string): { folder: string; title: string } | undefined {
  const at = input.lastIndexOf("/");
  if (at === -1) return { folder: "", title: input.trim() };
  const parts = input.slice(0, at).split("/").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.some((p) => p === "." || p === ".." || p.includes("\\"))) return undefined;
  return { folder: parts.join("/"), title: input.slice(at + 1).trim() };
}

export async function runNew(args: Args, io: Io): Promise<number> {
  const split = splitSection(args.positionals[0] ?? "");
  if (split === undefined) throw new UsageError(`new: the folder in ${JSON.stringify(args.positionals[0])} must stay inside the content folder`);
  const { folder, title } = split;
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
  // The folder as it is, not as typed: `--content .` inside _posts/ is Jekyll's too.
  const held = heldBy(resolve(contentDir), folder);
  const made = scaffold(title, site.value, now, held);
  if (made === undefined) return fail([error("feedwright", undefined, undefined, `new: cannot make a file name from the title ${JSON.stringify(title)}: use at least one letter or digit`)]);
  const path = join(contentDir, folder, made.name);
  await mkdir(join(contentDir, folder), { recursive: true });
  try {
    await writeFile(path, made.text, { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fail([error(shownPath(path), undefined, undefined, `already exists; left as it was (pick another title, or edit that file)`)]);
    throw e;
  }
  const section = folder === "" || existsSync(join(contentDir, folder, SITE_FILE)) ? "" : `; ${folder}/ has no ${SITE_FILE}, so it is not a section and has no feed of its own`;
  const line = held === "draft" ? "draft: true; set it to false" : "published: false, as Jekyll reads it; set it to true";
  io.stdout(`feedwright: wrote ${shownPath(path)} (${line}, or remove the line, to publish${section})\n`);
  return EXIT.ok;
}

/** Bytes of a slug in a file name: far below the 255 a file name may have, and a readable URL. */
export const MAX_SLUG_BYTES = 80;

/** Pure: `slug` cut to at most `maxBytes` of UTF-8, at a word break when there is one in the second half. */
export function boundedSlug(slug: string, maxBytes = MAX_SLUG_BYTES): string {
  if (Buffer.byteLength(slug) <= maxBytes) return slug;
  let cut = "";
  for (const char of slug) {
    if (Buffer.byteLength(cut + char) > maxBytes) break;
    cut += char;
  }
  const lastBreak = cut.lastIndexOf("-");
  return (lastBreak >= cut.length / 2 ? cut.slice(0, lastBreak) : cut).replace(/-+$/, "");
}
