import { buildCommand } from "./commands/build.ts";
import { checkCommand } from "./commands/check.ts";
import { newCommand } from "./commands/new.ts";
import { pingCommand } from "./commands/ping.ts";
import { serveCommand } from "./commands/serve.ts";
import { parseCommandArgs, renderCommandHelp, suggest, UsageError, type Command } from "./commands/args.ts";
import { EXIT, type Io } from "./commands/io.ts";
import { FeedwrightError, formatProblem } from "./problems.ts";
import { VERSION } from "./version.ts";

/** The command table: one row per command, each in src/commands/<name>.ts. */
export const COMMANDS: readonly Command[] = [buildCommand, checkCommand, newCommand, serveCommand, pingCommand];

export function renderHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return (
    `feedwright ${VERSION}: Markdown articles to RSS 2.0, Atom 1.0 and JSON Feed 1.1\n\n` +
    `Usage: feedwright <command> [options]\n\nCommands:\n` +
    COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}\n`).join("") +
    `\nOptions:\n  -h, --help     show this help; feedwright <command> --help shows a command's\n  -v, --version  show the version\n\n` +
    `Without a command, feedwright builds. Exit codes: 0 done, 1 content errors or a failed check, 2 usage error.\n`
  );
}

/** The process as commands see it. */
function processIo(signal: AbortSignal): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    signal,
  };
}

/** Runs one command line and returns its exit code; the only place that touches the process. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (io === undefined) {
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  const out = io ?? processIo(controller.signal);
  try {
    return await dispatch(argv, out);
  } catch (e) {
    if (e instanceof UsageError) {
      out.stderr(`feedwright: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof FeedwrightError) {
      for (const p of e.problems) out.stderr(`${formatProblem(p)}\n`);
      return e.code === "usage" ? EXIT.usage : EXIT.failed;
    }
    out.stderr(`feedwright: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failed;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-v") {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === "--help" || first === "-h") {
    io.stdout(renderHelp());
    return EXIT.ok;
  }
  if (first === "help") {
    const about = rest[0] === undefined ? undefined : find(rest[0]);
    io.stdout(about === undefined ? renderHelp() : renderCommandHelp(about, VERSION));
    return EXIT.ok;
  }
  // `feedwright --out public` builds, as it did before there were other commands.
  const [command, args] = first === undefined || first.startsWith("-") ? [buildCommand, argv] : [find(first), rest];
  const parsed = parseCommandArgs(command, args);
  if (parsed.values.help === true) {
    io.stdout(renderCommandHelp(command, VERSION));
    return EXIT.ok;
  }
  return command.run(parsed, io);
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command !== undefined) return command;
  const guess = suggest(name, COMMANDS.map((c) => c.name));
  throw new UsageError(`unknown command ${JSON.stringify(name)}${guess === undefined ? "" : `; did you mean ${guess}?`} (see feedwright --help)`);
}
