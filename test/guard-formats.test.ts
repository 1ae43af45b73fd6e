/**
 * The id guard reads the previous build in whichever formats it wrote: a site that writes only
 * RSS or only Atom is guarded as one that writes JSON Feed is.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { build, formatProblem } from "../src/index.ts";
import { project } from "./helpers/cli.ts";

const site = (formats: string) => `---\ntitle: Formats Site\nurl: https://example.org/\nformats: ${formats}\n---\n`;
const post = (slug: string) => `---\ntitle: Hello\ndate: 2023-04-12\nslug: ${slug}\n---\nBody.\n`;

async function renamedSlug(formats: string): Promise<string[]> {
  const dir = project({ "hello.md": post("hello"), "other.md": `---\ntitle: Other\ndate: 2023-04-13\n---\nBody.\n` }, site(formats));
  const options = { content: join(dir, "content"), out: join(dir, "dist"), cache: false as const, now: "2024-01-01T00:00:00Z" };
  const first = await build(options);
  assert.ok(first.ok, first.problems.map(formatProblem).join("\n"));
  writeFileSync(join(dir, "content/hello.md"), post("hello-again"));
  const second = await build(options);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(second.ok, false, "the guard let a changed id through");
  return second.problems.filter((p) => p.severity === "error").map(formatProblem);
}

describe("id guard: the previous build in the formats it wrote", () => {
  for (const formats of ["[rss]", "[atom]", "[rss, atom]", "[json]"]) {
    it(`formats: ${formats}: a changed slug is caught on the next build`, async () => {
      const lines = await renamedSlug(formats);
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0] ?? "", /hello\.md.* id: changed from https:\/\/example\.org\/hello\/ .* to https:\/\/example\.org\/hello-again\//);
    });
  }

  it("a feed in the output folder that feedwright did not write (a generator's rss.xml) is not read as ours", async () => {
    const dir = project({ "hello.md": post("hello") }, site("[atom]"));
    const options = { content: join(dir, "content"), out: join(dir, "dist"), cache: false as const, now: "2024-01-01T00:00:00Z" };
    assert.ok((await build(options)).ok);
    mkdirSync(join(dir, "dist/blog"));
    const item = `<item><title>Hugo's own post</title><link>https://example.org/blog/own/</link><guid>https://example.org/blog/own/</guid><pubDate>Wed, 12 Apr 2023 00:00:00 GMT</pubDate></item>`;
    writeFileSync(join(dir, "dist/blog/rss.xml"), `<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title><link>https://example.org/blog/</link>${item}</channel></rss>`);
    const again = await build(options);
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(again.problems.filter((p) => p.severity === "error").map(formatProblem), []);
  });
});
