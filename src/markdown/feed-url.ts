/**
 * The one rule for every URL an article body carries into a feed: Markdown links and images
 * (render.ts), raw HTML and template output (sanitize.ts) alike, so an article keeps the same
 * links whether or not it also holds a tag (docs/formats.md, "Links and images").
 *
 * A URL is resolved against the article's URL, since readers ignore xml:base (RFC 3986 §5.2). So is
 * a protocol-relative `//host/x`, which takes the article's scheme: a feed has no page of its own
 * for a reader to resolve it against, and the article's page is where it was written to be read.
 * Then a link (`href`) may be http, https or mailto; a resource a reader fetches (`src`, `poster`,
 * a `srcset` candidate) only http or https, since a mailto: URL fetches nothing. Any other scheme
 * opens nothing in a reader, or what it should not: `javascript:`, `vbscript:`, `data:`, `file:`,
 * a browser's or an app's own (`chrome:`, `intent:`), a typo (`hhttp:`).
 */

/** What the URL is for: followed when clicked, or fetched to be shown. */
export type UrlUse = "link" | "resource";

/** Schemes a link may have; sanitize-html's own check is given the same list. */
export const LINK_SCHEMES: readonly string[] = ["http", "https", "mailto"];
const RESOURCE_SCHEMES: readonly string[] = ["http", "https"];

export type FeedUrl =
  | { readonly ok: true; readonly url: string }
  /** `scheme` is undefined when the value is no URL at all. */
  | { readonly ok: false; readonly scheme: string | undefined };

/** `value` as a feed may carry it, absolute, or why not. */
export function feedUrl(value: string, baseUrl: string, use: UrlUse): FeedUrl {
  let url: URL;
  try {
    url = new URL(value, baseUrl);
  } catch {
    return { ok: false, scheme: undefined };
  }
  const scheme = url.protocol.slice(0, -1);
  return (use === "link" ? LINK_SCHEMES : RESOURCE_SCHEMES).includes(scheme) ? { ok: true, url: url.href } : { ok: false, scheme };
}
