import { parseArgs } from "node:util";
import { suggest } from "../did-you-mean.ts";
import type { Io } from "./io.ts";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Other long names for it, as other tools spell it (`baseURL`, `output`). */
  readonly aliases?: readonly string[];
  readonly default?: string;
  /** For help: `<dir>` after the flag. */
  readonly value?: string;
  readonly description: string;
}

export interface Args {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

export type Run = (args: Args, io: Io) => Promise<number>;

/** One row of the command table: everything `--help` shows, and how to load what runs. */
export interface Command {
  readonly name: string;
  /** Names other tools use for it (`dev`, `server`). */
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** `"Title"` for `new`; empty for commands without positional arguments. */
  readonly positionals: { readonly name: string; readonly min: number; readonly max: number };
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Imported only when the command runs: `--help` and `--version` stay fast. */
  readonly load: () => Promise<Run>;
}

export const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

/** The flags most commands share. */
export const COMMON = {
  content: { type: "string", default: "content", value: "<dir>", description: "folder of Markdown articles (default: content)" },
  out: { type: "string", short: "o", aliases: ["output", "destination"], default: "dist", value: "<dir>", description: "output folder (default: dist)" },
  "site-url": { type: "string", aliases: ["baseURL", "base-url", "baseurl"], value: "<url>", description: "use this site URL instead of the one in _index.md (deploy previews)" },
  now: { type: "string", value: "<date>", description: "leave out articles dated after this (default: SOURCE_DATE_EPOCH, else now)" },
  json: { type: "boolean", description: "print a machine-readable report on stdout instead" },
} as const satisfies Record<string, OptionSpec>;

/** What a preview may include that production leaves out. */
export const PREVIEW_OPTIONS = {
  drafts: { type: "boolean", short: "D", aliases: ["buildDrafts", "build-drafts"], description: "include drafts" },
  future: { type: "boolean", short: "F", aliases: ["buildFuture", "build-future"], description: "include articles dated in the future" },
} as const satisfies Record<string, OptionSpec>;

/** The id-drift guard's flags, shared by build and check. */
export const GUARD_OPTIONS = {
  previous: { type: "string", value: "<file|url>", description: "compare ids with this published feed (RSS 2.0, Atom or JSON Feed) instead of the output folder's" },
  "accept-id-changes": { type: "boolean", description: "let changed article ids through (as warnings)" },
} as const satisfies Record<string, OptionSpec>;

/** Flags for how the work is done; they never change the output. */
export const WORK_OPTIONS = {
  "no-cache": { type: "boolean", description: "neither read nor write the build cache (node_modules/.cache/feedwright)" },
  threads: { type: "string", value: "<n>", description: "worker threads reading articles and rendering documents (default: some for large sites, else 0)" },
} as const satisfies Record<string, OptionSpec>;

/** How much a command says. */
export const OUTPUT_OPTIONS = {
  quiet: { type: "boolean", short: "q", description: "print only problems" },
  verbose: { type: "boolean", description: "also name every file written or removed" },
} as const satisfies Record<string, OptionSpec>;

export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parses a command's flags. Other tools' spellings (`--baseURL`, `--output`) are read as ours;
 * an unknown flag is a usage error naming the nearest flag, or the command it belongs to.
 */
export function parseCommandArgs(command: Command, argv: readonly string[], others: readonly Command[] = []): Args {
  const options = { ...command.options, help: HELP_OPTION };
  const known = Object.keys(options);
  const shorts = new Map(Object.entries(options).flatMap(([name, o]) => (o.short === undefined ? [] : [[o.short, name] as const])));
  const args = withAliases(options, argv);
  const loose = parseArgs({ args, allowPositionals: true, strict: false, tokens: true });
  for (const token of loose.tokens) {
    if (token.kind !== "option") continue;
    const isKnown = token.rawName.startsWith("--") ? known.includes(token.name) : shorts.has(token.name);
    if (!isKnown) throw new UsageError(`${command.name}: unknown flag ${token.rawName}${flagHint(token.name, token.rawName, options, command, others)} (see feedwright ${command.name} --help)`);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: specForParseArgs(options) });
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

/** `--baseURL x` and `--baseURL=x` become `--site-url x`; nothing after `--` is touched. */
function withAliases(options: Record<string, OptionSpec>, argv: readonly string[]): string[] {
  const alias = new Map(Object.entries(options).flatMap(([name, o]) => (o.aliases ?? []).map((a) => [a, name] as const)));
  const end = argv.indexOf("--");
  return argv.map((arg, i) => {
    if ((end !== -1 && i > end) || !arg.startsWith("--")) return arg;
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const ours = alias.get(name);
    return ours === undefined ? arg : `--${ours}${eq === -1 ? "" : arg.slice(eq)}`;
  });
}

/** `; did you mean --content?` (or one of its other spellings, `--output`), or which command has the flag (`--host` is serve's), or nothing. */
function flagHint(name: string, raw: string, options: Record<string, OptionSpec>, command: Command, others: readonly Command[]): string {
  const spellings = Object.entries(options).flatMap(([long, o]) => [long, ...(o.aliases ?? [])]);
  const guess = raw.startsWith("--") ? suggest(name, spellings) : undefined;
  if (guess !== undefined) return `; did you mean --${guess}?`;
  const owners = others.filter((c) => c !== command && Object.entries(c.options).some(([long, o]) => (raw.startsWith("--") ? long === name || (o.aliases ?? []).includes(name) : o.short === name)));
  if (owners.length > 0) return `; it is a flag of ${owners.map((c) => `feedwright ${c.name}`).join(", ")}`;
  return "";
}

function specForParseArgs(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.default === undefined ? {} : { default: o.default }) }]),
  );
}


export function renderCommandHelp(command: Command, version: string): string {
  const options = { ...command.options, help: HELP_OPTION };
  const rows = Object.entries(options).map(([name, o]) => {
    const also = (o.aliases ?? []).length === 0 ? "" : ` (also --${o.aliases!.join(", --")})`;
    return [`${o.short === undefined ? "    " : `-${o.short}, `}--${name}${o.value === undefined ? "" : ` ${o.value}`}`, `${o.description}${also}`] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const args = command.positionals.max === 0 ? "" : command.positionals.min === 0 ? ` [${command.positionals.name}]` : ` ${command.positionals.name}`;
  const aliases = (command.aliases ?? []).length === 0 ? "" : `Also: ${command.aliases!.map((a) => `feedwright ${a}`).join(", ")}\n\n`;
  return (
    `feedwright ${version}: ${command.summary}\n\n` +
    `Usage: feedwright ${command.name}${args} [options]\n\n${aliases}Options:\n` +
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
