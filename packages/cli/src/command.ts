import type { Command } from 'commander';
import type { Io } from './io.js';
import { type GlobalOptions, Session } from './session.js';

/** Exit codes of the `tidemark` command. */
export const ExitCode = {
  OK: 0,
  /** The command ran and found something wrong (verify found problems, nothing could be captured). */
  FAILED: 1,
  /** The command line or an argument is invalid. */
  USAGE: 2,
} as const;

/** What every command handler receives. */
export interface CommandContext<O> {
  readonly session: Session;
  readonly options: O & GlobalOptions & { json?: boolean };
  readonly io: Io;
}

/** Sets the exit code of the invocation under way. */
export type ExitSink = (code: number) => void;

/**
 * Attaches a handler to a command: opens a session from the global options, runs the handler, closes the
 * session, and reports the handler's exit code.
 */
export function handle<O, A extends unknown[] = []>(
  command: Command,
  io: Io,
  exit: ExitSink,
  handler: (context: CommandContext<O>, ...args: A) => Promise<number>,
): Command {
  return command.action(async (...received: unknown[]) => {
    const self = received.at(-1) as Command;
    const args = received.slice(0, -2) as A;
    const session = new Session(self.optsWithGlobals(), (message) => io.err(`warning: ${message}`));
    try {
      exit(await handler({ session, options: self.optsWithGlobals(), io }, ...args));
    } finally {
      await session.close();
    }
  });
}
