import { createHash, randomBytes } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { type BaselineReport, ingestEvents, runBaseline, VersionStore } from '@tidemark/core';
import { registry } from '@tidemark/core/resources';
import { build } from 'esbuild';
import { layOutObject, startS3Server } from '../support/s3-server.js';
import type { LargeCaptureOptions, LargeCaptureResult } from './large-object.child.js';
import {
  type BenchScenario,
  benchSize,
  describeCalls,
  formatBytes,
  perSecond,
  REPO_ROOT,
  Report,
  round,
  runBenchChild,
  type SimulatedRig,
  timed,
  withEnvironment,
  withSimulatedRig,
  withTempDir,
} from './support.js';
import type { TableCaptureOptions, TableCaptureResult } from './table-items.child.js';

/** Items of the large table `booking-archive`, about 1 KiB each: 1 million unless `TIDEMARK_BENCH_TABLE_ITEMS`. */
const TABLE_ITEMS = benchSize('TABLE_ITEMS', 1_000_000);
const LARGE_TABLE = 'booking-archive';

/**
 * Generated resources on top of the simulated small business, sizing it like the account of the seed: 45
 * buckets, 41 distributions, 21 functions, 11 hosted zones, about 50 IAM entities and 14 DynamoDB tables (the
 * three seeded ones, ten small ones and `booking-archive` with {@link TABLE_ITEMS} items), plus 2,000 objects.
 */
const SCALE = {
  objects: 2_000,
  buckets: 40,
  distributions: 38,
  functions: 18,
  hostedZones: 8,
  iamRoles: 25,
  iamUsers: 10,
  tables: 10,
  largeTableItems: TABLE_ITEMS,
};
/** The issue's goal for a table capture: peak RSS under this many MB. */
const TABLE_RSS_GOAL_MB = 300;
const REGIONS = ['us-east-1'];

function totals(report: BaselineReport) {
  const tallies = Object.values(report.byType);
  return {
    resources: tallies.reduce((sum, tally) => sum + tally.resources, 0),
    newVersions: tallies.reduce((sum, tally) => sum + tally.newVersions + tally.deleted, 0),
  };
}

/**
 * A full baseline of the simulated account through the real engine (SDK clients answered in-process by the
 * simulation, store on the local disk), then the same baseline again with nothing changed.
 */
export const baselineBench: BenchScenario = {
  id: 'baseline',
  title: `Baseline: a seed-sized simulated account (45 buckets, 41 distributions, 21 functions, 11 zones, ~50 IAM entities, 14 tables, one of ${TABLE_ITEMS.toLocaleString('en-US')} items) + ${SCALE.objects.toLocaleString('en-US')} objects (${REGIONS.join(', ')})`,
  async run(log) {
    const out = new Report();
    out.note(
      'Real CaptureEngine + runBaseline; AWS answered in-process by SimulatedAccount (inside the SDK middleware stack, so',
    );
    out.note(
      "  the clients' own adaptive retries run); store in a temp folder. Route 53 enforces its 5 requests/s per account.",
    );
    await withTempDir('baseline', (folder) =>
      withSimulatedRig(folder, SCALE, async (rig) => {
        const { account, store, engine } = rig;
        account.route53.requestRate.enabled = true;
        account.resetCallCounts();
        log('first baseline…');
        const first = await timed(() => runBaseline(engine, { regions: REGIONS }));
        const firstCalls = account.callCounts();
        const firstTotals = totals(first.result);
        const { bytes } = first.result;
        out.metric('wall time', round(first.ms), 'ms');
        out.metric('resources captured', firstTotals.resources);
        out.metric('throughput', perSecond(firstTotals.resources, first.ms), 'resources/s');
        for (const [type, tally] of Object.entries(first.result.byType).sort(([a], [b]) => (a < b ? -1 : 1)))
          out.metric(
            `  ${type}`,
            tally.resources,
            'resources',
            `${tally.newVersions} new versions, ${tally.gaps} gaps, ${tally.failed} failed`,
          );
        out.metric('versions written', firstTotals.newVersions);
        out.metric('bytes downloaded', bytes.downloaded, 'bytes', formatBytes(bytes.downloaded));
        out.metric('bytes stored', bytes.stored, 'bytes', formatBytes(bytes.stored));
        out.metric('bytes deduplicated', bytes.deduplicated, 'bytes', formatBytes(bytes.deduplicated));
        out.metric('gaps / failures', `${first.result.gaps.length} / ${first.result.failures.length}`);
        out.metric('SDK calls', firstCalls.total, 'calls', describeCalls(firstCalls, 6));
        out.metric('SDK calls per resource', round(firstCalls.total / firstTotals.resources, 2));
        const byService = account.callCountsByService();
        for (const [service, calls] of Object.entries(byService).sort(([a], [b]) => (a < b ? -1 : 1)))
          out.metric(`  ${service} calls`, calls, 'calls', rateNote(service, calls, first.ms));
        const byType = callsByType(account.callCountsByAction());
        for (const [type, calls] of Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : 1)))
          out.metric(`  calls for ${type}`, calls, 'calls');
        const faults = account.faultCounts();
        const throttled = Object.entries(faults)
          .filter(([code]) => /Throttl|SlowDown|TooManyRequests/.test(code))
          .reduce((sum, [, count]) => sum + count, 0);
        out.metric('throttling retries', throttled, 'answers', describeCalls(faults, 6) || 'none');
        out.must(
          'Route 53 kept under 5 requests/s (no throttling answered)',
          account.route53.requestRate.throttled === 0,
          account.route53.requestRate.throttled,
        );
        out.details.first = {
          wallMs: first.ms,
          byType: first.result.byType,
          bytes,
          gaps: first.result.gaps.length,
          failures: first.result.failures,
          sdkCalls: firstCalls,
          sdkCallsByService: byService,
          sdkCallsByType: byType,
          faults,
        };

        account.resetCallCounts();
        log('no-change re-run…');
        const again = await timed(() => runBaseline(engine, { regions: REGIONS }));
        const againCalls = account.callCounts();
        const againTotals = totals(again.result);
        const getObject = againCalls.GetObject ?? 0;
        out.metric('re-run: wall time', round(again.ms), 'ms');
        out.metric('re-run: resources confirmed', againTotals.resources);
        out.metric('re-run: bytes downloaded', again.result.bytes.downloaded, 'bytes');
        out.metric('re-run: GetObject calls', getObject, 'calls');
        out.metric('re-run: new versions', againTotals.newVersions);
        out.metric('re-run: SDK calls', againCalls.total, 'calls', describeCalls(againCalls, 4));
        const counts = store.index.counts();
        out.metric(
          'versions in the index after both runs',
          counts.versions,
          '',
          `${counts.resources} resources, ${counts.baselines} baselines`,
        );
        out.must(
          'no-change re-run downloads 0 bytes',
          again.result.bytes.downloaded === 0,
          again.result.bytes.downloaded,
        );
        out.must('no-change re-run makes 0 GetObject calls', getObject === 0, getObject);
        out.must(
          'no-change re-run writes 0 new versions',
          againTotals.newVersions === 0,
          againTotals.newVersions,
        );
        out.goal('re-run: bytes stored', again.result.bytes.stored, 'bytes', { atMost: 0 });
        out.details.rerun = {
          wallMs: again.ms,
          byType: again.result.byType,
          bytes: again.result.bytes,
          sdkCalls: againCalls,
        };
        await tableItems(out, log, rig);
      }),
    );
    await largeObjectCapture(out, log);
    return out.result(this.id, this.title);
  },
};

/**
 * The large table on its own: a capture of all its items (scanned again, nothing new to store) timed for items per
 * second, then one item written and its data event ingested: the bytes and chunks that stores. Peak RSS is the
 * bench process's high-water mark, the simulated account serving the scans included.
 */
async function tableItems(out: Report, log: (line: string) => void, rig: SimulatedRig): Promise<void> {
  const { account, store, engine } = rig;
  const table = {
    account: account.accountId,
    region: REGIONS[0] as string,
    type: 'AWS::DynamoDB::Table',
    id: LARGE_TABLE,
  };
  out.note(
    `Table items: ${LARGE_TABLE} (${TABLE_ITEMS.toLocaleString('en-US')} items of about 1 KiB; TIDEMARK_BENCH_TABLE_ITEMS) captured again by itself`,
  );
  out.note(
    '  (parallel scan, chunks by key hash), then one item written and its PutItem data event ingested.',
  );
  log(`capturing ${LARGE_TABLE} again…`);
  account.resetCallCounts();
  const rescan = await timed(() => engine.capture(table, { kind: 'baseline', label: 'table-rescan' }));
  const scans = account.callCountsByAction()['dynamodb:Scan'] ?? 0;
  out.metric(`${LARGE_TABLE}: capture time`, round(rescan.ms), 'ms', `${scans} Scan calls`);
  out.metric(`${LARGE_TABLE}: items per second`, perSecond(TABLE_ITEMS, rescan.ms), 'items/s');
  const before = store.latest(table);
  const section = before?.record.document
    ? (await store.readDocument(before.record.document)).Items
    : undefined;
  const chunks = Object.keys(before?.record.blobs ?? {}).length;
  out.metric(`${LARGE_TABLE}: chunks`, chunks, '', `Items: ${JSON.stringify(section)}`);

  log('writing one item and ingesting its data event…');
  const stored = engine.context.counters.bytesStored;
  const events = account.dynamoDb.putItem(LARGE_TABLE, {
    bookingId: { S: 'BK-0000042' },
    status: { S: 'cancelled' },
    notes: { S: 'cancelled by phone: weather' },
  });
  account.resetCallCounts();
  const ingested = await timed(() =>
    ingestEvents(engine, [
      { text: events.map((event) => JSON.stringify(event)).join('\n'), origin: 'bench' },
    ]),
  );
  const after = store.latest(table);
  const changedChunks = Object.keys(after?.record.blobs ?? {}).filter(
    (name) => after?.record.blobs[name] !== before?.record.blobs[name],
  ).length;
  const storedBytes = engine.context.counters.bytesStored - stored;
  out.metric(
    'one item changed: ingest time',
    round(ingested.ms),
    'ms',
    describeCalls(account.callCountsByAction(), 6),
  );
  out.goal('one item changed: chunks stored', changedChunks, 'chunks', { atMost: 1 });
  out.metric(
    'one item changed: bytes stored',
    storedBytes,
    'bytes',
    `${formatBytes(storedBytes)}, the version's document included`,
  );
  out.must(
    'the item change made a new version',
    after?.record.seq === (before?.record.seq ?? 0) + 1,
    after?.record.seq ?? 0,
  );
  await tableCaptureAlone(out, log);
}

/** The child capturing the large table alone, for its own peak RSS. */
const TABLE_CHILD_SCRIPT = path.join(import.meta.dirname, 'table-items.child.ts');

/**
 * A first capture of the large table alone in a fresh process (the simulated account answering its scans), with V8's
 * default heap sizing, which collects late on a machine with memory to spare, then with the heap capped: the capture
 * completing under the cap shows what it needs.
 */
async function tableCaptureAlone(out: Report, log: (line: string) => void): Promise<void> {
  out.note(
    `  Then ${LARGE_TABLE} captured for the first time by a fresh process (tsx; the simulated account in it), with V8's`,
  );
  out.note('  default heap sizing and with --max-old-space-size=128; peak RSS = VmHWM, 1 MB = 10^6 bytes.');
  const runs = [
    { name: 'default heap', flags: [], goal: false },
    { name: 'heap capped at 128 MB', flags: ['--max-old-space-size=128'], goal: true },
  ];
  for (const { name, flags, goal } of runs) {
    log(`capturing ${LARGE_TABLE} in a fresh process (${name})…`);
    const result = await withTempDir('table-items', (folder) =>
      runBenchChild<TableCaptureResult>(
        TABLE_CHILD_SCRIPT,
        { items: TABLE_ITEMS, store: path.join(folder, 'store') } satisfies TableCaptureOptions,
        flags,
      ),
    );
    out.must(
      `alone, ${name}: the first capture appends a version`,
      result.status === 'appended',
      result.status,
    );
    out.metric(
      `alone, ${name}: first capture`,
      round(result.ms),
      'ms',
      `${perSecond(TABLE_ITEMS, result.ms)} items/s, ${result.chunks} chunks`,
    );
    const peak = round(result.peakRssBytes / MB);
    const loaded = `${round(result.loadedRssBytes / MB)} MB once loaded, before the capture`;
    if (goal) out.goal(`alone, ${name}: peak RSS`, peak, 'MB', { below: TABLE_RSS_GOAL_MB }, [loaded]);
    else out.metric(`alone, ${name}: peak RSS`, peak, 'MB', loaded);
  }
}

/**
 * Calls attributed to the types that declare their IAM action in `permissions`; an action several types declare
 * (S3 objects are listed with `s3:ListBucket`, which buckets declare too) counts for the first of them.
 */
function callsByType(byAction: Readonly<Record<string, number>>): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const [action, calls] of Object.entries(byAction)) {
    const type = registry.find((definition) => definition.permissions.includes(action))?.type ?? action;
    byType[type] = (byType[type] ?? 0) + calls;
  }
  return byType;
}

/** A service's declared rate limit next to the rate a capture achieved with it. */
function rateNote(service: string, calls: number, ms: number): string {
  const limit = registry.find((definition) => definition.service.name === service)?.service.rateLimit;
  const achieved = `${round(calls / (ms / 1000), 1)}/s over the whole baseline`;
  return limit ? `${achieved}; limit ${limit.requestsPerSecond}/s, ${limit.concurrency} in flight` : achieved;
}

/** The large object: 1 GiB unless `TIDEMARK_BENCH_LARGE_OBJECT_MIB` says otherwise. */
const LARGE_OBJECT_MIB = benchSize('LARGE_OBJECT_MIB', 1024);
/** The issue's goal for capturing a 1 GiB object: peak RSS of the capturing process under this many MB. */
const PEAK_RSS_GOAL_MB = 150;
const LARGE_BUCKET = 'tidemark-bench-large';
const LARGE_KEY = 'exports/2026/warehouse-dump.bin';
const STORE_BUCKET = 'tidemark-bench-store';
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MIB = 1024 * 1024;
const MB = 1_000_000;
const CHILD_SCRIPT = path.join(import.meta.dirname, 'large-object.child.ts');

/**
 * One object of {@link LARGE_OBJECT_MIB} MiB on s3rver, captured from its "Object Created" notification by a
 * fresh process running the real engine, S3 client and store, bundled as the CLI and the Lambda functions are;
 * first into a local store, then into a store on the same s3rver. Peak RSS is the capturing process's own; the
 * stored blob is read back and compared.
 */
async function largeObjectCapture(out: Report, log: (line: string) => void): Promise<void> {
  const size = LARGE_OBJECT_MIB * MIB;
  for (const line of [
    `Large object: ${formatBytes(size)} laid out in s3rver's folder (its own process, 127.0.0.1), then captured from its`,
    '  "Object Created" notification (ingestEvents) by a fresh Node process: AwsClients pointed at s3rver, the real',
    '  CaptureEngine (ranged GETs of 8 MiB) and store, bundled with esbuild as dist/tidemark.js and the Lambda functions are',
    "  (no TypeScript loader in the process). Peak RSS = the child's own high-water mark (VmHWM), module loading",
    '  included (1 MB = 10^6 bytes); the stored blob is read back through the store and its sha256 compared.',
    `  Size: TIDEMARK_BENCH_LARGE_OBJECT_MIB=${LARGE_OBJECT_MIB}.`,
  ])
    out.note(line);
  const server = await startS3Server({ buckets: [LARGE_BUCKET, STORE_BUCKET] });
  try {
    await withTempDir('large-object', (folder) =>
      withEnvironment(
        {
          AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        },
        async () => {
          const child = await bundleChild(path.join(folder, 'child'));
          log(`writing a ${formatBytes(size)} object into s3rver's folder…`);
          const sha256 = createHash('sha256');
          const laidOut = await layOutObject(
            server,
            LARGE_BUCKET,
            LARGE_KEY,
            distinctMebibytes(size, sha256),
          );
          const expected = sha256.digest('hex');
          out.must(`the object on s3rver is ${size} bytes`, laidOut.size === size, laidOut.size);

          // The goal is the CLI's default, a local store; into an S3 store lib-storage also holds the parts it
          // uploads at once (4 of 5 MiB by default), so that figure is shown for information.
          const stores = [
            { name: 'local store', location: path.join(folder, 'store'), cache: undefined, goal: true },
            {
              name: 'S3 store (same s3rver)',
              location: `s3://${STORE_BUCKET}/tidemark`,
              cache: path.join(folder, 'store-cache'),
              goal: false,
            },
          ];
          for (const { name, location, cache, goal } of stores) {
            log(`capturing it into a ${name} in a fresh process…`);
            const options: LargeCaptureOptions = {
              endpoint: server.endpoint,
              bucket: LARGE_BUCKET,
              key: LARGE_KEY,
              store: location,
              ...(cache ? { cacheDirectory: cache } : {}),
              account: ACCOUNT,
              region: REGION,
            };
            const { ms, result } = await timed(() => runBenchChild<LargeCaptureResult>(child, options));
            const rssNotes = [
              `${round(result.readyRssBytes / MB)} MB once loaded, before the capture`,
              `sampled: heap ≤ ${round(result.sampled.heapUsed / MB)} MB, array buffers ≤ ${round(result.sampled.arrayBuffers / MB)} MB`,
            ];
            const peakRss = round(result.peakRssBytes / MB);
            if (goal) out.goal(`${name}: peak RSS`, peakRss, 'MB', { below: PEAK_RSS_GOAL_MB }, rssNotes);
            else out.metric(`${name}: peak RSS`, peakRss, 'MB', [...rssNotes, 'informational'].join('; '));
            out.metric(
              `${name}: capture time`,
              round(result.captureMs / 1000, 2),
              's',
              `${round(ms / 1000, 2)} s for the whole child process`,
            );
            out.metric(`${name}: throughput`, round(size / MB / (result.captureMs / 1000)), 'MB/s');
            log(`reading the stored blob back from the ${name}…`);
            const stored = await storedSha256(options, result.contentHash);
            out.must(
              `${name}: the capture appends a version with all ${size} bytes downloaded and stored`,
              result.status === 'appended' && result.bytesDownloaded === size && result.bytesStored === size,
              `${result.status}${result.error ? ` (${result.error})` : ''}, ${result.bytesDownloaded} downloaded, ${result.bytesStored} stored`,
            );
            out.must(
              `${name}: the stored blob is byte-identical (sha256)`,
              result.contentHash === expected && stored === expected,
              result.contentHash === expected && stored === expected
                ? expected.slice(0, 16)
                : `expected ${expected.slice(0, 16)}, addressed ${result.contentHash?.slice(0, 16)}, read back ${stored?.slice(0, 16)}`,
            );
            out.details[`large object, ${name}`] = { ...result, childMs: ms, storedSha256: stored, expected };
          }
        },
      ),
    );
  } finally {
    await server.stop();
  }
}

/**
 * `size` bytes in 1 MiB chunks, fed to `hash` as they go: one random MiB whose first 8 bytes carry the chunk's
 * number, so a part stored twice, dropped or out of order changes the sha256.
 */
async function* distinctMebibytes(size: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const block = randomBytes(MIB);
  for (let offset = 0, index = 0; offset < size; offset += MIB, index++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(MIB, size - offset)));
    chunk.writeBigUInt64BE(BigInt(index), 0);
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Bundles the capture child into `folder` as packages/cli/scripts/bundle.ts bundles the CLI (esbuild, ESM for
 * Node 20, workspace sources through the `source` condition, only better-sqlite3 left to Node) and returns the
 * bundle's path. A `node_modules` link next to it lets Node find better-sqlite3.
 */
async function bundleChild(folder: string): Promise<string> {
  const outfile = path.join(folder, 'large-object.child.mjs');
  await build({
    entryPoints: [CHILD_SCRIPT],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    external: ['better-sqlite3'],
    banner: {
      js: "import { createRequire as __tidemarkCreateRequire } from 'node:module'; const require = __tidemarkCreateRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return outfile;
}

/** The sha256 of a blob read back through the store the child wrote to; undefined without a blob. */
async function storedSha256(
  options: LargeCaptureOptions,
  blob: string | undefined,
): Promise<string | undefined> {
  if (!blob) return undefined;
  const store = await VersionStore.open(options.store, {
    endpointUrl: options.endpoint,
    ...(options.cacheDirectory ? { cacheDirectory: `${options.cacheDirectory}-check` } : {}),
  });
  try {
    const hash = createHash('sha256');
    for await (const chunk of await store.readBlob(blob)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    store.close();
  }
}
