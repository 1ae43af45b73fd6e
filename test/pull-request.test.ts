import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { diffItems } from "../src/report/diff.ts";
import { articleLines, changedLine, code, placeIdProblems, text } from "../src/report/pull-request.ts";
import { openingLine } from "../src/content/front-matter.ts";
import { error } from "../src/problems.ts";
import { cli, copyFixture, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

interface Annotation {
  readonly level: string;
  readonly props: ReadonlyMap<string, string>;
  readonly message: string;
}

/**
 * Workflow commands read back as the runner reads them (actions/runner `ActionCommand.cs`):
 * properties unescape `%0D`, `%0A`, `%3A`, `%2C`, `%25`; the message `%0D`, `%0A`, `%25`.
 */
function annotations(stdout: string): Annotation[] {
  const unescape = (value: string, codes: Record<string, string>) => value.replace(/%(0D|0A|3A|2C|25)/g, (all, hex: string) => codes[hex] ?? all);
  const data = { "0D": "\r", "0A": "\n", "25": "%" };
  const property = { ...data, "3A": ":", "2C": "," };
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("::"))
    .map((line) => {
      const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
      assert.ok(match, line);
      const props = new Map(match[2]!.split(",").map((pair) => {
        const at = pair.indexOf("=");
        return [pair.slice(0, at), unescape(pair.slice(at + 1), property)] as const;
      }));
      return { level: match[1]!, props, message: unescape(match[3]!, data) };
    });
}

/** GFM tables in a Markdown text: each a list of rows, each row its cells (split at unescaped `|`). */
function tables(markdown: string): string[][][] {
  const found: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      current = undefined;
      continue;
    }
    if (current === undefined) found.push((current = []));
    current.push(cells(line));
  }
  return found;
}

function cells(row: string): string[] {
  assert.match(row, /^\| .* \|$/);
  return row.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim());
}

async function site(): Promise<{ dir: string; env: NodeJS.ProcessEnv; summary: string }> {
  const dir = copyFixture("cli-site");
  const run = await cli(["build", "--now", NOW], dir);
  assert.equal(run.status, 0, run.stderr);
  const summary = join(tempDir(), "step-summary.md");
  return { dir, summary, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary } };
}

describe("check on a pull request", () => {
  it("an edited article gives exactly one annotation, at its file and the line of the field that changed", async () => {
    const { dir, env } = await site();
    writeFileSync(join(dir, "content/2023-02-20-second-post.md"), "\n\n---\ntitle: Second post, edited\ndate: 2023-02-20 18:30\n---\nEdited.\n");
    const run = await cli(["check", "--now", NOW], dir, env);
    assert.equal(run.status, 1);
    const found = annotations(run.stdout);
    assert.equal(found.length, 1, run.stdout);
    assert.equal(found[0]!.level, "error");
    assert.equal(found[0]!.props.get("file"), "content/2023-02-20-second-post.md");
    // Its title changed (and its body): the annotation is at title:, not at the opening "---" (line 3).
    assert.equal(found[0]!.props.get("line"), "4");
    assert.match(found[0]!.message, /^"Second post, edited" \(id https:\/\/example.org\/second-post\/\) is changed in 1 feed/);
    // People reading the log still see every stale file.
    assert.match(run.stderr, /dist\/rss\.xml differs from a fresh build/);
  });

  it("under a working-directory, annotation paths are from the repository's root", async () => {
    const { dir, env } = await site();
    writeFileSync(join(dir, "content/2023-01-10-first-post.md"), "---\ntitle: First post\ndate: 2023-01-10 09:00\ntags: [news]\n---\nEdited.\n");
    const run = await cli(["check", "--now", NOW], dir, { ...env, GITHUB_WORKSPACE: join(dir, "..") });
    const found = annotations(run.stdout);
    assert.equal(found.length, 1, run.stdout);
    assert.equal(found[0]!.props.get("file"), `${dir.split("/").at(-1)}/content/2023-01-10-first-post.md`);
    assert.match(found[0]!.message, /is changed in 2 feeds \(dist\/, dist\/tags\/news\/\)/);
  });

  it("ids and titles with %, comma, colon and non-ASCII read back exactly", async () => {
    const { dir, env } = await site();
    const id = "tag:example.org,2023:caf%C3%A9/100%25:a,b";
    const title = "Café: 100%, über alles";
    const article = (body: string) => `---\ntitle: "${title}"\ndate: 2023-03-01\nid: "${id}"\n---\n${body}\n`;
    writeFileSync(join(dir, "content/odd.md"), article("One."));
    assert.equal((await cli(["build", "--now", NOW], dir)).status, 0);
    writeFileSync(join(dir, "content/odd.md"), article("Two."));
    const run = await cli(["check", "--now", NOW], dir, env);
    const found = annotations(run.stdout);
    assert.equal(found.length, 1, run.stdout);
    assert.equal(found[0]!.props.get("file"), "content/odd.md");
    assert.equal(found[0]!.props.get("title"), "feedwright: out of date");
    assert.ok(found[0]!.message.startsWith(`${JSON.stringify(title)} (id ${id}) is changed in 1 feed`), found[0]!.message);
    const table = tables(readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8")).find((t) => t[0]![0] === "Feed");
    assert.deepEqual(table?.[2], ["`dist/feed.json`", "0", "0", `1: \`${id}\``]);
  });

  it("an article's id changed by a new slug: the stale item and the id guard's error both at slug:", async () => {
    const { dir, env } = await site();
    writeFileSync(join(dir, "content/2023-02-20-second-post.md"), "---\ntitle: Second post\ndate: 2023-02-20 18:30\nslug: second\n---\nThe second post, with a [link](/about/).\n");
    const run = await cli(["check", "--now", NOW], dir, env);
    assert.equal(run.status, 1);
    const found = annotations(run.stdout).filter((a) => a.props.get("file") === "content/2023-02-20-second-post.md");
    assert.deepEqual(found.map((a) => [a.props.get("title"), a.props.get("line")]).sort(), [["feedwright: id", "4"], ["feedwright: out of date", "4"]], run.stdout);
  });

  it("an id pinned anew, a date moved, a draft published: each annotation at its own line", async () => {
    const { dir, env } = await site();
    writeFileSync(join(dir, "content/2023-02-20-second-post.md"), "---\ntitle: Second post\ndate: 2023-02-20 18:30\nid: tag:example.org,2023:second\n---\nThe second post, with a [link](/about/).\n");
    writeFileSync(join(dir, "content/2023-01-10-first-post.md"), "---\ntitle: First post\ndate: 2023-01-11 09:00\ntags: [news]\n---\nThe first post.\n");
    writeFileSync(join(dir, "content/2023-03-30-unfinished.md"), "---\ntitle: Unfinished\ndate: 2023-03-30\n---\nNow finished.\n\nWith more.\n");
    const run = await cli(["check", "--now", NOW], dir, env);
    const at = annotations(run.stdout).map((a) => [a.props.get("file"), a.props.get("title"), a.props.get("line")].join(" "));
    assert.ok(at.includes("content/2023-02-20-second-post.md feedwright: id 4"), at.join("\n"));
    assert.ok(at.includes("content/2023-02-20-second-post.md feedwright: out of date 4"), at.join("\n"));
    assert.ok(at.includes("content/2023-01-10-first-post.md feedwright: out of date 3"), at.join("\n"));
    // A draft no more: a new item, at the opening line.
    assert.ok(at.includes("content/2023-03-30-unfinished.md feedwright: out of date 1"), at.join("\n"));
  });

  it("differences no article explains (a deleted article) are one annotation on the output folder, from the repository's root", async () => {
    const { dir, env } = await site();
    rmSync(join(dir, "content/2023-02-20-second-post.md"));
    const run = await cli(["check", "--now", NOW, "--accept-id-changes"], dir, { ...env, GITHUB_WORKSPACE: join(dir, "..") });
    // The id guard's warning about the deleted article is its own annotation, as before.
    const found = annotations(run.stdout).filter((a) => a.level === "error");
    assert.equal(found.length, 1, run.stdout);
    assert.equal(found[0]!.props.get("file"), `${dir.split("/").at(-1)}/dist`);
    assert.equal(found[0]!.props.has("line"), false);
    const lines = found[0]!.message.split("\n");
    assert.ok(lines.includes("dist/feed.json: item https://example.org/second-post/ removed"), found[0]!.message);
    assert.ok(lines.includes("dist/rss.xml: differs"), found[0]!.message);
    assert.equal(lines.filter((line) => line.startsWith("dist/feed.json")).length, 1, found[0]!.message);
  });

  it("writes a job summary: counts, items per feed, other files, errors, as tables that parse", async () => {
    const { dir, env } = await site();
    writeFileSync(join(dir, "content/2023-04-01-third.md"), "---\ntitle: Third\ndate: 2023-04-01\ntags: [news]\n---\nNew.\n");
    writeFileSync(join(dir, "content/2023-02-20-second-post.md"), "---\ntitle: Second post, edited\ndate: 2023-02-20 18:30\n---\nEdited.\n");
    rmSync(join(dir, "dist/rss.xml"));
    const run = await cli(["check", "--now", NOW], dir, env);
    assert.equal(run.status, 1);
    const markdown = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    assert.match(markdown, /^## feedwright check: failed\n/);
    const [counts, feeds, files, ...more] = tables(markdown);
    assert.equal(more.length, 0, markdown);
    for (const t of [counts!, feeds!, files!]) {
      for (const row of t) assert.equal(row.length, t[0]!.length, markdown);
      assert.ok(t[1]!.every((c) => c === "---"));
    }
    assert.deepEqual(counts![0], ["Articles", "Published", "Drafts", "Scheduled", "Items per feed", "Feeds"]);
    assert.deepEqual(counts![2], ["4", "3", "1", "0", "3", "2"]);
    assert.deepEqual(feeds!.slice(2), [
      ["`dist/feed.json`", "1: `https://example.org/third/`", "0", "1: `https://example.org/second-post/`"],
      ["`dist/tags/news/feed.json`", "1: `https://example.org/third/`", "0", "0"],
    ]);
    assert.ok(files!.slice(2).some((row) => row[0] === "`dist/rss.xml`" && row[1] === "missing: a build would write it"), markdown);
  });

  it("the summary lists content errors; without GITHUB_ACTIONS nothing is written", async () => {
    const { dir, env } = await site();
    writeFileSync(join(dir, "content/bad.md"), "---\ntitle: A | B\n---\nNo date.\n");
    await cli(["check", "--now", NOW], dir, { ...env, GITHUB_ACTIONS: "" });
    assert.throws(() => readFileSync(env.GITHUB_STEP_SUMMARY!), { code: "ENOENT" });
    const run = await cli(["check", "--now", NOW], dir, env);
    assert.equal(run.status, 1);
    const errors = tables(readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8")).find((t) => t[0]![0] === "Error");
    assert.deepEqual(errors?.slice(2), [["content/bad.md:1 date: is required (or a file name that starts with it, as in 2016-03-10-bad.md)"]]);
    // Content errors are annotated as before, one each.
    assert.deepEqual(annotations(run.stdout).map((a) => [a.props.get("file"), a.props.get("line")]), [["content/bad.md", "1"]]);
  });
});

describe("summary cells and front-matter lines", () => {
  it("any text stays in its one cell of its one row", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom("|", "\\", "`", "\n", "\r", "<", "&", " ", "a", "é") }), fc.string({ unit: "binary" })), (value) => {
        const row = `| ${text(value)} | ${code(value)} |`;
        assert.equal(row.includes("\n") || row.includes("\r"), false);
        assert.equal(cells(row).length, 2);
      }),
    );
  });

  it("a pipe and a line break are escaped, HTML is shown as text", () => {
    assert.equal(text("a | b\nc <i>&amp;"), "a \\| b<br>c &lt;i>&amp;amp;");
    assert.equal(code("a|b`c"), "``a\\|b`c``");
  });

  it("the opening line comes after a byte-order mark and blank lines", () => {
    assert.equal(openingLine("---\ntitle: x\n---\n"), 1);
    assert.equal(openingLine("\uFEFF\n \r\n\t\n+++\n"), 4);
  });
});

describe("the line of the field that changed", () => {
  const feed = (...items: object[]) => JSON.stringify({ version: "https://jsonfeed.org/version/1.1", items });
  const a = { id: "https://x.org/a/", url: "https://x.org/a/", title: "A", date_published: "2024-01-01T00:00:00Z", content_html: "<p>a</p>" };

  it("diffItems names the item keys that differ, and pairs a new id with the item whose URL or title it took", () => {
    assert.deepEqual(diffItems(feed(a), feed({ ...a, title: "A!", content_html: "<p>b</p>" }))?.keys, { [a.id]: ["content_html", "title"] });
    const moved = { ...a, id: "https://x.org/b/", url: "https://x.org/b/" };
    assert.deepEqual(diffItems(feed(a), feed(moved)), { added: [moved.id], removed: [a.id], changed: [], keys: { [moved.id]: ["id", "url"] } });
    const pinned = { ...a, id: "tag:x.org,2024:a" };
    assert.deepEqual(diffItems(feed(a), feed(pinned))?.keys, { [pinned.id]: ["id"] });
    // A new article takes no one's place: no keys, as before.
    assert.deepEqual(diffItems(feed(a), feed(a, { ...a, id: "n", url: "https://x.org/n/", title: "N" })), { added: ["n"], removed: [], changed: [] });
  });

  it("changedLine: id:, then what makes the URL, then date:, title: ...; the body; else the opening line", () => {
    const text = "\n---\ntitle: A\ndate: 2024-01-01\nslug: a\nid: tag:x\nsummary: s\n---\nBody.\n";
    const lines = articleLines("a.md", text);
    assert.deepEqual([lines.opening, lines.body, [...lines.keys]], [2, 9, [["title", 3], ["date", 4], ["slug", 5], ["id", 6], ["summary", 7]]]);
    const at = (...keys: string[]) => changedLine(new Set(keys), lines);
    assert.equal(at("id", "url"), 6);
    assert.equal(at("url", "title"), 5);
    assert.equal(at("date_published", "title"), 4);
    assert.equal(at("title", "content_html"), 3);
    assert.equal(at("summary"), 7);
    assert.equal(at("content_html"), 9);
    assert.equal(at("date_modified"), 2);
    const plain = articleLines("b.md", "---\ntitle: B\ndate: 2024-01-01\n---\nB.\n");
    // A new URL with no slug: or permalink: (a renamed file): the opening line.
    assert.equal(changedLine(new Set(["id", "url"]), plain), 1);
    // Hugo's TOML front matter and its names (lastmod) have lines too.
    const toml = articleLines("c.md", "+++\ntitle = 'C'\ndate = 2024-01-01\nlastmod = 2024-02-01\n+++\nC.\n");
    assert.equal(changedLine(new Set(["date_modified"]), toml), 4);
    // Front matter that cannot be read: the opening line.
    assert.equal(changedLine(new Set(["title"]), articleLines("d.md", "---\ntitle: [\n---\n")), 1);
  });

  it("placeIdProblems: an id finding without a line goes to the field behind the id; others stay as they are", () => {
    const lines = articleLines("a.md", "---\ntitle: A\ndate: 2024-01-01\nslug: a\n---\nA.\n");
    const drift = error("a.md", undefined, "id", "changed from x to y");
    const other = error("a.md", undefined, "title", "t");
    const placed = placeIdProblems([drift, other, error("b.md", undefined, "id", "no lines")], (f) => (f === "a.md" ? lines : undefined), () => undefined);
    assert.deepEqual(placed.map((p) => p.line), [4, undefined, undefined]);
    // When the feeds show a date that moved the URL, the date is named.
    const dated = articleLines("c.md", "---\ntitle: C\ndate: 2024-01-02\n---\nC.\n");
    assert.equal(placeIdProblems([{ ...drift, file: "c.md" }], () => dated, () => new Set(["id", "url", "date_published"]))[0]!.line, 3);
  });
});
