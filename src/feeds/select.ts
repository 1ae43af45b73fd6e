import type { Article } from "../content/article.ts";
import { compareText } from "../problems.ts";
import type { Site } from "../site/settings.ts";

/** Date descending, then id: a total order, so equal dates never reorder between builds. */
export function newestFirst(a: Pick<Article, "date" | "id">, b: Pick<Article, "date" | "id">): number {
  return byDateThenId(a.date.toMillis(), a.id, b.date.toMillis(), b.id);
}

/** `newestFirst` on the dates' milliseconds. */
function byDateThenId(aMs: number, aId: string, bMs: number, bId: string): number {
  return bMs - aMs || compareText(aId, bId);
}

/**
 * Whether every published article is shown in some document: with archives on, each is in its
 * site or section feed or one of their archive pages. Then bodies are rendered as files are read;
 * otherwise only after the documents are planned, and only for the items they hold.
 */
export function showsEveryArticle(site: Pick<Site, "archives">): boolean {
  return site.archives.length > 0;
}

/** An article as `ShownSoFar` ranks it: by `newestFirst`, in the feeds it is in. */
interface Ranked {
  readonly key: string;
  readonly ms: number;
  readonly id: string;
}

/**
 * The articles some document will show, found while they are read, for a site whose documents
 * hold only each feed's newest `limit` (archives off): for every feed (the site's, each
 * section's and each tag's, named by the caller), the newest `limit` of the articles read so far.
 * Exact once every article is read: an article among a feed's newest `limit` of all is among the
 * newest `limit` of those read before it, and only a newer one pushes it out.
 *
 * For each article some feed holds, `value` is kept (src/pipeline/articles.ts: the article as
 * parsed, so that it is not read again to be rendered), while the values held weigh at most
 * `budget` in all (`size` each); one past it is ranked all the same, with nothing kept for it.
 * An article no feed holds any more is let go.
 */
export class ShownSoFar<T> {
  readonly #feeds = new Map<string, Ranked[]>();
  readonly #held = new Map<string, { value: T | undefined; size: number; feeds: number }>();
  #weight = 0;

  constructor(
    readonly limit: number,
    readonly budget: number,
  ) {}

  /** Ranks an article in each of `feeds` (names, each once), keeping `value` if any feed now holds it. */
  offer(key: string, article: Pick<Article, "date" | "id">, feeds: Iterable<string>, size: number, value: T): void {
    const ranked: Ranked = { key, ms: article.date.toMillis(), id: article.id };
    let holders = 0;
    for (const name of feeds) {
      let heap = this.#feeds.get(name);
      if (heap === undefined) this.#feeds.set(name, (heap = []));
      if (heap.length < this.limit) {
        push(heap, ranked);
        holders++;
      } else if (this.limit > 0 && older(heap[0]!, ranked)) {
        this.#drop(replaceOldest(heap, ranked).key);
        holders++;
      }
    }
    if (holders === 0) return;
    const kept = this.#weight + size <= this.budget;
    if (kept) this.#weight += size;
    this.#held.set(key, { value: kept ? value : undefined, size: kept ? size : 0, feeds: holders });
  }

  /** What is kept for the article of `key`: undefined when no feed holds it, or the budget did not reach it. */
  get(key: string): T | undefined {
    return this.#held.get(key)?.value;
  }

  /** The keys some feed holds: every article a document will show, once all are offered. */
  keys(): IterableIterator<string> {
    return this.#held.keys();
  }

  clear(): void {
    this.#feeds.clear();
    this.#held.clear();
    this.#weight = 0;
  }

  #drop(key: string): void {
    const held = this.#held.get(key)!;
    if (--held.feeds > 0) return;
    this.#held.delete(key);
    this.#weight -= held.size;
  }
}

/** `a` is older than `b`: the oldest is at the top of a feed's heap, the first pushed out. */
const older = (a: Ranked, b: Ranked): boolean => byDateThenId(a.ms, a.id, b.ms, b.id) > 0;

function push(heap: Ranked[], item: Ranked): void {
  let i = heap.length;
  heap.push(item);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!older(item, heap[parent]!)) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = item;
}

/** Puts `item` in the place of the oldest, which it returns. */
function replaceOldest(heap: Ranked[], item: Ranked): Ranked {
  const oldest = heap[0]!;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && older(heap[right]!, heap[left]!) ? right : left;
    if (!older(heap[child]!, item)) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = item;
  return oldest;
}
