import { DateTime } from "luxon";
import { UsageError } from "./args.ts";

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
