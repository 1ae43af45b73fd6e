import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve, sep } from "node:path";
import mime from "mime-types";
import { shownPath } from "../content/read.ts";
import { FORMATS } from "../formats/index.ts";
import { reportProblems } from "../report/index.ts";
import { UsageError, type Args } from "./args.ts";
import { buildOnce, buildOptions, failureLine, summaryLine, type BuildOutcome } from "./build.ts";
import { EXIT, type Io } from "./io.ts";

/** Waits this long after the last change before rebuilding: editors write a file in several steps. */
const DEBOUNCE_MS = 150;

/** Media types by file name, from the format table; charset because feed readers guess otherwise. */
export function contentType(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const format = FORMATS.find((f) => f.file === name);
  if (format !== undefined) return `${format.mediaType}; charset=utf-8`;
  if (name.endsWith(".opml")) return "text/x-opml; charset=utf-8";
  const type = mime.lookup(name);
  if (type === false) return "application/octet-stream";
  return /^text\/|\+xml$|\+json$|\/json$|\/xml$/.test(type) ? `${type}; charset=utf-8` : type;
}

export async function runServe(args: Args, io: Io): Promise<number> {
  const portText = typeof args.values.port === "string" ? args.values.port : "8080";
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`serve: --port: expected a port number from 0 to 65535 (got ${JSON.stringify(portText)})`);
  const options = buildOptions(args, io.env);
  const outDir = resolve(options.outDir);

  let building = false;
  let again = false;
  const rebuild = async (): Promise<void> => {
    if (building) {
      again = true;
      return;
    }
    building = true;
    try {
      do {
        again = false;
        const started = performance.now();
        // A fresh `now` each time: an article scheduled for a minute ago appears on the next change.
        let outcome: BuildOutcome;
        try {
          outcome = await buildOnce(args, { ...options, now: buildOptions(args, io.env).now });
        } catch (e) {
          io.stderr(`feedwright: build failed: ${e instanceof Error ? e.message : String(e)}; still serving the last good feeds\n`);
          continue;
        }
        reportProblems(outcome.problems, io);
        if (outcome.ok && outcome.plan !== undefined && outcome.report !== undefined) io.stdout(summaryLine(outcome.plan, outcome.report, Math.round(performance.now() - started)));
        else io.stderr(failureLine(outcome.problems, options.outDir).replace(/\n$/, "; still serving the last good feeds\n"));
      } while (again);
    } finally {
      building = false;
    }
  };
  await rebuild();

  const server = createServer((req, res) => {
    serveFile(outDir, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("internal error\n");
    });
  });
  try {
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(Number(portText), "127.0.0.1", () => done());
    });
  } catch (e) {
    io.stderr(`feedwright: cannot listen on 127.0.0.1:${portText}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; try another --port\n`);
    return EXIT.failed;
  }
  const { port } = server.address() as AddressInfo;
  io.stdout(`feedwright: serving ${shownPath(outDir)}/ at http://127.0.0.1:${port}/ (feed.json, atom.xml, rss.xml); watching ${shownPath(options.contentDir)}/, Ctrl-C stops\n`);

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    // Recursive watching works on Linux from Node 20 (on macOS and Windows for longer).
    watcher = watch(options.contentDir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void rebuild(), DEBOUNCE_MS);
    });
    watcher.on("error", (e) => io.stderr(`feedwright: stopped watching ${options.contentDir}: ${e.message}\n`));
  } catch (e) {
    io.stderr(`feedwright: cannot watch ${options.contentDir} (${(e as Error).message}); serving without rebuilds\n`);
  }

  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener("abort", () => done(), { once: true });
  });
  clearTimeout(timer);
  watcher?.close();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  io.stdout("feedwright: stopped\n");
  return EXIT.ok;
}

/** GET and HEAD of files in the output folder, with validators so readers can poll cheaply. */
async function serveFile(outDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  if (path.endsWith("/")) path += "index.html";
  const full = resolve(outDir, `.${path}`);
  const info = full.startsWith(outDir + sep) ? await stat(full).catch(() => undefined) : undefined;
  if (info === undefined || !info.isFile()) {
    if (path === "/index.html") {
      const links = FORMATS.map((f) => f.file).join("\n");
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" }).end(`feedwright serve: the feeds are\n${links}\n`);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  const bytes = await readFile(full);
  const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
  const modified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
  const headers = { etag, "last-modified": modified.toUTCString(), "cache-control": "no-cache", "x-content-type-options": "nosniff" };
  if (notModified(req, etag, modified)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, "content-type": contentType(path), "content-length": bytes.length });
  res.end(req.method === "HEAD" ? undefined : bytes);
}

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since when both are sent. */
function notModified(req: IncomingMessage, etag: string, modified: Date): boolean {
  const match = req.headers["if-none-match"];
  if (match !== undefined) return match.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");
  const since = req.headers["if-modified-since"];
  if (since === undefined) return false;
  const time = Date.parse(since);
  return !Number.isNaN(time) && modified.getTime() <= time;
}
