import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { type ObjectSelectionOptions, withObjectSelection } from './options.js';

/** `tidemark ingest`: capture again only what events touched. */
export function ingestCommand(io: Io, exit: ExitSink): Command {
  const command = withObjectSelection(
    new Command('ingest')
      .description('capture again only the resources that CloudTrail or S3 events touched')
      .argument(
        '[files...]',
        'event files (JSON, JSON array, NDJSON, CloudTrail log, SQS batch); - or none for stdin',
      ),
  ).option('--json', 'print as JSON: IngestReport');
  return handle<ObjectSelectionOptions, [string[]]>(
    command,
    io,
    exit,
    async () => (await import('../actions/ingest.js')).ingest,
  );
}
