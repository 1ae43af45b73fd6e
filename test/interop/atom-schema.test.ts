/**
 * test/schemas/atom.rng (RELAX NG's XML syntax, used by libxml2 in npm test) is the same grammar
 * as test/schemas/atom.rnc (RFC 4287 appendix B, as the RFC gives it): Debian's jing, reading
 * either file, gives the same verdict on every Atom document feedwright committed and on each
 * broken one; and libxml2 agrees with jing on them all.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { brokenAtom } from "../helpers/broken-atom.ts";
import { ROOT, tempDir } from "../helpers/cli.ts";
import { jingAtom, relaxNgAtom } from "../helpers/parsers.ts";

const GOOD = (readdirSync(join(ROOT, "dist"), { recursive: true }) as string[])
  .filter((p) => p.endsWith("atom.xml"))
  .sort()
  .map((p) => ({ name: `dist/${p}`, xml: readFileSync(join(ROOT, "dist", p), "utf8") }));
const BROKEN = brokenAtom(GOOD.find((d) => d.name === "dist/atom.xml")!.xml);

const dir = tempDir("feedwright-atom-schema-");
mkdirSync(join(dir, "docs"));
const onDisk = (docs: readonly { name: string; xml: string }[], prefix: string) =>
  docs.map((d, i) => {
    const path = join(dir, "docs", `${prefix}-${i}.xml`);
    writeFileSync(path, d.xml);
    return { ...d, path };
  });
const good = onDisk(GOOD, "good");
const broken = onDisk(BROKEN, "broken");

describe("atom.rng and atom.rnc: one grammar", () => {
  it(`jing accepts all ${good.length} committed Atom documents with either file, and libxml2 with atom.rng`, async () => {
    const paths = good.map((d) => d.path);
    assert.deepEqual(jingAtom(paths, "rnc"), { ok: true, status: 0, stdout: "" });
    assert.deepEqual(jingAtom(paths, "rng"), { ok: true, status: 0, stdout: "" });
    assert.deepEqual(await relaxNgAtom(good), { ok: true, errors: [] });
  });

  for (const doc of broken) {
    it(`refused by jing with either file, and by libxml2: ${doc.name}`, async () => {
      const rnc = jingAtom([doc.path], "rnc");
      const rng = jingAtom([doc.path], "rng");
      assert.equal(rnc.ok, false, "jing with atom.rnc accepted it");
      assert.equal(rng.ok, false, "jing with atom.rng accepted it");
      assert.equal((await relaxNgAtom([doc])).ok, false, "libxml2 accepted it");
    });
  }
});
