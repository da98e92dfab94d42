import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VersionStore } from '@tidemark/core';
import type { QueryChildRequest, QueryChildResult, QueryName } from './queries.child.js';
import {
  type BenchScenario,
  formatBytes,
  perSecond,
  Report,
  round,
  runBenchChild,
  withTempDir,
} from './support.js';
import {
  BENCH_KEY,
  CREATED_LATER,
  DELETED_AT_END,
  MID,
  RESOURCES,
  T0,
  VERSIONS_PER_RESOURCE,
  writeSyntheticStore,
} from './synthetic-store.js';

const CHILD_SCRIPT = path.join(import.meta.dirname, 'queries.child.ts');
const MB = 1_000_000;

/** The goals for each query (ms), and for every step's peak RSS. */
const QUERY_GOALS_MS: Readonly<Record<QueryName, number | undefined>> = {
  'state, all types': 1_000,
  'state --type AWS::Lambda::Function': 100,
  'diff, 1 hour': undefined,
  'diff, 1 day': 2_000,
  'history of one resource': undefined,
};
const REINDEX_GOAL_MS = 20_000;
const PEAK_RSS_GOAL_MB = 500;

const child = (request: QueryChildRequest) => runBenchChild<QueryChildResult>(CHILD_SCRIPT, request);

/** Reindex of a local store of 1,000,000 versions, then `state`, `diff` and `history` on two indexes of it. */
export const queriesBench: BenchScenario = {
  id: 'queries',
  title: `Queries: ${RESOURCES.toLocaleString('en-US')} resources x ${VERSIONS_PER_RESOURCE} versions (synthetic local store)`,
  async run(log) {
    const out = new Report();
    for (const line of [
      `A local store of ${(RESOURCES * VERSIONS_PER_RESOURCE).toLocaleString('en-US')} valid, hash-chained version record files (a few chains written`,
      'through VersionStore.append must hash identically), with S3-object- and Lambda-shaped documents (secrets sealed).',
      `History: a baseline at ${new Date(T0).toISOString()}, then 9 more versions per resource over 30 days; ${CREATED_LATER * 100}% of resources`,
      `created later, ${DELETED_AT_END * 100}% deleted at the end. Queries at ${MID.toISOString()}.`,
      "Each step runs in a fresh process (through tsx, which adds ~70 MB of RSS to what the built CLI uses). A query's time is",
      'the median of 3 runs after its first (also shown), every document it needs read from the store (no cache); its peak RSS',
      'is the whole process right after the first run, as a `tidemark` command would use.',
      'Two indexes: "reindex" (built by `tidemark reindex` from the files) and "capture order" (grown version by version in',
      'time order, ten per transaction, as the deployed consumer grows it).',
    ])
      out.note(line);
    await withTempDir('queries', async (folder) => {
      const storeFolder = path.join(folder, 'store');
      const store = await VersionStore.open(storeFolder, { key: BENCH_KEY });
      log('writing the synthetic store…');
      let built: Awaited<ReturnType<typeof writeSyntheticStore>>;
      try {
        built = await writeSyntheticStore(store, storeFolder, log);
      } finally {
        store.close();
      }
      const { pools, sample } = built;
      out.metric(
        'store written',
        built.versions,
        'versions',
        `record files in ${round(built.writeMs / 1000)} s; ${pools.objectDocuments.length + pools.functionDocuments.length} documents and ${pools.contents.length + pools.codes.length} content blobs (${formatBytes(pools.bytes)})`,
      );
      out.must(
        'sample chains written through VersionStore.append hash exactly like the generated record files',
        built.appendMismatches === 0,
        `${built.appendMismatches} mismatches`,
      );
      const orderFile = path.join(folder, 'capture-order.txt');
      await writeFile(orderFile, `${built.captureOrder.join('\n')}\n`);

      // Twice: the first reads what the page cache kept of the files just written, the second a warmer cache.
      for (const run of ['first', 'second'] as const) {
        log(`reindex (${run} run)…`);
        await rm(path.join(storeFolder, 'index.sqlite'), { force: true });
        const reindex = await child({ step: 'reindex', store: storeFolder });
        out.goal(`reindex, ${run} run`, round(reindex.ms / 1000, 2), 's', { below: REINDEX_GOAL_MS / 1000 }, [
          `${perSecond(built.versions, reindex.ms).toLocaleString('en-US')} versions/s; ${reindex.summary}`,
        ]);
        out.goal('  peak RSS', round(reindex.peakRssBytes / MB), 'MB', { below: PEAK_RSS_GOAL_MB });
        out.must(
          `reindex (${run} run) indexes every version, none invalid`,
          reindex.summary === `${built.versions.toLocaleString('en-US')} versions, 0 invalid`,
          reindex.summary,
        );
        out.details[`reindex ${run}`] = reindex;
      }

      log('verify…');
      const verified = await child({ step: 'verify', store: storeFolder });
      out.metric(
        'verify (every blob, record, journal entry and log head, with the key)',
        perSecond(built.versions, verified.ms),
        'records/s',
        `${round(verified.ms / 1000, 1)} s; ${verified.summary}; peak RSS ${round(verified.peakRssBytes / MB)} MB`,
      );
      out.must(
        'verify finds the synthetic store consistent and authenticated',
        verified.summary.endsWith('consistent, authenticated'),
        verified.summary,
      );
      out.details.verify = verified;

      const captureCache = path.join(folder, 'capture-order-cache');
      log('growing an index in capture order…');
      const grown = await child({
        step: 'grow',
        store: storeFolder,
        cacheDirectory: captureCache,
        orderFile,
      });
      out.metric(
        'index grown in capture order (10 versions per transaction)',
        round(grown.ms / 1000, 2),
        's',
        `${perSecond(built.versions, grown.ms).toLocaleString('en-US')} versions/s, reading each record file; ${grown.summary}; informational`,
      );

      const timings: Record<string, unknown> = { grown };
      for (const [label, cacheDirectory] of [
        ['reindex', undefined],
        ['capture order', captureCache],
      ] as const)
        for (const [query, goalMs] of Object.entries(QUERY_GOALS_MS) as Array<
          [QueryName, number | undefined]
        >) {
          log(`${query} (${label} index)…`);
          const result = await child({
            step: 'query',
            store: storeFolder,
            ...(cacheDirectory ? { cacheDirectory } : {}),
            query,
            sample,
          });
          timings[`${query} (${label})`] = result;
          const name = `${query} (${label} index)`;
          const notes = [
            result.summary,
            `first run in a fresh process ${round(result.firstMs ?? Number.NaN)} ms`,
          ];
          if (goalMs === undefined) out.metric(name, round(result.ms), 'ms', notes.join('; '));
          else out.goal(name, round(result.ms), 'ms', { below: goalMs }, notes);
          out.goal('  peak RSS after the first run', round(result.peakRssBytes / MB), 'MB', {
            below: PEAK_RSS_GOAL_MB,
          });
        }
      out.details.timings = timings;
      out.details.moment = MID.toISOString();
    });
    return out.result(this.id, this.title);
  },
};
