// One step of the queries bench, alone in this process so that its time and peak RSS are its own. Started by
// queries.bench.ts through tsx, as the CLI runs. Reads its request as JSON in argv[2]; prints one JSON line
// (QueryChildResult) on stdout.
import { mkdirSync, readFileSync } from 'node:fs';
import { diffStates, history, stateAt } from '@tidemark/core/query';
import { VersionStore, verifyStore } from '@tidemark/core/store';
import { sha256Hex } from '../../packages/core/src/canonical/canonicalise.js';
import { readIdentity } from '../../packages/core/src/store/identity.js';
import { IndexDb } from '../../packages/core/src/store/index-db.js';
import { LocalBackend } from '../../packages/core/src/store/local-backend.js';
import { versionRecordSchema } from '../../packages/core/src/store/records.js';
import type { ResourceRef } from '../../packages/core/src/types/resource.js';
import { median, ownPeakRssBytes } from './stats.js';
import { BENCH_KEY, DAY, FUNCTION_TYPE, HOUR, MID } from './synthetic-store.js';

/** The queries measured, each answering with a one-line summary of its result. */
export const QUERIES = {
  'state, all types': (store: VersionStore) =>
    `${stateAt(store, MID).length.toLocaleString('en-US')} resources`,
  [`state --type ${FUNCTION_TYPE}`]: (store: VersionStore) =>
    `${stateAt(store, MID, { type: FUNCTION_TYPE }).length.toLocaleString('en-US')} resources`,
  'diff, 1 hour': async (store: VersionStore) =>
    summary(await diffStates(store, new Date(MID.getTime() - HOUR), MID)),
  'diff, 1 day': async (store: VersionStore) =>
    summary(await diffStates(store, new Date(MID.getTime() - DAY), MID)),
  'history of one resource': async (store: VersionStore, sample: ResourceRef) =>
    `${(await history(store, sample)).length} versions`,
} as const;
export type QueryName = keyof typeof QUERIES;

/** What the bench asks a child to do. */
export type QueryChildRequest =
  | { readonly step: 'reindex'; readonly store: string }
  | { readonly step: 'verify'; readonly store: string }
  | {
      readonly step: 'grow';
      readonly store: string;
      readonly cacheDirectory: string;
      readonly orderFile: string;
    }
  | {
      readonly step: 'query';
      readonly store: string;
      readonly cacheDirectory?: string;
      readonly query: QueryName;
      readonly sample: ResourceRef;
    };

/** What a child prints. */
export interface QueryChildResult {
  /** The step's time; for a query, the median of three runs after the first. */
  readonly ms: number;
  /** A query's first run, in a fresh process. */
  readonly firstMs?: number;
  readonly runsMs?: readonly number[];
  readonly summary: string;
  /**
   * The peak resident set (`ownPeakRssBytes`), in bytes, of the whole process (module loading
   * included), at the end of the step; for a query, right after its first run.
   */
  readonly peakRssBytes: number;
}

/** Versions the consumer indexes per transaction: one SQS batch of ten changes. */
const CONSUMER_BATCH = 10;

function summary(diff: Awaited<ReturnType<typeof diffStates>>): string {
  return `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`;
}

/** `tidemark reindex` of a local store: open (no index: a rebuild), rebuild, close (the journal checkpointed). */
async function reindex(folder: string): Promise<QueryChildResult> {
  const start = performance.now();
  const store = await VersionStore.open(folder, { key: BENCH_KEY });
  let summary: string;
  try {
    const report = await store.rebuildIndex();
    summary = `${report.versions.toLocaleString('en-US')} versions, ${report.invalid.length} invalid`;
  } finally {
    store.close();
  }
  return { ms: performance.now() - start, summary, peakRssBytes: ownPeakRssBytes() };
}

/** `tidemark verify` of a local store: every blob, record, journal entry and log head, with the store's key. */
async function verify(folder: string): Promise<QueryChildResult> {
  const start = performance.now();
  const store = await VersionStore.open(folder, { key: BENCH_KEY, withoutIndex: true });
  try {
    const report = await verifyStore(store);
    const { versions, baselines, blobs, logHeads } = report.checked;
    const summary = `${(versions + baselines).toLocaleString('en-US')} records, ${blobs} blobs, ${logHeads} log heads; ${report.ok && report.authenticated ? 'consistent, authenticated' : `${report.problems.length} problems, authenticated: ${report.authenticated}`}`;
    return { ms: performance.now() - start, summary, peakRssBytes: ownPeakRssBytes() };
  } finally {
    store.close();
  }
}

/** Indexes every record in capture order, a consumer batch per transaction, as the deployed pipeline grows it. */
async function grow(folder: string, cacheDirectory: string, orderFile: string): Promise<QueryChildResult> {
  const keys = readFileSync(orderFile, 'utf8').split('\n').filter(Boolean);
  const backend = new LocalBackend(folder);
  const start = performance.now();
  mkdirSync(cacheDirectory, { recursive: true });
  const index = new IndexDb(IndexDb.fileIn(cacheDirectory));
  const identity = await readIdentity(backend);
  if (identity) index.setStoreId(identity.storeId);
  try {
    for (let at = 0; at < keys.length; at += CONSUMER_BATCH) {
      const versions = [];
      for (const key of keys.slice(at, at + CONSUMER_BATCH)) {
        const bytes = (await backend.read(key)) as Buffer;
        versions.push({
          hash: sha256Hex(bytes),
          record: versionRecordSchema.parse(JSON.parse(bytes.toString('utf8'))),
        });
      }
      index.addVersions(versions);
    }
    index.setJournalCheckpoint(new Date().toISOString());
    return {
      ms: performance.now() - start,
      summary: `${index.counts().versions.toLocaleString('en-US')} versions`,
      peakRssBytes: ownPeakRssBytes(),
    };
  } finally {
    index.close();
  }
}

/**
 * One query in a fresh process, as the CLI runs it: its time and the process's peak RSS right after it; then
 * the median of three more runs (warm).
 */
async function query(request: Extract<QueryChildRequest, { step: 'query' }>): Promise<QueryChildResult> {
  const store = await VersionStore.open(request.store, {
    key: BENCH_KEY,
    ...(request.cacheDirectory ? { cacheDirectory: request.cacheDirectory } : {}),
  });
  try {
    const run = QUERIES[request.query];
    const start = performance.now();
    let result = await run(store, request.sample);
    const firstMs = performance.now() - start;
    const peakRssBytes = ownPeakRssBytes();
    const runsMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      result = await run(store, request.sample);
      runsMs.push(performance.now() - started);
    }
    return { ms: median(runsMs), firstMs, runsMs, summary: result, peakRssBytes };
  } finally {
    store.close();
  }
}

const request = JSON.parse(process.argv[2] ?? '{}') as QueryChildRequest;
const result =
  request.step === 'reindex'
    ? await reindex(request.store)
    : request.step === 'verify'
      ? await verify(request.store)
      : request.step === 'grow'
        ? await grow(request.store, request.cacheDirectory, request.orderFile)
        : await query(request);
process.stdout.write(`${JSON.stringify(result)}\n`);
