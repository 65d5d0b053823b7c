import cliProgress from 'cli-progress';

/** What an import reports as it goes. */
export interface Progress {
  advance(bytes: number, lines: number): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { advance: () => undefined, stop: () => undefined };

/** A progress bar on stderr: share of the file read, lines, lines per second and ETA. */
export function progressBar(totalBytes: number, stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {percentage}% | {lines} lines | {rate} lines/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let bytes = 0;
  let lines = 0;
  bar.start(Math.max(1, totalBytes), 0, { lines: 0, rate: 0 });
  return {
    advance(b, l) {
      bytes += b;
      lines += l;
      const seconds = (Date.now() - started) / 1000;
      bar.update(Math.min(bytes, totalBytes), { lines, rate: seconds > 0 ? Math.round(lines / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
