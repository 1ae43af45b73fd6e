/**
 * What a command may touch instead of `process`: where its output goes, the environment, and a
 * signal that ends long-running commands. Only `src/cli.ts` builds one from the real process.
 */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal: grouped, coloured problem reports. */
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: `serve` stops and returns. */
  readonly signal: AbortSignal;
}

/** Exit codes, the same for every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
