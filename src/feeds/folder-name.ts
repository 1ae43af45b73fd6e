import { createHash } from "node:crypto";
import { caseFold } from "unicode-case-folding";
import { isReservedName } from "../content/permalink.ts";

/**
 * Largest folder name made from a tag or a section folder, in UTF-8 bytes: far below the 255 bytes
 * a file name may have (ext4, APFS, NTFS), with room for macOS's NFD forms, which can be up to
 * three times longer, and for the paths around it.
 */
export const MAX_FOLDER_NAME_BYTES = 80;
/** Of which the readable part of a name that also carries a hash (then `--` and the hash). */
const READABLE_BYTES = 68;
/** 10 base32 characters: 50 bits of SHA-256. */
const HASH_CHARS = 10;

/**
 * Two names that a case-insensitive disk (APFS, NTFS) or a Unicode-aware reader takes as one are one
 * name: canonical caseless match (Unicode §3.13, default full case folding: `ſ` is `s`, final `ς` is
 * `σ`, `ß` is `ss`), in NFC. White space counts as a hyphen, as every site generator slugs a tag
 * (Hugo's urlize, Jekyll's slugify): `Big News` and `big-news` are one tag, in `tags/big-news/`
 * beside the site's own tag page.
 */
export function foldKey(name: string): string {
  return caseFold(name.normalize("NFD")).normalize("NFC").replace(/\s+/gu, "-");
}

/**
 * The folder a tag's feed (or a section's) is written to: deterministic, never empty, at most
 * `MAX_FOLDER_NAME_BYTES` bytes, safe on every common disk (letters, digits, marks, `-`, `_`; no
 * reserved Windows name, no dot, no space), and different for any two names with different
 * `foldKey`s.
 *
 * After folding, words (letters, digits, marks) joined by single hyphens are their own folder
 * (`open-web`, `künstliche-intelligenz`, `ai`, and `big-news` for `Big News`). Any other name gets
 * a readable part (words joined by `-`; or its code points in hex when it has no letter or digit),
 * `--` and a hash of its folded form (`c--…` for `C#`, `1f600--…` for `😀`). A plain name has no
 * `--`, so the two kinds never meet; two hashed names could meet only if SHA-256's first 50 bits
 * agree, which callers report as an error.
 */
export function folderName(name: string): string {
  const key = foldKey(name);
  if (bytes(key) <= MAX_FOLDER_NAME_BYTES && !isReservedName(key)) {
    if (/^[\p{L}\p{N}\p{M}]+(?:-[\p{L}\p{N}\p{M}]+)*$/u.test(key)) return key;
  }
  const readable = key.replace(/[^\p{L}\p{N}\p{M}]+/gu, "-").replace(/^-+|-+$/g, "");
  const shown = readable || [...key].map((ch) => ch.codePointAt(0)!.toString(16)).join("-") || "empty";
  return `${cut(shown, READABLE_BYTES)}--${hash(key)}`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of whole code points within `max` bytes, without a trailing `-`. */
function cut(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (bytes(out) + bytes(ch) > max) break;
    out += ch;
  }
  return out.replace(/-+$/, "");
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function hash(key: string): string {
  const digest = createHash("sha256").update(key, "utf8").digest();
  let out = "";
  for (let i = 0; i < HASH_CHARS; i++) {
    // 5 bits at bit offset 5i, big-endian.
    const bit = i * 5;
    const word = (digest[bit >> 3]! << 8) | digest[(bit >> 3) + 1]!;
    out += BASE32[(word >> (11 - (bit & 7))) & 31];
  }
  return out;
}
