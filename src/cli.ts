import { parseArgs } from "node:util";
import { DateTime } from "luxon";
import { build, DEFAULT_MAX_FILE_BYTES } from "./build.ts";
import { FeedwrightError, formatProblem, hasErrors, type Problem } from "./problems.ts";
import { VERSION } from "./version.ts";

const HELP = `feedwright ${VERSION}: Markdown articles to RSS 2.0, Atom 1.0 and JSON Feed 1.1

Usage: feedwright build [options]

Options:
  --content <dir>    folder of Markdown articles (default: content)
  --out <dir>        output folder, replaced as a whole (default: dist)
  --site-url <url>   use this site URL instead of the one in _index.md (deploy previews)
  --now <date>       leave out articles dated after this (default: SOURCE_DATE_EPOCH, else now)
  -h, --help         show this help
  -v, --version      show the version
`;

/** Resolves *now*: --now, else SOURCE_DATE_EPOCH (reproducible builds), else the clock. */
export function resolveNow(flag: string | undefined, env: NodeJS.ProcessEnv): DateTime {
  if (flag !== undefined) {
    const parsed = DateTime.fromISO(flag, { zone: "UTC" });
    if (!parsed.isValid) throw usage(`--now: expected an ISO 8601 date like 2023-06-01T12:00:00Z (got ${JSON.stringify(flag)})`);
    return parsed;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d+$/.test(epoch)) throw usage(`SOURCE_DATE_EPOCH: expected whole seconds since 1970 (got ${JSON.stringify(epoch)})`);
    return DateTime.fromSeconds(Number(epoch), { zone: "UTC" });
  }
  return DateTime.now().toUTC();
}

function usage(message: string): FeedwrightError {
  return new FeedwrightError([{ severity: "error", file: "feedwright", message }], "usage");
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        content: { type: "string", default: "content" },
        out: { type: "string", default: "dist" },
        "site-url": { type: "string" },
        now: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
    if (values.version) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const command = positionals[0] ?? "build";
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (command !== "build") throw usage(`unknown command ${JSON.stringify(command)}; try feedwright --help`);
    const started = performance.now();
    const result = await build({
      contentDir: values.content,
      outDir: values.out,
      ...(values["site-url"] === undefined ? {} : { siteUrl: values["site-url"] }),
      now: resolveNow(values.now, env),
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    });
    printProblems(result.problems);
    if (result.plan === undefined || result.report === undefined || hasErrors(result.problems)) {
      const errors = result.problems.filter((p) => p.severity === "error").length;
      process.stderr.write(`feedwright: ${errors} error${errors === 1 ? "" : "s"}; ${values.out}/ left as it was\n`);
      return 1;
    }
    const { counts } = result.plan;
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `feedwright: ${counts.articles} articles read (${counts.drafts} drafts, ${counts.scheduled} scheduled), ` +
        `${counts.items} items per feed, ${result.report.changed.length} files written, ${result.report.unchanged} unchanged, ${ms} ms\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof FeedwrightError) {
      printProblems(e.problems);
      return e.code === "usage" ? 2 : 1;
    }
    if (e instanceof Error && "code" in e && typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`feedwright: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`feedwright: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function printProblems(problems: readonly Problem[]): void {
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
}
