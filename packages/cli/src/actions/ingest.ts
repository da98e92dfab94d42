import { ingestChanges } from '@tidemark/core/capture';
import type { Action } from '../command.js';
import { type ObjectSelectionOptions, objectSelection } from '../commands/options.js';
import { ExitCode } from '../exit-code.js';
import { renderMappedEvents } from '../render/events.js';
import { renderGaps } from '../render/gaps.js';
import { printable } from '../render/printable.js';
import { readEvents, reportUnreadable } from './inputs.js';

/**
 * `tidemark ingest [FILE…]`. The input is read before the store is opened: when nothing in it is an event, the
 * command fails (exit 2) having created nothing. Exit 1 when a capture failed or a part of the input is not an
 * event (each named on standard error, the events around it captured).
 */
export const ingest: Action<ObjectSelectionOptions, [string[]]> = async ({ session, options, io }, files) => {
  const { events, unreadable } = await readEvents(files);
  const report = await ingestChanges(await session.engine({ objects: objectSelection(options) }), events);
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
      io.out(
        `  ${label.padEnd(11)}  ${printable(`${capture.resource.type} ${capture.resource.id}${version}${error}`)}`,
      );
    }
    renderGaps(io, report.gaps);
  }
  reportUnreadable(io, unreadable);
  return report.failures.length > 0 || unreadable.length > 0 ? ExitCode.FAILED : ExitCode.OK;
};
