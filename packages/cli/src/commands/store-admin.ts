import { verifyStore } from '@tidemark/core';
import { Command } from 'commander';
import { ExitCode, type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';
import { formatBytes, table } from '../render/format.js';

/** `tidemark baselines`: the chain of baselines. */
export function baselinesCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('baselines')
    .description('list the baselines, oldest first')
    .option('--json', 'print as JSON: { baselines: [{ hash, ...BaselineSummary }] }');
  return handle(command, io, exit, async ({ session, options }) => {
    const baselines = (await session.store()).baselines();
    if (options.json) {
      io.out(
        JSON.stringify({ baselines: baselines.map(({ hash, record }) => ({ hash, ...record })) }, null, 2),
      );
      return ExitCode.OK;
    }
    const rows = baselines.map(({ hash, record }) => [
      record.label,
      record.completedAt,
      `${record.entryCount}`,
      `${record.gaps.length}`,
      record.regions.join(','),
      `${hash.slice(0, 12)}…`,
    ]);
    for (const line of table([['LABEL', 'COMPLETED', 'RESOURCES', 'GAPS', 'REGIONS', 'SHA256'], ...rows]))
      io.out(line);
    return ExitCode.OK;
  });
}

/** `tidemark verify`: recompute every hash; non-zero exit when anything is wrong. */
export function verifyCommand(io: Io, exit: ExitSink): Command {
  const command = new Command('verify')
    .description('recompute every hash in the store and report missing, corrupted or out-of-chain objects')
    .option('--json', 'print as JSON: VerifyReport');
  return handle(command, io, exit, async ({ session, options }) => {
    const report = await verifyStore(await session.store());
    if (options.json) io.out(JSON.stringify(report, null, 2));
    else {
      const { blobs, versions, baselines } = report.checked;
      io.out(
        `checked ${blobs} blobs, ${versions} versions, ${baselines} baselines in ${session.storeLocation}`,
      );
      for (const problem of report.problems)
        io.out(`  ${problem.problem.padEnd(12)} ${problem.key}: ${problem.detail}`);
      io.out(report.ok ? 'store is consistent' : `${report.problems.length} problems found`);
    }
    return report.ok ? ExitCode.OK : ExitCode.FAILED;
  });
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
  return handle<{ publish?: boolean }>(command, io, exit, async ({ session, options }) => {
    const store = await session.store();
    const counts = await store.rebuildIndex();
    const snapshot = options.publish ? await store.publishSnapshot() : undefined;
    if (options.json) io.out(JSON.stringify({ ...counts, ...(snapshot ? { snapshot } : {}) }));
    else {
      io.out(
        `indexed ${counts.versions} versions and ${counts.baselines} baselines from ${session.storeLocation}`,
      );
      if (snapshot) io.out(`published index snapshot ${snapshot.key} (${formatBytes(snapshot.size)})`);
      for (const key of counts.invalid) io.err(`left out of the index, not a valid record: ${key}`);
    }
    return counts.invalid.length > 0 ? ExitCode.FAILED : ExitCode.OK;
  });
}
