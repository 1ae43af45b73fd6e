/**
 * Stopping a build: a stage that loops calls `checkpoint(signal)` once per item. It throws the
 * signal's reason once Ctrl-C or SIGTERM has aborted it, and every so often lets the event loop
 * run, since a loop whose awaits all resolve at once (a warm cache) would otherwise never let the
 * signal handler in: a build must stop within a second.
 */
let calls = 0;
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return;
  signal.throwIfAborted();
  if (++calls % 32 === 0) await letSignalsIn(signal);
}

/**
 * Lets the event loop run once, then throws if the signal was aborted meanwhile: for a loop that
 * checks the signal itself and yields every so many items. Without a signal it does not yield,
 * unless `always` (the loop waits on messages too: a worker's replies come in only then).
 */
export async function letSignalsIn(signal: AbortSignal | undefined, always = false): Promise<void> {
  if (signal === undefined && !always) return;
  await new Promise((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}
