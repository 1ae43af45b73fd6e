/**
 * One article's item in one format, made once per build and placed as it is into every document
 * that holds the article (the site feed, its section's, each tag's, an archive page).
 */
export interface Fragment {
  /** The item's markup (or JSON), indented for its place in a document. */
  readonly markup: string;
  /** Whether the item carries a body: RSS declares its namespaces by that. */
  readonly hasContent: boolean;
}

/**
 * Every fragment a build uses, each made once: kept while a document that holds it is still to
 * be written, and dropped after the last one (so archives of a large site are not all held).
 */
export class FragmentMemo<Ref extends { readonly body: string }> {
  readonly #kept = new Map<string, Promise<Fragment>>();
  readonly #uses = new Map<string, number>();

  constructor(
    /** Renders the fragments of items not yet made, given their refs (a batch, in order). */
    private readonly make: (format: string, refs: readonly Ref[]) => Promise<Fragment[]>,
  ) {}

  /** Counts one more document of `format` that will hold `refs`. */
  plan(format: string, refs: readonly Ref[]): void {
    for (const ref of refs) {
      const key = keyOf(format, ref);
      this.#uses.set(key, (this.#uses.get(key) ?? 0) + 1);
    }
  }

  /** The fragments of `refs` in order, made now for those not yet made. */
  async take(format: string, refs: readonly Ref[]): Promise<Fragment[]> {
    const missing = refs.filter((ref) => !this.#kept.has(keyOf(format, ref)));
    if (missing.length > 0) {
      const batch = this.make(format, missing);
      // A failed batch surfaces through the document awaiting it, not as an unhandled rejection.
      batch.catch(() => undefined);
      missing.forEach((ref, i) => this.#kept.set(keyOf(format, ref), batch.then((made) => made[i]!)));
    }
    return Promise.all(refs.map((ref) => this.#kept.get(keyOf(format, ref))!));
  }

  /** One document of `format` holding `refs` is done: fragments no other document needs are dropped. */
  release(format: string, refs: readonly Ref[]): void {
    for (const ref of refs) {
      const key = keyOf(format, ref);
      const left = (this.#uses.get(key) ?? 1) - 1;
      if (left > 0) this.#uses.set(key, left);
      else {
        this.#uses.delete(key);
        this.#kept.delete(key);
      }
    }
  }
}

const keyOf = (format: string, ref: { readonly body: string }) => `${format}\u0000${ref.body}`;
