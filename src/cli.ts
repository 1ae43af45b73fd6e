import { parseCommandArgs, renderCommandHelp, UsageError, type Command } from "./commands/args.ts";
import { suggest } from "./did-you-mean.ts";
import { EXIT, type Io } from "./commands/io.ts";
import { COMMANDS } from "./commands/table.ts";
import { FeedwrightError, formatProblem } from "./problems.ts";
import { VERSION } from "./version.ts";

export { COMMANDS };

export function renderHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return (
    `feedwright ${VERSION}: Markdown articles to RSS 2.0, Atom 1.0 and JSON Feed 1.1\n\n` +
    `Usage: feedwright <command> [options]\n\nCommands:\n` +
    COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}${c.aliases === undefined ? "" : ` (also: ${c.aliases.join(", ")})`}\n`).join("") +
    `\nOptions:\n  -h, --help     show this help; feedwright <command> --help shows a command's\n  -v, --version  show the version\n\n` +
    `Without a command, feedwright builds. Exit codes: 0 done, 1 content errors or a failed check, 2 usage error.\n`
  );
}

/**
 * Whether problems are shown grouped and coloured: on a terminal, unless FORCE_COLOR says
 * otherwise (https://force-color.org/: any value but 0 or false forces it on, e.g. in CI logs).
 */
export function fancyOutput(isTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force === undefined) return isTerminal;
  return !["0", "false"].includes(force.toLowerCase());
}

async function ask(question: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** The real process as an Io: what `main` uses when given none (test/helpers/progress-cli.ts adds a test hook to it). */
export function processIo(signal: AbortSignal): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: fancyOutput(process.stderr.isTTY === true, process.env),
    live: process.stderr.isTTY === true,
    ...(process.stdin.isTTY === true ? { ask } : {}),
    env: process.env,
    signal,
  };
}

/** Runs one command line and returns its exit code; the only place that touches the process. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  const controller = new AbortController();
  // The signal's name is the reason: a build exits 130 for SIGINT, 143 for SIGTERM. In a process
  // the handlers stay until it exits, so a signal that comes once the work is done (while output
  // drains) cannot kill it half-way with no exit code: it exits with what the command returned.
  const stop = (signal: NodeJS.Signals) => controller.abort(signal);
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
  const [command, args] = first === undefined || first.startsWith("-") ? [find("build"), argv] : [find(first), rest];
  const parsed = parseCommandArgs(command, args, COMMANDS);
  if (parsed.values.help === true) {
    io.stdout(renderCommandHelp(command, VERSION));
    return EXIT.ok;
  }
  const run = await command.load();
  return run(parsed, io);
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name || (c.aliases ?? []).includes(name));
  if (command !== undefined) return command;
  const guess = suggest(name, COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
  throw new UsageError(`unknown command ${JSON.stringify(name)}${guess === undefined ? "" : `; did you mean ${guess}?`} (see feedwright --help)`);
}
