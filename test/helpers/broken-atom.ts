/**
 * Atom documents that break RFC 4287 in one way each, made from a valid one: for showing that a
 * validator the tests rely on can say no (test/validators.test.ts with libxml2,
 * test/interop/atom-schema.test.ts with jing).
 */
export interface AtomCase {
  readonly name: string;
  readonly xml: string;
}

/** Replaces the first match, and fails loudly if there is none (a case that changes nothing proves nothing). */
function once(xml: string, pattern: RegExp | string, replacement: string, name: string): AtomCase {
  const changed = xml.replace(pattern, replacement);
  if (changed === xml) throw new Error(`broken Atom case "${name}": the pattern matched nothing`);
  return { name, xml: changed };
}

/** Each way to break `good` (an Atom feed with at least one entry): all must be refused. */
export function brokenAtom(good: string): AtomCase[] {
  return [
    once(good, /<id>[^<]*<\/id>/, "", "the feed without its id"),
    once(good, /(<entry>[\s\S]*?)<id>[^<]*<\/id>/, "$1", "an entry without its id"),
    once(good, /<title/, "<bogus>x</bogus><title", "an unknown element in the Atom namespace"),
    once(good, /<updated>[^<]*<\/updated>/, "<updated>yesterday</updated>", "a date that is not RFC 3339"),
    once(good, /<link ([^>]*)href="[^"]*"/, "<link $1", "a link without href"),
    once(good, /(<title[^>]*>[^<]*<\/title>)/, "$1$1", "two titles"),
    once(good, /<author>\s*<name>[^<]*<\/name>/, "<author>", "an author without a name"),
    once(good, /<content type="html">/, '<content type="nonsense">', "a content type that is not text, html, xhtml or a MIME type"),
    once(good, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/, '<feed xmlns="http://example.org/not-atom"', "the wrong namespace"),
  ];
}
