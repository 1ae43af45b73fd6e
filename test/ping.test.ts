import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ping } from "../src/websub/ping.ts";

describe("ping against a hub that never answers", () => {
  let server: Server;
  let hub = "";
  let seen = 0;
  before(async () => {
    server = createServer(() => void seen++);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((done) => server.close(() => done()));
  });

  it("the whole run is bounded by its deadline, requests run side by side, and each says why it failed", async () => {
    const topics = Array.from({ length: 40 }, (_, i) => `https://example.org/tags/t${i}/atom.xml`);
    const started = performance.now();
    const results = await ping({ hub, topics }, { timeoutMs: 300, deadlineMs: 800, concurrency: 4 });
    const ms = performance.now() - started;
    // Sequential 300 ms timeouts would take 12 s; the deadline ends it near 0.8 s.
    assert.ok(ms < 4000, `${Math.round(ms)} ms`);
    assert.equal(results.length, 40);
    assert.ok(results.every((r) => !r.ok));
    assert.equal(results[0]!.detail, "no answer within 0.3 s");
    assert.equal(results.at(-1)!.detail, "not sent: the run's 0.8 s were up");
    assert.ok(seen >= 4 && seen < 40, `${seen} requests reached the hub`);
  });
});
