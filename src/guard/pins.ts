/**
 * Pinned ids: `content/_ids.yaml` maps an article's path under content/ to the id its old feed
 * gave it, so a site moved from another generator keeps every id in one file instead of one
 * `id:` line per post. `feedwright adopt` writes it; a pin overrides the id the article would
 * otherwise get (its front matter's `id`, or its URL).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { shownPath } from "../content/read.ts";
import { fsReason } from "../fs-errors.ts";
import { error, failed, ok, type Problem, type Result } from "../problems.ts";

export const PINS_FILE = "_ids.yaml";

export interface Pin {
  readonly id: string;
  readonly line: number;
}

export interface Pins {
  /** As messages show it: `content/_ids.yaml`. */
  readonly file: string;
  /** By article path under content/ (`posts/2016-03-10-hello.md`). */
  readonly ids: ReadonlyMap<string, Pin>;
}

/** Pure: the pins in `text`; every problem at its line. */
export function parsePins(file: string, text: string): Result<Pins> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: "core", uniqueKeys: true, prettyErrors: false, lineCounter });
  const lineAt = (pos: number | undefined) => (pos === undefined ? 1 : lineCounter.linePos(pos).line);
  const problems: Problem[] = doc.errors.map((e) => error(file, lineAt(e.pos[0]), undefined, `invalid YAML: ${e.message.split("\n")[0]}`));
  if (problems.length > 0) return failed(problems);
  const ids = new Map<string, Pin>();
  if (doc.contents === null) return ok({ file, ids });
  if (!isMap(doc.contents)) return failed([error(file, lineAt(doc.contents.range?.[0]), undefined, `expected lines of "article path: id" (posts/hello.md: "https://old.example.org/hello.html")`)]);
  for (const pair of doc.contents.items) {
    const line = lineAt(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!isScalar(pair.key) || typeof pair.key.value !== "string" || pair.key.value === "") {
      problems.push(error(file, line, undefined, `each key is an article's path under content/, as text`));
      continue;
    }
    const path = pair.key.value;
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== "string" || value.trim() === "" || /\s/.test(value)) {
      problems.push(error(file, line, path, `expected the article's id: text without spaces, such as the old feed's guid or id`));
      continue;
    }
    ids.set(path, { id: value, line });
  }
  return problems.length > 0 ? failed(problems) : ok({ file, ids });
}

/** The pins of `contentDir`; undefined when it has none. */
export async function readPins(contentDir: string): Promise<Result<Pins> | undefined> {
  const path = join(contentDir, PINS_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return failed([error(shownPath(path), undefined, undefined, `cannot read: ${fsReason(e)}`)]);
  }
  return parsePins(shownPath(path), text);
}

type Pinnable = { readonly entry: { readonly path: string }; readonly meta: { readonly id: string } };
/** A draft left out for its problems (src/pipeline/types.ts): its file is there, its id known or not. */
type PinnableDraft = { readonly path: string; readonly id: string | undefined };

/**
 * Pure: articles, and drafts left out for their problems, with their pinned ids; a pin that names
 * neither is an error at its line (a left-out draft's file is there: its pin is not stale).
 */
export function applyPins<T extends Pinnable, D extends PinnableDraft>(articles: readonly T[], pins: Pins, leftOut: readonly D[] = []): { articles: T[]; leftOut: D[]; problems: Problem[] } {
  const used = new Set<string>();
  const pinned = articles.map((a) => {
    const pin = pins.ids.get(a.entry.path);
    if (pin === undefined) return a;
    used.add(a.entry.path);
    return { ...a, meta: { ...a.meta, id: pin.id } };
  });
  const drafts = leftOut.map((d) => {
    const pin = pins.ids.get(d.path);
    if (pin === undefined) return d;
    used.add(d.path);
    return { ...d, id: pin.id };
  });
  const problems = [...pins.ids]
    .filter(([path]) => !used.has(path))
    .map(([path, pin]) => error(pins.file, pin.line, path, `no article at content/${path}: if it moved, move its pin too (or run feedwright adopt again); if it is gone, remove the line`));
  return { articles: pinned, leftOut: drafts, problems };
}

/** Reads content/_ids.yaml and applies it to `articles` and `leftOut` in place: where a build finishes its articles. */
export async function pinIds<T extends Pinnable, D extends PinnableDraft>(contentDir: string, articles: T[], leftOut: D[] = []): Promise<Problem[]> {
  const pins = await readPins(contentDir);
  if (pins === undefined) return [];
  if (!pins.ok) return [...pins.problems];
  const applied = applyPins(articles, pins.value, leftOut);
  articles.splice(0, articles.length, ...applied.articles);
  leftOut.splice(0, leftOut.length, ...applied.leftOut);
  return applied.problems;
}
