import { DateTime } from "luxon";
import { UsageError } from "../commands/args.ts";

/** The first and last instants every output format can write: RFC 3339 has four-digit years. */
const EARLIEST = DateTime.fromISO("1970-01-01T00:00:00Z", { zone: "UTC" });
const LATEST = DateTime.fromISO("9999-12-31T23:59:59Z", { zone: "UTC" });

/**
 * Resolves *now*: --now, else SOURCE_DATE_EPOCH (reproducible builds), else the clock. A now that
 * is not a date, or that no feed can write, is refused: an invalid one would leave every feed
 * empty. A valid but suspicious one (`SOURCE_DATE_EPOCH=0`) is the guard's to object to, since
 * only the previous output says whether it hides anything.
 */
export function resolveNow(value: string | undefined, env: NodeJS.ProcessEnv): DateTime {
  let now: DateTime;
  if (value !== undefined) {
    now = DateTime.fromISO(value, { zone: "UTC" });
    if (!now.isValid) throw new UsageError(`--now: expected an ISO 8601 date like 2023-06-01T12:00:00Z (got ${JSON.stringify(value)})`);
  } else {
    const epoch = env.SOURCE_DATE_EPOCH;
    if (epoch === undefined || epoch === "") return DateTime.now().toUTC();
    if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH: expected whole seconds since 1970 (got ${JSON.stringify(epoch)})`);
    now = DateTime.fromSeconds(Number(epoch), { zone: "UTC" });
  }
  const source = nowSource(value, env);
  if (!now.isValid || now < EARLIEST || now > LATEST) {
    throw new UsageError(`${source}: out of range; now must be between 1970-01-01 and 9999-12-31 (got ${JSON.stringify(value ?? env.SOURCE_DATE_EPOCH)})`);
  }
  return now;
}

/** Where now came from, as a message names it: `--now 2023-06-01`, `SOURCE_DATE_EPOCH=0`, `the clock`. */
export function nowSource(value: string | undefined, env: NodeJS.ProcessEnv): string {
  if (value !== undefined) return `--now ${value}`;
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch === undefined || epoch === "" ? "the clock" : `SOURCE_DATE_EPOCH=${epoch}`;
}
