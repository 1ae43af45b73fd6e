import { parseArgs } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import { DateTime } from "luxon";
import type { Io } from "./io.ts";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly default?: string;
  /** For help: `<dir>` after the flag. */
  readonly value?: string;
  readonly description: string;
}

export interface Args {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** One row of the command table: everything `--help` shows, and what runs. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** `"Title"` for `new`; empty for commands without positional arguments. */
  readonly positionals: { readonly name: string; readonly min: number; readonly max: number };
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly run: (args: Args, io: Io) => Promise<number>;
}

export const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

/** The flags most commands share. */
export const COMMON = {
  content: { type: "string", default: "content", value: "<dir>", description: "folder of Markdown articles (default: content)" },
  out: { type: "string", default: "dist", value: "<dir>", description: "output folder, replaced as a whole (default: dist)" },
  "site-url": { type: "string", value: "<url>", description: "use this site URL instead of the one in _index.md (deploy previews)" },
  now: { type: "string", value: "<date>", description: "leave out articles dated after this (default: SOURCE_DATE_EPOCH, else now)" },
  json: { type: "boolean", description: "print a machine-readable report on stdout instead" },
} as const satisfies Record<string, OptionSpec>;

export class UsageError extends Error {
  override name = "UsageError";
}

/** Parses a command's flags; unknown flags get the nearest known one as a suggestion. */
export function parseCommandArgs(command: Command, argv: readonly string[]): Args {
  const options = { ...command.options, help: HELP_OPTION };
  const known = Object.keys(options);
  const shorts = new Map(Object.entries(options).flatMap(([name, o]) => (o.short === undefined ? [] : [[o.short, name] as const])));
  const loose = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true });
  for (const token of loose.tokens) {
    if (token.kind !== "option") continue;
    const isKnown = token.rawName.startsWith("--") ? known.includes(token.name) : shorts.has(token.name);
    if (!isKnown) {
      const guess = suggest(token.name, known);
      throw new UsageError(`${command.name}: unknown flag ${token.rawName}${guess === undefined ? "" : `; did you mean --${guess}?`} (see feedwright ${command.name} --help)`);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: specForParseArgs(options) });
  } catch (e) {
    throw new UsageError(`${command.name}: ${e instanceof Error ? e.message.replace(/\. To specify.*$/s, "") : String(e)}`);
  }
  if (parsed.values.help === true) return { values: parsed.values, positionals: parsed.positionals };
  const { min, max, name } = command.positionals;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max]!;
    throw new UsageError(`${command.name}: unexpected argument ${JSON.stringify(extra)}${max === 0 ? "" : ` (it takes one ${name}; quote it if it has spaces)`}`);
  }
  if (parsed.positionals.length < min) throw new UsageError(`${command.name}: missing ${name} (see feedwright ${command.name} --help)`);
  return { values: parsed.values, positionals: parsed.positionals };
}

function specForParseArgs(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.default === undefined ? {} : { default: o.default }) }]),
  );
}

/** The nearest name, when it is near enough to be a typo rather than another word. */
export function suggest(input: string, names: readonly string[]): string | undefined {
  if (names.length === 0 || input === "") return undefined;
  const best = closest(input, [...names]);
  return distance(input, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

export function renderCommandHelp(command: Command, version: string): string {
  const options = { ...command.options, help: HELP_OPTION };
  const rows = Object.entries(options).map(([name, o]) => [`${o.short === undefined ? "    " : `-${o.short}, `}--${name}${o.value === undefined ? "" : ` ${o.value}`}`, o.description] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const args = command.positionals.max === 0 ? "" : command.positionals.min === 0 ? ` [${command.positionals.name}]` : ` ${command.positionals.name}`;
  return (
    `feedwright ${version}: ${command.summary}\n\n` +
    `Usage: feedwright ${command.name}${args} [options]\n\nOptions:\n` +
    rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}\n`).join("")
  );
}

export function text(args: Args, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(args: Args, name: string): boolean {
  return args.values[name] === true;
}

/** Resolves *now*: --now, else SOURCE_DATE_EPOCH (reproducible builds), else the clock. */
export function resolveNow(value: string | undefined, env: NodeJS.ProcessEnv): DateTime {
  if (value !== undefined) {
    const parsed = DateTime.fromISO(value, { zone: "UTC" });
    if (!parsed.isValid) throw new UsageError(`--now: expected an ISO 8601 date like 2023-06-01T12:00:00Z (got ${JSON.stringify(value)})`);
    return parsed;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH: expected whole seconds since 1970 (got ${JSON.stringify(epoch)})`);
    return DateTime.fromSeconds(Number(epoch), { zone: "UTC" });
  }
  return DateTime.now().toUTC();
}
