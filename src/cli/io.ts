/** Where a command writes: the process's streams, or buffers in a test. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** where a progress bar may be drawn: only a terminal (absent in tests and when stderr is redirected) */
  progressStream?: NodeJS.WriteStream;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  get progressStream() {
    return process.stderr.isTTY ? process.stderr : undefined;
  },
};

/** Exit codes CI can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A bad invocation (unknown option value, unreadable token file...): exit code 2 with one line. */
export class UsageError extends Error {}
