/** The command line, in process: names other tools use, suggestions, how much is printed. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fancyOutput, main } from "../src/cli.ts";
import { parseCommandArgs } from "../src/commands/args.ts";
import { suggest } from "../src/did-you-mean.ts";
import { progressLine } from "../src/commands/build.ts";
import type { Io } from "../src/commands/io.ts";
import { settingsFromConfig } from "../src/commands/init.ts";
import { splitSection } from "../src/commands/new.ts";
import { COMMANDS } from "../src/commands/table.ts";
import { watchContent } from "../src/commands/watch.ts";
import { copyFixture, tempDir } from "./helpers/cli.ts";

const NOW = "2030-01-01T00:00:00Z";

function fakeIo(env: NodeJS.ProcessEnv = {}, live = false): Io & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    isTTY: false,
    live,
    env,
    signal: new AbortController().signal,
  };
  return io;
}

const command = (name: string) => COMMANDS.find((c) => c.name === name)!;

describe("names people already know", () => {
  it("dev, server and preview are serve", async () => {
    for (const name of ["dev", "server", "preview"]) {
      const io = fakeIo();
      assert.equal(await main([name, "--help"], io), 0);
      assert.match(io.out, /^Usage: feedwright serve/m);
    }
  });

  it("--baseURL, --base-url are --site-url; --output and -o are --out; -D, -F; --flag=value too", () => {
    const build = command("build");
    for (const argv of [["--baseURL", "https://x.org/"], ["--baseURL=https://x.org/"], ["--base-url", "https://x.org/"], ["--site-url=https://x.org/"]]) {
      assert.equal(parseCommandArgs(build, argv).values["site-url"], "https://x.org/", argv.join(" "));
    }
    for (const argv of [["--output", "public"], ["-o", "public"], ["--output=public"], ["--destination", "public"]]) {
      assert.equal(parseCommandArgs(build, argv).values.out, "public", argv.join(" "));
    }
    const preview = parseCommandArgs(command("serve"), ["-D", "-F", "--watch"]);
    assert.equal(preview.values.drafts, true);
    assert.equal(preview.values.future, true);
    assert.equal(parseCommandArgs(build, ["--buildDrafts"]).values.drafts, true);
  });

  it("an alias after -- is an argument, not a flag", () => {
    assert.deepEqual(parseCommandArgs(command("new"), ["--", "--output"]).positionals, ["--output"]);
  });
});

describe("did you mean", () => {
  const commandNames = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);

  it("suggests typos, not other words", () => {
    assert.equal(suggest("chek", commandNames), "check");
    assert.equal(suggest("buidl", commandNames), "build");
    assert.equal(suggest("sevre", commandNames), "serve");
    assert.equal(suggest("prot", ["port", "host", "content"]), "port");
    assert.equal(suggest("contnet", ["content", "out"]), "content");
    assert.equal(suggest("deploy", commandNames), undefined);
    assert.equal(suggest("host", Object.keys(command("build").options)), undefined);
    assert.equal(suggest("dev", ["build", "check", "new", "ping", "init"]), undefined);
  });

  it("a mistyped flag is matched against the other tools' spellings too, and named as typed near", async () => {
    for (const [typed, meant] of [["--ouput", "--output"], ["--destinaton", "--destination"], ["--baseUrl", "--baseURL"], ["--contnet", "--content"], ["--buildDrafs", "--buildDrafts"]]) {
      const io = fakeIo();
      assert.equal(await main(["build", typed!, "x"], io), 2);
      assert.equal(io.err, `feedwright: build: unknown flag ${typed}; did you mean ${meant}? (see feedwright build --help)\n`);
    }
  });

  it("a flag of another command says whose it is", async () => {
    const io = fakeIo();
    assert.equal(await main(["build", "--host", "0.0.0.0"], io), 2);
    assert.equal(io.err, "feedwright: build: unknown flag --host; it is a flag of feedwright serve (see feedwright build --help)\n");
  });
});

describe("how much is printed", () => {
  it("FORCE_COLOR forces the terminal report on or off; without it, the terminal decides", () => {
    assert.equal(fancyOutput(false, {}), false);
    assert.equal(fancyOutput(true, {}), true);
    assert.equal(fancyOutput(false, { FORCE_COLOR: "1" }), true);
    assert.equal(fancyOutput(false, { FORCE_COLOR: "" }), true);
    assert.equal(fancyOutput(true, { FORCE_COLOR: "0" }), false);
    assert.equal(fancyOutput(true, { FORCE_COLOR: "false" }), false);
  });

  it("in a log, a plain progress line every few seconds; none for a short build", () => {
    let clock = 0;
    const io = fakeIo();
    const progress = progressLine(io, 0, { everyMs: 5000, clock: () => clock });
    const p = { read: 10, articles: 100, rendered: 5, written: 0, documents: 0 };
    for (clock = 0; clock < 4900; clock += 100) progress.update(p);
    assert.equal(io.err, "");
    for (; clock <= 12_000; clock += 100) progress.update(p);
    assert.equal(io.err, "feedwright: 10/100 files read, 5 articles rendered (5 s)\nfeedwright: 10/100 files read, 5 articles rendered (10 s)\n");
    progress.clear();
    assert.doesNotMatch(io.err, /\r/);
  });

  it("--quiet prints nothing on success; --verbose names the files written", async () => {
    const dir = copyFixture("cli-site");
    const quiet = fakeIo();
    assert.equal(await main(["build", "--content", join(dir, "content"), "--out", join(dir, "dist"), "--now", NOW, "--no-cache", "-q"], quiet), 0);
    assert.equal(quiet.out + quiet.err, "");
    assert.ok(existsSync(join(dir, "dist/feed.json")));
    const verbose = fakeIo();
    assert.equal(await main(["build", "--content", join(dir, "content"), "--out", join(dir, "dist2"), "--now", NOW, "--no-cache", "--verbose"], verbose), 0);
    assert.match(verbose.out, /^ {2}feed\.json$/m);
    assert.match(verbose.out, /^feedwright: 3 articles read/m);
  });
});

describe("new into a section", () => {
  it("notes/My note is the title My note in notes/; nothing may leave the content folder", () => {
    assert.deepEqual(splitSection("notes/My note"), { folder: "notes", title: "My note" });
    assert.deepEqual(splitSection("a/b/ Deep "), { folder: "a/b", title: "Deep" });
    assert.deepEqual(splitSection("Plain title"), { folder: "", title: "Plain title" });
    assert.equal(splitSection("../x/Escape"), undefined);
    assert.equal(splitSection("notes/../../Escape"), undefined);
  });

  it("writes the draft into the section's folder", async () => {
    const dir = copyFixture("cli-site");
    mkdirSync(join(dir, "content/notes"));
    writeFileSync(join(dir, "content/notes/_index.md"), "---\ntitle: Notes\n---\n");
    const io = fakeIo();
    assert.equal(await main(["new", "notes/My note", "--content", join(dir, "content"), "--now", NOW], io), 0, io.err);
    assert.ok(existsSync(join(dir, "content/notes/2030-01-01-my-note.md")));
    assert.doesNotMatch(io.out, /not a section/);
  });
});

describe("init", () => {
  it("reads Hugo's settings: baseURL, languageCode, params, permalinks", () => {
    const hugo = { baseURL: "https://blog.example.com", title: "Hugo blog", languageCode: "en-us", params: { description: "Notes", author: { name: "Ann", email: "ann@example.com" } }, permalinks: { posts: "/:year/:month/:title/" }, timeZone: "Europe/Berlin" };
    // Run with --content content/posts: the posts section's permalink; Hugo's :title (the title made a path) is closest to :slug.
    assert.deepEqual(settingsFromConfig("hugo", hugo, { rel: "posts", nested: false }), {
      title: "Hugo blog",
      url: "https://blog.example.com/",
      description: "Notes",
      language: "en-us",
      author: { name: "Ann", email: "ann@example.com" },
      timezone: "Europe/Berlin",
      permalink: "/:year/:month/:slug/",
    });
  });

  it("reads Jekyll's: url + baseurl, lang, and its date permalink unless told otherwise", () => {
    assert.deepEqual(settingsFromConfig("jekyll", { title: "J", url: "https://x.github.io", baseurl: "/blog", lang: "de" }), {
      title: "J",
      url: "https://x.github.io/blog/",
      language: "de",
      permalink: "date",
    });
    assert.equal(settingsFromConfig("jekyll", { permalink: "pretty" }).permalink, "pretty");
    assert.equal(settingsFromConfig("jekyll", { permalink: "/:short_year/:title/" }).permalink, "/:short_year/:title/");
    // A placeholder feedwright cannot follow: no permalink, rather than a wrong one.
    assert.equal(settingsFromConfig("jekyll", { permalink: "/:weekday/:title/" }).permalink, undefined);
  });

  it("reads the posts' permalink where real sites set it: Jekyll's defaults for posts, a pattern without its leading slash, Hugo's permalinks by section", () => {
    // As Homebrew's _config.yml: `permalink: :title`, and the posts' own under defaults.
    const brew = { title: "H", url: "https://brew.sh", permalink: ":title", defaults: [{ scope: { type: "posts" }, values: { layout: "post", permalink: ":year/:month/:day/:title/" } }, { scope: { path: "" }, values: { image: "/x.png" } }] };
    assert.equal(settingsFromConfig("jekyll", brew).permalink, "/:year/:month/:day/:title/");
    assert.equal(settingsFromConfig("jekyll", { permalink: ":title" }).permalink, "/:title");
    // A default for posts under another path only is not the site's.
    assert.equal(settingsFromConfig("jekyll", { defaults: [{ scope: { type: "posts", path: "fr" }, values: { permalink: "/fr/:title/" } }] }).permalink, "date");
    // As Let's Encrypt's hugo.toml: [permalinks] post = "/:year/:month/:day/:slug/".
    const post = { rel: "post", nested: false };
    assert.equal(settingsFromConfig("hugo", { permalinks: { post: "/:year/:month/:day/:slug/" } }, post).permalink, "/:year/:month/:day/:slug/");
    assert.equal(settingsFromConfig("hugo", { permalinks: { page: { news: "/news/:slug/" } } }, { rel: "news", nested: false }).permalink, "/news/:slug/");
    // A section's permalink is its own: another section, and Hugo's whole content folder, get Hugo's default URL.
    assert.equal(settingsFromConfig("hugo", { permalinks: { news: "/news/:slug/" } }, post).permalink, "/post/:slug/");
    assert.equal(settingsFromConfig("hugo", { permalinks: { news: "/news/:slug/", docs: "/docs/:slug/" } }).permalink, "/:sections/:slug/");
    // Content outside Hugo's content folder: nothing Hugo says applies.
    assert.equal(settingsFromConfig("hugo", { permalinks: { post: "/:slug/" } }, { rel: undefined, nested: false }).permalink, undefined);
  });

  it("finds Hugo's settings in its configuration folder, config/_default/", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "config/_default"), { recursive: true });
    // As Let's Encrypt's: the title is in languages.en.toml only.
    writeFileSync(join(dir, "config/_default/hugo.toml"), `baseURL = "https://le.example/"\ndefaultContentLanguage = "en"\n[permalinks]\npost = "/:year/:month/:day/:slug/"\n`);
    writeFileSync(join(dir, "config/_default/languages.en.toml"), `title = "LE"\n[params]\ndescription = "Free certificates"\n`);
    const before = process.cwd();
    process.chdir(dir);
    try {
      const io = fakeIo();
      assert.equal(await main(["init", "--content", "content/post", "--yes"], io), 0, io.err);
    } finally {
      process.chdir(before);
    }
    assert.equal(readFileSync(join(dir, "content/post/_index.md"), "utf8"), "---\ntitle: LE\nurl: https://le.example/\nfeedsUrl: feeds/\ndescription: Free certificates\nlanguage: en\npermalink: /:year/:month/:day/:slug/\n---\n");
    assert.equal(settingsFromConfig("hugo", { languages: { en: { title: "In hugo.toml" } } }).title, "In hugo.toml");
  });

  it("a site URL the settings would refuse is asked again, saying why; the placeholder URL is named as one", async () => {
    const dir = tempDir();
    const answers = ["Mine", "example.com", "https://blog.example.com", ""];
    const asked: string[] = [];
    // Not a spread: fakeIo's stderr writes to the object it made.
    const io = Object.assign(fakeIo(), { ask: async (q: string) => (asked.push(q), answers.shift() ?? "") });
    assert.equal(await main(["init", "--content", join(dir, "content")], io), 0, io.err);
    assert.equal(asked.filter((q) => q.startsWith("Site URL")).length, 2);
    assert.match(io.err, /expected an absolute http\(s\) URL like https:\/\/example\.org\/ \(got "example\.com"\)/);
    assert.doesNotMatch(io.err, /placeholder/);
    assert.equal(readFileSync(join(dir, "content/_index.md"), "utf8"), "---\ntitle: Mine\nurl: https://blog.example.com/\n---\n");
    const defaults = fakeIo();
    assert.equal(await main(["init", "--content", join(dir, "other"), "--yes"], defaults), 0, defaults.err);
    assert.match(defaults.err, /other\/_index\.md:3 warning: url: https:\/\/example\.org\/ is a placeholder: set url to the address the site is published at/);
    assert.match(defaults.out, /wrote .*other\/_index\.md from the defaults \(title, url\)/);
    // Three refused: it stops there, saying why, and asks nothing more (found by a review).
    const stubborn: string[] = [];
    const no = Object.assign(fakeIo(), { ask: async (q: string) => (stubborn.push(q), q.startsWith("Site title") ? "T" : "not a url") });
    assert.equal(await main(["init", "--content", join(dir, "third")], no), 1);
    assert.equal(stubborn.filter((q) => q.startsWith("Site URL")).length, 3);
    assert.equal(stubborn.some((q) => q.startsWith("One-line")), false);
    assert.match(no.err, /third\/_index\.md url: expected an absolute http\(s\) URL .*\(got "not a url"\); nothing written/);
    assert.equal(existsSync(join(dir, "third/_index.md")), false);
    assert.match(io.out, /wrote .*content\/_index\.md from your answers \(title, url\)/);
  });

  it("without a config it asks, offering defaults; never writes over an existing file", async () => {
    const dir = tempDir();
    const asked: string[] = [];
    const io = { ...fakeIo(), ask: async (q: string) => (asked.push(q), q.startsWith("Site title") ? "Mine" : "") };
    assert.equal(await main(["init", "--content", join(dir, "content")], io), 0, io.err);
    assert.equal(asked.length, 3);
    assert.match(asked[1]!, /\[https:\/\/example\.org\/\]/);
    const written = readFileSync(join(dir, "content/_index.md"), "utf8");
    assert.equal(written, "---\ntitle: Mine\nurl: https://example.org/\n---\n");
    const again = fakeIo();
    assert.equal(await main(["init", "--content", join(dir, "content"), "--yes"], again), 1);
    assert.match(again.err, /_index\.md already exists; left as it was/);
    assert.equal(readFileSync(join(dir, "content/_index.md"), "utf8"), written);
  });
});

describe("watching", () => {
  it("a file in a subfolder replaced by a rename (sed -i, an editor's save) rebuilds every time; so does one in a folder made since", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "2026"));
    writeFileSync(join(dir, "2026/one.md"), "v0");
    const controller = new AbortController();
    let runs = 0;
    const io = { ...fakeIo(), signal: controller.signal };
    const watching = watchContent(dir, io, async () => void runs++);
    const settle = () => new Promise((r) => setTimeout(r, 400));
    await settle();
    const seen: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const before = runs;
      writeFileSync(join(dir, `2026/.one.md.tmp${i}`), `v${i}`);
      renameSync(join(dir, `2026/.one.md.tmp${i}`), join(dir, "2026/one.md"));
      await settle();
      seen.push(runs - before);
    }
    mkdirSync(join(dir, "2027/deep"), { recursive: true });
    await settle();
    let before = runs;
    writeFileSync(join(dir, "2027/deep/two.md"), "x");
    await settle();
    seen.push(runs - before);
    // Removed and made again at once (ext4 can give it the same inode number): watched anew (found by a review).
    rmSync(join(dir, "2027"), { recursive: true });
    mkdirSync(join(dir, "2027/deep"), { recursive: true });
    await settle();
    before = runs;
    writeFileSync(join(dir, "2027/deep/three.md"), "x");
    await settle();
    seen.push(runs - before);
    controller.abort();
    await watching;
    assert.deepEqual(seen, [1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("a change under the content folder runs the rebuild once per burst, until the signal", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    let runs = 0;
    const io = { ...fakeIo(), signal: controller.signal };
    const watching = watchContent(dir, io, async () => void runs++);
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `a${i}.md`), "x");
    const until = Date.now() + 10_000;
    while (runs === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 400));
    controller.abort();
    await watching;
    assert.equal(runs, 1, "five writes within the debounce are one rebuild");
  });
});

describe("start-up", () => {
  it("--version and --help load only the command table: no package but fastest-levenshtein", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      // Static value imports only: `import type` is erased, and `await import()` runs only with its command.
      for (const m of readFileSync(file, "utf8").matchAll(/^import (?!type )[^;]*?from "([^"]+)";/gm)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) visit(join(file, "..", spec));
        else packages.add(spec);
      }
    };
    visit(join(import.meta.dirname, "../src/cli.ts"));
    assert.deepEqual([...packages].filter((p) => !p.startsWith("node:")), ["fastest-levenshtein"]);
    assert.ok(seen.size <= 8, [...seen].join(", "));
  });
});
