import { COMMON, GUARD_OPTIONS, OUTPUT_OPTIONS, PREVIEW_OPTIONS, WORK_OPTIONS, type Command } from "./args.ts";

/**
 * The command table: what `--help` shows and how flags parse, one row per command. Each row
 * imports its code only when it runs, so `--version` and `--help` load nothing but this file.
 */
export const COMMANDS: readonly Command[] = [
  {
    name: "build",
    summary: "Markdown articles to RSS 2.0, Atom 1.0 and JSON Feed 1.1",
    positionals: { name: "", min: 0, max: 0 },
    options: {
      ...COMMON,
      ...PREVIEW_OPTIONS,
      watch: { type: "boolean", short: "w", description: "build again whenever the content changes, until Ctrl-C" },
      ...GUARD_OPTIONS,
      ...WORK_OPTIONS,
      ...OUTPUT_OPTIONS,
    },
    load: async () => (await import("./build.ts")).runBuild,
  },
  {
    name: "check",
    summary: "check the content and that the committed output folder is what a build makes; writes nothing",
    positionals: { name: "", min: 0, max: 0 },
    options: { ...COMMON, ...GUARD_OPTIONS, ...WORK_OPTIONS, ...OUTPUT_OPTIONS },
    load: async () => (await import("./check.ts")).runCheck,
  },
  {
    name: "new",
    summary: 'start an article: writes content/<date>-<slug>.md as a draft ("notes/Title" into notes/), never over an existing file',
    positionals: { name: '"Title"', min: 1, max: 1 },
    options: { content: COMMON.content, now: { ...COMMON.now, description: "the article's date (default: SOURCE_DATE_EPOCH, else now)" } },
    load: async () => (await import("./new.ts")).runNew,
  },
  {
    name: "serve",
    aliases: ["dev", "server", "preview"],
    summary: "preview: build into a temporary folder, serve it with live reload, rebuild when the content changes",
    positionals: { name: "", min: 0, max: 0 },
    options: {
      content: COMMON.content,
      now: COMMON.now,
      ...PREVIEW_OPTIONS,
      host: { type: "string", default: "127.0.0.1", value: "<host>", description: "address to listen on; 0.0.0.0 shows the preview to your network (default: 127.0.0.1)" },
      port: { type: "string", short: "p", default: "8080", value: "<port>", description: "port; 0 picks a free one (default: 8080)" },
      watch: { type: "boolean", short: "w", description: "rebuild when the content changes (always on; accepted for habit)" },
      ...WORK_OPTIONS,
      ...OUTPUT_OPTIONS,
    },
    load: async () => (await import("./serve.ts")).runServe,
  },
  {
    name: "ping",
    summary: "tell the WebSub hub (setting hub) which feeds the last build changed",
    positionals: { name: "", min: 0, max: 0 },
    options: { out: { ...COMMON.out, description: "the output folder the last build wrote (default: dist)" } },
    load: async () => (await import("./ping.ts")).runPing,
  },
  {
    name: "adopt",
    summary: "keep the old feed's ids: match its items (RSS, Atom or JSON Feed, a file or URL) to the articles and pin their ids in content/_ids.yaml",
    positionals: { name: "<url|file>", min: 1, max: 1 },
    options: { content: COMMON.content, now: COMMON.now, "no-cache": WORK_OPTIONS["no-cache"] },
    load: async () => (await import("./adopt.ts")).runAdopt,
  },
  {
    name: "init",
    summary: "write content/_index.md (the site settings) from hugo.toml or _config.yml here, else by asking; never over an existing file",
    positionals: { name: "", min: 0, max: 0 },
    options: {
      content: COMMON.content,
      out: { type: "string", short: "o", aliases: ["output", "destination"], value: "<dir>", description: "where build will write the feeds (default: feeds/ in the generator's output folder, as public/feeds); inside that folder, feedsUrl is set to match" },
      yes: { type: "boolean", short: "y", description: "take the defaults instead of asking" },
    },
    load: async () => (await import("./init.ts")).runInit,
  },
];
