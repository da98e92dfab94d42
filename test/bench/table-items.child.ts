// One first capture of the simulated account's large table (`booking-archive`), alone in this process so that its
// peak RSS is the capture's own (the simulated account answering the scans included): the real CaptureEngine, the
// DynamoDB client of AwsClients answered in-process by SimulatedAccount, a local store. baseline.bench.ts runs it
// with tsx. Reads its options as JSON in argv[2]; prints one JSON line (TableCaptureResult) on stdout and exits.
import { randomBytes } from 'node:crypto';
import { AwsClients, CaptureEngine, LocalKeySealer, registry, VersionStore } from '@tidemark/core';
import { SimulatedAccount } from '@tidemark/simulation';
import { ownPeakRssBytes } from './stats.js';

/** What the bench passes in argv[2]. */
export interface TableCaptureOptions {
  readonly items: number;
  /** A local folder for the store. */
  readonly store: string;
}

/** What the child prints: figures in bytes and milliseconds. */
export interface TableCaptureResult {
  readonly status: string;
  readonly ms: number;
  readonly chunks: number;
  readonly peakRssBytes: number;
  /** Peak RSS once everything was loaded and the account started, before the capture. */
  readonly loadedRssBytes: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as TableCaptureOptions;
const account = await SimulatedAccount.start({ scale: { largeTableItems: options.items } });
const store = await VersionStore.open(options.store);
try {
  const engine = await CaptureEngine.create({
    store,
    clients: new AwsClients(),
    sealer: new LocalKeySealer(randomBytes(32)),
    registry,
  });
  const table = {
    account: account.accountId,
    region: account.region,
    type: 'AWS::DynamoDB::Table',
    id: 'booking-archive',
  };
  const loadedRssBytes = ownPeakRssBytes();
  const started = performance.now();
  const outcome = await engine.capture(table, { kind: 'baseline', label: 'v1.0' });
  const ms = performance.now() - started;
  const result: TableCaptureResult = {
    status: outcome.status,
    ms,
    chunks: Object.keys(store.latest(table)?.record.blobs ?? {}).length,
    peakRssBytes: ownPeakRssBytes(),
    loadedRssBytes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  store.close();
  await account.stop();
}
