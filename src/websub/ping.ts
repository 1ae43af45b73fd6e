/**
 * WebSub (W3C Recommendation, 2018) publishing: after a build, the hub is told which feeds
 * changed, so subscribers learn of a new article in seconds instead of at their next poll.
 *
 * The build records the changed subscription feeds beside its cache; `feedwright ping` sends
 * them. A publish notification is not part of WebSub itself (§7 leaves it to the hub); every
 * common hub (Google's pubsubhubbub.appspot.com, Superfeedr, WebSubHub) takes the same form
 * POST: hub.mode=publish&hub.url=<feed URL>.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { writeAtomically } from "../output/atomic.ts";

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
  await writeAtomically(file, JSON.stringify(record));
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

export interface PingLimits {
  /** For one request, answer and body. */
  readonly timeoutMs: number;
  /** For the whole run: a hub that hangs costs this at most, however many feeds changed. */
  readonly deadlineMs: number;
  /** Requests at once. */
  readonly concurrency: number;
}

export const PING_LIMITS: PingLimits = { timeoutMs: 10_000, deadlineMs: 30_000, concurrency: 4 };

/**
 * Notifies the hub of each topic, a few requests at once, and says how each went. Each request
 * has its own timeout and the run an overall deadline: topics not sent by then fail as such.
 */
export async function ping(record: PingRecord, limits: PingLimits = PING_LIMITS): Promise<PingResult[]> {
  const deadline = AbortSignal.timeout(limits.deadlineMs);
  const results = new Array<PingResult>(record.topics.length);
  let next = 0;
  const one = async (topic: string): Promise<PingResult> => {
    if (deadline.aborted) return { topic, ok: false, detail: `not sent: the run's ${seconds(limits.deadlineMs)} were up` };
    const own = AbortSignal.timeout(limits.timeoutMs);
    try {
      const response = await fetch(record.hub, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ "hub.mode": "publish", "hub.url": topic }).toString(),
        signal: AbortSignal.any([own, deadline]),
        redirect: "error",
      });
      await response.arrayBuffer();
      return { topic, ok: response.status >= 200 && response.status < 300, detail: `HTTP ${response.status}` };
    } catch (e) {
      if (own.aborted) return { topic, ok: false, detail: `no answer within ${seconds(limits.timeoutMs)}` };
      if (deadline.aborted) return { topic, ok: false, detail: `no answer before the run's ${seconds(limits.deadlineMs)} were up` };
      return { topic, ok: false, detail: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e) };
    }
  };
  const worker = async () => {
    while (next < record.topics.length) {
      const i = next++;
      results[i] = await one(record.topics[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limits.concurrency, record.topics.length) }, worker));
  return results;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function recordFile(cacheDir: string, outDir: string): string {
  return join(cacheDir, "websub", `${createHash("sha256").update(resolve(outDir)).digest("hex").slice(0, 32)}.json`);
}
