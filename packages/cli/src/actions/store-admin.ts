import { advanceWitness, readWitness, verifyStore } from '@tidemark/core/store';
import type { Action } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { formatBytes, table } from '../render/format.js';
import { printable } from '../render/printable.js';

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

/**
 * `tidemark verify`: reads the whole store (not the index), compares it with the newest log head this machine saw,
 * and, when all is well, remembers the newest head for next time.
 */
export const verify: Action<Record<string, never>> = async ({ session, options, io }) => {
  const store = await session.store({ withoutIndex: true });
  const storeId = store.identity?.storeId;
  const witnessFile = storeId ? await session.witnessFile(storeId) : undefined;
  const witness = witnessFile ? await readWitness(witnessFile) : undefined;
  const report = await verifyStore(store, witness ? { witness } : {});
  if (report.ok && witnessFile && storeId && report.head)
    await advanceWitness(witnessFile, storeId, report.head).catch((error: unknown) =>
      io.err(printable(`warning: cannot remember the newest log head in ${witnessFile}: ${String(error)}`)),
    );
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else {
    const { blobs, versions, baselines, logHeads, alerts } = report.checked;
    const records = versions + baselines;
    const rate = Math.round((records * 1000) / Math.max(1, report.durationMs));
    io.out(
      `checked ${blobs} blobs, ${versions} versions, ${baselines} baselines, ${logHeads} log heads${alerts > 0 ? `, ${alerts} alert records` : ''} in ${session.storeLocation} (${rate} records/s)`,
    );
    if (!report.authenticated)
      io.out(
        store.identity
          ? `  not authenticated: no key file, so records were checked by hash and chain only`
          : `  not authenticated: this store predates signed records; hashes and chains were checked`,
      );
    else if (report.unlogged > 0)
      io.out(`  ${report.unlogged} signed records are not yet named by a log head (a capture stopped early)`);
    for (const problem of report.problems)
      io.out(`  ${problem.problem.padEnd(12)} ${printable(`${problem.key}: ${problem.detail}`)}`);
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
    for (const key of counts.invalid) io.err(`left out of the index, not a valid record: ${printable(key)}`);
    for (const key of counts.removed) io.err(`named by the log, not in the store: ${printable(key)}`);
  }
  return counts.invalid.length > 0 || counts.removed.length > 0 ? ExitCode.FAILED : ExitCode.OK;
};
