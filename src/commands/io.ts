/**
 * What a command may touch instead of `process`: where its output goes, the environment, and a
 * signal that ends long-running commands. Only `src/cli.ts` builds one from the real process.
 */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Grouped, coloured problem reports: stderr is a terminal, or FORCE_COLOR asks for them. */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal that can redraw a line (live progress); else a line every few seconds. */
  readonly live?: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Asks the person at the terminal and resolves with the answer; absent when nobody can answer (CI, pipes). */
  readonly ask?: (question: string) => Promise<string>;
  /** Aborted on Ctrl-C: `serve` stops and returns. */
  readonly signal: AbortSignal;
  /** How long a build runs before a terminal shows its progress; default 1000 ms (tests set 0). */
  readonly progressAfterMs?: number;
  /**
   * Told which way a build went: nothing to do (src/cache/last-build.ts), a few articles' items
   * patched in (src/pipeline/patch.ts), or the long way. A test hook: the process has none.
   */
  readonly way?: (way: "unchanged" | "patched" | "long") => void;
}

/** Exit codes, the same for every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
