import { InputError, StoreError } from '@tidemark/core/errors';
import { parseAge, resolveTime } from '@tidemark/core/query';
import { StoreLayout } from '@tidemark/core/store';
import { type WatchProgress, type WatchSummary, watchCloudTrail, watchedRegions } from '@tidemark/core/watch';
import type { Action } from '../command.js';
import type { WatchCommandOptions } from '../commands/watch.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from '../io.js';
import { reportDeliveryFailures } from '../render/alerts.js';
import { describeCause, describeResource } from '../render/entries.js';
import { renderGaps } from '../render/gaps.js';
import { printable } from '../render/printable.js';

/** Exit code of a second Ctrl-C: 128 + SIGINT. */
const INTERRUPTED = 130;

/** `tidemark watch`. */
export const watch: Action<WatchCommandOptions> = async ({ session, options, io }) => {
  const now = new Date();
  const baselines = (await session.store({ create: true })).baselines();
  const from = options.from === undefined ? undefined : resolveTime(options.from, baselines, now);
  const start = options.since === undefined ? undefined : resolveTime(options.since, baselines, now);
  const intervalMs = options.interval === undefined ? undefined : durationMs('--interval', options.interval);
  const engine = await session.engine();
  const regions = watchedRegions(session.regions(), engine.registry).map((watched) => watched.region);
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    io.err('stopping: finishing the captures in flight (Ctrl-C again to exit at once)');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    if (!options.json)
      io.err(
        `watching account ${engine.account} in ${regions.join(', ')}${options.once ? ' once' : ''}; Ctrl-C to stop`,
      );
    const summary = await watchCloudTrail(engine, {
      regions: session.regions(),
      signal: controller.signal,
      once: options.once === true,
      ...(from ? { from } : {}),
      ...(start ? { start } : {}),
      ...(intervalMs === undefined ? {} : { intervalMs }),
      onProgress: (progress) => {
        // Each poll hands over the alerts fired since the last, so a long watch holds none of them.
        if (progress.kind === 'poll')
          void session
            .settleAlerts()
            .then((report) =>
              reportDeliveryFailures(report, (message) => io.err(printable(`warning: ${message}`))),
            );
        if (options.json) io.out(JSON.stringify(progress));
        else renderProgress(io, progress);
      },
    }).catch(withCheckpointHint);
    if (options.json) io.out(JSON.stringify({ kind: 'summary', ...summary }));
    else renderSummary(io, summary);
    return summary.failures.length > 0 || summary.lookupErrors.length > 0 ? ExitCode.FAILED : ExitCode.OK;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
};

/** A checkpoint that cannot be read is replaced by starting again from a given time: say how. */
function withCheckpointHint(error: unknown): never {
  if (error instanceof StoreError && error.key?.startsWith(`${StoreLayout.CHECKPOINTS}watch/`))
    throw new StoreError(`${error.message}; to start again from a given time, use --from <time>`, {
      key: error.key,
      cause: error.cause,
    });
  throw error;
}

/** Milliseconds of an age of at least a second, such as `30s` or `5m`; anything else is refused. */
function durationMs(option: string, spec: string): number {
  const age = parseAge(spec);
  if (age === undefined || age < 1000)
    throw new InputError(`${option} ${spec}: expected an age of at least one second, such as 30s or 5m`);
  return age;
}

/** A capture on standard output as it happens; lookups that failed on standard error; polls as progress. */
function renderProgress(io: Io, progress: WatchProgress): void {
  switch (progress.kind) {
    case 'capture': {
      const outcome =
        progress.status === 'appended' ? (progress.deleted ? 'deleted' : 'new version') : progress.status;
      const version = progress.seq ? ` v${progress.seq}` : '';
      const error = progress.error ? `: ${printable(progress.error)}` : '';
      io.out(
        `${printable(progress.cause.eventTime ?? '-')}  ${describeCause(progress.cause)}  ${describeResource(progress)}  ${outcome}${version}${error}`,
      );
      return;
    }
    case 'poll':
      io.progress(`${progress.region}: read through ${progress.through}, ${progress.fresh} new events`);
      return;
    case 'lookup-error':
      io.err(
        printable(
          `${progress.region}: cannot read CloudTrail event history (${progress.error}); trying again next poll`,
        ),
      );
      return;
  }
}

function renderSummary(io: Io, summary: WatchSummary): void {
  const { captures } = summary;
  io.progress('');
  io.out(
    `watched account ${summary.account} in ${summary.regions.join(', ')}: ${summary.polls} polls, ${summary.events} new events (${summary.skipped} named nothing to capture)`,
  );
  io.out(
    `  ${captures.appended} new versions, ${captures.unchanged} unchanged, ${captures.gap} gaps, ${captures.failed} failed`,
  );
  renderGaps(io, summary.gaps);
  for (const failure of summary.failures)
    io.out(`  failed  ${printable(`${failure.resource.type} ${failure.resource.id}: ${failure.error}`)}`);
  for (const failure of summary.lookupErrors)
    io.out(`  lookup failed  ${printable(`${failure.region}: ${failure.error}`)}`);
}
