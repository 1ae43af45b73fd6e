/**
 * Raw HTML in articles (rendered by default; site setting `html: false` shows it as text) is
 * cleaned by sanitize-html, a maintained allowlist sanitizer: what is not listed here is removed.
 * Kept: text structure, `div`/`span`, links, images with `srcset`, figures, tables, `details`,
 * code, and the content of `<noscript>` (its fallback images are what a feed reader, which runs
 * no scripts, should show). Removed: scripts, styles, forms, embedded objects, `style` and every
 * event-handler attribute, and any URL that `feedUrl` (feed-url.ts) refuses, the rule Markdown
 * links go through too. An `<iframe>` becomes a link to what it embedded (a YouTube or Vimeo
 * player to the video's page), never a frame.
 */
import { createRequire } from "node:module";
import type sanitizeHtml from "sanitize-html";
import { feedUrl, LINK_SCHEMES, type UrlUse } from "./feed-url.ts";
import { rewriteSrcset } from "./srcset.ts";

/**
 * sanitize-html (CommonJS) is loaded the first time a body holding HTML is cleaned, not at
 * start-up: about 90 ms of every build whose articles hold none, and of every build that renders
 * nothing (all in the cache).
 */
let loaded: typeof sanitizeHtml | undefined;
function sanitizer(): typeof sanitizeHtml {
  return (loaded ??= createRequire(import.meta.url)("sanitize-html") as typeof sanitizeHtml);
}

const ALLOWED_TAGS = () => [
  ...sanitizer().defaults.allowedTags,
  "img", "picture", "source", "figure", "figcaption", "del", "ins", "details", "summary", "audio", "video", "track",
];

/** The classes our own Markdown extensions write (footnotes, task lists), and code languages. */
const ALLOWED_CLASSES: sanitizeHtml.IOptions["allowedClasses"] = {
  code: [/^language-[\w-]+$/],
  pre: [/^language-[\w-]+$/],
  sup: ["footnote-ref"],
  hr: ["footnotes-sep"],
  section: ["footnotes"],
  ol: ["footnotes-list"],
  ul: ["contains-task-list"],
  li: ["footnote-item", "task-list-item"],
  a: ["footnote-backref"],
};

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
  details: ["open"],
  "*": ["id", "lang", "dir"],
};

/** Every URL attribute ALLOWED_ATTRIBUTES keeps (and srcset, a list of resources). */
const URL_ATTRIBUTES: readonly (readonly [string, UrlUse])[] = [["href", "link"], ["src", "resource"], ["poster", "resource"]];

let allowedTags: string[] | undefined;

/** Cleans `html` and makes every URL in it absolute against `baseUrl`. */
export function sanitizeBody(html: string, baseUrl: string): string {
  const sanitizeHtml = sanitizer();
  allowedTags ??= ALLOWED_TAGS();
  return sanitizeHtml(html, {
    allowedTags,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: ALLOWED_CLASSES,
    // absolutize has already applied feedUrl's rule: this is a second lock, on the same list (and
    // srcset is left to absolutize: sanitize-html's own check prints to stdout).
    allowedSchemes: [...LINK_SCHEMES],
    allowedSchemesAppliedToAttributes: ["href", "src", "cite", "poster"],
    allowProtocolRelative: false,
    // Tags not allowed are dropped with their content when they hold code or styles, and
    // unwrapped (content kept) otherwise: so a <noscript> fallback stays.
    nonTextTags: ["script", "style", "textarea", "option", "template", "object", "embed", "svg", "math"],
    disallowedTagsMode: "discard",
    // Void elements (HTML §13.1.2): never given an end tag.
    selfClosing: [...sanitizeHtml.defaults.selfClosing, "source", "track", "wbr", "col"],
    transformTags: {
      "*": (tagName, attribs) => ({ tagName, attribs: absolutize(attribs, baseUrl) }),
      iframe: (_tagName, attribs) => iframeLink(attribs, baseUrl),
    },
  });
}

/**
 * Feed readers drop frames, and a frame would run the embedded site's scripts: an iframe is
 * written as a link to what it showed instead, so the reader still learns there was a video.
 */
function iframeLink(attribs: sanitizeHtml.Attributes, baseUrl: string): sanitizeHtml.Tag {
  const src = attribs.src === undefined ? undefined : feedUrl(attribs.src, baseUrl, "link");
  if (src?.ok !== true) return { tagName: "span", attribs: {} };
  const href = videoPage(src.url) ?? src.url;
  const label = attribs.title?.trim() || href;
  return { tagName: "a", attribs: { href }, text: label };
}

/** The watch page of a YouTube or Vimeo player URL. */
export function videoPage(src: string): string | undefined {
  const url = new URL(src);
  const host = url.hostname.replace(/^www\./, "");
  const youtube = /^\/embed\/([\w-]+)/.exec(url.pathname);
  if ((host === "youtube.com" || host === "youtube-nocookie.com") && youtube) return `https://www.youtube.com/watch?v=${youtube[1]}`;
  const vimeo = /^\/video\/(\d+)/.exec(url.pathname);
  if (host === "player.vimeo.com" && vimeo) return `https://vimeo.com/${vimeo[1]}`;
  return undefined;
}

/**
 * Every URL held to `feedUrl`'s rule, the one Markdown links go through: a refused URL is removed,
 * its element kept (a link keeps its text), and so is a srcset candidate. Runs before the allowlist
 * checks, which then see only URLs the rule kept.
 */
function absolutize(attribs: sanitizeHtml.Attributes, baseUrl: string): sanitizeHtml.Attributes {
  const out: sanitizeHtml.Attributes = { ...attribs };
  for (const [name, use] of URL_ATTRIBUTES) {
    const value = out[name];
    if (value === undefined) continue;
    const url = feedUrl(value, baseUrl, use);
    if (url.ok) out[name] = url.url;
    else delete out[name];
  }
  if (out.srcset !== undefined) {
    const srcset = rewriteSrcset(out.srcset, (candidate) => {
      const url = feedUrl(candidate, baseUrl, "resource");
      return url.ok ? url.url : undefined;
    });
    if (srcset === undefined) delete out.srcset;
    else out.srcset = srcset;
  }
  return out;
}
