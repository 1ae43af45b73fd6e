import { compareText, error, shown, type Problem } from "../problems.ts";
import { foldKey, folderName } from "./folder-name.ts";
import type { ItemRef } from "./model.ts";

/**
 * Longest tag, in characters (code points). Each item carries its whole tag list into every feed
 * it is in, one per tag: bounding the count (the site's `maxTags`) and the length keeps the output
 * a bounded multiple of the input (docs/security.md, "Bounded work").
 */
export const MAX_TAG_CHARS = 100;

/** What is wrong with one article's tags (cleaned, trimmed, distinct), if anything. */
export function tagLimitProblems(tags: readonly string[], maxTags: number): string[] {
  const problems: string[] = [];
  if (tags.length > maxTags) {
    problems.push(`${tags.length} tags, over the limit of ${maxTags} (setting maxTags): every tag is a feed, and every feed repeats all of an article's tags`);
  }
  for (const tag of tags) {
    const chars = [...tag].length;
    if (chars > MAX_TAG_CHARS) problems.push(`the tag ${shown(tag)} is ${chars} characters long, over the limit of ${MAX_TAG_CHARS}`);
  }
  return problems;
}

/** One tag's feed: every article carrying the tag in any spelling that folds to the same name. */
export interface TagGroup {
  /** Its folder under `tags/`. */
  readonly slug: string;
  /** The spelling its feed is titled with: the one most articles use; of equals, the first in code-unit order. */
  readonly tag: string;
  /** The newest article carrying it, for messages. */
  readonly file: string;
  /** Newest first, each article once. */
  readonly items: readonly ItemRef[];
}

/**
 * A tag's key (`foldKey`): spellings with one key share one feed. Each spelling is folded once: a
 * blog has few tags, each on many articles (at 50,000 articles, folding every article's tags cost 0.1 s).
 */
export function tagKeys(): (tag: string) => string {
  const folded = new Map<string, string>();
  return (tag) => {
    let key = folded.get(tag);
    if (key === undefined) folded.set(tag, (key = foldKey(tag)));
    return key;
  };
}

/**
 * Groups published articles (newest first) into tag feeds. Tags that a case-insensitive disk would
 * store in one folder (`Go`/`go`, `ΟΔΟΣ`/`οδοσ`, `ſun`/`sun`) are one tag and share one feed; each
 * item keeps the spelling its article wrote. Every other pair of tags gets two folders.
 */
export function groupTags(entries: readonly { readonly file: string; readonly item: ItemRef }[]): { groups: TagGroup[]; problems: Problem[] } {
  const byKey = new Map<string, { file: string; items: ItemRef[]; spellings: Map<string, number> }>();
  const tagKey = tagKeys();
  for (const entry of entries) {
    const seen = new Set<string>();
    for (const tag of entry.item.tags) {
      const key = tagKey(tag);
      let group = byKey.get(key);
      if (group === undefined) byKey.set(key, (group = { file: entry.file, items: [], spellings: new Map() }));
      group.spellings.set(tag, (group.spellings.get(tag) ?? 0) + 1);
      // An article tagged both `Go` and `go` is in that feed once.
      if (!seen.has(key)) group.items.push(entry.item);
      seen.add(key);
    }
  }
  const problems: Problem[] = [];
  const bySlug = new Map<string, TagGroup>();
  for (const [key, group] of byKey) {
    const tag = [...group.spellings].sort(([a, m], [b, n]) => n - m || compareText(a, b))[0]![0];
    const slug = folderName(key);
    const other = bySlug.get(slug);
    if (other !== undefined) {
      // Only if SHA-256's first 50 bits agree: reported, never one feed overwriting the other.
      problems.push(error(group.file, undefined, "tags", `the tags ${JSON.stringify(tag)} and ${JSON.stringify(other.tag)} (in ${other.file}) would share the feed folder tags/${slug}/; rename one`));
      continue;
    }
    bySlug.set(slug, { slug, tag, file: group.file, items: group.items });
  }
  return { groups: [...bySlug.values()].sort((a, b) => compareText(a.slug, b.slug)), problems };
}
