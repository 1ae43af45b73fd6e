/**
 * The last build's plan, as far as a build that finds a few articles edited needs it
 * (src/pipeline/patch.ts): which documents hold each published article's item, under which
 * cache key, and what the front door showed. Kept beside the last build's record, which holds
 * its digest, so that a plan is only ever read with the record of the build that made it.
 *
 *   <cacheDir>/builds/<h>.plan.json   sealed (sealed.ts)
 *
 * Loads nothing but what sealing needs.
 */
import { hash } from "node:crypto";
import type { FrontDoorInput } from "../formats/front-door-input.ts";
import { writeAtomically } from "../output/atomic.ts";
import { readRegular } from "../output/tree.ts";
import { sealed, unsealed } from "./sealed.ts";

/** Bumped when the file's shape changes. */
const FORMAT = 1;

/** One feed document as planned: its path under the output folder, and its items' cache keys in order. */
export interface KeptDocument {
  readonly path: string;
  readonly keys: readonly string[];
}

/** The front door as planned: its path under the output folder, and what it was rendered from. */
export interface KeptFrontDoor {
  readonly path: string;
  readonly input: FrontDoorInput;
}

/** One published article as the plan placed it. */
export interface KeptArticle {
  /** Its cache key: where its fields and body are. */
  readonly key: string;
  /** Paths under the output folder of the documents that hold its item, in plan order. */
  readonly documents: readonly string[];
}

export interface KeptPlan {
  /** By path under the content folder: every article a document holds. */
  readonly articles: ReadonlyMap<string, KeptArticle>;
  readonly frontDoor: KeptFrontDoor | null;
}

/** The plan from its documents: `pathOf` names the article each key is (undefined: a key of no article read, which no document holds). */
export function keptPlan(documents: readonly KeptDocument[], pathOf: (key: string) => string | undefined, frontDoor: KeptFrontDoor | undefined): KeptPlan | undefined {
  const articles = new Map<string, { key: string; documents: string[] }>();
  for (const doc of documents) {
    for (const key of doc.keys) {
      const path = pathOf(key);
      // An item the plan cannot name the file of: no plan is kept, and a later edit takes the long way.
      if (path === undefined) return undefined;
      const held = articles.get(path);
      if (held === undefined) articles.set(path, { key, documents: [doc.path] });
      else if (held.key !== key) return undefined;
      else held.documents.push(doc.path);
    }
  }
  return { articles, frontDoor: frontDoor ?? null };
}

/**
 * The plan as its file holds it: document paths once, and each article's documents as indexes
 * into them, one run each (a count, then the indexes): at 50,000 articles with archives, about
 * 15 documents an article.
 */
interface PlanJson {
  readonly format: number;
  readonly documents: string[];
  readonly paths: string[];
  readonly keys: string[];
  readonly holds: number[];
  readonly frontDoor: KeptFrontDoor | null;
}

/** The plan's file text, sealed. */
export function planText(plan: KeptPlan): string {
  const index = new Map<string, number>();
  const json: PlanJson = { format: FORMAT, documents: [], paths: [], keys: [], holds: [], frontDoor: plan.frontDoor };
  for (const [path, article] of plan.articles) {
    json.paths.push(path);
    json.keys.push(article.key);
    json.holds.push(article.documents.length);
    for (const doc of article.documents) {
      let i = index.get(doc);
      if (i === undefined) {
        i = json.documents.push(doc) - 1;
        index.set(doc, i);
      }
      json.holds.push(i);
    }
  }
  return sealed(json);
}

/** What the last build's record keeps of its plan: the digest of the plan file's text. */
export function planDigest(text: string): string {
  return hash("sha256", text);
}

export function planFile(recordFile: string): string {
  return recordFile.replace(/\.json$/, ".plan.json");
}

export async function savePlan(recordFile: string, text: string): Promise<void> {
  await writeAtomically(planFile(recordFile), text);
}

/** The plan whose text has `digest`, when its file holds it, whole and in this format; undefined otherwise. */
export async function readPlan(recordFile: string, digest: string): Promise<KeptPlan | undefined> {
  const read = await readRegular(planFile(recordFile)).catch(() => undefined);
  if (read?.kind !== "file" || planDigest(read.bytes.toString("utf8")) !== digest) return undefined;
  const json = unsealed(read.bytes) as PlanJson | undefined;
  if (json?.format !== FORMAT) return undefined;
  const articles = new Map<string, KeptArticle>();
  let at = 0;
  for (const [i, path] of json.paths.entries()) {
    const count = json.holds[at++]!;
    articles.set(path, { key: json.keys[i]!, documents: json.holds.slice(at, at + count).map((d) => json.documents[d]!) });
    at += count;
  }
  return { articles, frontDoor: json.frontDoor };
}
