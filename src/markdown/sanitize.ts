/**
 * The raw HTML a site lets through (`html: true`) is cleaned by sanitize-html, a maintained
 * allowlist sanitizer: what is not listed here is removed. Kept: text structure, links, images
 * with `srcset`, figures, tables and code. Removed: scripts, styles, frames, forms, embedded
 * objects, every event-handler attribute, and any URL whose scheme is not http, https or mailto
 * (so `javascript:`, `vbscript:` and `data:`). Relative URLs become absolute against the
 * article's URL, since feed readers ignore xml:base.
 */
import sanitizeHtml from "sanitize-html";

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  "img", "picture", "source", "figure", "figcaption", "del", "ins", "details", "summary", "audio", "video", "track",
];

const ALLOWED_ATTRIBUTES: sanitizeHtml.IOptions["allowedAttributes"] = {
  a: ["href", "title", "hreflang", "rel"],
  img: ["src", "srcset", "sizes", "alt", "title", "width", "height", "loading"],
  source: ["src", "srcset", "sizes", "media", "type"],
  audio: ["src", "controls"],
  video: ["src", "poster", "controls", "width", "height"],
  track: ["src", "kind", "srclang", "label"],
  td: ["colspan", "rowspan", "align"],
  th: ["colspan", "rowspan", "align", "scope"],
  ol: ["start", "reversed", "type"],
  li: ["value"],
  // Syntax highlighters key on the language class (`language-js`).
  code: ["class"],
  pre: ["class"],
  abbr: ["title"],
  time: ["datetime"],
  "*": ["id", "lang", "dir"],
};

const URL_ATTRIBUTES = ["href", "src", "poster"];

/** Cleans `html` and makes every URL in it absolute against `baseUrl`. */
export function sanitizeBody(html: string, baseUrl: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: { code: [/^language-[\w-]+$/], pre: [/^language-[\w-]+$/] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href", "src", "cite", "poster", "srcset"],
    allowProtocolRelative: false,
    // Tags not allowed are dropped with their content when they hold code or styles, and
    // unwrapped (content kept as text) otherwise.
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "template", "iframe", "object", "embed", "svg", "math"],
    disallowedTagsMode: "discard",
    // Void elements (HTML §13.1.2): never given an end tag.
    selfClosing: [...sanitizeHtml.defaults.selfClosing, "source", "track", "wbr", "col"],
    transformTags: { "*": (tagName, attribs) => ({ tagName, attribs: absolutize(attribs, baseUrl) }) },
  });
}

/** Runs before the allowlist checks, so a URL that resolves to a bad scheme is still removed. */
function absolutize(attribs: sanitizeHtml.Attributes, baseUrl: string): sanitizeHtml.Attributes {
  const out: sanitizeHtml.Attributes = { ...attribs };
  for (const name of URL_ATTRIBUTES) {
    const value = out[name];
    if (value === undefined) continue;
    const absolute = resolve(value, baseUrl);
    if (absolute === undefined) delete out[name];
    else out[name] = absolute;
  }
  if (out.srcset !== undefined) {
    // Candidates are "URL [descriptor]", separated by commas followed by whitespace (HTML §4.8.4.3.9).
    const candidates = out.srcset.trim().split(/,\s+/).map((candidate) => {
      const [url = "", ...descriptor] = candidate.trim().split(/\s+/);
      const absolute = resolve(url, baseUrl);
      return absolute === undefined ? undefined : [absolute, ...descriptor].join(" ");
    });
    if (candidates.some((c) => c === undefined)) delete out.srcset;
    else out.srcset = candidates.join(", ");
  }
  return out;
}

function resolve(url: string, baseUrl: string): string | undefined {
  try {
    return new URL(url.trim(), baseUrl).href;
  } catch {
    return undefined;
  }
}
