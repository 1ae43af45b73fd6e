import { readFileSync } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";

/** How long a build waits for another one publishing to the same folder. */
export const LOCK_WAIT_MS = 120_000;

/**
 * Who holds a lock: the pid and, where the system tells (Linux's /proc), that process's start
 * time since boot and the boot's id. A pid alone can be reused by an unrelated process after the
 * owner died (or after a reboot); with its start time a reused pid is told apart at once.
 */
interface Owner {
  readonly pid: number;
  readonly start?: string;
  readonly boot?: string;
}

/**
 * Takes the lock file at `path` for this process, waiting for a live owner to release it (up to
 * `waitMs`, or until `signal` aborts); a lock whose owner is gone is taken over. Returns its
 * release. The lock only orders publishes: each is whole, and the one that takes it last wins.
 */
export async function takeLock(path: string, options: { readonly waitMs?: number; readonly signal?: AbortSignal } = {}): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? LOCK_WAIT_MS;
  const started = Date.now();
  const me = ownerOf(process.pid);
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, JSON.stringify(me), { flag: "wx" });
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = parseOwner(await readFile(path, "utf8").catch(() => ""));
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    // An unreadable lock is one being written; one still so after a few seconds is stale.
    const stale = owner !== undefined ? !isRunning(owner) : age > 5_000;
    if (stale) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() - started > waitMs) {
      throw new Error(`another build (pid ${owner?.pid ?? "unknown"}) has been publishing to this folder for over ${Math.round(waitMs / 1000)} s; if none runs, remove ${path}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** This system's view of a process: its pid, start time and boot id where /proc has them. */
export function ownerOf(pid: number): Owner {
  const start = startTime(pid);
  const boot = bootId();
  return { pid, ...(start === undefined ? {} : { start }), ...(boot === undefined ? {} : { boot }) };
}

/** Whether the lock's owner still runs: the same pid, started at the same time, since the same boot. */
export function isRunning(owner: Owner): boolean {
  if (owner.boot !== undefined && bootId() !== undefined && owner.boot !== bootId()) return false;
  if (!isAlive(owner.pid)) return false;
  if (owner.start === undefined) return true;
  const now = startTime(owner.pid);
  return now === undefined || now === owner.start;
}

function parseOwner(text: string): Owner | undefined {
  // A bare pid: the lock of an older feedwright.
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()) };
  try {
    const json = JSON.parse(text) as Partial<Owner>;
    if (!Number.isInteger(json.pid) || (json.pid ?? 0) <= 0) return undefined;
    return { pid: json.pid!, ...(typeof json.start === "string" ? { start: json.start } : {}), ...(typeof json.boot === "string" ? { boot: json.boot } : {}) };
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot (proc(5)). */
function startTime(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    return text.slice(text.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

let boot: string | null | undefined;
function bootId(): string | undefined {
  if (boot === undefined) {
    try {
      boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      boot = null;
    }
  }
  return boot ?? undefined;
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
