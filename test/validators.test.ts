/**
 * The independent checks the suite relies on can say no: RFC 4287's RELAX NG schema with libxml2
 * (xmllint-wasm, test/schemas/atom.rng), saxes for XML well-formedness, and the zod schema of
 * JSON Feed 1.1. A validator that accepted everything would make every test that uses it pass.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { brokenAtom } from "./helpers/broken-atom.ts";
import { ROOT } from "./helpers/cli.ts";
import { checkJsonFeed, parseXmlStrict, relaxNgAtom } from "./helpers/parsers.ts";

const GOOD_ATOM = readFileSync(join(ROOT, "dist/atom.xml"), "utf8");
const GOOD_JSON = readFileSync(join(ROOT, "dist/feed.json"), "utf8");

describe("RFC 4287 RELAX NG schema, libxml2 (xmllint-wasm)", () => {
  it("accepts the committed dist/atom.xml", async () => {
    assert.deepEqual(await relaxNgAtom([{ name: "dist/atom.xml", xml: GOOD_ATOM }]), { ok: true, errors: [] });
  });

  const cases = brokenAtom(GOOD_ATOM);
  it(`refuses each of ${cases.length} broken documents, naming it, in one run with a valid one`, async () => {
    const result = await relaxNgAtom([{ name: "good", xml: GOOD_ATOM }, ...cases.map((c) => ({ name: c.name, xml: c.xml }))]);
    assert.equal(result.ok, false);
    const named = new Set(result.errors.map((e) => e.slice(0, e.indexOf(":"))));
    assert.deepEqual(
      cases.map((c) => c.name).filter((n) => !named.has(n)),
      [],
      `documents the schema let through:\n${result.errors.join("\n")}`,
    );
    assert.ok(!named.has("good"), result.errors.join("\n"));
  });

  for (const c of cases) {
    it(`refuses alone: ${c.name}`, async () => {
      const result = await relaxNgAtom([{ name: c.name, xml: c.xml }]);
      assert.equal(result.ok, false);
      assert.ok(result.errors.length > 0);
    });
  }
});

describe("saxes (strict, namespaces)", () => {
  it("accepts dist/atom.xml and refuses what is not well-formed", () => {
    assert.deepEqual(parseXmlStrict(GOOD_ATOM).errors, []);
    for (const bad of ["<a><b></a>", "<a x='1' x='2'/>", "<p:a/>", "<a>&nbsp;</a>", "<a>\u0001</a>", "<a/><b/>", ""]) {
      assert.notDeepEqual(parseXmlStrict(bad).errors, [], JSON.stringify(bad));
    }
  });
});

describe("JSON Feed 1.1 schema (zod)", () => {
  it("accepts dist/feed.json and refuses broken ones", () => {
    assert.deepEqual(checkJsonFeed(GOOD_JSON), []);
    const feed = JSON.parse(GOOD_JSON) as { version: string; items: Record<string, unknown>[] };
    const broken = [
      { ...feed, version: "https://jsonfeed.org/version/1" },
      { ...feed, items: undefined },
      { ...feed, items: [{ ...feed.items[0], id: undefined }] },
      { ...feed, items: [{ ...feed.items[0], date_published: "2023-06-28 16:45" }] },
      { ...feed, items: [{ ...feed.items[0], content_html: undefined, content_text: undefined }] },
      { ...feed, unknown: 1 },
    ];
    for (const b of broken) assert.notDeepEqual(checkJsonFeed(JSON.stringify(b)), [], JSON.stringify(b).slice(0, 120));
    assert.notDeepEqual(checkJsonFeed("{"), []);
  });
});
