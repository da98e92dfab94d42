import { ingestEvents } from '@tidemark/core/capture';
import type { Action } from '../command.js';
import { type ObjectSelectionOptions, objectSelection } from '../commands/options.js';
import { ExitCode } from '../exit-code.js';
import { renderMappedEvents } from '../render/events.js';
import { renderGaps } from '../render/gaps.js';
import { readInputs } from './inputs.js';

/** `tidemark ingest [FILE…]`. */
export const ingest: Action<ObjectSelectionOptions, [string[]]> = async ({ session, options, io }, files) => {
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
};
