/**
 * WebSub (W3C Recommendation, 2018) publishing: after a build, the hub is told which feeds
 * changed, so subscribers learn of a new article in seconds instead of at their next poll.
 *
 * The build records the changed subscription feeds beside its cache; `feedwright ping` sends
 * them. A publish notification is not part of WebSub itself (§7 leaves it to the hub); every
 * common hub (Google's pubsubhubbub.appspot.com, Superfeedr, WebSubHub) takes the same form
 * POST: hub.mode=publish&hub.url=<feed URL>.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";

export interface PingRecord {
  readonly hub: string;
  /** Absolute URLs of the subscription feeds whose bytes changed in the last build. */
  readonly topics: readonly string[];
}

export interface PingResult {
  readonly topic: string;
  readonly ok: boolean;
  /** HTTP status, or the network error. */
  readonly detail: string;
}

/** Subscription feeds only: archive pages are never subscribed to, and they never change once full. */
export function changedTopics(changed: readonly string[], siteUrl: string, feedFiles: readonly string[]): string[] {
  return changed
    .filter((path) => feedFiles.includes(path.slice(path.lastIndexOf("/") + 1)) && !/(^|\/)archive\/\d+\//.test(path))
    .map((path) => new URL(path, siteUrl).href)
    .sort();
}

export async function saveRecord(cacheDir: string, outDir: string, record: PingRecord): Promise<void> {
  const file = recordFile(cacheDir, outDir);
  await mkdir(join(cacheDir, "websub"), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(record));
  await rename(`${file}.tmp`, file);
}

export async function loadRecord(cacheDir: string, outDir: string): Promise<PingRecord | undefined> {
  try {
    const data = JSON.parse(await readFile(recordFile(cacheDir, outDir), "utf8")) as Partial<PingRecord>;
    if (typeof data.hub !== "string" || !Array.isArray(data.topics) || !data.topics.every((t) => typeof t === "string")) return undefined;
    return { hub: data.hub, topics: data.topics };
  } catch {
    return undefined;
  }
}

/** Notifies the hub of each topic, one request each, and says how each went. */
export async function ping(record: PingRecord, timeoutMs = 10_000): Promise<PingResult[]> {
  const results: PingResult[] = [];
  for (const topic of record.topics) {
    try {
      const response = await fetch(record.hub, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ "hub.mode": "publish", "hub.url": topic }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      await response.arrayBuffer();
      results.push({ topic, ok: response.status >= 200 && response.status < 300, detail: `HTTP ${response.status}` });
    } catch (e) {
      results.push({ topic, ok: false, detail: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e) });
    }
  }
  return results;
}

function recordFile(cacheDir: string, outDir: string): string {
  return join(cacheDir, "websub", `${createHash("sha256").update(resolve(outDir)).digest("hex").slice(0, 32)}.json`);
}
