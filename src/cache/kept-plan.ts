/**
 * The last build's plan, as far as a build that finds a few articles edited needs it
 * (src/pipeline/patch.ts): every article it read, under which cache key; which documents hold
 * each published article's item; and what the front door showed. Kept beside the last build's
 * record, which holds its digest, so that a plan is only ever read with the record of the build
 * that made it.
 *
 *   <cacheDir>/builds/<h>.plan.json   sealed (sealed.ts)
 *
 * Loads no parser or renderer.
 */
import { createHash } from "node:crypto";
import type { FrontDoorInput } from "../formats/front-door-input.ts";
import { writeAtomically } from "../output/atomic.ts";
import { readRegular } from "../output/tree.ts";
import { sealedParts, unsealed } from "./sealed.ts";

/** Bumped when the file's shape changes. */
const FORMAT = 4;

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

/** One article as the last build read it and placed it. */
export interface KeptArticle {
  /**
   * Its cache key as this build read it: where its fields and body are. The cache's own stamps
   * cannot say that: every build of the content stamps them (a `--drafts` preview into another
   * folder, a build that failed).
   */
  readonly key: string;
  /** Paths under the output folder of the documents that hold its item, in plan order; none for a draft, a scheduled article or one no document shows. */
  readonly documents: readonly string[];
}

/**
 * The plan as its file holds it, document by document: made straight from the planned
 * documents, with nothing per article but its index. At 100,000 articles with archives the
 * documents hold some 1.5 million items, so they are numbers in a typed array (off the
 * JavaScript heap), written as base64. Only a patch reads it, for a few articles.
 */
export interface KeptPlan {
  /** Every article the build read, by index: its path under the content folder. */
  readonly paths: readonly string[];
  /** And its cache key, by the same index. */
  readonly keys: readonly string[];
  /** Every feed document's path under the output folder, in plan order. */
  readonly documents: readonly string[];
  /** For each document in turn: how many items it holds, then each one's article index. */
  readonly items: Uint32Array;
  readonly frontDoor: KeptFrontDoor | null;
}

/** The plan from its documents and every article read, in any order (an item whose key no article has: no plan). */
export function keptPlan(documents: readonly KeptDocument[], articles: readonly { readonly key: string; readonly entry: { readonly path: string } }[], frontDoor: KeptFrontDoor | undefined): KeptPlan | undefined {
  const byKey = new Map<string, number>();
  articles.forEach((article, i) => byKey.set(article.key, i));
  let items = new Uint32Array(1024);
  let length = 0;
  const push = (value: number) => {
    if (length === items.length) {
      const grown = new Uint32Array(2 * items.length);
      grown.set(items);
      items = grown;
    }
    items[length++] = value;
  };
  for (const doc of documents) {
    push(doc.items.length);
    for (const { body: key } of doc.items) {
      const article = byKey.get(key);
      // An item the plan cannot name the file of: no plan is kept, and a later edit takes the long way.
      if (article === undefined) return undefined;
      push(article);
    }
  }
  return { paths: articles.map((article) => article.entry.path), keys: articles.map((article) => article.key), documents: documents.map((doc) => doc.path), items: items.subarray(0, length), frontDoor: frontDoor ?? null };
}

/** Each of these articles (by path under the content folder) as the plan holds it; those it does not hold (not read, or no longer listed) are left out. */
export function placesOf(plan: KeptPlan, paths: ReadonlySet<string>): Map<string, KeptArticle> {
  const wanted = new Map<number, { path: string; key: string; documents: string[] }>();
  plan.paths.forEach((path, i) => void (paths.has(path) && wanted.set(i, { path, key: plan.keys[i]!, documents: [] })));
  if (wanted.size > 0) {
    let at = 0;
    for (const doc of plan.documents) {
      const count = plan.items[at++] ?? 0;
      for (let j = at; j < at + count; j++) wanted.get(plan.items[j] ?? -1)?.documents.push(doc);
      at += count;
    }
  }
  return new Map([...wanted.values()].map(({ path, ...article }) => [path, article]));
}

/** The same plan with these articles (by path) under new keys: what a patch leaves for the next build. */
export function withKeys(plan: KeptPlan, keys: ReadonlyMap<string, string>): KeptPlan {
  return { ...plan, keys: plan.keys.map((key, i) => keys.get(plan.paths[i]!) ?? key) };
}

/**
 * Writes the plan beside the record; its digest, for the record. Written in parts, each made as
 * the one before is written: at 100,000 articles the text is 18 MB, and made whole, it and its
 * copies (sealed, encoded) put the build's peak memory at its very end, some 50 MiB above any
 * other moment of it.
 */
export async function savePlan(recordFile: string, plan: KeptPlan): Promise<string> {
  const digest = createHash("sha256");
  const parts = function* () {
    for (const part of sealedParts(planParts(plan))) {
      digest.update(part);
      yield part;
    }
  };
  await writeAtomically(planFile(recordFile), parts());
  return digest.digest("hex");
}

/** The plan's JSON text without its closing brace, member by member. */
function* planParts(plan: KeptPlan): Generator<string> {
  yield `{"format":${FORMAT},"paths":`;
  yield JSON.stringify(plan.paths);
  yield `,"keys":`;
  yield JSON.stringify(plan.keys);
  yield `,"documents":`;
  yield JSON.stringify(plan.documents);
  const bytes = Buffer.alloc(4 * plan.items.length);
  plan.items.forEach((value, i) => bytes.writeUInt32LE(value, 4 * i));
  yield `,"items":"${bytes.toString("base64")}","frontDoor":`;
  yield JSON.stringify(plan.frontDoor);
}

/** The digest a record names its plan by: the sha256 of the file's bytes. */
export function planDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function planFile(recordFile: string): string {
  return recordFile.replace(/\.json$/, ".plan.json");
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
  if (!strings(paths) || !strings(keys) || paths.length !== keys.length || !strings(documents) || typeof items !== "string") return undefined;
  if (frontDoor !== null && (typeof frontDoor !== "object" || frontDoor === undefined)) return undefined;
  const bytes = Buffer.from(items, "base64");
  if (bytes.length % 4 !== 0) return undefined;
  const numbers = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < numbers.length; i++) numbers[i] = bytes.readUInt32LE(4 * i);
  return { paths, keys, documents, items: numbers, frontDoor: frontDoor as KeptFrontDoor | null };
}
