import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** `tidemark baselines`: the chain of baselines. */
export function baselinesCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('baselines')
    .description('list the baselines, oldest first')
    .option('--json', 'print as JSON: { baselines: [{ hash, ...BaselineSummary }] }');
  return handle(command, io, exit, async () => (await import('../actions/store-admin.js')).baselines);
}

/** `tidemark verify`: recompute every hash; non-zero exit when anything is wrong. */
export function verifyCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('verify')
    .description('recompute every hash in the store and report missing, corrupted or out-of-chain objects')
    .option('--json', 'print as JSON: VerifyReport');
  return handle(command, io, exit, async () => (await import('../actions/store-admin.js')).verify);
}

/** `tidemark reindex [--publish]`: rebuild the SQLite index from the store alone, and publish a copy of it. */
export function reindexCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('reindex')
    .description('rebuild the local index from the store alone')
    .option(
      '--publish',
      'then publish a snapshot of it in the store, for indexes opened from scratch elsewhere',
    )
    .option('--json', 'print as JSON: { versions, baselines, invalid: string[], snapshot?: IndexSnapshot }');
  return handle<{ publish?: boolean }>(
    command,
    io,
    exit,
    async () => (await import('../actions/store-admin.js')).reindex,
  );
}
