import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type BaselineManifest,
  canonicalJson,
  type Hashed,
  type Json,
  type JsonObject,
  type RefreshReport,
  type ResourceRef,
  sha256Hex,
  type VersionCause,
  type VersionRecord,
  VersionStore,
} from '@tidemark/core';
import { baselineKey, blobKey, journalKey, versionKey } from '../../packages/core/src/store/layout.js';
import { type S3Server, startS3Server } from '../support/s3-server.js';
import {
  type BenchScenario,
  benchSize,
  countRequests,
  describeCalls,
  formatBytes,
  now,
  perSecond,
  Report,
  type RequestCounter,
  round,
  s3Operation,
  timed,
  withEnvironment,
  withTempDir,
} from './support.js';

/** Resources in the seeded store (`TIDEMARK_BENCH_REFRESH_RESOURCES`), each with {@link VERSIONS_PER_RESOURCE}. */
const RESOURCES = benchSize('REFRESH_RESOURCES', 10_000);
const VERSIONS_PER_RESOURCE = 10;
/** Versions appended through a real writer after the cold open, then read by `refresh()`. */
const NEW_VERSIONS = 100;
/** One resource in this many is a Lambda function; the others are S3 objects. */
const FUNCTION_EVERY = 10;
/** One resource in this many ends with a deletion. */
const DELETED_EVERY = 50;
/** Files written to s3rver's folder at once while seeding, and resources generated between writes. */
const FILES_IN_FLIGHT = 32;
const SEED_BATCH = 1_000;

const BUCKET = 'tidemark-bench';
const STORE = `s3://${BUCKET}/store`;
const PREFIX = 'store/';
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const OBJECT_TYPE = 'AWS::S3::Object';
const FUNCTION_TYPE = 'AWS::Lambda::Function';
const BUCKETS = ['sailjada-media', 'sailjada.com', 'queenofsandiego.com'];
const PRINCIPALS = [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/bob`];
const OBJECT_EVENTS = ['PutObject', 'CopyObject', 'PutObjectTagging'];
const FUNCTION_EVENTS = ['UpdateFunctionConfiguration20150331v2', 'UpdateFunctionCode20150331v2'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The seeded history: a baseline 30 days ago, then changes until an hour ago (outside the journal overlap). */
const HISTORY_DAYS = 30;

/** The document and content blobs the seeded versions point at, by hash. */
interface BlobPools {
  readonly objectDocuments: readonly string[];
  readonly functionDocuments: readonly string[];
  readonly contents: readonly string[];
  readonly codes: readonly string[];
}

/** What was seeded: the chains' latest versions (for the writer) and how many keys and bytes. */
interface SeededStore {
  readonly latest: ReadonlyArray<Hashed<VersionRecord>>;
  readonly pools: BlobPools;
  readonly keys: number;
  readonly bytes: number;
}

/**
 * Lays out store keys in s3rver's folder as its filesystem store does: the bytes of `<bucket>/<key>` in
 * `<bucket>/<key>._S3rver_object`, the MD5 of non-empty ones (the ETag it serves) beside them in `….md5`. Keys
 * are added in memory, then written to disk by {@link flush}.
 */
class S3rverFolderWriter {
  readonly #bucketFolder: string;
  /** Folders created (or being created), so each is created once. */
  readonly #folders = new Map<string, Promise<unknown>>();
  #pending: Array<{ readonly key: string; readonly bytes: Uint8Array }> = [];
  keys = 0;
  bytes = 0;

  constructor(server: S3Server, bucket: string) {
    this.#bucketFolder = path.join(server.directory, bucket);
  }

  add(key: string, bytes: Uint8Array): void {
    this.#pending.push({ key, bytes });
  }

  /** Adds content as a blob; returns its hash. */
  addBlob(content: Uint8Array): string {
    const hash = sha256Hex(content);
    this.add(blobKey(hash), content);
    return hash;
  }

  /** Adds a record and the journal entry announcing it, as `VersionStore` writes them; returns its hash. */
  addRecord(key: string, record: Json, writtenAt: Date): string {
    const bytes = Buffer.from(canonicalJson(record), 'utf8');
    this.add(journalKey(key, writtenAt), new Uint8Array());
    this.add(key, bytes);
    return sha256Hex(bytes);
  }

  /** Writes every key added since the last flush, {@link FILES_IN_FLIGHT} files at a time. */
  async flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    let next = 0;
    const work = async () => {
      while (next < pending.length) {
        const { key, bytes } = pending[next++] as (typeof pending)[number];
        await this.#write(key, bytes);
      }
    };
    await Promise.all(Array.from({ length: FILES_IN_FLIGHT / 2 }, work));
  }

  async #write(key: string, bytes: Uint8Array): Promise<void> {
    const parts = `${PREFIX}${key}`.split('/');
    const folder = path.join(this.#bucketFolder, ...parts.slice(0, -1));
    let created = this.#folders.get(folder);
    if (!created) {
      created = mkdir(folder, { recursive: true });
      this.#folders.set(folder, created);
    }
    await created;
    const file = path.join(folder, `${parts.at(-1)}._S3rver_object`);
    await Promise.all([
      writeFile(file, bytes),
      // s3rver computes (and saves) a missing MD5 when it first serves the key: instant for empty journal entries.
      bytes.byteLength > 0 && writeFile(`${file}.md5`, createHash('md5').update(bytes).digest('hex')),
    ]);
    this.keys++;
    this.bytes += bytes.byteLength;
  }
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

function resourceOf(n: number): ResourceRef {
  const id =
    n % FUNCTION_EVERY === 0
      ? `fn-${String(n).padStart(6, '0')}`
      : `${BUCKETS[n % BUCKETS.length]}/data/${String(Math.floor(n / 1000)).padStart(3, '0')}/item-${String(n).padStart(6, '0')}.bin`;
  return {
    account: ACCOUNT,
    region: REGION,
    type: n % FUNCTION_EVERY === 0 ? FUNCTION_TYPE : OBJECT_TYPE,
    id,
  };
}

function addPools(writer: S3rverFolderWriter): BlobPools {
  const documents = (count: number, document: (i: number) => JsonObject) =>
    Array.from({ length: count }, (_, i) => writer.addBlob(Buffer.from(canonicalJson(document(i)), 'utf8')));
  const blobs = (count: number, size: number) =>
    Array.from({ length: count }, () => writer.addBlob(randomBytes(size)));
  return {
    objectDocuments: documents(40, (i) => ({
      ContentLength: 2048 + i,
      ContentType: i % 2 === 0 ? 'image/jpeg' : 'application/pdf',
      ETag: `"${sha256Hex(`object ${i}`).slice(0, 32)}"`,
      Metadata: {},
      ServerSideEncryption: 'AES256',
      StorageClass: 'STANDARD',
      Tags: { project: i % 3 === 0 ? 'sailjada' : 'queenofsandiego' },
    })),
    functionDocuments: documents(10, (i) => ({
      Configuration: {
        FunctionName: `fn-${i}`,
        Handler: 'index.handler',
        MemorySize: 128 * (1 + i),
        Runtime: 'nodejs20.x',
        Timeout: 3 + i,
      },
      Tags: { app: 'bench' },
    })),
    contents: blobs(10, 4096),
    codes: blobs(3, 16_384),
  };
}

/** The chained versions of resource `n`: seq 1 at the baseline, the others by events until an hour ago. */
function chainOf(n: number, pools: BlobPools, baselineAt: number, end: number): VersionRecord[] {
  const resource = resourceOf(n);
  const isFunction = resource.type === FUNCTION_TYPE;
  const times = [
    baselineAt + Math.floor(Math.random() * 10 * 60_000),
    ...Array.from(
      { length: VERSIONS_PER_RESOURCE - 1 },
      () => baselineAt + HOUR + Math.random() * (end - baselineAt - HOUR),
    ),
  ].sort((a, b) => a - b);
  let document: string | null = null;
  return times.map((at, index): VersionRecord => {
    const seq = index + 1;
    const deleted = n % DELETED_EVERY === 1 && seq === VERSIONS_PER_RESOURCE;
    const documents = isFunction ? pools.functionDocuments : pools.objectDocuments;
    const next = documents.filter((hash) => hash !== document);
    document = deleted ? null : pick(next);
    const cause: VersionCause =
      seq === 1
        ? { kind: 'baseline', label: 'v1.0' }
        : {
            kind: 'event',
            eventId: randomUUID(),
            eventName: deleted
              ? isFunction
                ? 'DeleteFunction20150331'
                : 'DeleteObject'
              : pick(isFunction ? FUNCTION_EVENTS : OBJECT_EVENTS),
            eventTime: new Date(at - 3_000).toISOString(),
            principal: pick(PRINCIPALS),
            coalesced: 1,
          };
    return {
      schema: 1,
      resource,
      seq,
      capturedAt: new Date(at).toISOString(),
      cause,
      deleted,
      document,
      blobs: deleted ? {} : isFunction ? { code: pick(pools.codes) } : { content: pick(pools.contents) },
      gaps: [],
      prev: null,
    };
  });
}

/**
 * Lays out a store of {@link RESOURCES} × {@link VERSIONS_PER_RESOURCE} versions in s3rver's folder: blobs,
 * hash-chained version records with their journal entries (written when captured), and the baseline manifest.
 */
async function seedStore(server: S3Server, log: (line: string) => void): Promise<SeededStore> {
  const writer = new S3rverFolderWriter(server, BUCKET);
  const pools = addPools(writer);
  const end = Date.now() - HOUR;
  const baselineAt = end - HISTORY_DAYS * DAY;
  const latest: Hashed<VersionRecord>[] = [];
  const entries: BaselineManifest['entries'] = [];
  for (let n = 0; n < RESOURCES; n++) {
    let prev: string | null = null;
    for (const draft of chainOf(n, pools, baselineAt, end)) {
      const record: VersionRecord = { ...draft, prev };
      const key = versionKey(record.resource, record.seq);
      prev = writer.addRecord(key, record as unknown as Json, new Date(record.capturedAt));
      if (record.seq === 1) entries.push({ resource: record.resource, seq: 1, version: prev });
      if (record.seq === VERSIONS_PER_RESOURCE) latest.push({ hash: prev, record });
    }
    if ((n + 1) % SEED_BATCH === 0 || n + 1 === RESOURCES) {
      await writer.flush();
      log(`seeded ${(n + 1).toLocaleString('en-US')} resources…`);
    }
  }
  const completedAt = new Date(baselineAt + 10 * 60_000);
  const manifest: BaselineManifest = {
    schema: 1,
    seq: 1,
    label: 'v1.0',
    startedAt: new Date(baselineAt).toISOString(),
    completedAt: completedAt.toISOString(),
    account: ACCOUNT,
    regions: [REGION],
    types: [FUNCTION_TYPE, OBJECT_TYPE],
    prev: null,
    entries,
    gaps: [],
  };
  writer.addRecord(baselineKey(1), manifest as unknown as Json, completedAt);
  await writer.flush();
  return { latest, pools, keys: writer.keys, bytes: writer.bytes };
}

/** A new version of a seeded resource, as a capture after a PutObject or an UpdateFunctionConfiguration. */
function nextDraft(latest: Hashed<VersionRecord>, pools: BlobPools): Parameters<VersionStore['append']>[0] {
  const { resource, document } = latest.record;
  const isFunction = resource.type === FUNCTION_TYPE;
  const documents = (isFunction ? pools.functionDocuments : pools.objectDocuments).filter(
    (hash) => hash !== document,
  );
  const at = new Date();
  return {
    resource,
    capturedAt: at.toISOString(),
    cause: {
      kind: 'event',
      eventId: randomUUID(),
      eventName: isFunction ? 'UpdateFunctionConfiguration20150331v2' : 'PutObject',
      eventTime: new Date(at.getTime() - 2_000).toISOString(),
      principal: pick(PRINCIPALS),
    } satisfies VersionCause,
    deleted: false,
    document: pick(documents),
    blobs: isFunction ? { code: pick(pools.codes) } : { content: pick(pools.contents) },
    gaps: [],
  };
}

/** A step measured: wall time, this process's CPU time, and the store requests it sent. */
interface Measured<T> {
  readonly ms: number;
  readonly cpuMs: number;
  readonly requests: Record<string, number> & { total: number };
  readonly result: T;
}

async function measure<T>(counter: RequestCounter, fn: () => Promise<T>): Promise<Measured<T>> {
  counter.reset();
  const cpu = process.cpuUsage();
  const { ms, result } = await timed(fn);
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, requests: counter.counts(), result };
}

function describeStep(step: Measured<unknown>): string {
  return `${step.requests.total.toLocaleString('en-US')} requests (${describeCalls(step.requests)}); bench process CPU ${round(step.cpuMs / 1000, 1)} s`;
}

function refreshSummary(report: RefreshReport): string {
  return `${report.versions} versions, ${report.baselines} baselines read${report.rebuilt ? ' (full rebuild)' : ''}, ${report.missing} missing`;
}

/** Appends a new version of each resource through `writer`; the versions that extend their chain by one. */
async function appendNext(
  writer: VersionStore,
  latest: ReadonlyArray<Hashed<VersionRecord>>,
  pools: BlobPools,
): Promise<Hashed<VersionRecord>[]> {
  const results = await Promise.all(latest.map((version) => writer.append(nextDraft(version, pools))));
  return results.flatMap((result, i) =>
    result.appended && result.version?.record.seq === (latest[i]?.record.seq ?? 0) + 1
      ? [result.version]
      : [],
  );
}

/** How many of `versions` are their resource's latest in the store's index. */
function latestIn(store: VersionStore, versions: ReadonlyArray<Hashed<VersionRecord>>): number {
  return versions.filter((version) => store.latest(version.record.resource)?.hash === version.hash).length;
}

/**
 * The local index of an S3 store (on s3rver) holding 100,000 versions: built from nothing (a fresh cache),
 * reopened with nothing new, refreshed after 100 versions another writer appended, and restored from a published
 * snapshot.
 */
export const refreshBench: BenchScenario = {
  id: 'refresh',
  title: `Index refresh from an S3 store: ${(RESOURCES * VERSIONS_PER_RESOURCE).toLocaleString('en-US')} versions on s3rver, cold and after ${NEW_VERSIONS} new ones`,
  async run(log) {
    if (RESOURCES < NEW_VERSIONS)
      throw new Error(
        `TIDEMARK_BENCH_REFRESH_RESOURCES must be at least ${NEW_VERSIONS} (one new version each), received ${RESOURCES}`,
      );
    const out = new Report();
    const versions = RESOURCES * VERSIONS_PER_RESOURCE;
    for (const line of [
      `Store: s3rver 3.7 (its own process, 127.0.0.1) holding ${RESOURCES.toLocaleString('en-US')} resources x ${VERSIONS_PER_RESOURCE} hash-chained versions (1 in ${FUNCTION_EVERY} a function, 1 in ${DELETED_EVERY} deleted at the end),`,
      `a baseline ${HISTORY_DAYS} days ago and events until an hour ago, each record announced in the journal when it was captured.`,
      'Seeding shortcut: s3rver takes ~100 uploads/s, so the keys are written straight into its folder in the layout its',
      'filesystem store reads (<key>._S3rver_object, <key>._S3rver_object.md5); the bytes are canonicalJson records hashed',
      "with sha256Hex under core's own versionKey/journalKey/blobKey, exactly what VersionStore writes. Every read below goes",
      'over HTTP through the S3 SDK, as from AWS S3 (without its network latency; client and s3rver share the 2 cores).',
      'Requests are counted as this process sends them (ListObjectsV2 pages hold 1,000 keys); one run each.',
      `Then: ${NEW_VERSIONS} versions appended by a second VersionStore (its cache a copy of the first's) and the first refreshed;`,
      `the index published as a snapshot (VersionStore.publishSnapshot), ${NEW_VERSIONS} more appended, and a fresh cache opened from it.`,
      `Sizes: TIDEMARK_BENCH_REFRESH_RESOURCES=${RESOURCES} (versions = resources x ${VERSIONS_PER_RESOURCE}).`,
    ])
      out.note(line);
    const server = await startS3Server({ buckets: [BUCKET] });
    const counter = countRequests(server.endpoint, s3Operation);
    const credentials = {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    };
    try {
      await withEnvironment(credentials, () =>
        withTempDir('refresh', async (folder) => {
          log(`seeding ${versions.toLocaleString('en-US')} versions into s3rver's folder…`);
          const seedStart = now();
          const seeded = await seedStore(server, log);
          out.metric(
            'seeded keys (written to disk)',
            seeded.keys,
            '',
            `${formatBytes(seeded.bytes)} in ${round((now() - seedStart) / 1000)} s: records, journal entries, baseline, blobs; informational`,
          );
          const open = (cache: string) =>
            VersionStore.open(STORE, {
              cacheDirectory: path.join(folder, cache),
              endpointUrl: server.endpoint,
            });

          log('cold open (fresh cache: full rebuild)…');
          const cold = await measure(counter, () => open('reader'));
          let reader = cold.result;
          const coldCounts = reader.index.counts();
          out.metric(
            'cold open: full rebuild',
            round(cold.ms / 1000, 1),
            's',
            `${perSecond(coldCounts.versions, cold.ms).toLocaleString('en-US')} versions/s; ${describeStep(cold)}`,
          );
          out.must(
            `the cold index holds ${versions.toLocaleString('en-US')} versions of ${RESOURCES.toLocaleString('en-US')} resources and 1 baseline`,
            coldCounts.versions === versions &&
              coldCounts.resources === RESOURCES &&
              coldCounts.baselines === 1,
            JSON.stringify(coldCounts),
          );

          // A second machine whose cache was up to date: a copy of the reader's index.
          reader.close();
          await cp(path.join(folder, 'reader'), path.join(folder, 'writer'), { recursive: true });
          log('warm reopen (nothing new)…');
          const warm = await measure(counter, () => open('reader'));
          reader = warm.result;
          out.metric('warm reopen, nothing new', round(warm.ms), 'ms', describeStep(warm));

          const writer = await open('writer');
          try {
            log(`appending ${NEW_VERSIONS} versions through another VersionStore…`);
            const chosen = Array.from(
              { length: NEW_VERSIONS },
              (_, i) =>
                seeded.latest[Math.floor((i * seeded.latest.length) / NEW_VERSIONS)] as Hashed<VersionRecord>,
            );
            const first = await appendNext(writer, chosen, seeded.pools);
            out.must(
              `the writer extends ${NEW_VERSIONS} seeded chains by one version`,
              first.length === NEW_VERSIONS,
              `${first.length} extended`,
            );

            log('refresh after the new versions…');
            const refreshed = await measure(counter, () => reader.refresh());
            const counts = reader.index.counts();
            out.metric(
              `refresh after ${NEW_VERSIONS} new versions`,
              round(refreshed.ms),
              'ms',
              `${refreshSummary(refreshed.result)}; ${describeStep(refreshed)}`,
            );
            out.must(
              `refresh reads exactly the ${NEW_VERSIONS} new records`,
              refreshed.result.versions === NEW_VERSIONS &&
                !refreshed.result.rebuilt &&
                refreshed.result.missing === 0,
              refreshSummary(refreshed.result),
            );
            out.must(
              `the index then holds ${(versions + NEW_VERSIONS).toLocaleString('en-US')} versions, the writer's as latest`,
              counts.versions === versions + NEW_VERSIONS && latestIn(reader, first) === NEW_VERSIONS,
              `${counts.versions} versions, ${latestIn(reader, first)} latest match`,
            );

            log('publishing an index snapshot…');
            const published = await measure(counter, () => reader.publishSnapshot());
            out.metric(
              'publish index snapshot',
              round(published.ms),
              'ms',
              `${formatBytes(published.result.size)} gzipped; ${describeStep(published)}; informational`,
            );
            const second = await appendNext(writer, first, seeded.pools);
            log('cold open from the published snapshot…');
            const restored = await measure(counter, () => open('restored'));
            const restoredCounts = restored.result.index.counts();
            const restoredLatest = latestIn(restored.result, second);
            restored.result.close();
            out.metric(
              `cold open from the snapshot, ${NEW_VERSIONS} newer versions`,
              round(restored.ms),
              'ms',
              `download + catch-up from its checkpoint; ${describeStep(restored)}`,
            );
            out.must(
              `a fresh cache restores the published snapshot and catches up with the ${NEW_VERSIONS} newer versions`,
              restored.result.restoredFrom?.key === published.result.key &&
                restoredCounts.versions === versions + 2 * NEW_VERSIONS &&
                restoredLatest === NEW_VERSIONS &&
                second.length === NEW_VERSIONS,
              `restored from ${restored.result.restoredFrom?.key ?? 'nothing'}; ${restoredCounts.versions} versions, ${restoredLatest} of ${second.length} newer versions latest`,
            );
            out.details.steps = Object.fromEntries(
              Object.entries({ cold, warm, refreshed, published, restored }).map(([name, step]) => [
                name,
                { ms: step.ms, cpuMs: step.cpuMs, requests: step.requests },
              ]),
            );
          } finally {
            writer.close();
            reader.close();
          }
        }),
      );
    } finally {
      counter.stop();
      await server.stop();
    }
    return out.result(this.id, this.title);
  },
};
