import { mapEvents, parseEventInput } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { renderMappedEvents } from '../render/events.js';
import { readInputs } from './inputs.js';

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
  handle<Record<string, never>, [string[]]>(map, io, exit, async ({ options }, files) => {
    const inputs = await readInputs(files);
    const events = mapEvents(inputs.flatMap((input) => parseEventInput(input.text, input.origin)));
    if (options.json) io.out(JSON.stringify({ events }, null, 2));
    else renderMappedEvents(io, events);
    return ExitCode.OK;
  });
  return new Command('events').description('work with CloudTrail and S3 events').addCommand(map);
}
