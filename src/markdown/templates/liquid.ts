/**
 * The Liquid a Jekyll or Eleventy post holds: `{% raw %}`, `{% comment %}`, `{% highlight %}`,
 * `{% link %}`, `{% post_url %}`, `{% gist %}`, Eleventy shortcodes with a plain meaning (videos,
 * links, images) or the site's own patterns, and `{{ site.X }}` / `{{ page.X }}` / Eleventy's
 * `{{ X }}` from the settings and the front matter, with the URL and text filters posts use.
 * Nothing else of Liquid (loops, conditions, includes) is run, and no shortcode's code ever is.
 */
import type { DateTime } from "luxon";
import { parseDate, rfc3339, rfc822 } from "../../content/dates.ts";
import { escapeHtml, findLink, lookup, unsupported, type Expansion } from "./context.ts";
import { fillPattern } from "./hugo.ts";

/** Tags that only close or continue a block whose opening tag was already reported. */
const BLOCK_PARTS = /^(end\w+|else|elsif|elif|when)$/;

/** Liquid's and Nunjucks' own tags: anything else in `{% %}` is a shortcode (Eleventy). */
const LIQUID_TAGS = new Set(["if", "unless", "case", "for", "tablerow", "cycle", "increment", "decrement", "include", "include_relative", "render", "layout", "block", "extends", "import", "from", "macro", "call", "filter", "with", "liquid", "echo", "break", "continue", "ifchanged", "set", "assign", "capture", "raw", "comment", "highlight", "link", "post_url", "gist", "seo", "feed_meta"]);

/** Liquid and Nunjucks reference a value by a name and its keys: `author.name`, `post["x"]`. */
const PATH = /^([A-Za-z_][\w-]*)((?:\.[\w-]+|\[["'][^"']*["']\])*)$/;

/** The tag `source[start, end)` (`{% name args %}`), and for block tags their content. */
export function liquidTag(source: string, start: number, end: number, out: string, x: Expansion): { out: string; next: number } {
  const inner = source.slice(start + 2, end - 2).replace(/^-/, "").replace(/-$/, "").trim();
  const name = /^\w*/.exec(inner)![0];
  const args = inner.slice(name.length).trim();
  /** The content up to the tag's `end…`; `nested` counts inner blocks of the same name (loops in loops). */
  const block = (tag: string, nested = false) => {
    const close = new RegExp(`\\{%-?\\s*(end)?${tag}\\b[\\s\\S]*?%\\}`, "g");
    close.lastIndex = end;
    let depth = 1;
    let m: RegExpExecArray | null;
    while ((m = close.exec(source)) !== null) {
      if (m[1] !== undefined) {
        if (--depth === 0) break;
      } else if (nested) depth++;
    }
    if (m === null) x.warn(start, `{% ${tag} %} has no {% end${tag} %}: the rest of the article is taken as its content`);
    return { content: source.slice(end, m?.index ?? source.length), next: m === null ? source.length : m.index + m[0].length };
  };
  switch (name) {
    case "raw": {
      // Shown as written, template code included: what {% raw %} is for.
      const { content, next } = block("raw");
      return { out: out + content, next };
    }
    case "comment":
      return { out, next: block("comment").next };
    case "highlight": {
      const { content, next } = block("highlight");
      const language = /^[\w+#.-]+/.exec(unquote(args.split(/[\s,]+/)[0] ?? ""))?.[0] ?? "";
      return { out: fenced(out, content, language, source.startsWith("\n", next)), next };
    }
    case "link":
    case "post_url": {
      const target = unquote(args);
      const url = findLink(x.context.links, target, x.context.contentPath);
      if (url !== undefined) return { out: out + url, next: end };
      x.warn(start, `{% ${name} ${target} %}: no article at ${JSON.stringify(target)}${x.inUrl ? "; the link is left out, its text stays" : ""}`, `liquid-link:${target}`);
      return { out: out + x.placeholder(`[unknown link: ${target}]`), next: end };
    }
    case "gist": {
      const [id = "", file] = args.split(/\s+/).map(unquote);
      if (/^[\w-]+(\/[\w-]+)?$/.test(id)) {
        const href = `https://gist.github.com/${id}${file === undefined ? "" : `#file-${file.replace(/[^\w-]/g, "-").toLowerCase()}`}`;
        return { out: out + x.html(`<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`), next: end };
      }
      break;
    }
    // Liquid's assign and capture and Nunjucks' set write nothing; the name they set is template code wherever it is used.
    case "assign":
    case "set":
    case "capture": {
      const assigned = /^([A-Za-z_][\w-]*)(?:\s*=\s*(.*))?$/s.exec(args);
      if (assigned !== null) x.variables.set(assigned[1]!, assigned[2] === undefined ? undefined : (literalOf(assigned[2].trim()) ?? undefined));
      return { out, next: name === "assign" || (name === "set" && args.includes("=")) ? end : block(name).next };
    }
    // A loop's content is its template, not text: one note stands for the whole loop.
    case "for":
    case "tablerow": {
      const variable = /^[A-Za-z_][\w-]*/.exec(args)?.[0];
      if (variable !== undefined) x.variables.set(variable, undefined);
      const { next } = block(name, true);
      return { out: out + unsupported(x, start, `Liquid tag {% ${name} %} is not supported (a loop: its content is left out too)`, `[unsupported Liquid tag: ${name}]`, "", `liquid-tag:${name}`), next };
    }
  }
  if (BLOCK_PARTS.test(name)) return { out, next: end };
  // The site's pattern for a tag wins (`include: ""` leaves every include out); else a name Liquid does not know is a shortcode.
  if (name !== "" && (!LIQUID_TAGS.has(name) || Object.hasOwn(x.context.shortcodes, name))) return eleventyShortcode(source, start, end, name, args, out, x, block);
  return { out: out + unsupported(x, start, `Liquid tag {% ${name} %} is not supported`, `[unsupported Liquid tag: ${name}]`, "", `liquid-tag:${name}`), next: end };
}

/**
 * An Eleventy shortcode, `{% name "a", "b" %}` (Nunjucks) or `{% name "a" "b" %}` (Liquid): the
 * site's pattern for it (`shortcodes:`), else the plain meaning of the common ones, else a note.
 * Its JavaScript is never run: the arguments are read as literals or front-matter values.
 */
function eleventyShortcode(source: string, start: number, end: number, name: string, args: string, out: string, x: Expansion, block: (tag: string) => { content: string; next: number }): { out: string; next: number } {
  const { positional, named } = tagArgs(args, x);
  const custom = Object.hasOwn(x.context.shortcodes, name) ? x.context.shortcodes[name] : undefined;
  if (custom !== undefined) {
    const paired = custom.includes("{inner}");
    const { content, next } = paired ? block(name) : { content: "", next: end };
    return { out: out + x.html(fillPattern(custom, positional, named, x.markdown(content), name, start, x)), next };
  }
  const arg = (i: number) => positional[i];
  const link = (href: string, text: string) => ({ out: out + x.html(`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`), next: end });
  switch (name.toLowerCase()) {
    case "youtube":
    case "youtubeembed": {
      const id = youtubeId(arg(0) ?? "");
      if (id === undefined) break;
      return link(`https://www.youtube.com/watch?v=${id}`, arg(1) || `Video on YouTube (${id})`);
    }
    case "vimeo": {
      const id = /(?:^|\/)(\d+)$/.exec(arg(0) ?? "")?.[1];
      if (id === undefined) break;
      return link(`https://vimeo.com/${id}`, arg(1) || `Video on Vimeo (${id})`);
    }
    // eleventy-website's (and many a blog's) link with the site's avatar: the avatar is decoration.
    case "indieweblink": {
      const text = arg(0);
      if (text === undefined) break;
      const href = arg(1);
      return href === undefined || href === "" ? { out: out + escapeHtml(text), next: end } : link(href, text);
    }
    // @11ty/eleventy-img's documented shortcode: `{% image "src", "alt" %}`.
    case "image": {
      const src = arg(0);
      if (src === undefined || src === "") break;
      return { out: out + x.html(`<img src="${escapeHtml(src)}" alt="${escapeHtml(arg(1) ?? "")}">`), next: end };
    }
  }
  const hint = "; map it to HTML in the site settings (shortcodes:), or to an empty pattern to leave it out";
  return { out: out + unsupported(x, start, `shortcode {% ${name} %} is not supported`, `[unsupported shortcode: ${name}]`, hint, `shortcode:${name}`), next: end };
}

/** A YouTube video's id, written alone or as any of its URLs. */
function youtubeId(text: string): string | undefined {
  const id = /^[\w-]{6,}$/.test(text) ? text : (/(?:[?&]v=|youtu\.be\/|\/embed\/|\/shorts\/)([\w-]{6,})/.exec(text)?.[1] ?? undefined);
  return id;
}

/** A tag's arguments: quoted strings, numbers and values by name, split at commas or spaces; `key=value` named. */
function tagArgs(text: string, x: Expansion): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  const re = /[\s,]*(?:([\w-]+)\s*[=:]\s*)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,]+)/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ""; m = re.exec(text)) {
    const token = m[2]!;
    const value = /^["']/.test(token) ? token.slice(1, -1).replace(/\\(.)/g, "$1") : (valueOf(token, x) ?? "");
    if (m[1] !== undefined) named[m[1]] = value;
    else positional.push(value);
  }
  return { positional, named };
}

/**
 * The text of `{{ expression | filter: arg }}`, escaped, or a visible note when it cannot be had;
 * undefined when the braces are not template code (the `auto` setting: `{{ name }}` that no
 * setting, front matter or tag gives a value, `{{ .Title }}`), so they stay text.
 */
export function liquidOutput(source: string, at: number, x: Expansion): string | undefined {
  const text = source.replace(/^-/, "").replace(/-$/, "").trim();
  const [head = "", ...filters] = splitFilters(text);
  const expression = head.trim();
  let value = valueOf(expression, x);
  const path = PATH.exec(expression);
  const scoped = path !== null && (path[1] === "site" || path[1] === "page") && path[2] !== "";
  const sure = typeof value === "string" || scoped || (path !== null && (filters.length > 0 || x.variables.has(path[1]!)));
  if (x.engine === "auto" && !x.inUrl && !sure) return undefined;
  if (value === undefined || (value === null && !scoped)) {
    const hint = path === null ? "" : x.variables.has(path[1]!) ? `; ${JSON.stringify(path[1])} is the template's own variable` : `; neither the site settings nor the article's front matter have ${JSON.stringify(expression)}`;
    return unsupported(x, at, `Liquid value {{ ${text} }} is not supported`, "[unsupported Liquid value]", hint, `liquid-value:${expression}`);
  }
  if (value === null) {
    // Jekyll writes nothing for a key the site or page does not have.
    if (x.inUrl) return unsupported(x, at, `{{ ${expression} }} has no value (the site settings and the article have no such key)`, "[unsupported Liquid value]", "", `liquid-missing:${expression}`);
    x.warn(at, `{{ ${expression} }} has no value: the site settings and the article have no such key`, `liquid-missing:${expression}`);
    value = "";
  }
  for (const filter of filters) {
    const [name = "", arg] = filter.split(/:(.*)/s).map((s) => s.trim());
    const read: string | null | undefined = arg === undefined ? "" : valueOf(arg, x);
    // An argument that is no value (`date_to_string: "ordinal", "US"`) is not read as none.
    const applied: string | undefined = read === undefined ? undefined : applyFilter(name, value, read ?? "", x.context.site);
    const shown = /^[\w-]*/.exec(name)![0];
    if (applied !== undefined) value = applied;
    else if (shown.startsWith("date")) x.warn(at, `Liquid {{ … | ${filter.trim()} }} on ${JSON.stringify(value)}: the format or the date is not supported; the date is shown as written`, `liquid-filter:${filter.trim()}:${value}`);
    else x.warn(at, `Liquid filter "${shown}" is not supported: left out`, `liquid-filter:${shown}`);
  }
  return escapeHtml(value);
}

/** A quoted string or a number, as text. */
function literalOf(expression: string): string | undefined {
  const literal = /^(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?))$/.exec(expression);
  return literal === null ? undefined : (literal[1] ?? literal[2] ?? literal[3] ?? "");
}

/**
 * A literal, or a value by name: `site.X` and `page.X` (Jekyll), a bare name from the article's
 * front matter, then the site settings (Eleventy's data). Null for a name nothing gives a value,
 * undefined for an expression that is not a name (`.Title`, `a + b`).
 */
function valueOf(expression: string, x: Expansion): string | null | undefined {
  const literal = literalOf(expression);
  if (literal !== undefined) return literal;
  const path = PATH.exec(expression);
  if (path === null) return undefined;
  const keys = [...path[2]!.matchAll(/\.([\w-]+)|\[["']([^"']*)["']\]/g)].map((m) => m[1] ?? m[2] ?? "");
  if ((path[1] === "site" || path[1] === "page") && keys.length > 0) return lookup(path[1] === "site" ? x.context.site : x.context.page, keys) ?? null;
  // A template's own variable has no value here, whatever the data holds, unless a literal was assigned.
  if (x.variables.has(path[1]!)) return keys.length === 0 ? (x.variables.get(path[1]!) ?? null) : null;
  const all = [path[1]!, ...keys];
  return lookup(x.context.page, all) ?? lookup(x.context.site, all) ?? null;
}

function applyFilter(name: string, value: string, arg: string, site: Readonly<Record<string, unknown>>): string | undefined {
  const baseurl = typeof site.baseurl === "string" ? site.baseurl : "";
  const origin = typeof site.url === "string" ? site.url : "";
  const rooted = (path: string) => (/^[a-z][a-z0-9+.-]*:/i.test(path) ? path : `${baseurl}/${path.replace(/^\//, "")}`);
  switch (name) {
    case "relative_url":
      return rooted(value);
    case "absolute_url": {
      const path = rooted(value);
      return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : origin + path;
    }
    case "append":
      return value + arg;
    case "prepend":
      return arg + value;
    case "default":
      return value === "" ? arg : value;
    case "escape":
    case "xml_escape":
    case "strip_html":
      return value;
    case "strip":
      return value.trim();
    case "upcase":
      return value.toUpperCase();
    case "downcase":
      return value.toLowerCase();
    case "capitalize":
      return value.charAt(0).toUpperCase() + value.slice(1);
    // Jekyll's uri_escape keeps a URL's reserved characters; Liquid's url_encode (and Nunjucks'
    // urlencode, in Eleventy posts) encode them, for a URL inside a path or query.
    case "uri_escape":
      return encodeURI(value);
    case "url_encode":
      return encodeURIComponent(value).replace(/%20/g, "+");
    case "urlencode":
      return encodeURIComponent(value);
    // Dates, in the site's zone as Jekyll writes them (page.date is the article's date). `now`
    // would put the clock into the output: not supported.
    case "date":
      // Jekyll writes nothing for no value.
      if (value === "") return "";
      return withDate(value, site, (date) => strftime(date, arg), true);
    case "date_to_string":
      return arg === "" ? withDate(value, site, (date) => date.toFormat("dd LLL yyyy", { locale: "en" })) : undefined;
    case "date_to_long_string":
      return arg === "" ? withDate(value, site, (date) => date.toFormat("dd LLLL yyyy", { locale: "en" })) : undefined;
    case "date_to_xmlschema":
      return withDate(value, site, rfc3339);
    case "date_to_rfc822":
      return withDate(value, site, rfc822);
    default:
      return undefined;
  }
}

/** `format` of `value` read as a date in the site's zone; with `ownOffset` (Liquid's `date`), a time written with its own offset keeps it. Jekyll's date_to_* filters convert to the site's zone. */
function withDate(value: string, site: Readonly<Record<string, unknown>>, format: (date: DateTime) => string | undefined, ownOffset = false): string | undefined {
  const read = parseDate(value, typeof site.timezone === "string" ? site.timezone : "UTC");
  if (!read.ok) return undefined;
  const own = ownOffset ? /(?:Z|[+-]\d\d:?\d\d)$/i.exec(value.trim()) : null;
  return format(own === null ? read.value : read.value.setZone(own[0].toUpperCase() === "Z" ? "UTC" : `UTC${own[0].length === 5 ? `${own[0].slice(0, 3)}:${own[0].slice(3)}` : own[0]}`));
}

/** Ruby's strftime directives Jekyll's `date` filter takes, in English; undefined for one it does not know. */
const DIRECTIVES: Readonly<Record<string, (d: DateTime) => string>> = {
  Y: (d) => String(d.year),
  C: (d) => String(Math.floor(d.year / 100)).padStart(2, "0"),
  y: (d) => d.toFormat("yy"),
  m: (d) => d.toFormat("MM"),
  d: (d) => d.toFormat("dd"),
  e: (d) => String(d.day).padStart(2, " "),
  j: (d) => d.toFormat("ooo"),
  H: (d) => d.toFormat("HH"),
  k: (d) => String(d.hour).padStart(2, " "),
  I: (d) => d.toFormat("hh"),
  l: (d) => String(d.hour % 12 || 12).padStart(2, " "),
  M: (d) => d.toFormat("mm"),
  S: (d) => d.toFormat("ss"),
  L: (d) => d.toFormat("SSS"),
  p: (d) => (d.hour < 12 ? "AM" : "PM"),
  P: (d) => (d.hour < 12 ? "am" : "pm"),
  B: (d) => d.toFormat("LLLL", { locale: "en" }),
  b: (d) => d.toFormat("LLL", { locale: "en" }),
  h: (d) => d.toFormat("LLL", { locale: "en" }),
  A: (d) => d.toFormat("cccc", { locale: "en" }),
  a: (d) => d.toFormat("ccc", { locale: "en" }),
  u: (d) => String(d.weekday),
  w: (d) => String(d.weekday % 7),
  z: (d) => d.toFormat("ZZZ"),
  s: (d) => String(Math.floor(d.toSeconds())),
  F: (d) => d.toFormat("yyyy-MM-dd"),
  D: (d) => d.toFormat("MM/dd/yy"),
  T: (d) => d.toFormat("HH:mm:ss"),
  R: (d) => d.toFormat("HH:mm"),
  "%": () => "%",
};

/** `date` formatted as Ruby's strftime would: the flags `-` (no padding) and `^` (upper case) too. */
export function strftime(date: DateTime, format: string): string | undefined {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") {
      out += format[i];
      continue;
    }
    let flags = "";
    while ("-^_0".includes(format[i + 1] ?? "x")) flags += format[++i];
    const directive = DIRECTIVES[format[++i] ?? ""];
    if (directive === undefined) return undefined;
    let text = directive(date);
    if (flags.includes("-")) text = text.replace(/^[0 ]+(?=.)/, "");
    if (flags.includes("^")) text = text.toUpperCase();
    out += text;
  }
  return out;
}

/** Splits at `|` outside quotes. */
function splitFilters(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const c of text) {
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "|") {
      parts.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(text: string): string {
  const t = text.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/**
 * A fenced code block holding `content` as written. The fence is indented like the tag's line
 * (so a block inside a list item stays in it) and longer than any backtick run in the content.
 */
export function fenced(out: string, content: string, language: string, newlineFollows: boolean): string {
  const lineStart = out.lastIndexOf("\n") + 1;
  const before = out.slice(lineStart);
  const indent = /^[ \t]*$/.test(before) ? before : "";
  const head = indent === before ? out : `${out}\n`;
  const body = content.replace(/^[ \t]*\r?\n/, "").replace(/\r?\n[ \t]*$/, "");
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  // Lines written inside the list item already carry its indentation; others are given it.
  const lines = body.split("\n").map((line) => (line === "" || line.startsWith(indent) ? line : indent + line));
  const block = `${fence}${language}\n${lines.join("\n")}\n${indent}${fence}`;
  return head + block + (newlineFollows ? "" : "\n");
}
