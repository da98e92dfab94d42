import { Command, CommanderError } from 'commander';
import type { ExitSink } from './command.js';
import { alertsCommand } from './commands/alerts.js';
import { baselineCommand } from './commands/baseline.js';
import { changesCommand } from './commands/changes.js';
import { diffCommand } from './commands/diff.js';
import { dlqCommand } from './commands/dlq.js';
import { eventsCommand } from './commands/events.js';
import { exportCommand } from './commands/export.js';
import { historyCommand } from './commands/history.js';
import { ingestCommand } from './commands/ingest.js';
import { restoreCommand } from './commands/restore.js';
import { showCommand } from './commands/show.js';
import { stateCommand } from './commands/state.js';
import { baselinesCommand, reindexCommand, verifyCommand } from './commands/store-admin.js';
import { watchCommand } from './commands/watch.js';
import { ExitCode } from './exit-code.js';
import type { Io } from './io.js';
import { printable } from './render/printable.js';
import { VERSION } from './version.js';

/**
 * The `tidemark` command with every subcommand, writing to `io`. Building it loads no command's action: each is
 * imported when its command runs (see `handle` in command.ts).
 */
export function buildProgram(io: Io, exit: ExitSink): Command {
  const program = new Command('tidemark')
    .description('Continuous, event-driven backup and time travel for AWS accounts')
    .option(
      '--store <location>',
      'store folder or s3://bucket/prefix (default: $TIDEMARK_STORE or ~/.local/share/tidemark/store)',
    )
    .option(
      '--store-endpoint-url <url>',
      'S3-protocol endpoint of an s3:// store (default: $TIDEMARK_STORE_ENDPOINT_URL, else --endpoint-url)',
    )
    .option(
      '--key-file <file>',
      'secret key file (default: $TIDEMARK_KEY_FILE or ~/.config/tidemark/secret.key)',
    )
    .option(
      '--new-key',
      'create the key file for a store that has none (a store written before keys were recorded); never replaces one',
    )
    .option('--profile <name>', 'AWS named profile (default: the standard credential chain)')
    .option('--region <region>', 'AWS region to capture; for queries, only resources in this region')
    .option('--regions <regions>', 'comma-separated AWS regions to capture')
    .option('--endpoint-url <url>', 'send AWS calls to this endpoint (emulators); also AWS_ENDPOINT_URL')
    .option(
      '--rules <file>',
      "alert rules evaluated on every capture (default: tidemark.alerts.yaml beside the key file, else the store's config/alerts.yaml, else the shipped rules)",
    )
    .option('--no-alerts', 'evaluate no alert rule on the captures of this command')
    .version(VERSION, '--version', 'print the version of tidemark')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });
  program.configureOutput({ outputError: oneLineError(program) });
  for (const create of [
    baselineCommand,
    ingestCommand,
    eventsCommand,
    stateCommand,
    showCommand,
    historyCommand,
    diffCommand,
    changesCommand,
    baselinesCommand,
    verifyCommand,
    reindexCommand,
    dlqCommand,
    watchCommand,
    alertsCommand,
    restoreCommand,
    exportCommand,
  ])
    program.addCommand(inheritSettings(create(io, exit), program));
  return program;
}

/** Whether an error is commander's own exit (help, version, usage error), with its exit code. */
export function commanderExit(error: unknown): number | undefined {
  if (!(error instanceof CommanderError)) return undefined;
  return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
}

/**
 * Gives a subcommand, and its own subcommands, the program's output and exit settings, and its own one-line
 * usage errors.
 */
function inheritSettings(command: Command, program: Command): Command {
  command.copyInheritedSettings(program).configureOutput({ outputError: oneLineError(command) });
  for (const child of command.commands) inheritSettings(child, program);
  return command;
}

/**
 * Commander's usage error (`error: unknown option '--bogus'`, and a `(Did you mean …?)` line) as one line that
 * names the command and where its usage is: `tidemark state: unknown option '--bogus'; see tidemark state --help`.
 */
function oneLineError(command: Command): (text: string, write: (text: string) => void) => void {
  return function writeOneLineError(text, write) {
    const names: string[] = [];
    for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
    const name = names.join(' ');
    const message = text
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ')
      .trim()
      .replace(/\.$/, '');
    write(printable(`${name}: ${message}; see ${name} --help`));
  };
}
