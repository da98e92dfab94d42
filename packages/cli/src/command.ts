import type { Command } from 'commander';
import { ExitCode } from './exit-code.js';
import type { Io } from './io.js';
import { reportDeliveryFailures } from './render/alerts.js';
import { printable } from './render/printable.js';
import type { GlobalOptions, Session } from './session.js';

/** What every command's action receives. */
export interface CommandContext<O> {
  readonly session: Session;
  readonly options: O & GlobalOptions & { json?: boolean };
  readonly io: Io;
}

/** What a command does once its command line is parsed; resolves to the exit code. */
export type Action<O, A extends unknown[] = []> = (context: CommandContext<O>, ...args: A) => Promise<number>;

/** Sets the exit code of the invocation under way. */
export type ExitSink = (code: number) => void;

/**
 * Attaches an action to a command. The action's module, and the session with what it opens, are loaded only when
 * the command runs, so that listing and parsing commands loads neither the store nor AWS clients. The action runs
 * in a session opened from the global options, closed afterwards, once more if it met a damaged index (see
 * {@link Session.recoveringIndex}); its exit code goes to `exit`.
 *
 * @example
 * handle(command, io, exit, async () => (await import('../actions/history.js')).history);
 */
export function handle<O, A extends unknown[] = []>(
  command: Command,
  io: Io,
  exit: ExitSink,
  load: () => Promise<Action<O, A>>,
): Command {
  return command.action(async function runAction(...received: unknown[]) {
    const self = received.at(-1) as Command;
    const args = received.slice(0, -2) as A;
    const [{ Session }, action] = await Promise.all([import('./session.js'), load()]);
    const options = self.optsWithGlobals<O & GlobalOptions & { json?: boolean }>();
    const warn = (message: string) => io.err(printable(`warning: ${message}`));
    // With --json, standard output is the command's JSON alone: alerts go to standard error, as diagnostics.
    const alertLine = options.json
      ? (line: string) => io.err(printable(`tidemark: alert: ${line}`))
      : (line: string) => io.out(printable(line));
    const session = new Session(options, warn, alertLine);
    try {
      const code = await session.recoveringIndex(() => action({ session, options, io }, ...args));
      const damage = await session.damage();
      if (damage)
        io.err(
          printable(
            `warning: answers leave out ${damage.count} records the store holds damaged or lost (${damage.keys[0]}…): run tidemark verify`,
          ),
        );
      exit(damage ? Math.max(code, ExitCode.FAILED) : code);
    } finally {
      // Also after a failed action: the alerts of what it captured are delivered before the store closes.
      reportDeliveryFailures(await session.settleAlerts(), warn);
      await session.close();
    }
  });
}
