import { createHash } from "node:crypto";
import { lstat, mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import mime from "mime-types";
import { build } from "../pipeline/index.ts";
import { shownPath } from "../content/read.ts";
import { FORMATS, formatOfPath } from "../formats/index.ts";
import { reportProblems } from "../report/index.ts";
import { flag, text, UsageError, type Args } from "./args.ts";
import { buildOptions, summaryLine } from "./build.ts";
import { EXIT, type Io } from "./io.ts";
import { watchContent } from "./watch.ts";

/** Where a preview page listens for "rebuilt": a path no build writes (feedwright never writes dot- or underscore-led folders here). */
export const LIVE_PATH = "/__feedwright/live";

/**
 * Media types by file name, from the format table; charset because feed readers guess otherwise.
 * RSS and Atom as `application/xml`: the preview is for a browser, which shows a feed styled by
 * feed.css (and reloads it) only when it is served as XML; as `application/rss+xml` Chromium shows
 * its source and Firefox downloads it (docs/formats.md). Feed readers take either.
 */
export function contentType(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const format = formatOfPath(path);
  if (format !== undefined) return `${format.mediaType.endsWith("+xml") ? "application/xml" : format.mediaType}; charset=utf-8`;
  if (name.endsWith(".opml")) return "text/x-opml; charset=utf-8";
  const type = mime.lookup(name);
  if (type === false) return "application/octet-stream";
  return /^text\/|\+xml$|\+json$|\/json$|\/xml$/.test(type) ? `${type}; charset=utf-8` : type;
}

const RELOAD = `new EventSource(${JSON.stringify(LIVE_PATH)}).addEventListener("rebuilt", () => location.reload());`;

/**
 * Pure: the live-reload script added to a page a browser asked for. HTML gets a `<script>`
 * before `</body>`; an RSS or Atom document (styled by feed.css) gets an XHTML-namespaced one
 * before its root's end tag, which browsers run in XML too. Anything else is returned as it is.
 */
export function withLiveReload(path: string, body: string): string {
  if (/\.html?$/.test(path)) {
    const tag = `<script>${RELOAD}</script>`;
    const at = body.lastIndexOf("</body>");
    return at === -1 ? body + tag : body.slice(0, at) + tag + body.slice(at);
  }
  const format = formatOfPath(path);
  if (format === undefined || !format.mediaType.endsWith("+xml")) return body;
  const at = body.lastIndexOf("</");
  if (at === -1) return body;
  return `${body.slice(0, at)}<script xmlns="http://www.w3.org/1999/xhtml" style="display:none">${RELOAD}</script>${body.slice(at)}`;
}

/** One finished preview build: an immutable folder, replaced by pointer, never renamed or rewritten. */
interface Snapshot {
  readonly dir: string;
  /** Where the output folder is mounted: the path of the site's feedsUrl (`/`, or `/feeds/` beside a site). */
  readonly prefix: string;
  /** Its Last-Modified in whole seconds: later than every earlier snapshot's, so no change is ever answered 304. */
  readonly modified: number;
}

/**
 * RFC 9110 §13.1.1 and §13.2.2: If-None-Match, when sent, decides alone. Else If-Modified-Since,
 * compared in whole seconds (HTTP dates have no finer), and ignored when it is invalid or later
 * than the server's clock (a date nobody could have been given).
 */
export function notModified(headers: IncomingMessage["headers"], etag: string, modifiedSeconds: number, nowMs: number): boolean {
  const match = headers["if-none-match"];
  if (match !== undefined) return match.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");
  const since = headers["if-modified-since"];
  if (since === undefined) return false;
  const time = Date.parse(since);
  if (Number.isNaN(time) || time > nowMs) return false;
  return modifiedSeconds * 1000 <= time;
}

/**
 * The file at a request path inside `root`, or undefined: never outside it, never through a
 * symbolic link (a link in the preview folder could point at /etc/passwd), only regular files.
 */
export async function resolveInside(root: string, urlPath: string): Promise<string | undefined> {
  const full = resolve(root, `.${urlPath}`);
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  let at = root;
  for (const part of full.slice(root.length + 1).split(sep)) {
    at = join(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (info === undefined || info.isSymbolicLink()) return undefined;
  }
  const info = await lstat(full).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  const real = await realpath(full).catch(() => undefined);
  const realRoot = await realpath(root);
  return real !== undefined && real.startsWith(realRoot + sep) ? full : undefined;
}

export async function runServe(args: Args, io: Io): Promise<number> {
  const portText = text(args, "port") ?? "8080";
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`serve: --port: expected a port number from 0 to 65535 (got ${JSON.stringify(portText)})`);
  const host = text(args, "host") ?? "127.0.0.1";
  const quiet = flag(args, "quiet");
  const options = buildOptions(args, io.env);
  const root = await mkdtemp(join(tmpdir(), "feedwright-preview-"));
  const retired: string[] = [];
  let current: Snapshot | undefined;
  let serial = 0;
  const listeners = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    if (req.url === LIVE_PATH) return void live(req, res, listeners);
    serveFile(current, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("internal error\n");
    });
  });
  try {
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(Number(portText), host, () => done());
    });
  } catch (e) {
    await rm(root, { recursive: true, force: true });
    io.stderr(`feedwright: cannot listen on ${host}:${portText}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; try another --port\n`);
    return EXIT.failed;
  }
  const { port } = server.address() as AddressInfo;
  // The preview's own URLs: links, the stylesheet and ids point here, never at the live site.
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const base = `http://${shownHost}:${port}/`;

  const rebuild = async (): Promise<void> => {
    const started = performance.now();
    const dir = join(root, `build-${++serial}`);
    // A fresh `now` each time: an article scheduled for a minute ago appears on the next change.
    const result = await build({
      ...buildOptions(args, io.env),
      outDir: dir,
      siteUrl: base,
      keepRecord: false,
      ...(flag(args, "no-cache") ? {} : { cacheDir: join(root, "cache") }),
    });
    reportProblems(result.problems, io);
    if (result.plan === undefined || result.report === undefined) {
      const errors = result.problems.filter((p) => p.severity === "error").length;
      io.stderr(`feedwright: ${errors} error${errors === 1 ? "" : "s"}; still serving the last good preview\n`);
      await rm(dir, { recursive: true, force: true });
      return;
    }
    const seconds = Math.floor(Date.now() / 1000);
    const previous = current;
    const feeds = new URL(result.plan.site.feedsUrl);
    const prefix = feeds.origin === new URL(base).origin ? feeds.pathname : "/";
    current = { dir, prefix, modified: previous === undefined ? seconds : Math.max(seconds, previous.modified + 1) };
    // The one before stays a while for requests already reading it; older ones go.
    if (previous !== undefined) retired.push(previous.dir);
    while (retired.length > 1) await rm(retired.shift()!, { recursive: true, force: true });
    if (!quiet) io.stdout(summaryLine(result.plan.counts, result.report, Math.round(performance.now() - started)));
    for (const listener of listeners) listener.write(`event: rebuilt\ndata: ${serial}\n\n`);
  };

  try {
    await rebuild().catch((e: unknown) => io.stderr(`feedwright: build failed: ${e instanceof Error ? e.message : String(e)}\n`));
    // Beside a site (feedsUrl: feeds/) the feeds are under that path, as they will be published.
    const at = new URL((current?.prefix ?? "/").slice(1), base).href;
    io.stdout(`feedwright: previewing at ${at} (front door, feed.json, atom.xml, rss.xml) from a temporary folder; watching ${shownPath(options.contentDir)}/, Ctrl-C stops\n`);
    await watchContent(options.contentDir, io, rebuild);
  } finally {
    for (const listener of listeners) listener.end();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    await rm(root, { recursive: true, force: true });
  }
  io.stdout("feedwright: stopped\n");
  return EXIT.ok;
}

/** Server-sent events: one `rebuilt` event per new preview. */
function live(req: IncomingMessage, res: ServerResponse, listeners: Set<ServerResponse>): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  res.write(": feedwright preview\n\n");
  listeners.add(res);
  req.on("close", () => listeners.delete(res));
}

/** What each path was last served as, per variant: its Last-Modified stays while its bytes do. */
const servedAs = new Map<string, { etag: string; modified: number }>();

/** GET and HEAD of files in the current snapshot, with validators so readers can poll cheaply. */
async function serveFile(snapshot: Snapshot | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  } catch {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request\n");
    return;
  }
  if (path.includes("\0")) {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request\n");
    return;
  }
  if (path.endsWith("/")) path += "index.html";
  const browser = (req.headers.accept ?? "").includes("text/html");
  const prefix = snapshot?.prefix ?? "/";
  const inside = path.startsWith(prefix) ? `/${path.slice(prefix.length)}` : undefined;
  const file = snapshot === undefined || inside === undefined ? undefined : await resolveInside(snapshot.dir, inside);
  if (snapshot === undefined || file === undefined) {
    // The site's root, when the feeds are under a path of their own: their front door is there.
    if (path === "/index.html" && prefix !== "/") {
      res.writeHead(302, { location: prefix, "cache-control": "no-cache" }).end();
      return;
    }
    if (path === "/index.html" || path === `${prefix}index.html`) {
      const links = FORMATS.map((f) => `<li><a href="${prefix}${f.file}">${prefix}${f.file}</a></li>`).join("");
      const page = `<!doctype html><meta charset="utf-8"><title>feedwright preview</title><p>feedwright preview: ${snapshot === undefined ? "no successful build yet" : "this site has no front door"}.</p><ul>${links}</ul>`;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }).end(withLiveReload(path, page));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  let bytes = await readFile(file);
  if (browser) {
    const text = bytes.toString("utf8");
    const live = withLiveReload(path, text);
    if (live !== text) bytes = Buffer.from(live);
  }
  const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
  const key = `${browser ? "b" : "r"}${path}`;
  const known = servedAs.get(key);
  const modified = known?.etag === etag ? known.modified : snapshot.modified;
  servedAs.set(key, { etag, modified });
  const headers = { etag, "last-modified": new Date(modified * 1000).toUTCString(), "cache-control": "no-cache", vary: "accept", "x-content-type-options": "nosniff" };
  if (notModified(req.headers, etag, modified, Date.now())) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, "content-type": contentType(path), "content-length": bytes.length });
  res.end(req.method === "HEAD" ? undefined : bytes);
}
