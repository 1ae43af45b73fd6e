import { error, type Problem } from "../problems.ts";

export interface FileDifference {
  /** Relative to the output folder. */
  readonly path: string;
  /** `missing`: a build would write it; `extra`: a build would remove it. */
  readonly kind: "missing" | "extra" | "differs";
  /** For JSON Feeds: item ids a build would add, remove or change. */
  readonly items?: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly string[];
    /**
     * By item id, the JSON Feed item keys whose values differ (`title`, `date_published`,
     * `content_html`, ...): for each changed item, and for each added one that took the place of
     * a removed item with its URL or its title (an id or URL that changed: `id` and `url` among them).
     */
    readonly keys?: Readonly<Record<string, readonly string[]>>;
  };
}

/**
 * Pure: how one file of the output folder differs from a fresh build; undefined when it does not.
 * `fresh` undefined: a build would not write it; `old` undefined: it is not there.
 */
export function diffFile(path: string, fresh: string | undefined, old: string | undefined): FileDifference | undefined {
  if (fresh === old) return undefined;
  if (old === undefined) return { path, kind: "missing" };
  if (fresh === undefined) return { path, kind: "extra" };
  if (path === "feed.json" || path.endsWith("/feed.json")) {
    const items = diffItems(old, fresh);
    return items === undefined ? { path, kind: "differs" } : { path, kind: "differs", items };
  }
  return { path, kind: "differs" };
}

/** Items by id; undefined when either side is not a readable JSON Feed. */
export function diffItems(oldText: string, newText: string): FileDifference["items"] {
  type Item = Record<string, unknown>;
  const items = (text: string): Map<string, Item> | undefined => {
    try {
      const feed = JSON.parse(text) as { items?: unknown };
      if (!Array.isArray(feed.items)) return undefined;
      return new Map((feed.items as unknown[]).filter((item): item is Item => typeof item === "object" && item !== null).map((item) => [String(item.id), item]));
    } catch {
      return undefined;
    }
  };
  const before = items(oldText);
  const after = items(newText);
  if (before === undefined || after === undefined) return undefined;
  const differing = (a: Item, b: Item) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort();
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && differing(before.get(id)!, after.get(id)!).length > 0);
  const keys: Record<string, readonly string[]> = {};
  for (const id of changed) keys[id] = differing(before.get(id)!, after.get(id)!);
  // An added item that took a removed one's place: same URL (a new id: pinned), else same title (a new slug).
  const gone = removed.map((id) => before.get(id)!);
  for (const id of added) {
    const item = after.get(id)!;
    const was = gone.find((old) => old.url !== undefined && old.url === item.url) ?? gone.find((old) => old.title !== undefined && old.title === item.title);
    if (was !== undefined) keys[id] = differing(was, item);
  }
  return Object.keys(keys).length === 0 ? { added, removed, changed } : { added, removed, changed, keys };
}

/** Each difference as a problem on the file, so it is reported like any other. */
export function differenceProblems(outShown: string, differences: readonly FileDifference[]): Problem[] {
  return differences.map((d) => {
    const file = `${outShown}/${d.path}`;
    if (d.kind === "missing") return error(file, undefined, undefined, `is missing: a build would write it`);
    if (d.kind === "extra") return error(file, undefined, undefined, `would be removed by a build`);
    if (d.items === undefined) return error(file, undefined, undefined, `differs from a fresh build`);
    const part = (n: readonly string[], what: string) => `${n.length} ${what}${n.length === 0 ? "" : ` (${n.slice(0, 3).join(", ")}${n.length > 3 ? `, and ${n.length - 3} more` : ""})`}`;
    const { added, removed, changed } = d.items;
    const detail = added.length + removed.length + changed.length === 0 ? "same items, other feed data" : [part(added, "added"), part(removed, "removed"), part(changed, "changed")].join(", ");
    return error(file, undefined, undefined, `differs from a fresh build: items ${detail}`);
  });
}
