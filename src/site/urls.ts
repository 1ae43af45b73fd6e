import { text } from "../content/fields.ts";

/**
 * An absolute http(s) URL a setting or front matter gives (the site's `url`, `hub`, an author's
 * `url`): written into every feed as it is, so one without a user name or password. The one check
 * every such key goes through.
 */
export const httpUrl = (what: string) =>
  text(what)
    .refine((value) => {
      try {
        return ["http:", "https:"].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `expected an absolute http(s) URL like https://example.org/`)
    // Only for http(s): any other URL is already refused above, once is enough.
    .refine((value) => !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol) || credentialsProblem(new URL(value)) === undefined, "must not hold a user name or password: it would be published in every feed");

/**
 * Links the site settings and articles give (`icon`, `logo`, `image`): resolved against `base`
 * and refused unless a feed reader could fetch them. `javascript:`, `data:` and `file:` URLs are
 * never fetched safely (a script, an unbounded inline payload, the reader's own disk), and a
 * user name or password would be published in every feed.
 */
export function resolveLink(value: string, base: string): { ok: true; href: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return { ok: false, reason: `expected a URL or a path (got ${JSON.stringify(value)})` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `expected an http(s) URL or a path; ${url.protocol} URLs are not fetched by feed readers (got ${JSON.stringify(value)})` };
  }
  const credentials = credentialsProblem(url);
  if (credentials !== undefined) return { ok: false, reason: credentials };
  return { ok: true, href: url.href };
}

/** By site URL: the folder its relative paths resolve against (`https://example.org/blog/`), parsed once. */
const folders = new Map<string, string>();

/**
 * A path under the site (`2024/03/news/`, no leading `/`) made absolute: `new URL(path, siteUrl).href`,
 * without parsing either when the parser would keep the path as it is (a permalink, once per
 * article: 7 µs each). Such a path holds only letters, digits, `-._~%` and `/`, does not start
 * with `/`, and has no dot segment (`.`, `..`, `%2e`), which the parser would resolve.
 */
export function underSite(path: string, siteUrl: string): string {
  if (!PLAIN_PATH.test(path) || DOT_SEGMENT.test(path)) return new URL(path, siteUrl).href;
  let folder = folders.get(siteUrl);
  if (folder === undefined) folders.set(siteUrl, (folder = new URL("./", siteUrl).href));
  return folder + path;
}

const PLAIN_PATH = /^[A-Za-z0-9\-._~%][A-Za-z0-9\-._~%/]*$/;
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/** A user name or password in a URL that is written into every feed is a published secret. */
export function credentialsProblem(url: URL): string | undefined {
  return url.username !== "" || url.password !== "" ? "must not hold a user name or password: it would be published in every feed" : undefined;
}

/**
 * Characters an IRI may not hold (RFC 3987 §2.2: no space, no controls, none of `<>"{}|\^` and
 * backquote): an id with one is not a URI, and readers compare ids as strings, each mending it
 * its own way.
 */
export function idProblem(id: string, orElse = "leave it out"): string | undefined {
  const bad = /[\s<>"{}|\\^`\u0000-\u001f\u007f-\u009f]/u.exec(id);
  if (bad === null) return undefined;
  const what = /\s/u.test(bad[0]) ? "a space" : `the character ${JSON.stringify(bad[0])}`;
  return `an id may not hold ${what}; percent-encode it (${JSON.stringify(bad[0])} is ${encodeURIComponent(bad[0])}) or ${orElse} (got ${JSON.stringify(id)})`;
}
