/**
 * The front door, dist/index.html: one self-contained page that helps a visitor subscribe.
 *
 * The page is built as a hast tree and serialised by hast-util-to-html, so every piece of site
 * text is escaped by the serializer, never by us. Its CSS and its one script are constants of this
 * module; a Content-Security-Policy allows exactly them, by hash, and nothing else.
 */
import { createHash } from "node:crypto";
import type { Element, ElementContent, Root } from "hast";
import { toHtml } from "hast-util-to-html";
import { h, s } from "hastscript";
import type { FrontDoorArticle, FrontDoorFeed, FrontDoorInput } from "./front-door-input.ts";
import { PALETTE_CSS } from "./palette.ts";

/** The language of the page's own words ("Subscribe", "Copy"); site text carries the site's. */
const UI_LANG = "en";

export function renderFrontDoor(input: FrontDoorInput): string {
  const siteLang = input.site.language !== undefined && input.site.language !== UI_LANG ? { lang: input.site.language } : {};
  const siteFeed = input.feeds.find((f) => f.kind === "site");
  const sections = input.feeds.filter((f) => f.kind === "section");
  const tags = input.feeds.filter((f) => f.kind === "tag");
  const count = input.feeds.length;

  const subscribe = h("section", { className: ["block"], ariaLabelledBy: "subscribe" }, lines([
    h("h2", { id: "subscribe" }, "Subscribe"),
    h("p", { className: ["hint"] },
      "Copy an address into your feed reader. RSS and Atom work in every reader; JSON Feed in most newer ones."),
    ...(siteFeed === undefined ? [] : [feedCard(siteFeed, "Everything", "h3", siteLang, "main")]),
    ...(sections.length === 0 ? [] : [
      h("h3", { className: ["group"] }, "Sections"),
      h("div", { className: ["cards"] }, lines(sections.map((feed) => feedCard(feed, shortTitle(feed, input.site.title), "h4", siteLang)))),
    ]),
    ...(tags.length === 0 ? [] : [
      h("h3", { className: ["group"] }, "Tags"),
      h("details", { className: ["tags"] }, lines([
        h("summary", tags.length === 1 ? "1 tag feed" : `${tags.length} tag feeds`),
        h("div", { className: ["cards"] }, lines(tags.map((feed) => feedCard(feed, shortTitle(feed, input.site.title), "h4", siteLang)))),
      ])),
    ]),
    h("p", { className: ["opml"] }, [
      icon("stack"),
      h("span", [
        count === 1 ? "Import this feed" : `Import all ${count} feeds at once`,
        " with ",
        h("a", { href: input.opmlUrl, type: "text/x-opml" }, "feeds.opml"),
        ": most readers take an OPML file under “Import”.",
      ]),
    ]),
  ]));

  const latest = h("section", { className: ["block"], ariaLabelledBy: "latest" }, lines([
    h("h2", { id: "latest" }, "Latest articles"),
    input.latest.length === 0
      ? h("p", { className: ["hint"] }, "Nothing published yet.")
      : h("ol", { className: ["articles"], ...siteLang }, lines(input.latest.map(articleItem))),
  ]));

  const tree: Root = h(null, [
    { type: "doctype" },
    h("html", { lang: UI_LANG }, lines([
      h("head", lines([
        h("meta", { charSet: "utf-8" }),
        h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
        h("meta", { httpEquiv: "Content-Security-Policy", content: CSP }),
        h("title", `${input.site.title}: feeds`),
        h("meta", { name: "description", content: input.site.description }),
        h("meta", { name: "color-scheme", content: "light dark" }),
        h("link", { rel: "icon", type: "image/svg+xml", href: FAVICON }),
        ...input.feeds.flatMap((feed) =>
          feed.formats.map((format) =>
            h("link", { rel: "alternate", type: format.mediaType, href: format.url, title: `${feed.title} (${format.label})` }),
          ),
        ),
        h("style", STYLE),
      ])),
      h("body", lines([
        h("header", { className: ["masthead"] }, h("div", { className: ["wrap"] }, lines([
          h("p", { className: ["eyebrow"] }, [icon("feed"), "Web feeds"]),
          h("h1", siteLang, input.site.title),
          h("p", { className: ["lede"], ...siteLang }, input.site.description),
        ]))),
        h("main", { className: ["wrap"] }, lines([subscribe, latest])),
        h("footer", { className: ["wrap"] }, h("p",
          "A web feed brings new articles to your feed reader as they are published: no account, no tracking, nothing to miss.")),
        h("p", { id: "copy-status", className: ["visually-hidden"], role: "status", ariaLive: "polite" }),
        h("script", SCRIPT),
      ])),
    ])),
  ]);
  return `${toHtml(tree, { characterReferences: { useNamedReferences: true } })}\n`;
}

type Heading = "h3" | "h4";

function feedCard(feed: FrontDoorFeed, name: string, heading: Heading, siteLang: { lang?: string }, modifier?: string): Element {
  return h("div", { className: ["feed", ...(modifier === undefined ? [] : [`feed-${modifier}`])] }, lines([
    h(heading, { className: ["feed-name"] }, feed.kind === "tag" ? h("span", siteLang, [h("span", { ariaHidden: "true", className: ["hash"] }, "#"), name]) : h("span", siteLang, name)),
    h("ul", { className: ["formats"] }, lines(feed.formats.map((format) =>
      h("li", { className: ["format"] }, [
        h("span", { className: ["badge", `badge-${badgeClass(format.mediaType)}`] }, format.label),
        h("a", { className: ["url"], href: format.url, translate: "no" }, breakable(format.url)),
        h("button", {
          type: "button",
          className: ["copy"],
          dataCopy: format.url,
          ariaLabel: `Copy ${format.label} address of ${feed.title}`,
        }, [icon("copy", "when-idle"), icon("check", "when-done"), h("span", { className: ["copy-label"] }, "Copy")]),
      ]),
    ))),
  ]));
}

function articleItem(article: FrontDoorArticle): Element {
  return h("li", h("article", lines([
    h("h3", h("a", { href: article.url }, article.title)),
    h("p", { className: ["date"] }, h("time", { dateTime: article.date }, article.dateText)),
    ...(article.summary === "" ? [] : [h("p", { className: ["summary"] }, article.summary)]),
  ])));
}

/**
 * The URL as people read it: percent-escapes of letters shown as the letters (`tags/künstliche-…`,
 * not `tags/k%C3%BC…`) unless that would show a space, a control or a bidi mark, and a line-break
 * opportunity after each path slash so a phone wraps it at a `/`. The link and the copy button
 * keep the URL itself.
 */
function breakable(url: string): ElementContent[] {
  let shown = url;
  try {
    const decoded = decodeURI(url);
    if (!/[\s\p{C}]/u.test(decoded)) shown = decoded;
  } catch {
    // A malformed escape: show the URL as it is.
  }
  const parts = shown.split(/(?<=[^/]\/)(?!\/)/);
  return parts.flatMap((part, i) => (i === 0 ? [{ type: "text", value: part } as const] : [h("wbr"), { type: "text", value: part } as const]));
}

/** "Signal & Noise: Notes" shows as "Notes" under the site's own title; the full title stays in labels. */
function shortTitle(feed: FrontDoorFeed, siteTitle: string): string {
  const prefix = `${siteTitle}: `;
  return feed.title.startsWith(prefix) && feed.title.length > prefix.length ? feed.title.slice(prefix.length) : feed.title;
}

function badgeClass(mediaType: string): string {
  if (mediaType.includes("rss")) return "rss";
  if (mediaType.includes("atom")) return "atom";
  if (mediaType.includes("json")) return "json";
  return "other";
}

/** Newlines between block children keep dist/index.html readable in a diff; they render as nothing. */
function lines(children: readonly ElementContent[]): ElementContent[] {
  const newline = (): ElementContent => ({ type: "text", value: "\n" });
  return [...children.flatMap((child) => [newline(), child]), newline()];
}

const ICONS = {
  feed: ["M4 11a9 9 0 0 1 9 9", "M4 4a16 16 0 0 1 16 16"],
  copy: ["M9 9h10v11H9z", "M5 15V4h10"],
  check: ["M5 12.5l4.5 4.5L19 7.5"],
  stack: ["M12 3 3 8l9 5 9-5-9-5z", "M3 13l9 5 9-5", "M3 17.5l9 5 9-5"],
} as const;

function icon(name: keyof typeof ICONS, extraClass?: string): Element {
  return s("svg", { className: ["icon", ...(extraClass === undefined ? [] : [extraClass])], viewBox: "0 0 24 24", width: "20", height: "20", ariaHidden: "true", focusable: "false" }, [
    ...ICONS[name].map((d) => s("path", { d })),
    ...(name === "feed" ? [s("circle", { cx: "5", cy: "19", r: "1.6", className: ["dot"] })] : []),
  ]);
}

const FAVICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#c2410c"/><path d="M5 11a8 8 0 0 1 8 8M5 5a14 14 0 0 1 14 14" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/><circle cx="6" cy="18" r="1.8" fill="#fff"/></svg>`,
  );

const STYLE = `
${PALETTE_CSS}
:root {
  --rss: #b23d0a;
  --atom: #2f5fa8;
  --json: #2d7a46;
  --focus: #1d4ed8;
  --radius: 12px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif;
  line-height: 1.55;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
@media (prefers-color-scheme: dark) {
  :root {
    --rss: #ff9a57;
    --atom: #8fb4f0;
    --json: #7fcf98;
    --focus: #93b4ff;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { background: var(--bg); color: var(--text); }
body { margin: 0; }
.wrap { width: min(100% - 2.5rem, 46rem); margin-inline: auto; }
a { color: var(--accent); text-underline-offset: 0.18em; text-decoration-thickness: 1px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.icon { width: 1.15em; height: 1.15em; flex: none; fill: none; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; stroke-linejoin: round; }
.icon .dot { fill: currentColor; stroke: none; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }

.masthead { padding: 3.5rem 0 2rem; border-bottom: 1px solid var(--line); background: linear-gradient(180deg, var(--accent-soft), var(--bg)); }
.eyebrow { display: inline-flex; gap: 0.45rem; align-items: center; margin: 0 0 0.75rem; color: var(--accent); font-size: 0.8rem; font-weight: 700; letter-spacing: 0.09em; text-transform: uppercase; }
h1 { margin: 0; font-size: clamp(2rem, 6vw, 2.9rem); line-height: 1.1; letter-spacing: -0.02em; text-wrap: balance; }
.lede { margin: 0.9rem 0 0; max-width: 38rem; color: var(--muted); font-size: 1.1rem; text-wrap: pretty; }

.block { padding: 2.5rem 0 0.5rem; }
h2 { margin: 0 0 0.4rem; font-size: 1.45rem; letter-spacing: -0.01em; }
.hint { margin: 0 0 1.25rem; color: var(--muted); }
.group { margin: 1.75rem 0 0.75rem; font-size: 0.85rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }

.feed { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.1rem; }
.feed-main { border-color: var(--accent); box-shadow: 0 1px 0 var(--line), 0 10px 30px -18px var(--accent); }
.feed-name { margin: 0 0 0.6rem; font-size: 1.05rem; }
.feed-main .feed-name { font-size: 1.15rem; }
.hash { color: var(--muted); font-weight: 400; margin-right: 0.1em; }
.cards { display: grid; gap: 0.75rem; }
.formats { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
.format { display: grid; grid-template-columns: 6.6rem minmax(0, 1fr) auto; gap: 0.6rem; align-items: center; padding: 0.3rem 0; border-top: 1px solid var(--line); }
.format:first-child { border-top: 0; }
.badge { justify-self: start; font-size: 0.72rem; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; padding: 0.15rem 0.5rem; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; }
.badge-rss { color: var(--rss); }
.badge-atom { color: var(--atom); }
.badge-json { color: var(--json); }
.badge-other { color: var(--muted); }
.url { font-family: ui-monospace, "SFMono-Regular", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.84rem; color: var(--text); text-decoration-color: var(--line); overflow-wrap: anywhere; }
.url:hover { color: var(--accent); }
.copy { display: inline-flex; align-items: center; justify-content: center; gap: 0.35rem; min-width: 6.4rem; min-height: 2.25rem; padding: 0.35rem 0.75rem; font: inherit; font-size: 0.85rem; font-weight: 600; color: var(--text); background: var(--bg); border: 1px solid var(--line); border-radius: 8px; cursor: pointer; }
.copy:hover { border-color: var(--accent); color: var(--accent); }
.copy[data-state="done"] { color: var(--json); border-color: var(--json); }
.copy .when-done, .copy[data-state="done"] .when-idle { display: none; }
.copy[data-state="done"] .when-done { display: block; }
.tags > summary { cursor: pointer; list-style: none; display: inline-flex; align-items: center; gap: 0.5rem; padding: 0.4rem 0.2rem; font-weight: 600; color: var(--accent); }
.tags > summary::-webkit-details-marker { display: none; }
.tags > summary::before { content: ""; width: 0.5rem; height: 0.5rem; border: solid currentColor; border-width: 0 2px 2px 0; transform: rotate(-45deg); transition: transform 0.15s; margin-right: 0.2rem; }
.tags[open] > summary::before { transform: rotate(45deg); }
.tags > .cards { margin-top: 0.75rem; }
.opml { display: flex; gap: 0.6rem; align-items: flex-start; margin: 1.75rem 0 0; padding: 0.9rem 1.1rem; border: 1px dashed var(--line); border-radius: var(--radius); color: var(--muted); }
.opml .icon { margin-top: 0.2rem; color: var(--accent); }

.articles { list-style: none; margin: 1rem 0 0; padding: 0; }
.articles > li { padding: 1.1rem 0; border-top: 1px solid var(--line); }
.articles > li:first-child { border-top: 0; padding-top: 0.25rem; }
.articles h3 { margin: 0; font-size: 1.15rem; line-height: 1.3; text-wrap: balance; }
.articles h3 a { color: var(--text); text-decoration: none; }
.articles h3 a:hover { color: var(--accent); text-decoration: underline; }
.date { margin: 0.2rem 0 0; color: var(--muted); font-size: 0.88rem; font-variant-numeric: tabular-nums; }
.summary { margin: 0.45rem 0 0; text-wrap: pretty; }

footer { margin-top: 2.5rem; padding: 1.5rem 0 3rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }

@media (max-width: 34rem) {
  .masthead { padding-top: 2.25rem; }
  .feed { padding: 0.9rem 0.9rem 0.6rem; }
  .format { grid-template-columns: minmax(0, 1fr) auto; row-gap: 0.15rem; padding: 0.55rem 0; }
  .url { grid-column: 1 / -1; grid-row: 2; }
}
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; }
}
`;

/**
 * Copies a feed address: the async Clipboard API where the page may use it, else a hidden
 * textarea and execCommand("copy"), else the address is selected for the reader to copy. The
 * result is announced through the role="status" region.
 */
const SCRIPT = `
(() => {
  "use strict";
  const status = document.getElementById("copy-status");
  let clear;
  const announce = (message) => {
    status.textContent = "";
    clearTimeout(clear);
    requestAnimationFrame(() => { status.textContent = message; });
    clear = setTimeout(() => { status.textContent = ""; }, 4000);
  };
  const legacyCopy = (text) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    area.remove();
    return ok;
  };
  const selectText = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (button === null) return;
    const text = button.dataset.copy;
    let ok = false;
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); ok = true; } catch { ok = false; }
    }
    if (!ok) ok = legacyCopy(text);
    const label = button.querySelector(".copy-label");
    if (ok) {
      button.dataset.state = "done";
      label.textContent = "Copied";
      announce("Copied");
      setTimeout(() => { delete button.dataset.state; label.textContent = "Copy"; }, 2000);
    } else {
      const url = button.parentElement.querySelector(".url");
      if (url) selectText(url);
      announce("Could not copy: the address is selected, press Ctrl+C or ⌘C");
    }
  });
})();
`;

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * Nothing loads but this page's own style and script (by hash, CSP Level 2) and the data: favicon;
 * no network access at all from the page itself.
 */
const CSP = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
