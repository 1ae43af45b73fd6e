import assert from "node:assert/strict";
import { readFileSync, appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli, project } from "./helpers/cli.ts";

/** The CLI in process (cli()): async, so the hub below, in this process too, keeps answering. */
const run = (args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) => cli(args, cwd, env);

describe("WebSub", () => {
  let server: Server;
  let hub: string;
  let status = 204;
  const requests: { method: string; type: string; body: URLSearchParams }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        requests.push({ method: req.method ?? "", type: req.headers["content-type"] ?? "", body: new URLSearchParams(body) });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  it("announces the hub in every format, and ping tells it which feeds the last build changed", async () => {
    const dir = project(
      {
        "a.md": `---\ntitle: A\ndate: 2023-01-01\ntags: [x]\n---\nA.\n`,
        "b.md": `---\ntitle: B\ndate: 2023-01-02\n---\nB.\n`,
      },
      `---\ntitle: Hub Site\nurl: https://example.org/\nhub: ${hub}\n---\n`,
    );
    const env = { FEEDWRIGHT_CACHE_DIR: join(dir, "cache") };
    assert.equal((await run(["build"], dir, env)).status, 0);
    assert.match(readFileSync(join(dir, "dist/atom.xml"), "utf8"), new RegExp(`<link rel="hub" href="${hub}"/>`));
    assert.match(readFileSync(join(dir, "dist/rss.xml"), "utf8"), new RegExp(`<atom:link href="${hub}" rel="hub"/>`));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "dist/feed.json"), "utf8")).hubs, [{ type: "WebSub", url: hub }]);

    requests.length = 0;
    const first = await run(["ping"], dir, env);
    assert.equal(first.status, 0, first.stderr);
    const topics = ["atom.xml", "feed.json", "rss.xml", "tags/x/atom.xml", "tags/x/feed.json", "tags/x/rss.xml"].map((p) => `https://example.org/${p}`);
    assert.deepEqual(
      requests.map((r) => [r.method, r.type, r.body.get("hub.mode"), r.body.get("hub.url")]),
      topics.map((t) => ["POST", "application/x-www-form-urlencoded", "publish", t]),
    );

    // A change to an untagged article changes only the site feeds.
    appendFileSync(join(dir, "content/b.md"), "More.\n");
    assert.equal((await run(["build"], dir, env)).status, 0);
    requests.length = 0;
    assert.equal((await run(["ping"], dir, env)).status, 0);
    assert.deepEqual(requests.map((r) => r.body.get("hub.url")), ["atom.xml", "feed.json", "rss.xml"].map((p) => `https://example.org/${p}`));

    // Nothing changed, nothing to tell.
    assert.equal((await run(["build"], dir, env)).status, 0);
    requests.length = 0;
    const quiet = await run(["ping"], dir, env);
    assert.equal(quiet.status, 0);
    assert.match(quiet.stdout, /changed no feed/);
    assert.equal(requests.length, 0);
  });

  it("a hub that refuses is an error, exit 1", async () => {
    const dir = project({ "a.md": `---\ntitle: A\ndate: 2023-01-01\n---\nA.\n` }, `---\ntitle: Hub Site\nurl: https://example.org/\nhub: ${hub}\n---\n`);
    const env = { FEEDWRIGHT_CACHE_DIR: join(dir, "cache") };
    assert.equal((await run(["build"], dir, env)).status, 0);
    status = 500;
    try {
      const refused = await run(["ping"], dir, env);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /failed https:\/\/example\.org\/atom\.xml \(HTTP 500\)/);
    } finally {
      status = 204;
    }
  });

  it("ping without a recorded build says how to get one", async () => {
    const dir = project({});
    const result = await run(["ping"], dir, { FEEDWRIGHT_CACHE_DIR: join(dir, "cache") });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no build of dist\/ with a hub setting is on record/);
  });
});
