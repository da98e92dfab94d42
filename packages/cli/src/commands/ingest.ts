import { ingestEvents } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { renderMappedEvents } from '../render/events.js';
import { renderGaps } from '../render/gaps.js';
import { readInputs } from './inputs.js';
import { type ObjectSelectionOptions, objectSelection, withObjectSelection } from './options.js';

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
    async ({ session, options }, files) => {
      const inputs = await readInputs(files);
      const report = await ingestEvents(await session.engine({ objects: objectSelection(options) }), inputs);
      if (options.json) io.out(JSON.stringify(report, null, 2));
      else {
        renderMappedEvents(io, report.events);
        io.out();
        io.out(`${report.captures.length} resources captured again:`);
        for (const capture of report.captures) {
          const label =
            capture.status === 'appended' ? (capture.deleted ? 'deleted' : 'new version') : capture.status;
          const version = capture.seq ? ` v${capture.seq}` : '';
          const error = capture.error ? `: ${capture.error}` : '';
          io.out(`  ${label.padEnd(11)}  ${capture.resource.type} ${capture.resource.id}${version}${error}`);
        }
        renderGaps(io, report.gaps);
      }
      return report.failures.length > 0 ? ExitCode.FAILED : ExitCode.OK;
    },
  );
}
