/** Where a command writes: standard output for results, standard error for progress and diagnostics. */
export interface Io {
  /** Writes one line of results. */
  out(line?: string): void;
  /** Writes one line of diagnostics. */
  err(line?: string): void;
  /** Whether standard error is a terminal (progress is drawn in place only then). */
  readonly interactive: boolean;
  /** Rewrites the progress line (terminal only). */
  progress(line: string): void;
}

/** The process's own standard output and error. */
export function processIo(): Io {
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) process.stderr.write('\r\x1b[2K');
    progressShown = false;
  };
  return {
    out: (line = '') => {
      clearProgress();
      process.stdout.write(`${line}\n`);
    },
    err: (line = '') => {
      clearProgress();
      process.stderr.write(`${line}\n`);
    },
    interactive: Boolean(process.stderr.isTTY),
    progress: (line) => {
      if (!process.stderr.isTTY) return;
      const width = process.stderr.columns ?? 100;
      process.stderr.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      progressShown = true;
    },
  };
}
