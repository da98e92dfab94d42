import { Command } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark watch`. */
export interface WatchCommandOptions {
  interval?: string;
  since?: string;
  from?: string;
  once?: boolean;
}

const NOTES = `
Reads the mutating management events of every selected region (and of us-east-1 for global services) from
CloudTrail's event history, at most 2 LookupEvents requests per second per region, and captures each resource
they name. Each region's checkpoint is kept in the store (checkpoints/watch/<account>/<region>.json): a restart
resumes there without missing or repeating an event. Every lookup reaches 15 minutes back, so events CloudTrail
delivers late are still captured. Without a checkpoint a region starts --since ago.

Event history holds management events only: S3 object-level writes (PutObject, DeleteObject) are data events
and are not in it. Their content is captured by \`tidemark baseline\` or by the deployed pipeline.

Ctrl-C (or SIGTERM) stops polling, lets the captures in flight finish, saves the checkpoints and prints a
summary (exit 0); a second Ctrl-C exits at once (exit 130).`;

/** `tidemark watch`: continuous capture from CloudTrail's event history, no deployment needed. */
export function watchCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('watch')
    .description('capture continuously from CloudTrail event history (LookupEvents), without a deployment')
    .option('--interval <age>', 'time between polls, e.g. 30s or 5m (default: 30s)')
    .option('--since <time>', 'where a region without a checkpoint starts (default: 15m)')
    .option('--from <time>', 'start every region here, ignoring saved checkpoints (e.g. a corrupt one)')
    .option('--once', 'poll every region once, then exit (for cron and scripts)')
    .option('--json', 'print NDJSON: a line per capture, poll and failed lookup, then the WatchSummary')
    .addHelpText('after', NOTES);
  return handle<WatchCommandOptions>(
    command,
    io,
    exit,
    async () => (await import('../actions/watch.js')).watch,
  );
}
