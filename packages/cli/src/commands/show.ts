import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark show`. */
export interface ShowOptions {
  at?: string;
  blob?: string;
  blobName?: string;
  force?: boolean;
  unseal?: boolean;
}

/** `tidemark show RESOURCE`: one resource's document at a moment, and optionally its content. */
export function showCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('show')
    .description(
      "print one resource's document at a moment; --blob writes its content (object bytes, code zip)",
    )
    .argument('<resource>', 'AWS::Type::Name:id, or an id when unique')
    .option('--at <time>', 'ISO 8601 time, age (2h, 3d), baseline label or now (default: latest)')
    .option('--blob <file>', 'write the content blob to this new file, or to standard output for -')
    .option('--force', 'with --blob, replace the file if it exists')
    .option('--blob-name <name>', 'which blob, when there are several (content, code, code:2)')
    .option('--unseal', 'print sealed secret values in plain text (needs the key that sealed them)')
    .option('--json', 'print as JSON: { version: StateEntry, document }');
  return handle<ShowOptions, [string]>(
    command,
    io,
    exit,
    async () => (await import('../actions/show.js')).show,
  );
}
