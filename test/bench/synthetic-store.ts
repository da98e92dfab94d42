/**
 * The synthetic store of the queries bench: 100,000 resources x 10 versions, written as a real local store
 * (version record files under `versions/`, each signed with {@link BENCH_KEY}, its journal entry, log heads naming
 * them, documents and content as blobs), deterministically, so every run builds the same store. Record and journal
 * files are written straight to disk (no fsync, no index), which is what makes a million of them affordable; a few
 * chains also go through `VersionStore.append` and must hash identically.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalKeySealer, StoreKey } from '@tidemark/core/secrets';
import type { Hashed, VersionCause, VersionRecord, VersionStore } from '@tidemark/core/store';
import { SeededRandom } from '@tidemark/simulation';
import { canonicalJson, sha256Hex } from '../../packages/core/src/canonical/canonicalise.js';
import { journalKey, versionKey } from '../../packages/core/src/store/layout.js';
import { StoreLog } from '../../packages/core/src/store/log.js';
import { journalAnnouncement, signRecord } from '../../packages/core/src/store/signing.js';
import type { Json, JsonObject } from '../../packages/core/src/types/json.js';
import type { ResourceRef } from '../../packages/core/src/types/resource.js';

export const RESOURCES = 100_000;
export const VERSIONS_PER_RESOURCE = 10;
/** One resource in this many is a Lambda function; the others are S3 objects. */
const FUNCTION_EVERY = 10;
/** Distinct documents written as blobs, shared by the versions. */
const OBJECT_DOCUMENTS = 3_000;
const FUNCTION_DOCUMENTS = 1_000;
const CONTENT_BLOBS = 400;
const CODE_BLOBS = 40;
/** Chains written through `VersionStore.append` (the real write path) and checked against the generator. */
const APPENDED_CHAINS = 20;
const SEED = 0x71de;
/** Records each log head names, as a long capture appends them. */
const LOG_HEAD_RECORDS = 1_000;

/** The key the synthetic store is sealed and signed with: open it with `{ key: BENCH_KEY }`. */
export const BENCH_KEY = new StoreKey(Buffer.alloc(32, 0x5e));
const WRITES_IN_FLIGHT = 16;

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
export const OBJECT_TYPE = 'AWS::S3::Object';
export const FUNCTION_TYPE = 'AWS::Lambda::Function';
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** History starts at a fixed moment (a baseline) and spans 30 days. */
export const T0 = Date.parse('2026-01-05T09:00:00.000Z');
export const SPAN = 30 * DAY;
export const MID = new Date(T0 + SPAN / 2);
/** Share of resources created by an event during the 30 days instead of existing at the baseline. */
export const CREATED_LATER = 0.03;
/** Share of resources whose last version is a deletion. */
export const DELETED_AT_END = 0.02;
const BUCKETS = [
  'sailjada-media',
  'queenofsandiego.com',
  'sailjada.com',
  'acme-assets',
  'acme-exports',
  'acme-logs',
];
const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT}:user/alice`,
  `arn:aws:iam::${ACCOUNT}:user/bob`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/github-actions`,
];

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The simulation's seeded generator, so every run builds the same store, with what the generator needs. */
class Random extends SeededRandom {
  /** A number in [0, 1). */
  fraction(): number {
    return this.next() / 4294967296;
  }
  /** An integer in [0, below). */
  below(below: number): number {
    return Math.floor(this.fraction() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
  /** Lower-case hex, four bytes per draw: a million chains need many. */
  override hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const bits = this.next();
      out += `${HEX[bits >>> 24]}${HEX[(bits >>> 16) & 255]}${HEX[(bits >>> 8) & 255]}${HEX[bits & 255]}`;
    }
    return out.length === length ? out : out.slice(0, length);
  }
}

/** A document shaped like a captured S3 object (HeadObject + tagging, volatile fields removed). */
function objectDocument(random: Random, n: number): JsonObject {
  const bucket = random.pick(BUCKETS);
  const image = random.fraction() < 0.6;
  return {
    Bucket: bucket,
    Key: `${image ? 'photos' : 'docs'}/${2020 + (n % 6)}/${random.hex(6)}-${n}.${image ? 'jpg' : 'pdf'}`,
    ...(random.fraction() < 0.5
      ? { CacheControl: random.pick(['max-age=300', 'public, max-age=31536000, immutable']) }
      : {}),
    ContentLength: 1024 + random.below(4 * 1024 * 1024),
    ContentType: image ? 'image/jpeg' : 'application/pdf',
    ETag: `"${random.hex(32)}"`,
    Metadata:
      random.fraction() < 0.3
        ? { 'uploaded-by': random.pick(['cms', 'alice', 'bob']), revision: String(n) }
        : {},
    ServerSideEncryption: bucket === 'sailjada-media' ? 'aws:kms' : 'AES256',
    ...(bucket === 'sailjada-media'
      ? {
          SSEKMSKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/2f6c9d1e-8b3a-4c5d-9e7f-0a1b2c3d4e5f`,
          BucketKeyEnabled: true,
          VersionId: random.hex(32),
        }
      : {}),
    StorageClass: random.pick(['STANDARD', 'STANDARD', 'STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING']),
    Tags:
      random.fraction() < 0.4
        ? { project: random.pick(['sailjada', 'queenofsandiego']), classification: 'internal' }
        : {},
  };
}

/** A document shaped like a captured Lambda function (configuration, aliases, policy, tags), secrets sealed. */
function functionDocument(random: Random, n: number, sealer: LocalKeySealer): JsonObject {
  const name = `svc-${random.pick(['booking', 'email', 'images', 'billing', 'search'])}-${n % 97}`;
  const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  const memory = 128 * (1 + random.below(16));
  const runtime = random.pick(['nodejs20.x', 'nodejs22.x', 'python3.12']);
  const seal = (value: string) => sealer.seal(value) as unknown as Json;
  return {
    Aliases: {
      live: { AliasArn: `${arn}:live`, FunctionVersion: String(1 + random.below(9)), Name: 'live' },
    },
    Code: { RepositoryType: 'S3' },
    Concurrency: random.fraction() < 0.3 ? { ReservedConcurrentExecutions: 5 * (1 + random.below(10)) } : {},
    Configuration: {
      Architectures: [random.pick(['arm64', 'x86_64'])],
      CodeSha256: Buffer.from(random.hex(64), 'hex').toString('base64'),
      CodeSize: 500 + random.below(5_000_000),
      Description: `Handler ${n} for ${random.pick(['bookings', 'emails', 'thumbnails', 'invoices'])}`,
      Environment: {
        Variables: {
          LOG_LEVEL: seal(random.pick(['info', 'debug', 'warn'])),
          TABLE_NAME: seal(`table-${n % 13}`),
          API_KEY: seal(`key-${random.hex(24)}`),
        },
      },
      EphemeralStorage: { Size: 512 },
      FunctionArn: arn,
      FunctionName: name,
      Handler: runtime.startsWith('python') ? 'app.handler' : 'index.handler',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: `/aws/lambda/${name}` },
      MemorySize: memory,
      PackageType: 'Zip',
      Role: `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
      Runtime: runtime,
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      Timeout: 3 + random.below(60),
      TracingConfig: { Mode: random.pick(['Active', 'PassThrough']) },
      Version: '$LATEST',
    },
    EventSourceMappings: {},
    Policy: {
      Id: 'default',
      Statement: [
        {
          Action: ['lambda:InvokeFunction'],
          Effect: 'Allow',
          Principal: { Service: ['apigateway.amazonaws.com'] },
          Resource: [arn],
          Sid: `apigateway-invoke-${n}`,
        },
      ],
      Version: '2012-10-17',
    },
    Tags: { app: random.pick(['booking', 'site', 'media']), env: random.pick(['prod', 'staging']) },
    Versions: {},
  };
}

/** Maps `items` through `fn`, at most `WRITES_IN_FLIGHT` at a time, in order. */
async function inChunks<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += WRITES_IN_FLIGHT)
    results.push(...(await Promise.all(items.slice(start, start + WRITES_IN_FLIGHT).map(fn))));
  return results;
}

/** Blob pools: document hashes by type and content blob hashes, all written to the store. */
export interface Pools {
  readonly objectDocuments: readonly string[];
  readonly functionDocuments: readonly string[];
  readonly contents: readonly string[];
  readonly codes: readonly string[];
  readonly bytes: number;
}

async function writePools(store: VersionStore, random: Random): Promise<Pools> {
  const sealer = new LocalKeySealer(randomBytes(32));
  let bytes = 0;
  const put = (documents: JsonObject[]) =>
    inChunks(documents, async (document) => {
      const stored = await store.putDocument(document);
      bytes += stored.size;
      return stored.hash;
    });
  const blobs = (count: number, size: (i: number) => number) =>
    inChunks(
      Array.from({ length: count }, (_, i) => randomBytes(size(i))),
      async (content) => {
        const stored = await store.content.putBytes(content);
        bytes += stored.size;
        return stored.hash;
      },
    );
  const objectDocuments = await put(
    Array.from({ length: OBJECT_DOCUMENTS }, (_, n) => objectDocument(random, n)),
  );
  const functionDocuments = await put(
    Array.from({ length: FUNCTION_DOCUMENTS }, (_, n) => functionDocument(random, n, sealer)),
  );
  const contents = await blobs(CONTENT_BLOBS, (i) => 512 + ((i * 997) % 8192));
  const codes = await blobs(CODE_BLOBS, (i) => 4096 + i * 512);
  return { objectDocuments, functionDocuments, contents, codes, bytes };
}

function resourceOf(n: number): ResourceRef {
  if (n % FUNCTION_EVERY === 0)
    return {
      account: ACCOUNT,
      region: REGION,
      type: FUNCTION_TYPE,
      id: `fn-${String(n / FUNCTION_EVERY).padStart(5, '0')}`,
    };
  const bucket = BUCKETS[n % BUCKETS.length] as string;
  return {
    account: ACCOUNT,
    region: REGION,
    type: OBJECT_TYPE,
    id: `${bucket}/data/${String(Math.floor(n / 1000)).padStart(3, '0')}/item-${String(n).padStart(6, '0')}.bin`,
  };
}

const OBJECT_EVENTS = ['PutObject', 'CopyObject', 'PutObjectTagging', 'CompleteMultipartUpload'];
const FUNCTION_EVENTS = [
  'UpdateFunctionConfiguration20150331v2',
  'UpdateFunctionCode20150331v2',
  'TagResource20170331v2',
];

function eventCause(random: Random, name: string, at: number): VersionCause {
  return {
    kind: 'event',
    eventId: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
    eventName: name,
    eventTime: new Date(at - 2_000 - random.below(60_000)).toISOString(),
    principal: random.pick(PRINCIPALS),
    coalesced: 1,
  };
}

/** The ten chained versions of resource `n`: valid records, seq 1..10, `prev` = hash of the one before. */
function chainOf(n: number, pools: Pools): Hashed<VersionRecord>[] {
  const random = new Random(SEED ^ Math.imul(n + 1, 0x9e3779b1));
  const resource = resourceOf(n);
  const isFunction = resource.type === FUNCTION_TYPE;
  const documents = isFunction ? pools.functionDocuments : pools.objectDocuments;
  const createdLater = random.fraction() < CREATED_LATER;
  const created = createdLater ? T0 + random.below(SPAN - HOUR) : T0;
  const times = [created];
  for (let seq = 2; seq <= VERSIONS_PER_RESOURCE; seq++)
    times.push(created + 1 + random.below(T0 + SPAN - created - 1));
  times.sort((a, b) => a - b);
  const deletedAtEnd = random.fraction() < DELETED_AT_END;
  const chain: Hashed<VersionRecord>[] = [];
  let document = '';
  for (let seq = 1; seq <= VERSIONS_PER_RESOURCE; seq++) {
    const at = times[seq - 1] as number;
    const deleted = deletedAtEnd && seq === VERSIONS_PER_RESOURCE;
    let next = random.pick(documents);
    if (next === document) next = documents[(documents.indexOf(next) + 1) % documents.length] as string;
    document = next;
    const cause: VersionCause =
      seq === 1 && !createdLater
        ? { kind: 'baseline', label: 'v1.0' }
        : eventCause(
            random,
            deleted
              ? isFunction
                ? 'DeleteFunction20150331'
                : 'DeleteObject'
              : seq === 1
                ? isFunction
                  ? 'CreateFunction20150331'
                  : 'PutObject'
                : random.pick(isFunction ? FUNCTION_EVENTS : OBJECT_EVENTS),
            at,
          );
    const size = 1024 + random.below(1 << 20);
    const record: VersionRecord = signRecord(
      {
        schema: 1 as const,
        resource,
        capturedAt: new Date(at).toISOString(),
        cause,
        deleted,
        document: deleted ? null : document,
        blobs: (deleted
          ? {}
          : isFunction
            ? { code: random.pick(pools.codes) }
            : { content: random.pick(pools.contents) }) as Record<string, string>,
        ...(isFunction || deleted
          ? {}
          : {
              fingerprint: `etag=${random.hex(32)};size=${size};modified=${new Date(Math.floor((at - 5_000) / 1000) * 1000).toISOString()}`,
            }),
        gaps: [],
        seq,
        prev: chain.at(-1)?.hash ?? null,
      },
      BENCH_KEY,
    );
    chain.push({ hash: sha256Hex(canonicalJson(record as unknown as Json)), record });
  }
  return chain;
}

/** What writing the synthetic store did. */
export interface SyntheticStore {
  readonly pools: Pools;
  readonly poolsMs: number;
  /** Versions written through `VersionStore.append` whose hash differed from the generator's. */
  readonly appendMismatches: number;
  /** Time to write the other record files. */
  readonly writeMs: number;
  readonly versions: number;
  /** A resource with ten versions, for `history`. */
  readonly sample: ResourceRef;
  /** Every version record's key, in the order of capture (time), as the consumer writes them. */
  readonly captureOrder: readonly string[];
}

/**
 * Writes the synthetic store into `store` (a local store in `folder`): blobs through `putDocument`, a few
 * chains through `VersionStore.append`, and the rest of the 1,000,000 version records as files.
 */
export async function writeSyntheticStore(
  store: VersionStore,
  folder: string,
  log: (line: string) => void,
): Promise<SyntheticStore> {
  const poolsStart = performance.now();
  const pools = await writePools(store, new Random(SEED));
  const poolsMs = performance.now() - poolsStart;

  let appendMismatches = 0;
  const appendedKeys = new Set<string>();
  for (let n = 0; n < APPENDED_CHAINS; n++)
    for (const version of chainOf(n, pools)) {
      const { schema: _schema, seq: _seq, prev: _prev, mac: _mac, ...draft } = version.record;
      const result = await store.append(draft);
      if (!result.appended || result.version?.hash !== version.hash) appendMismatches++;
      appendedKeys.add(versionKey(version.record.resource, version.record.seq));
    }
  await store.appendLogHead();

  const writeStart = performance.now();
  const captured: Array<{ readonly at: number; readonly key: string; readonly sha256: string }> = [];
  const journalFolders = new Set<string>();
  for (let n = 0; n < RESOURCES; n++) {
    const chain = chainOf(n, pools);
    for (const { hash, record } of chain) {
      const key = versionKey(record.resource, record.seq);
      captured.push({ at: Date.parse(record.capturedAt), key, sha256: hash });
      if (n < APPENDED_CHAINS) continue;
      const file = path.join(folder, key);
      if (record.seq === 1) mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, canonicalJson(record as unknown as Json));
      const entry = journalKey(key, new Date(record.capturedAt));
      const entryFile = path.join(folder, entry);
      if (!journalFolders.has(path.dirname(entryFile))) {
        mkdirSync(path.dirname(entryFile), { recursive: true });
        journalFolders.add(path.dirname(entryFile));
      }
      writeFileSync(entryFile, journalAnnouncement(entry, hash, BENCH_KEY));
    }
    if ((n + 1) % 10_000 === 0)
      log(`wrote ${((n + 1) * VERSIONS_PER_RESOURCE).toLocaleString('en-US')} versions…`);
  }
  captured.sort((a, b) => a.at - b.at);
  const storeLog = new StoreLog(store.backend, BENCH_KEY);
  const written = captured.filter(({ key }) => !appendedKeys.has(key));
  for (let at = 0; at < written.length; at += LOG_HEAD_RECORDS)
    await storeLog.append(
      written.slice(at, at + LOG_HEAD_RECORDS).map(({ key, sha256 }) => ({ key, sha256 })),
    );
  const writeMs = performance.now() - writeStart;
  const sampleN = Array.from({ length: RESOURCES }, (_, n) => n).find(
    (n) => n >= APPENDED_CHAINS && resourceOf(n).type === OBJECT_TYPE,
  ) as number;
  return {
    pools,
    poolsMs,
    appendMismatches,
    writeMs,
    versions: captured.length,
    sample: resourceOf(sampleN),
    captureOrder: captured.map(({ key }) => key),
  };
}
