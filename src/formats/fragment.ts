/** A piece of a document's text: a string, or a fragment's markup already encoded as UTF-8. */
export type Piece = string | Uint8Array;

/**
 * One article's item in one format, made once per build and placed as it is into every document
 * that holds the article (the site feed, its section's, each tag's, an archive page).
 */
export interface Fragment<Markup extends Piece = string> {
  /** The item's markup (or JSON), indented for its place in a document. */
  readonly markup: Markup;
  /** Whether the item carries a body: RSS declares its namespaces by that. */
  readonly hasContent: boolean;
}

/** A document's text from its pieces. */
export function joinPieces(pieces: readonly Piece[]): string {
  return pieces.map((piece) => (typeof piece === "string" ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString("utf8"))).join("");
}

/** What the memo knows of one item: documents still to hold it, and the formats they are in. */
interface Use {
  uses: number;
  /** Bit i: a document in `formats[i]` holds it. */
  mask: number;
}

interface Kept {
  /** The formats it was made in (bits, as in `Use`). */
  readonly mask: number;
  /** By format index; undefined where not made. */
  readonly fragments: Promise<readonly (Fragment<Uint8Array> | undefined)[]>;
}

/**
 * Every fragment a build uses, each made once: kept while a document that holds it is still to
 * be written, and dropped after the last one (so archives of a large site are not all held).
 * An item is made in every format some document holds it in at once, so its body is fetched
 * once per build, not once per format.
 *
 * Fragments are kept as UTF-8 bytes, off the JavaScript heap. Kept as strings they outlive a few
 * young-generation collections, are promoted, and then die in the old generation, which V8 lets
 * grow to several times what is live before collecting it: on a large site that garbage, as much
 * as all the documents written, was most of the build's peak memory.
 */
export class FragmentMemo<Ref extends { readonly body: string }> {
  /** By body key: the key is the article's own string, so the maps add no strings per item. */
  readonly #kept = new Map<string, Kept>();
  readonly #uses = new Map<string, Use>();

  constructor(
    /** Every format a document may be in. */
    private readonly formats: readonly string[],
    /** Renders the fragments of items not yet made (a batch, in order), in each of `formats`: `[format][item]`. */
    private readonly make: (formats: readonly string[], refs: readonly Ref[]) => Promise<Fragment[][]>,
  ) {}

  /** Counts one more document of `format` that will hold `refs`. */
  plan(format: string, refs: readonly Ref[]): void {
    const bit = this.#bit(format);
    for (const ref of refs) {
      const use = this.#uses.get(ref.body);
      if (use === undefined) this.#uses.set(ref.body, { uses: 1, mask: bit });
      else {
        use.uses++;
        use.mask |= bit;
      }
    }
  }

  /** The fragments of `refs` in `format`, in order, made now for those not yet made. */
  async take(format: string, refs: readonly Ref[]): Promise<Fragment<Uint8Array>[]> {
    const bit = this.#bit(format);
    const missing = refs.filter((ref) => ((this.#kept.get(ref.body)?.mask ?? 0) & bit) === 0);
    if (missing.length > 0) {
      // One batch in the union of the formats these items are planned in: all of a page's
      // documents (RSS, Atom, JSON Feed) are made from one fetch of each body.
      let mask = bit;
      for (const ref of missing) mask |= (this.#uses.get(ref.body)?.mask ?? 0) | (this.#kept.get(ref.body)?.mask ?? 0);
      const indexes = this.formats.flatMap((_, i) => ((mask >> i) & 1) === 1 ? [i] : []);
      const batch = this.make(indexes.map((i) => this.formats[i]!), missing);
      // A failed batch surfaces through the document awaiting it, not as an unhandled rejection.
      batch.catch(() => undefined);
      missing.forEach((ref, r) => {
        const fragments = batch.then((made) => this.formats.map((_, i) => encode(made[indexes.indexOf(i)]?.[r])));
        fragments.catch(() => undefined);
        this.#kept.set(ref.body, { mask, fragments });
      });
    }
    const index = this.formats.indexOf(format);
    return Promise.all(refs.map(async (ref) => (await this.#kept.get(ref.body)!.fragments)[index]!));
  }

  /** One document holding `refs` is done (in any format): fragments no other document needs are dropped. */
  release(refs: readonly Ref[]): void {
    for (const ref of refs) {
      const use = this.#uses.get(ref.body);
      if (use !== undefined && use.uses > 1) use.uses--;
      else {
        this.#uses.delete(ref.body);
        this.#kept.delete(ref.body);
      }
    }
  }

  #bit(format: string): number {
    const i = this.formats.indexOf(format);
    if (i < 0) throw new Error(`FragmentMemo: ${format} is not one of ${this.formats.join(", ")}`);
    return 1 << i;
  }
}

function encode(fragment: Fragment | undefined): Fragment<Uint8Array> | undefined {
  return fragment === undefined ? undefined : { markup: Buffer.from(fragment.markup), hasContent: fragment.hasContent };
}
