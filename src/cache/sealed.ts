/**
 * The cache's JSON files that are taken whole or not at all (the index's shards, the last
 * build's record): their last member, `check`, is the sha256 of the JSON text before it (closed
 * with `}`). A text that is byte for byte what `sealed` wrote is taken without checking its parts
 * one by one; any other text, damaged anywhere, is not taken at all. Loads nothing.
 */
import { createHash } from "node:crypto";

const CHECK_MEMBER = ',"check":"';
const CHECK_BYTES = Buffer.from(CHECK_MEMBER);
const END_BYTES = Buffer.from('"}');
/** A sha256 digest in hex. */
const DIGEST_LENGTH = 64;

/** Any character past ASCII (each half of a surrogate pair on its own). */
const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * `value` (an object with at least one member) as JSON, sealed with the digest of that JSON. The
 * JSON is ASCII only, every other character written as an escape: a text with a single character
 * past ASCII decodes to a string of two bytes a character, and at 50,000 articles the shards'
 * 36 MB took 130-190 ms to decode that way against 55-70 ms as ASCII.
 */
export function sealed(value: object): string {
  const json = JSON.stringify(value);
  return [...sealedParts([json.slice(0, -1)])].join("");
}

/**
 * The same sealed text in parts, made one after another: `parts` are an object's JSON text
 * without its closing brace; each is given back escaped as `sealed` escapes, then the seal. For a
 * file too large to hold twice (the kept plan, src/cache/kept-plan.ts).
 */
export function* sealedParts(parts: Iterable<string>): Generator<string> {
  const digest = createHash("sha256");
  for (const part of parts) {
    const ascii = part.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    digest.update(ascii);
    yield ascii;
  }
  yield `${CHECK_MEMBER}${digest.update("}").digest("hex")}"}`;
}

/**
 * The object a sealed file holds, `check` included, when its bytes are exactly what `sealed`
 * wrote; undefined otherwise. Checked on the bytes as read, before they are decoded: at 50,000
 * articles the digest of the text's slice cost a copy of it and its encoding back to UTF-8.
 */
export function unsealed(file: Uint8Array): Record<string, unknown> | undefined {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const at = bytes.lastIndexOf(CHECK_BYTES);
  const digestAt = at + CHECK_BYTES.length;
  // The file ends right after the digest, which is that of the JSON before it.
  if (at < 0 || bytes.length !== digestAt + DIGEST_LENGTH + END_BYTES.length || !bytes.subarray(-END_BYTES.length).equals(END_BYTES)) return undefined;
  const digest = createHash("sha256").update(bytes.subarray(0, at)).update("}").digest("hex");
  if (bytes.toString("latin1", digestAt, digestAt + DIGEST_LENGTH) !== digest) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
