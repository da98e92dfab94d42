import { randomInt } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type BaselineReport,
  canonicalJson,
  type Json,
  type ResourceRef,
  resourceKey,
  sha256Hex,
} from '@tidemark/core';
import { readKeyFile, StoreKey } from '@tidemark/core/secrets';
import {
  type BaselineManifest,
  type LogHead,
  readWitness,
  type StoreProblem,
  type VerifyReport,
  type VersionRecord,
  VersionStore,
  verifyStore,
  witnessFile,
} from '@tidemark/core/store';
import { SeededRandom } from '@tidemark/simulation';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { CliHarness, type CliResult } from '../support/cli.js';
import { writeNdjson } from '../support/events.js';
import { startSimulatedUser } from '../support/fixtures.js';

/**
 * Issue 8's reliability suite, tamper part. One small store is built once through the CLI against the simulated
 * account (two baselines and an ingested change between them); then, case after case, one object of it is
 * flipped (one bit), truncated, deleted or replaced with a forgery that looks valid, and:
 *
 * - `verify`, run in process with the witness the CLI keeps, must report a problem naming what was tampered with
 *   (every kind but the index, a cache that `verify` does not read);
 * - queries must answer exactly what the untampered store answers, or fail with a non-zero exit: never another
 *   answer with exit 0. For a tampered index, in every case; for the other kinds, in one block of cases in
 *   {@link QUERY_BLOCKS}, with the index as it was, and again with the index rebuilt from the tampered store.
 *
 * Kinds take turns, and within a kind the four mutations do; the object, the byte, the length and the forgery are
 * drawn from the seed. Cases run on {@link LANES} copies of the store, each tampering undone after its case (and
 * every copy checked whole after each test). `TAMPER_CASES` sets the number of cases (600 by default: each
 * `verify` of a local store starts four reader threads, so a thousand take some 100 s of two cores), `TAMPER_SEED`
 * replays a run (the seed is printed). Not `TIDEMARK_…`: the test environment drops those.
 */
const SEED = Number(process.env.TAMPER_SEED ?? randomInt(2 ** 31));
const CASES = Number(process.env.TAMPER_CASES ?? 1000);
/** Copies of the store that cases run on at once. */
const LANES = 4;
/** Cases of a kind are also queried one block of four (one per mutation) in this many. */
const QUERY_BLOCKS = 10;
const MALLORY = 'arn:aws:iam::123456789012:user/mallory';
const FORGED_LABEL = 'v0.9';
const DAY_MS = 86_400_000;

const Kind = {
  BLOB: 'blob',
  DOCUMENT: 'document',
  RECORD: 'record',
  MANIFEST: 'manifest',
  JOURNAL_ENTRY: 'journal entry',
  INDEX: 'index',
  LOG_HEAD: 'log head',
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];
const KINDS: readonly Kind[] = Object.values(Kind);

const Mutation = { FLIP: 'flip', TRUNCATE: 'truncate', DELETE: 'delete', FORGE: 'forge' } as const;
type Mutation = (typeof Mutation)[keyof typeof Mutation];
const MUTATIONS: readonly Mutation[] = Object.values(Mutation);

/** The files of a local store's index, a cache beside the records. */
const INDEX_FILES = ['index.sqlite', 'index.sqlite-wal', 'index.sqlite-shm', 'index.sqlite-journal'];

/** One case: what is tampered with, how, and the seed of every choice it makes. */
interface Case {
  readonly n: number;
  readonly kind: Kind;
  readonly mutation: Mutation;
  readonly seed: number;
  /** Whether the queries are checked too (always for the index). */
  readonly queried: boolean;
}

/** A file of the built store: its key and its bytes. */
interface StoreFile {
  readonly key: string;
  readonly bytes: Buffer;
}

/** A record file of the built store, parsed, with the hash of its bytes. */
interface RecordFile<T> extends StoreFile {
  readonly record: T;
  readonly hash: string;
}

/** A blob of the built store, with the resources whose versions name it. */
interface BlobFile extends StoreFile {
  readonly resources: readonly ResourceRef[];
}

/** A journal entry of the built store, with the key of the record it announces. */
interface JournalFile extends StoreFile {
  readonly recordKey: string;
}

/** The store built once, what it holds by kind (in an order that does not depend on hashes), and its answers. */
interface Fixture {
  /** The harness folder: the store, the key file and the witness folder beside it. */
  readonly folder: string;
  readonly storeId: string;
  readonly key: StoreKey;
  /** Every file of the store, by key. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly versions: readonly RecordFile<VersionRecord>[];
  readonly manifests: readonly RecordFile<BaselineManifest>[];
  readonly heads: readonly RecordFile<LogHead>[];
  readonly journal: readonly JournalFile[];
  readonly documents: readonly BlobFile[];
  readonly contents: readonly BlobFile[];
  /** What each query answers on the untampered store, by its arguments joined with spaces. */
  readonly answers: ReadonlyMap<string, string>;
}

/** One tampering with a copy of the store. */
interface Tampering {
  /** What was done, for a person. */
  readonly what: string;
  /** The files it writes, by key; null deletes one. */
  readonly writes: ReadonlyMap<string, Buffer | null>;
  /** The key a problem of `verify` must name (and its kind when only one will do); none for the index. */
  readonly expected?: { readonly key: string; readonly problem?: StoreProblem['problem'] };
  /** The queries whose answers it could change. */
  readonly queries: readonly (readonly string[])[];
  /** Whether every query must still answer in full (exit 0): a deleted index is rebuilt. */
  readonly rebuilt?: boolean;
}

/** What one case found wrong. */
interface Outcome {
  readonly case: Case;
  /** Whether only the queries were checked, on an index rebuilt from the tampered store. */
  readonly rebuiltIndex: boolean;
  /** Whether `verify` named the tampering; undefined for the index, which it does not read. */
  readonly detected?: boolean;
  readonly misses: readonly string[];
  readonly wrongAnswers: readonly string[];
}

/** A copy of the built store that cases run on, one at a time. */
interface Lane {
  readonly cli: CliHarness;
}

/** The cases: kinds in turn; within a kind, the mutations in turn, every {@link QUERY_BLOCKS}th block queried. */
function planCases(count: number, seed: number): Case[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const kind = KINDS[n % KINDS.length] as Kind;
    const ofKind = Math.floor(n / KINDS.length);
    return {
      n,
      kind,
      mutation: MUTATIONS[ofKind % MUTATIONS.length] as Mutation,
      seed: random.next(),
      queried: kind === Kind.INDEX || Math.floor(ofKind / MUTATIONS.length) % QUERY_BLOCKS === 0,
    };
  });
}

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  if (items.length === 0) throw new Error('nothing to pick from');
  return items[random.int(0, items.length - 1)] as T;
}

/** A resource as people (and the reports) name it. */
function describeResource(ref: ResourceRef): string {
  return `${ref.type} ${ref.id} (${ref.region})`;
}

/** `show` and `history` of one resource, as JSON. */
function resourceQueries(ref: ResourceRef): string[][] {
  const reference = `${ref.type}:${ref.id}`;
  return [
    ['--region', ref.region, 'show', reference, '--json'],
    ['--region', ref.region, 'history', reference, '--json'],
  ];
}

const STATE_QUERY = ['state', '--json'];
const BASELINES_QUERY = ['baselines', '--json'];

/** The queries a baseline's manifest answers. */
function manifestQueries(label: string): string[][] {
  return [BASELINES_QUERY, ['state', '--at', label, '--json']];
}

/** An answer, comparable across runs: `state` without a moment says when it was asked. */
function answerOf(args: readonly string[], stdout: string): string {
  if (!args.includes('state') || args.includes('--at')) return stdout;
  const { at: _, ...answer } = JSON.parse(stdout) as { at: string };
  return JSON.stringify(answer);
}

/** Every file under `folder`, by `/`-separated key, in key order. */
async function filesUnder(folder: string): Promise<Map<string, Buffer>> {
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) =>
    entry.isFile(),
  );
  const keys = entries
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  const files = new Map<string, Buffer>();
  for (const key of keys) files.set(key, await readFile(path.join(folder, key)));
  return files;
}

function recordFiles<T>(files: ReadonlyMap<string, Buffer>, folder: string): RecordFile<T>[] {
  return [...files]
    .filter(([key]) => key.startsWith(folder))
    .map(([key, bytes]) => ({
      key,
      bytes,
      record: JSON.parse(bytes.toString('utf8')) as T,
      hash: sha256Hex(bytes),
    }));
}

function blobKeyOf(hash: string): string {
  return `blobs/sha256/${hash.slice(0, 2)}/${hash}`;
}

/** The blobs `named` returns for each version, in version order, with the resources that name each. */
function blobFiles(
  files: ReadonlyMap<string, Buffer>,
  versions: readonly RecordFile<VersionRecord>[],
  named: (record: VersionRecord) => readonly (string | null)[],
): BlobFile[] {
  const resources = new Map<string, ResourceRef[]>();
  for (const { record } of versions)
    for (const hash of named(record)) {
      if (!hash) continue;
      const key = blobKeyOf(hash);
      const naming = resources.get(key) ?? [];
      if (!naming.some((ref) => resourceKey(ref) === resourceKey(record.resource)))
        naming.push(record.resource);
      resources.set(key, naming);
    }
  return [...resources].map(([key, naming]) => {
    const bytes = files.get(key);
    if (!bytes) throw new Error(`the built store lacks ${key}`);
    return { key, bytes, resources: naming };
  });
}

/** Two baselines through the CLI against the simulated account, and a change ingested between them. */
async function captureStore(cli: CliHarness): Promise<void> {
  const user = await startSimulatedUser();
  try {
    await cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const events = [
      ...user.account.updateFunctionConfiguration('booking-handler', { memorySize: 512 }),
      ...user.account.putObject('sailjada.com', 'index.html', '<h1>Changed</h1>', {
        contentType: 'text/html',
      }),
      ...user.account.deleteObject('salejada.com', 'about.html'),
    ];
    const ingest = await cli.run('ingest', await writeNdjson(cli.folder, 'change.ndjson', events));
    if (ingest.code !== 0) throw new Error(`ingest exited ${ingest.code}: ${ingest.stderr}`);
    await cli.json<BaselineReport>('baseline', '--label', 'v1.1');
  } finally {
    await user.stop();
  }
}

/** What `state`, `baselines`, `state --at` each label, and `show` and `history` of each resource answer. */
async function untamperedAnswers(
  cli: CliHarness,
  files: ReadonlyMap<string, Buffer>,
): Promise<Map<string, string>> {
  const versions = recordFiles<VersionRecord>(files, 'versions/');
  const resources = new Map(versions.map(({ record }) => [resourceKey(record.resource), record.resource]));
  const queries = [
    STATE_QUERY,
    ...[...resources.values()].flatMap(resourceQueries),
    ...recordFiles<BaselineManifest>(files, 'baselines/').flatMap(({ record }) =>
      manifestQueries(record.label),
    ),
  ];
  const answers = new Map<string, string>();
  for (const args of queries) {
    const result = await cli.run(...args);
    if (result.code !== 0)
      throw new Error(`tidemark ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    answers.set(args.join(' '), answerOf(args, result.stdout));
  }
  return answers;
}

/** Builds the store, checks that it verifies clean against the CLI's witness, and records its answers. */
async function buildFixture(cli: CliHarness): Promise<Fixture> {
  await captureStore(cli);
  const keyBytes = await readKeyFile(cli.keyFile);
  if (!keyBytes) throw new Error('the CLI wrote no key file');
  const key = new StoreKey(keyBytes);
  const store = await VersionStore.open(cli.store, { create: false, withoutIndex: true, key });
  const storeId = store.identity?.storeId;
  store.close();
  if (!storeId) throw new Error('the built store has no identity');
  const witness = await readWitness(witnessFile(path.join(cli.folder, 'witness'), storeId));
  const report = await verifyIn(cli, key, storeId);
  if (!report.ok || !report.authenticated || report.unlogged > 0 || witness?.seq !== report.head?.seq)
    throw new Error(`the built store is not sound: ${JSON.stringify({ report, witness })}`);
  const answers = await untamperedAnswers(cli, await filesUnder(cli.store));

  // Read after the queries, which brought the index up to date: the copies start from this.
  const files = await filesUnder(cli.store);
  if (!files.has('index.sqlite') || files.has('index.sqlite-wal'))
    throw new Error(
      `the index is not one file in the store: ${[...files.keys()].filter((k) => k.startsWith('index'))}`,
    );
  const byResource = (a: RecordFile<VersionRecord>, b: RecordFile<VersionRecord>) =>
    resourceKey(a.record.resource).localeCompare(resourceKey(b.record.resource)) ||
    a.record.seq - b.record.seq;
  const sortedVersions = recordFiles<VersionRecord>(files, 'versions/').sort(byResource);
  const journal = [...files]
    .filter(([key]) => key.startsWith('journal/'))
    .map(([key, bytes]) => ({ key, bytes, recordKey: key.slice(key.indexOf('~') + 1).replaceAll('~', '/') }))
    .sort((a, b) => a.recordKey.localeCompare(b.recordKey));
  const fixture: Fixture = {
    folder: cli.folder,
    storeId,
    key,
    files,
    versions: sortedVersions,
    manifests: recordFiles<BaselineManifest>(files, 'baselines/'),
    heads: recordFiles<LogHead>(files, 'log/'),
    journal,
    documents: blobFiles(files, sortedVersions, (record) => [record.document]),
    contents: blobFiles(files, sortedVersions, (record) => Object.values(record.blobs)),
    answers,
  };
  const empty = Object.entries(fixture).filter(([, value]) => Array.isArray(value) && value.length < 2);
  if (empty.length > 0) throw new Error(`the built store holds too few ${empty.map(([name]) => name)}`);
  return fixture;
}

/** `verify` of the store in a harness folder, in process, against the witness beside its key file. */
async function verifyIn(cli: CliHarness, key: StoreKey, storeId: string): Promise<VerifyReport> {
  const store = await VersionStore.open(cli.store, { create: false, withoutIndex: true, key });
  try {
    const witness = await readWitness(witnessFile(path.join(cli.folder, 'witness'), storeId));
    return await verifyStore(store, witness ? { witness } : {});
  } finally {
    store.close();
  }
}

/** One bit of one byte flipped, the file cut short, or the file gone. */
function damaged(
  mutation: Mutation,
  bytes: Buffer,
  random: SeededRandom,
): { bytes: Buffer | null; what: string } {
  switch (mutation) {
    case Mutation.FLIP: {
      const at = random.int(0, bytes.length - 1);
      const bit = random.int(0, 7);
      const flipped = Buffer.from(bytes);
      flipped[at] = (flipped[at] as number) ^ (1 << bit);
      return { bytes: flipped, what: `bit ${bit} of byte ${at} of ${bytes.length} flipped` };
    }
    case Mutation.TRUNCATE: {
      const length = random.int(0, bytes.length - 1);
      return { bytes: bytes.subarray(0, length), what: `cut to ${length} of ${bytes.length} bytes` };
    }
    case Mutation.DELETE:
      return { bytes: null, what: 'deleted' };
    case Mutation.FORGE:
      throw new Error('a forgery depends on the kind of object');
  }
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The same bytes with a run of up to eight replaced by others of the same sort (printable in a text). */
function spliced(bytes: Buffer, random: SeededRandom): { bytes: Buffer; what: string } {
  const length = Math.min(bytes.length, random.int(1, 8));
  const at = random.int(0, bytes.length - length);
  const text = bytes.every((byte) => (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x09);
  const forged = Buffer.from(bytes);
  for (let i = at; i < at + length; i++) {
    const original = bytes[i] as number;
    let replacement = text
      ? ALPHANUMERIC.charCodeAt(random.int(0, ALPHANUMERIC.length - 1))
      : random.int(0, 255);
    if (replacement === original) replacement = text ? (original === 0x61 ? 0x62 : 0x61) : original ^ 0xff;
    forged[i] = replacement;
  }
  return {
    bytes: forged,
    what: `bytes ${at}-${at + length - 1} of ${bytes.length} replaced with other ${text ? 'characters' : 'bytes'}`,
  };
}

/** A path to every leaf of a JSON value. */
function leafPaths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...at, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([name, item]) => leafPaths(item, [...at, name]));
  return [at];
}

/** Another value of the same sort. */
function changedLeaf(value: Json): Json {
  if (typeof value === 'string')
    return value.length > 0 && value.at(-1) !== 'x' ? `${value.slice(0, -1)}x` : `${value}y`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  return 0;
}

/** The document with one field changed, as canonical JSON: a document that parses and looks genuine. */
function editedDocument(bytes: Buffer, random: SeededRandom): { bytes: Buffer; what: string } {
  const document = JSON.parse(bytes.toString('utf8')) as Json;
  const leaf = pick(random, leafPaths(document));
  const name = leaf.at(-1);
  if (name === undefined) throw new Error('a document that is not an object');
  let parent = document as Record<string | number, Json>;
  for (const step of leaf.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  parent[name] = changedLeaf(parent[name] as Json);
  return { bytes: Buffer.from(canonicalJson(document), 'utf8'), what: `field ${leaf.join('.')} changed` };
}

/** The bytes a record would have as the store writes it. */
function recordBytes(record: object): Buffer {
  return Buffer.from(canonicalJson(record as unknown as Json), 'utf8');
}

/** One way to change a field of a record while keeping it valid. */
interface RecordEdit<T> {
  readonly field: string;
  readonly applies: (record: T) => boolean;
  readonly apply: (record: T, fixture: Fixture, random: SeededRandom) => T;
}

const earlier = (iso: string) => new Date(Date.parse(iso) - DAY_MS).toISOString();

const VERSION_EDITS: readonly RecordEdit<VersionRecord>[] = [
  {
    field: 'cause.principal',
    applies: (record) => record.cause.kind === 'event',
    apply: (record) => ({ ...record, cause: { ...record.cause, principal: MALLORY } }) as VersionRecord,
  },
  {
    field: 'cause.label',
    applies: (record) => record.cause.kind !== 'event',
    apply: (record) => ({ ...record, cause: { ...record.cause, label: FORGED_LABEL } }) as VersionRecord,
  },
  { field: 'deleted', applies: () => true, apply: (record) => ({ ...record, deleted: !record.deleted }) },
  {
    field: 'capturedAt',
    applies: () => true,
    apply: (record) => ({ ...record, capturedAt: earlier(record.capturedAt) }),
  },
  {
    field: 'document',
    applies: (record) => record.document !== null,
    apply: (record, fixture, random) => ({
      ...record,
      document: pick(
        random,
        fixture.documents.filter(({ key }) => key !== blobKeyOf(record.document ?? '')),
      ).key.slice(-64),
    }),
  },
];

const MANIFEST_EDITS: readonly RecordEdit<BaselineManifest>[] = [
  { field: 'label', applies: () => true, apply: (record) => ({ ...record, label: FORGED_LABEL }) },
  {
    field: 'completedAt',
    applies: () => true,
    apply: (record) => ({ ...record, completedAt: earlier(record.completedAt) }),
  },
  {
    field: 'entries (one left out)',
    applies: (record) => record.entries.length > 0,
    apply: (record, _, random) => {
      const left = random.int(0, record.entries.length - 1);
      return { ...record, entries: record.entries.filter((_entry, i) => i !== left) };
    },
  },
  {
    field: 'entries[].version',
    applies: (record) => record.entries.length > 0,
    apply: (record, fixture, random) => {
      const changed = random.int(0, record.entries.length - 1);
      const entries = record.entries.map((entry, i) =>
        i === changed
          ? {
              ...entry,
              version: pick(
                random,
                fixture.versions.filter(({ hash }) => hash !== entry.version),
              ).hash,
            }
          : entry,
      );
      return { ...record, entries };
    },
  },
];

const LOG_HEAD_EDITS: readonly RecordEdit<LogHead>[] = [
  {
    field: 'records (one left out)',
    applies: () => true,
    apply: (record, _, random) => {
      const left = random.int(0, record.records.length - 1);
      return { ...record, records: record.records.filter((_entry, i) => i !== left) };
    },
  },
  {
    field: 'sealedAt',
    applies: () => true,
    apply: (record) => ({ ...record, sealedAt: earlier(record.sealedAt) }),
  },
  {
    field: 'records[].sha256',
    applies: () => true,
    apply: (record, fixture, random) => {
      const changed = random.int(0, record.records.length - 1);
      const records = record.records.map((entry, i) =>
        i === changed
          ? {
              ...entry,
              sha256: pick(
                random,
                fixture.versions.filter(({ hash }) => hash !== entry.sha256),
              ).hash,
            }
          : entry,
      );
      return { ...record, records };
    },
  },
];

/**
 * A record replaced with a forgery: one field changed (canonical JSON, its MAC kept or another record's), or the
 * bytes of another record of the same kind, signed and whole.
 */
function forgedRecord<T extends { mac?: string | undefined }>(
  target: RecordFile<T>,
  others: readonly RecordFile<T>[],
  edits: readonly RecordEdit<T>[],
  fixture: Fixture,
  random: SeededRandom,
): { bytes: Buffer; what: string } {
  const variant = random.int(0, 2);
  if (variant === 2) {
    const other = pick(
      random,
      others.filter(({ key }) => key !== target.key),
    );
    return { bytes: other.bytes, what: `replaced with the bytes of ${other.key}, signed` };
  }
  const edit = pick(
    random,
    edits.filter((candidate) => candidate.applies(target.record)),
  );
  const signed = [...fixture.versions, ...fixture.manifests, ...fixture.heads].filter(
    ({ key }) => key !== target.key,
  );
  const mac = variant === 0 ? target.record.mac : pick(random, signed).record.mac;
  return {
    bytes: recordBytes({ ...edit.apply(target.record, fixture, random), mac }),
    what: `${edit.field} changed, ${variant === 0 ? 'its MAC kept' : "another record's MAC put in"}`,
  };
}

/** The key of the record after the last one of `key`'s chain: one never written. */
function unwrittenAfter(fixture: Fixture, key: string): string {
  if (key.startsWith('baselines/'))
    return `baselines/${String(fixture.manifests.length + 1).padStart(6, '0')}.json`;
  const folder = key.split('/')[1];
  const last = fixture.versions.filter((version) => version.key.split('/')[1] === folder).length;
  return `versions/${folder}/${String(last + 1).padStart(10, '0')}.json`;
}

/** The queries whose answers the record `key` makes. */
function queriesOfRecord(fixture: Fixture, key: string): string[][] {
  const version = fixture.versions.find((candidate) => candidate.key === key);
  if (version) return resourceQueries(version.record.resource);
  const manifest = fixture.manifests.find((candidate) => candidate.key === key);
  if (manifest) return manifestQueries(manifest.record.label);
  throw new Error(`no record ${key} in the built store`);
}

function describeRecord(fixture: Fixture, key: string): string {
  const version = fixture.versions.find((candidate) => candidate.key === key);
  return version ? `${key} (${describeResource(version.record.resource)} v${version.record.seq})` : key;
}

/** Tampering with a blob: a document (canonical JSON a version names) or content (object bytes, code). */
function tamperBlob(
  blobs: readonly BlobFile[],
  documents: boolean,
  mutation: Mutation,
  random: SeededRandom,
): Tampering {
  const target = pick(random, blobs);
  const resource = target.resources[0] as ResourceRef;
  let change: { bytes: Buffer | null; what: string };
  if (mutation !== Mutation.FORGE) change = damaged(mutation, target.bytes, random);
  else if (random.int(0, 1) === 0)
    change = documents ? editedDocument(target.bytes, random) : spliced(target.bytes, random);
  else {
    const other = pick(
      random,
      blobs.filter(({ key }) => key !== target.key),
    );
    change = { bytes: other.bytes, what: `replaced with the bytes of ${other.key}` };
  }
  return {
    what: `${change.what}: ${target.key} (of ${describeResource(resource)})`,
    writes: new Map([[target.key, change.bytes]]),
    expected: { key: target.key },
    queries: resourceQueries(resource),
  };
}

/** Tampering with a version record or a baseline's manifest. */
function tamperRecord<T extends { mac?: string | undefined }>(
  fixture: Fixture,
  records: readonly RecordFile<T>[],
  edits: readonly RecordEdit<T>[],
  mutation: Mutation,
  random: SeededRandom,
): Tampering {
  const target = pick(random, records);
  const change =
    mutation === Mutation.FORGE
      ? forgedRecord(target, records, edits, fixture, random)
      : damaged(mutation, target.bytes, random);
  return {
    what: `${change.what}: ${describeRecord(fixture, target.key)}`,
    writes: new Map([[target.key, change.bytes]]),
    expected: { key: target.key },
    queries: queriesOfRecord(fixture, target.key),
  };
}

/**
 * Tampering with a journal entry. Deleting one leaves its record unannounced (verify names the record); a forgery
 * is a body with another record's hash (and MAC, or its own), or a new entry announcing a record never written.
 */
function tamperJournal(fixture: Fixture, mutation: Mutation, random: SeededRandom): Tampering {
  const target = pick(random, fixture.journal);
  const queries = queriesOfRecord(fixture, target.recordKey);
  if (mutation === Mutation.DELETE)
    return {
      what: `deleted: ${target.key}`,
      writes: new Map([[target.key, null]]),
      expected: { key: target.recordKey, problem: 'missing' },
      queries,
    };
  if (mutation !== Mutation.FORGE) {
    const change = damaged(mutation, target.bytes, random);
    return {
      what: `${change.what}: ${target.key}`,
      writes: new Map([[target.key, change.bytes]]),
      expected: { key: target.key },
      queries,
    };
  }
  const other = pick(
    random,
    fixture.journal.filter(({ key }) => key !== target.key),
  );
  const variant = random.int(0, 2);
  if (variant === 2) {
    const announced = unwrittenAfter(fixture, target.recordKey);
    const key = `${target.key.slice(0, target.key.indexOf('~'))}~${announced.replaceAll('/', '~')}`;
    return {
      what: `a new entry ${key} announcing ${announced}, never written, with the body of ${other.key}`,
      writes: new Map([[key, other.bytes]]),
      expected: { key },
      queries,
    };
  }
  const own = JSON.parse(target.bytes.toString('utf8')) as { mac: string; sha256: string };
  const theirs = JSON.parse(other.bytes.toString('utf8')) as { mac: string; sha256: string };
  const body = variant === 0 ? theirs : { mac: own.mac, sha256: theirs.sha256 };
  return {
    what: `body given the hash of ${other.recordKey} and ${variant === 0 ? 'its MAC' : 'its own MAC'}: ${target.key}`,
    writes: new Map([[target.key, Buffer.from(canonicalJson(body), 'utf8')]]),
    expected: { key: target.key },
    queries,
  };
}

/**
 * Tampering with a log head. A deletion removes one head, or the newest with the records it names and their
 * journal entries, which only the witness can tell (`truncated`).
 */
function tamperLogHead(fixture: Fixture, mutation: Mutation, random: SeededRandom): Tampering {
  if (mutation === Mutation.DELETE && random.int(0, 1) === 0) {
    const newest = fixture.heads.at(-1) as RecordFile<LogHead>;
    const named = newest.record.records.map(({ key }) => key);
    const entries = fixture.journal
      .filter(({ recordKey }) => named.includes(recordKey))
      .map(({ key }) => key);
    return {
      what: `deleted with the ${named.length} records it names and their journal entries: ${newest.key}`,
      writes: new Map([newest.key, ...named, ...entries].map((key) => [key, null])),
      expected: { key: newest.key, problem: 'truncated' },
      queries: queriesOfRecord(fixture, named[0] as string),
    };
  }
  const target = pick(random, fixture.heads);
  const change =
    mutation === Mutation.FORGE
      ? forgedRecord(target, fixture.heads, LOG_HEAD_EDITS, fixture, random)
      : damaged(mutation, target.bytes, random);
  return {
    what: `${change.what}: ${target.key}`,
    writes: new Map([[target.key, change.bytes]]),
    expected: { key: target.key },
    queries: queriesOfRecord(fixture, (target.record.records[0] as { key: string }).key),
  };
}

/** A change to one row of the index, as SQL, that a query would show. */
interface IndexEdit {
  readonly what: string;
  readonly applies: (version: VersionRecord) => boolean;
  readonly sql: string;
}

const VERSION_ROW = 'res = (SELECT res FROM resources WHERE folder = @folder) AND seq = @seq';
const INDEX_EDITS: readonly IndexEdit[] = [
  {
    what: 'deleted flag toggled',
    applies: () => true,
    sql: `UPDATE versions SET deleted = 1 - deleted WHERE ${VERSION_ROW}`,
  },
  {
    what: 'principal changed',
    applies: (version) => version.cause.kind === 'event',
    sql: `UPDATE versions SET detail = json_set(detail, '$.cause.principal', @mallory) WHERE ${VERSION_ROW}`,
  },
  {
    what: 'document changed to another',
    applies: (version) => version.document !== null,
    sql: `UPDATE versions SET document = @document WHERE ${VERSION_ROW}`,
  },
  {
    what: 'capture time a day earlier',
    applies: () => true,
    sql: `UPDATE versions SET at = at - ${DAY_MS}, detail = json_set(detail, '$.capturedAt', @earlier) WHERE ${VERSION_ROW}`,
  },
  {
    what: 'label of its baseline changed',
    applies: (version) => version.cause.kind === 'baseline',
    sql: `UPDATE baselines SET label = @label, manifest = json_set(manifest, '$.label', @label) WHERE label = @baseline`,
  },
];

/**
 * Tampering with the index: damaged, deleted (it must be rebuilt: same answers), or one row changed with SQL the
 * way anyone who can write the store's folder could.
 */
async function tamperIndex(
  fixture: Fixture,
  mutation: Mutation,
  random: SeededRandom,
  scratch: string,
): Promise<Tampering> {
  const version = pick(random, fixture.versions);
  const queries = [STATE_QUERY, BASELINES_QUERY, ...resourceQueries(version.record.resource)];
  const index = fixture.files.get('index.sqlite') as Buffer;
  if (mutation === Mutation.DELETE)
    return {
      what: 'index deleted',
      writes: new Map(INDEX_FILES.map((key) => [key, null])),
      queries,
      rebuilt: true,
    };
  if (mutation !== Mutation.FORGE) {
    const change = damaged(mutation, index, random);
    return {
      what: `${change.what}: index.sqlite`,
      writes: new Map([['index.sqlite', change.bytes]]),
      queries,
    };
  }
  const edit = pick(
    random,
    INDEX_EDITS.filter((candidate) => candidate.applies(version.record)),
  );
  const file = path.join(scratch, 'forged-index.sqlite');
  await writeFile(file, index);
  const db = new Database(file);
  try {
    const { changes } = db.prepare(edit.sql).run({
      folder: version.key.split('/')[1],
      seq: version.record.seq,
      mallory: MALLORY,
      document: pick(
        random,
        fixture.documents.filter(({ key }) => key.slice(-64) !== version.record.document),
      ).key.slice(-64),
      earlier: earlier(version.record.capturedAt),
      label: FORGED_LABEL,
      baseline: version.record.cause.kind === 'baseline' ? version.record.cause.label : '',
    });
    if (changes !== 1) throw new Error(`the forgery "${edit.what}" changed ${changes} rows`);
  } finally {
    db.close();
  }
  const forged = await readFile(file);
  for (const suffix of ['', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
  return {
    what: `row of ${describeRecord(fixture, version.key)}: ${edit.what}`,
    writes: new Map([['index.sqlite', forged]]),
    queries,
  };
}

function tamper(
  fixture: Fixture,
  c: Case,
  random: SeededRandom,
  scratch: string,
): Promise<Tampering> | Tampering {
  switch (c.kind) {
    case Kind.BLOB:
      return tamperBlob(fixture.contents, false, c.mutation, random);
    case Kind.DOCUMENT:
      return tamperBlob(fixture.documents, true, c.mutation, random);
    case Kind.RECORD:
      return tamperRecord(fixture, fixture.versions, VERSION_EDITS, c.mutation, random);
    case Kind.MANIFEST:
      return tamperRecord(fixture, fixture.manifests, MANIFEST_EDITS, c.mutation, random);
    case Kind.JOURNAL_ENTRY:
      return tamperJournal(fixture, c.mutation, random);
    case Kind.INDEX:
      return tamperIndex(fixture, c.mutation, random, scratch);
    case Kind.LOG_HEAD:
      return tamperLogHead(fixture, c.mutation, random);
  }
}

/** An entry of an answer (a version, a resource's state, a baseline), without what is derived from others. */
type Entry = Record<string, Json>;

function entriesOf(answer: string): Entry[] {
  const json = JSON.parse(answer) as {
    versions?: Entry[];
    resources?: Entry[];
    baselines?: Entry[];
    version?: Entry;
  };
  const entries = json.versions ?? json.resources ?? json.baselines ?? (json.version ? [json.version] : []);
  return entries.map(({ changes: _changes, damaged: _damaged, ...entry }) => entry);
}

function nameOf(entry: Entry | undefined): string {
  if (!entry) return 'nothing';
  const resource = entry.resource as { id?: string } | undefined;
  const name = typeof entry.label === 'string' ? `baseline ${entry.label}` : `v${entry.seq}`;
  return resource?.id ? `${name} of ${resource.id}` : name;
}

/** How a query's answer differs from the untampered store's, in a few words. */
function howItDiffers(fixture: Fixture, args: readonly string[], answer: string): string {
  const same = (a: Entry, b: Entry) => canonicalJson(a) === canonicalJson(b);
  try {
    // `show` answers one of the resource's versions: genuine when its untampered history holds it.
    const asked = args.includes('show') ? args.map((arg) => (arg === 'show' ? 'history' : arg)) : args;
    const genuine = entriesOf(fixture.answers.get(asked.join(' ')) ?? '{}');
    const given = entriesOf(answer);
    for (const entry of given) {
      if (genuine.some((stored) => same(stored, entry))) continue;
      const stored = genuine.find(
        (candidate) =>
          candidate.seq === entry.seq &&
          canonicalJson(candidate.resource ?? null) === canonicalJson(entry.resource ?? null),
      );
      if (!stored) return `${nameOf(entry)}, which the store does not hold`;
      const fields = Object.keys({ ...stored, ...entry }).filter(
        (field) => canonicalJson(stored[field] ?? null) !== canonicalJson(entry[field] ?? null),
      );
      return `${nameOf(entry)} with ${fields.join(', ')} not as stored`;
    }
    if (args.includes('show'))
      return same(given[0] ?? {}, genuine.at(-1) ?? {})
        ? `${nameOf(given[0])} with another document`
        : `${nameOf(given[0])} as the latest, where the store's latest is ${nameOf(genuine.at(-1))}`;
    const left = genuine.filter((stored) => !given.some((entry) => same(entry, stored)));
    if (left.length > 0) return `${left.map(nameOf).join(', ')} left out`;
    return `the same entries, answered otherwise: ${answer.slice(0, 200)}`;
  } catch {
    return `an answer that is not JSON: ${answer.slice(0, 200)}`;
  }
}

describe('a store tampered with, one object at a time', () => {
  const cases = planCases(CASES, SEED);
  const outcomes: Outcome[] = [];
  let builder: CliHarness;
  let fixture: Fixture;
  const lanes: Lane[] = [];
  const started = performance.now();

  beforeAll(async () => {
    builder = await CliHarness.create();
    fixture = await buildFixture(builder);
    for (let i = 0; i < LANES; i++) {
      const cli = await CliHarness.create();
      await cp(fixture.folder, cli.folder, { recursive: true });
      lanes.push({ cli });
    }
  }, 120_000);

  afterAll(async () => {
    console.log(summary(outcomes, performance.now() - started));
    await Promise.all([builder, ...lanes.map((lane) => lane.cli)].map((cli) => cli?.dispose()));
  });

  /** Writes `files` of a lane's store (null deletes one). */
  async function write(lane: Lane, files: ReadonlyMap<string, Buffer | null>): Promise<void> {
    for (const [key, bytes] of files) {
      const file = path.join(lane.cli.store, key);
      if (bytes === null) await rm(file, { force: true });
      else {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, bytes);
      }
    }
  }

  /** Puts `keys` of a lane's store back as they were built (removing those that were not). */
  async function restore(lane: Lane, keys: Iterable<string>): Promise<void> {
    await write(lane, new Map([...keys].map((key) => [key, fixture.files.get(key) ?? null])));
  }

  /**
   * Runs each query; returns those that answered otherwise than on the untampered store with exit 0 (or, when
   * `inFull`, that did not answer in full). `before` runs before each query. The index is put back after.
   */
  async function wrongAnswers(
    lane: Lane,
    queries: readonly (readonly string[])[],
    options: { readonly inFull?: boolean; readonly before?: () => Promise<void> } = {},
  ): Promise<string[]> {
    const wrong: string[] = [];
    try {
      for (const args of queries) {
        await options.before?.();
        const result: CliResult = await lane.cli.run(...args);
        const command = `tidemark ${args.join(' ')}`;
        if (result.code !== 0) {
          if (options.inFull) wrong.push(`${command} exited ${result.code}: ${result.stderr.split('\n')[0]}`);
        } else if (answerOf(args, result.stdout) !== fixture.answers.get(args.join(' '))) {
          const warned = result.stderr.includes('warning:') ? ', a warning on stderr' : '';
          wrong.push(`${command} exited 0${warned}, answering ${howItDiffers(fixture, args, result.stdout)}`);
        }
      }
    } finally {
      await restore(lane, INDEX_FILES);
    }
    return wrong;
  }

  /** Why `verify` missed the tampering `expected` describes; undefined when it reported a problem naming it. */
  async function verifyFinds(
    lane: Lane,
    expected: NonNullable<Tampering['expected']>,
  ): Promise<string | undefined> {
    const { key, problem } = expected;
    let report: VerifyReport;
    try {
      report = await verifyIn(lane.cli, fixture.key, fixture.storeId);
    } catch (error) {
      return `verify threw ${(error as Error).message}`;
    }
    if (
      !report.ok &&
      report.problems.some((found) => found.key === key && (!problem || found.problem === problem))
    )
      return undefined;
    const reported = report.problems.map((found) => `${found.problem} ${found.key}`).join(', ');
    return `verify ${report.ok ? 'found nothing' : `reported ${reported}`}, no ${problem ?? 'problem'} naming ${key}`;
  }

  /**
   * Tampers with a lane's store as `c` says, checks what `c` checks, and undoes it. With `rebuiltIndex`, only the
   * queries are checked, on an index rebuilt from the tampered store (as after `reindex`, or on another machine).
   */
  async function runCase(lane: Lane, c: Case, rebuiltIndex = false): Promise<Outcome> {
    const tampering = await tamper(fixture, c, new SeededRandom(c.seed), lane.cli.folder);
    const context = `case ${c.n}, ${c.kind} ${c.mutation}: ${tampering.what}`;
    const misses: string[] = [];
    let wrong: string[] = [];
    await write(lane, tampering.writes);
    try {
      if (rebuiltIndex) {
        await write(lane, new Map(INDEX_FILES.map((key) => [key, null])));
        wrong = await wrongAnswers(lane, tampering.queries);
      } else if (c.kind === Kind.INDEX)
        wrong = await wrongAnswers(lane, tampering.queries, {
          inFull: tampering.rebuilt === true,
          before: async () => {
            await restore(lane, INDEX_FILES);
            await write(lane, tampering.writes);
          },
        });
      else {
        const miss = tampering.expected && (await verifyFinds(lane, tampering.expected));
        if (miss) misses.push(`${context}: ${miss}`);
        if (c.queried) wrong = await wrongAnswers(lane, tampering.queries);
      }
    } finally {
      await restore(lane, [...tampering.writes.keys(), ...INDEX_FILES]);
    }
    return {
      case: c,
      rebuiltIndex,
      ...(tampering.expected ? { detected: misses.length === 0 } : {}),
      misses,
      wrongAnswers: wrong.map((answer) => `${context}: ${answer}`),
    };
  }

  /** Runs cases on the lanes, each lane one case at a time. */
  async function runCases(some: readonly Case[], rebuiltIndex = false): Promise<Outcome[]> {
    const results: Outcome[] = [];
    let next = 0;
    await Promise.all(
      lanes.map(async (lane) => {
        for (let c = some[next++]; c; c = some[next++]) results.push(await runCase(lane, c, rebuiltIndex));
      }),
    );
    return results.sort((a, b) => a.case.n - b.case.n);
  }

  /** Every file of every lane that is not as built: a tampering not undone would spoil the cases after it. */
  async function lanesChanged(): Promise<string[]> {
    const changed: string[] = [];
    for (const [i, lane] of lanes.entries()) {
      const files = await filesUnder(lane.cli.store);
      for (const key of new Set([...files.keys(), ...fixture.files.keys()])) {
        const now = files.get(key);
        const built = fixture.files.get(key);
        if (!now || !built || !now.equals(built))
          changed.push(`lane ${i}: ${key} ${!now ? 'gone' : !built ? 'added' : 'changed'}`);
      }
    }
    return changed;
  }

  const replay = () => console.error(`tamper suite seed ${SEED}: TAMPER_SEED=${SEED} replays it`);

  for (const kind of KINDS.filter((candidate) => candidate !== Kind.INDEX)) {
    const ofKind = cases.filter((c) => c.kind === kind);
    it(
      `a flipped, truncated, deleted or forged ${kind}: verify names it, and queries on the index as it was never answer it as good (${ofKind.length} cases)`,
      async () => {
        onTestFailed(replay);

        const found = await runCases(ofKind);
        outcomes.push(...found);

        expect.soft(found.flatMap((outcome) => outcome.misses)).toEqual([]);
        expect.soft(found.flatMap((outcome) => outcome.wrongAnswers)).toEqual([]);
        expect(await lanesChanged()).toEqual([]);
      },
      Math.max(60_000, ofKind.length * 2_000),
    );
  }

  const ofIndex = cases.filter((c) => c.kind === Kind.INDEX);
  it(
    `a forged or deleted index: queries answer as the store does, or fail; damaged bytes are measured (${ofIndex.length} cases)`,
    async () => {
      onTestFailed(replay);

      const found = await runCases(ofIndex);
      outcomes.push(...found);

      // Rows edited or removed with SQL, or the file deleted: never answered as good. Random bytes flipped or cut
      // off a cache file are damage SQLite may not notice (it keeps no page checksums): measured in the summary.
      expect
        .soft(
          found.filter((outcome) => !isFileDamage(outcome.case)).flatMap((outcome) => outcome.wrongAnswers),
        )
        .toEqual([]);
      expect(await lanesChanged()).toEqual([]);
    },
    Math.max(60_000, ofIndex.length * 2_000),
  );

  const sampled = cases.filter((c) => c.kind !== Kind.INDEX && c.queried);
  it(
    `an index rebuilt from a tampered store never answers what was tampered with as good (${sampled.length} cases)`,
    async () => {
      onTestFailed(replay);

      const found = await runCases(sampled, true);
      outcomes.push(...found);

      expect.soft(found.flatMap((outcome) => outcome.wrongAnswers)).toEqual([]);
      expect(await lanesChanged()).toEqual([]);
    },
    Math.max(60_000, sampled.length * 2_000),
  );
});

/** Whether a case damages the index file's bytes (flipped, cut off) rather than its rows or its existence. */
function isFileDamage(c: Case): boolean {
  return c.kind === Kind.INDEX && (c.mutation === Mutation.FLIP || c.mutation === Mutation.TRUNCATE);
}

/** One line for the README: cases per kind, how many `verify` found, how many answers were wrong. */
function summary(outcomes: readonly Outcome[], elapsedMs: number): string {
  const tampered = outcomes.filter((outcome) => !outcome.rebuiltIndex);
  const verified = tampered.filter((outcome) => outcome.detected !== undefined);
  const perKind = KINDS.filter((kind) => kind !== Kind.INDEX).map((kind) => {
    const ofKind = verified.filter((outcome) => outcome.case.kind === kind);
    return `${kind} ${ofKind.filter((outcome) => outcome.detected).length}/${ofKind.length}`;
  });
  const wrong = (some: readonly Outcome[]) =>
    `${some.filter((outcome) => outcome.wrongAnswers.length > 0).length}/${some.length}`;
  const index = tampered.filter((outcome) => outcome.case.kind === Kind.INDEX && !isFileDamage(outcome.case));
  const indexDamage = tampered.filter(
    (outcome) => outcome.case.kind === Kind.INDEX && isFileDamage(outcome.case),
  );
  const sampled = tampered.filter((outcome) => outcome.case.kind !== Kind.INDEX && outcome.case.queried);
  return (
    `tamper suite (seed ${SEED}): ${tampered.length} cases in ${Math.round(elapsedMs / 1000)} s, each kind ` +
    `flipped, truncated, deleted and forged in turn; verify detected ` +
    `${verified.filter((outcome) => outcome.detected).length}/${verified.length} (${perKind.join(', ')}); ` +
    `queries answered otherwise than the untampered store with exit 0 in ${wrong(index)} cases of a forged or ` +
    `deleted index (${wrong(indexDamage)} of bytes flipped or cut off the index file, unchecked), and in ` +
    `${wrong(sampled)} other cases sampled with the index as it was, ` +
    `${wrong(outcomes.filter((outcome) => outcome.rebuiltIndex))} with it rebuilt from the tampered store`
  );
}
