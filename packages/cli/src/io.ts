/**
 * Where bytes go, as `process.stdout` takes them: structural, so that the public types need no Node typings. Any
 * Node writable stream is one.
 */
export interface ByteSink {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: never[]): boolean;
  end(): unknown;
}

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
  /**
   * Standard output as bytes, for content written as it is (`show --blob -`); the process's own when absent.
   * Nothing else is written to standard output then.
   */
  readonly stdout?: ByteSink;
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
    stdout: process.stdout,
    progress: (line) => {
      if (!process.stderr.isTTY) return;
      const width = process.stderr.columns ?? 100;
      process.stderr.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      progressShown = true;
    },
  };
}
