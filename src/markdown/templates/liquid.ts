/**
 * The Liquid a Jekyll post holds: `{% raw %}`, `{% comment %}`, `{% highlight %}`, `{% link %}`,
 * `{% post_url %}`, `{% gist %}`, and `{{ site.X }}` / `{{ page.X }}` with the URL and text
 * filters posts use. Nothing else of Liquid (loops, conditions, includes) is run.
 */
import { escapeHtml, findLink, lookup, type Expansion } from "./context.ts";

/** Tags that only close or continue a block whose opening tag was already reported. */
const BLOCK_PARTS = /^(end\w+|else|elsif|when)$/;

/** The tag `source[start, end)` (`{% name args %}`), and for block tags their content. */
export function liquidTag(source: string, start: number, end: number, out: string, x: Expansion): { out: string; next: number } {
  const inner = source.slice(start + 2, end - 2).replace(/^-/, "").replace(/-$/, "").trim();
  const name = /^\w*/.exec(inner)![0];
  const args = inner.slice(name.length).trim();
  const block = (tag: string) => {
    const close = new RegExp(`\\{%-?\\s*end${tag}\\s*-?%\\}`, "g");
    close.lastIndex = end;
    const m = close.exec(source);
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
      const language = /^[\w+#.-]+/.exec(args)?.[0] ?? "";
      return { out: fenced(out, content, language, source.startsWith("\n", next)), next };
    }
    case "link":
    case "post_url": {
      const target = unquote(args);
      const url = findLink(x.context.links, target);
      if (url !== undefined) return { out: out + url, next: end };
      x.warn(start, `{% ${name} ${target} %}: no article at ${JSON.stringify(target)}`);
      return { out: out + `[unknown link: ${escapeHtml(target)}]`, next: end };
    }
    case "gist": {
      const [id = "", file] = args.split(/\s+/).map(unquote);
      if (/^[\w-]+(\/[\w-]+)?$/.test(id)) {
        const href = `https://gist.github.com/${id}${file === undefined ? "" : `#file-${file.replace(/[^\w-]/g, "-").toLowerCase()}`}`;
        return { out: out + x.html(`<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`), next: end };
      }
      break;
    }
  }
  if (BLOCK_PARTS.test(name)) return { out, next: end };
  x.warn(start, `Liquid tag {% ${name} %} is not supported: the article shows "[unsupported Liquid tag: ${name}]" in its place`);
  return { out: out + `[unsupported Liquid tag: ${escapeHtml(name)}]`, next: end };
}

/** The text of `{{ expression | filter: arg }}`, escaped, or a visible note when it cannot be had. */
export function liquidOutput(source: string, at: number, x: Expansion): string {
  const text = source.replace(/^-/, "").replace(/-$/, "").trim();
  const [head = "", ...filters] = splitFilters(text);
  let value = valueOf(head.trim(), x);
  if (value === undefined) {
    x.warn(at, `Liquid value {{ ${text} }} is not supported: the article shows "[unsupported Liquid value]" in its place`);
    return "[unsupported Liquid value]";
  }
  if (value === null) {
    // Jekyll writes nothing for a key the site or page does not have.
    x.warn(at, `{{ ${head.trim()} }} has no value: the site settings and the article have no such key`);
    value = "";
  }
  for (const filter of filters) {
    const [name = "", arg] = filter.split(/:(.*)/s).map((s) => s.trim());
    const argument = arg === undefined ? "" : (valueOf(arg, x) ?? "");
    const applied = applyFilter(name, value, argument ?? "", x.context.site);
    if (applied === undefined) x.warn(at, `Liquid filter "${name}" is not supported: left out`);
    else value = applied;
  }
  return escapeHtml(value);
}

/** A literal or a `site.`/`page.` path; null for a missing key, undefined for anything else. */
function valueOf(expression: string, x: Expansion): string | null | undefined {
  const literal = /^(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?))$/.exec(expression);
  if (literal) return literal[1] ?? literal[2] ?? literal[3] ?? "";
  const path = /^(site|page)((?:\.[\w-]+|\[["'][^"']*["']\])+)$/.exec(expression);
  if (path === null) return undefined;
  const keys = [...path[2]!.matchAll(/\.([\w-]+)|\[["']([^"']*)["']\]/g)].map((m) => m[1] ?? m[2] ?? "");
  return lookup(path[1] === "site" ? x.context.site : x.context.page, keys) ?? null;
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
    default:
      return undefined;
  }
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
