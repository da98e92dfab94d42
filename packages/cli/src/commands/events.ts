import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** `tidemark events map`: what events touch, without calling AWS. */
export function eventsCommand(io: Io, exit: ExitSink): Command {
  const map = new Command('map')
    .description(
      'print what each event maps to (type, id, region) or why it maps to nothing; calls no AWS API',
    )
    .argument(
      '[files...]',
      'event files (JSON, JSON array, NDJSON, CloudTrail log, SQS batch); - or none for stdin',
    )
    .option('--json', 'print as JSON: { events: MappedEvent[] }');
  handle<Record<string, never>, [string[]]>(
    map,
    io,
    exit,
    async () => (await import('../actions/events.js')).mapEventFiles,
  );
  return new Command('events').description('work with CloudTrail and S3 events').addCommand(map);
}
