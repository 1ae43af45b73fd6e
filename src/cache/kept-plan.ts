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
const FORMAT = 2;

/** One feed document as planned: its path under the output folder, and its items (each by its body's cache key), in order. */
export interface KeptDocument {
  readonly path: string;
  readonly items: readonly { readonly body: string }[];
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

/**
 * The plan as its file holds it, document by document: written straight from the planned
 * documents, with nothing made per article but its index (at 100,000 articles with archives, the
 * documents hold some 1.5 million items; a map of each article's documents, made at the end of
 * the build, raised its peak memory by 60 MiB). Only a patch reads it, for a few articles.
 */
export interface KeptPlan {
  /** Every article a document holds, by index: its path under the content folder. */
  readonly paths: readonly string[];
  /** And its cache key, by the same index. */
  readonly keys: readonly string[];
  /** Every feed document's path under the output folder, in plan order. */
  readonly documents: readonly string[];
  /** For each document in turn: how many items it holds, then each one's article index. */
  readonly items: readonly number[];
  readonly frontDoor: KeptFrontDoor | null;
}

/** The plan from its documents: `pathOf` names the article each key is (undefined: a key of no article read, which no document holds). */
export function keptPlan(documents: readonly KeptDocument[], pathOf: (key: string) => string | undefined, frontDoor: KeptFrontDoor | undefined): KeptPlan | undefined {
  const index = new Map<string, number>();
  const plan = { paths: [] as string[], keys: [] as string[], documents: [] as string[], items: [] as number[], frontDoor: frontDoor ?? null };
  for (const doc of documents) {
    plan.documents.push(doc.path);
    plan.items.push(doc.items.length);
    for (const { body: key } of doc.items) {
      let i = index.get(key);
      if (i === undefined) {
        const path = pathOf(key);
        // An item the plan cannot name the file of: no plan is kept, and a later edit takes the long way.
        if (path === undefined) return undefined;
        i = plan.paths.push(path) - 1;
        plan.keys.push(key);
        index.set(key, i);
      }
      plan.items.push(i);
    }
  }
  return plan;
}

/** Where the plan placed each of these articles (by path under the content folder); those no document holds are left out. */
export function placesOf(plan: KeptPlan, paths: ReadonlySet<string>): Map<string, KeptArticle> {
  const wanted = new Map<number, { path: string; key: string; documents: string[] }>();
  plan.paths.forEach((path, i) => void (paths.has(path) && wanted.set(i, { path, key: plan.keys[i]!, documents: [] })));
  if (wanted.size > 0) {
    let at = 0;
    for (const doc of plan.documents) {
      const count = plan.items[at++]!;
      for (let j = at; j < at + count; j++) wanted.get(plan.items[j]!)?.documents.push(doc);
      at += count;
    }
  }
  return new Map([...wanted.values()].map(({ path, ...article }) => [path, article]));
}

/** The same plan with these articles (by path) under new keys: what a patch leaves for the next build. */
export function withKeys(plan: KeptPlan, keys: ReadonlyMap<string, string>): KeptPlan {
  return { ...plan, keys: plan.keys.map((key, i) => keys.get(plan.paths[i]!) ?? key) };
}

/** The plan's file text, sealed. */
export function planText(plan: KeptPlan): string {
  return sealed({ format: FORMAT, ...plan });
}

/** What the last build's record keeps of its plan: the digest of the plan file's text. */
export function planDigest(text: string | Uint8Array): string {
  // The text is ASCII (sealed.ts): its bytes and its characters digest alike.
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
  if (read?.kind !== "file" || planDigest(read.bytes) !== digest) return undefined;
  const json = unsealed(read.bytes);
  // Sealed, and named by the record: byte for byte what a build wrote. Its shape is checked
  // still, as the record's is: another version may have written the same format number.
  if (json?.format !== FORMAT) return undefined;
  const { paths, keys, documents, items, frontDoor } = json as Partial<Record<keyof KeptPlan, unknown>>;
  const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");
  if (!strings(paths) || !strings(keys) || paths.length !== keys.length || !strings(documents) || !Array.isArray(items) || !items.every(Number.isInteger)) return undefined;
  if (frontDoor !== null && (typeof frontDoor !== "object" || frontDoor === undefined)) return undefined;
  return { paths, keys, documents, items, frontDoor: frontDoor as KeptFrontDoor | null };
}
