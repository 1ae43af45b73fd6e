/**
 * Hugo shortcodes: the built-ins posts use (`figure`, `ref`/`relref`, `highlight`, `youtube`,
 * `vimeo`, `gist`, `x`/`tweet`, `param`, `comment`), written as plain HTML a feed reader shows,
 * and the site's own, mapped in the site settings (`shortcodes:`) to an HTML pattern. Videos and
 * posts on other sites become links: a feed carries no frames and no third-party scripts.
 */
import { escapeHtml, findLink, lookup, unsupported, type Expansion } from "./context.ts";
import { fenced } from "./liquid.ts";

export interface ShortcodeCall {
  /** `<` for `{{< >}}`, `%` for `{{% %}}` (whose inner text Hugo reads as Markdown). */
  readonly kind: "<" | "%";
  readonly name: string;
  readonly args: { readonly positional: readonly string[]; readonly named: Readonly<Record<string, string>> };
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly start: number;
  /** Offset just past `>}}` or `%}}`. */
  readonly end: number;
}

/** Shortcodes whose content between the opening and closing tag they consume. */
const PAIRED = new Set(["highlight", "comment", "details", "code-toggle"]);

export function shortcode(source: string, call: ShortcodeCall, out: string, x: Expansion): { out: string; next: number } {
  const { name, args } = call;
  const arg = (key: string, index?: number) => args.named[key] ?? (index === undefined ? undefined : args.positional[index]);
  // A closing tag whose opening tag was reported (or that consumed nothing) leaves no trace.
  if (call.closing) return { out, next: call.end };
  const custom = Object.hasOwn(x.context.shortcodes, name) ? x.context.shortcodes[name] : undefined;
  const paired = !call.selfClosing && (PAIRED.has(name) || custom?.includes("{inner}") === true);
  let inner = "";
  let next = call.end;
  if (paired) {
    const close = new RegExp(`\\{\\{[<%]\\s*/\\s*${name.replace(/[.]/g, "\\.")}\\s*[>%]\\}\\}`, "g");
    close.lastIndex = call.end;
    const m = close.exec(source);
    if (m !== null) {
      inner = source.slice(call.end, m.index);
      next = m.index + m[0].length;
    } else if (PAIRED.has(name)) {
      x.warn(call.start, `shortcode ${name} has no closing {{< /${name} >}}: the rest of the article is taken as its content`);
      inner = source.slice(call.end);
      next = source.length;
    }
  }
  const html = (fragment: string) => ({ out: out + x.html(fragment), next });
  const link = (href: string, text: string) => html(`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`);

  // Hugo renders a {{% %}} shortcode's content as Markdown, a {{< >}} one's as it is.
  if (custom !== undefined) return { out: out + x.html(fillPattern(custom, args.positional, args.named, call.kind === "%" ? x.markdown(inner) : escapeHtml(inner.trim()), name, call.start, x)), next };

  switch (name) {
    case "comment":
      return { out, next };
    case "highlight":
      return { out: fenced(out, inner, /^[\w+#.-]+/.exec(arg("lang", 0) ?? "")?.[0] ?? "", source.startsWith("\n", next)), next };
    // Hugo's documentation theme (and themes that copied it) shows settings in TOML, YAML and JSON
    // tabs; a feed shows them as written, in one code block.
    case "code-toggle": {
      const text = inner.trim();
      const language = text.startsWith("{") ? "json" : /^\s*[\w.-]+\s*=|^\s*\[/m.test(text) ? "toml" : "yaml";
      return { out: fenced(out, inner, language, source.startsWith("\n", next)), next };
    }
    case "details": {
      const summary = arg("summary", 0) ?? "Details";
      return html(`<details${arg("open") === "true" ? " open" : ""}><summary>${escapeHtml(summary)}</summary><p>${escapeHtml(inner.trim())}</p></details>`);
    }
    case "ref":
    case "relref": {
      const target = arg("path", 0) ?? "";
      const url = findLink(x.context.links, target);
      if (url !== undefined) return { out: out + url, next };
      x.warn(call.start, `{{< ${name} "${target}" >}}: no article at ${JSON.stringify(target)}${x.inUrl ? "; the link is left out, its text stays" : ""}`, `hugo-link:${target}`);
      return { out: out + x.placeholder(`[unknown link: ${target}]`), next };
    }
    case "param": {
      const key = arg("name", 0) ?? "";
      const path = key.split(".");
      const value = lookup(x.context.page, path) ?? lookup(x.context.page, ["params", ...path]) ?? lookup(x.context.site, ["params", ...path]) ?? lookup(x.context.site, path);
      if (value !== undefined) return { out: out + escapeHtml(value), next };
      x.warn(call.start, `{{< param "${key}" >}}: neither the article nor the site settings have ${JSON.stringify(key)}`);
      return { out, next };
    }
    case "figure": {
      const src = arg("src");
      if (src === undefined) break;
      const attr = (key: string) => (arg(key) === undefined ? "" : ` ${key}="${escapeHtml(arg(key)!)}"`);
      const alt = arg("alt") ?? arg("caption") ?? arg("title") ?? "";
      let image = `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${attr("width")}${attr("height")}${attr("title")}>`;
      if (arg("link") !== undefined) image = `<a href="${escapeHtml(arg("link")!)}">${image}</a>`;
      const title = arg("title") === undefined ? "" : `<h4>${escapeHtml(arg("title")!)}</h4>`;
      // Hugo's figure renders caption and attr as Markdown (markdownify), the title as text.
      const md = (key: string) => (arg(key) === undefined ? "" : x.markdown(arg(key)!));
      const caption = arg("caption") === undefined && arg("attr") === undefined ? "" : `<p>${md("caption")}${arg("attr") === undefined ? "" : ` ${arg("attrlink") === undefined ? md("attr") : `<a href="${escapeHtml(arg("attrlink")!)}">${md("attr")}</a>`}`}</p>`;
      const figcaption = title === "" && caption === "" ? "" : `<figcaption>${title}${caption}</figcaption>`;
      return html(`<figure>${image}${figcaption}</figure>`);
    }
    case "youtube": {
      const id = arg("id", 0);
      if (id === undefined || !/^[\w-]+$/.test(id)) break;
      return link(`https://www.youtube.com/watch?v=${id}`, arg("title") ?? `Video on YouTube (${id})`);
    }
    case "vimeo": {
      const id = arg("id", 0);
      if (id === undefined || !/^\d+$/.test(id)) break;
      return link(`https://vimeo.com/${id}`, arg("title") ?? `Video on Vimeo (${id})`);
    }
    case "gist": {
      const user = arg("user", 0);
      const id = arg("id", 1);
      if (user === undefined || id === undefined || !/^[\w-]+$/.test(user) || !/^\w+$/.test(id)) break;
      const file = arg("file", 2);
      const href = `https://gist.github.com/${user}/${id}${file === undefined ? "" : `#file-${file.replace(/[^\w-]/g, "-").toLowerCase()}`}`;
      return link(href, href);
    }
    case "x":
    case "tweet":
    case "twitter": {
      const id = arg("id", args.positional.length > 1 ? 1 : 0);
      const user = arg("user", args.positional.length > 1 ? 0 : undefined) ?? "i";
      if (id === undefined || !/^\d+$/.test(id) || !/^\w+$/.test(user)) break;
      const href = `https://x.com/${user}/status/${id}`;
      return link(href, user === "i" ? `Post on X: ${href}` : `Post by @${user} on X: ${href}`);
    }
    default:
      return { out: out + unsupported(x, call.start, `shortcode ${name} is not supported`, `[unsupported shortcode: ${name}]`, "; map it to HTML in the site settings (shortcodes:)", `shortcode:${name}`), next };
  }
  return { out: out + unsupported(x, call.start, `shortcode ${name}: its parameters are missing or malformed`, `[unsupported shortcode: ${name}]`, "", `shortcode-params:${name}`), next };
}

/** A site's pattern for a shortcode with its values escaped (`{0}`, `{name}`) and its content as HTML (`{inner}`). */
export function fillPattern(pattern: string, positional: readonly string[], named: Readonly<Record<string, string>>, innerHtml: string, name: string, at: number, x: Expansion): string {
  const missing: string[] = [];
  const filled = pattern.replace(/\{(\w+)\}/g, (_all, key: string) => {
    if (key === "inner") return innerHtml;
    const value = /^\d+$/.test(key) ? positional[Number(key)] : Object.hasOwn(named, key) ? named[key] : undefined;
    if (value === undefined) missing.push(key);
    return escapeHtml(value ?? "");
  });
  if (missing.length > 0) x.warn(at, `shortcode ${name}: no value for ${missing.map((k) => `{${k}}`).join(", ")} of its pattern in the site settings`, `shortcode-pattern:${name}`);
  return filled;
}
