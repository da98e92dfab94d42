import { verifyStore } from '@tidemark/core/store';
import type { Action } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { formatBytes, table } from '../render/format.js';

/** `tidemark baselines`. */
export const baselines: Action<Record<string, never>> = async ({ session, options, io }) => {
  const chain = (await session.store()).baselines();
  if (options.json) {
    io.out(JSON.stringify({ baselines: chain.map(({ hash, record }) => ({ hash, ...record })) }, null, 2));
    return ExitCode.OK;
  }
  const rows = chain.map(({ hash, record }) => [
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
};

/** `tidemark verify`. */
export const verify: Action<Record<string, never>> = async ({ session, options, io }) => {
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
};

/** `tidemark reindex [--publish]`. */
export const reindex: Action<{ publish?: boolean }> = async ({ session, options, io }) => {
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
};
