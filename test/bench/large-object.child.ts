// One capture of one S3 object through Tidemark's real path, alone in this process so that its peak RSS is the
// capture's own: the S3 client of AwsClients pointed at an S3-protocol server, the real CaptureEngine fed the
// object's "Object Created" notification (ingestEvents), into a store (a local folder or s3://bucket/prefix).
// baseline.bench.ts bundles it with esbuild, as the CLI and the Lambda functions are bundled, and runs it with
// plain Node. Reads its options as JSON in argv[2] and the credentials from the environment; prints one JSON line
// (LargeCaptureResult) on stdout and exits.
import { randomBytes } from 'node:crypto';
import {
  AwsClients,
  CaptureEngine,
  type IngestReport,
  ingestEvents,
  LocalKeySealer,
  registry,
  VersionStore,
} from '@tidemark/core';
import { ownPeakRssBytes } from './stats.js';

/** What the bench passes in argv[2]. */
export interface LargeCaptureOptions {
  /** The S3-protocol server the object is read from (and an s3:// store is written to). */
  readonly endpoint: string;
  readonly bucket: string;
  readonly key: string;
  /** A local folder or `s3://bucket/prefix` on the same server. */
  readonly store: string;
  /** Local folder for the index of an s3:// store (a local store keeps its index in its own folder). */
  readonly cacheDirectory?: string;
  readonly account: string;
  readonly region: string;
}

/** What the child prints: figures in bytes and milliseconds. */
export interface LargeCaptureResult {
  /** The capture's outcome (`appended`), or why there was none. */
  readonly status: string;
  /** The capture's error and the gaps its version records, if any. */
  readonly error?: string;
  /** The stored content's sha256, as the store addressed it. */
  readonly contentHash?: string;
  readonly bytesDownloaded: number;
  readonly bytesStored: number;
  /** The peak resident set of the whole process at the end (`ownPeakRssBytes`), in bytes. */
  readonly peakRssBytes: number;
  /** RSS once the modules were loaded and the store opened, before the capture started. */
  readonly readyRssBytes: number;
  /** The highest heap, external and array-buffer figures sampled every 50 ms during the capture. */
  readonly sampled: { readonly heapUsed: number; readonly external: number; readonly arrayBuffers: number };
  readonly captureMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LargeCaptureOptions;

const sampled = { heapUsed: 0, external: 0, arrayBuffers: 0 };
function sample(): void {
  const usage = process.memoryUsage();
  sampled.heapUsed = Math.max(sampled.heapUsed, usage.heapUsed);
  sampled.external = Math.max(sampled.external, usage.external);
  sampled.arrayBuffers = Math.max(sampled.arrayBuffers, usage.arrayBuffers);
}

/** S3's EventBridge notification of the object's upload, as a bucket with EventBridge enabled sends it. */
function objectCreated(size: number): string {
  return JSON.stringify({
    version: '0',
    id: '5d4e0c8a-0000-4000-8000-000000000001',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: options.account,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    region: options.region,
    resources: [`arn:aws:s3:::${options.bucket}`],
    detail: {
      version: '0',
      bucket: { name: options.bucket },
      object: { key: options.key, size, sequencer: '0065A1B2C3D4E5F600' },
      'request-id': 'BENCHLARGEOBJECT',
      requester: options.account,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  });
}

const store = await VersionStore.open(options.store, {
  endpointUrl: options.endpoint,
  ...(options.cacheDirectory ? { cacheDirectory: options.cacheDirectory } : {}),
});
let result: LargeCaptureResult;
try {
  const engine = await CaptureEngine.create({
    store,
    clients: new AwsClients({ endpointUrl: options.endpoint }),
    sealer: new LocalKeySealer(randomBytes(32)),
    registry,
    account: options.account,
    objects: { include: [options.bucket] },
  });
  const readyRssBytes = process.memoryUsage().rss;
  const sampler = setInterval(sample, 50);
  const started = performance.now();
  let report: IngestReport;
  try {
    report = await ingestEvents(engine, [{ text: objectCreated(0), origin: 'bench' }]);
  } finally {
    clearInterval(sampler);
  }
  const captureMs = performance.now() - started;
  sample();
  const capture = report.captures[0];
  const latest = capture && store.latest(capture.resource);
  const contentHash = latest?.record.blobs.content;
  const gaps = latest?.record.gaps.map((gap) => `${gap.code}: ${gap.message}`).join('; ');
  const { counters } = engine.context;
  result = {
    status: capture?.status ?? `no capture (${report.events[0]?.skipped?.detail ?? 'no event'})`,
    ...(capture?.error || gaps ? { error: [capture?.error, gaps].filter(Boolean).join('; ') } : {}),
    ...(contentHash ? { contentHash } : {}),
    bytesDownloaded: counters.bytesDownloaded,
    bytesStored: counters.bytesStored,
    peakRssBytes: ownPeakRssBytes(),
    readyRssBytes,
    sampled,
    captureMs,
  };
} finally {
  store.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
