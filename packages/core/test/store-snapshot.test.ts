import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubCredentials } from '../../../test/support/environment.js';
import { type S3Server, startS3Server } from '../../../test/support/s3-server.js';
import type { StoreBackend } from '../src/store/backend.js';
import { INDEX_SCHEMA_VERSION, IndexDb } from '../src/store/index-db.js';
import { type IndexSnapshot, restoreLatestSnapshot } from '../src/store/index-snapshot.js';
import { StoreLayout, versionKey } from '../src/store/layout.js';
import { LocalBackend } from '../src/store/local-backend.js';
import { S3Backend } from '../src/store/s3-backend.js';
import { type IndexOptions, VersionStore } from '../src/store/version-store.js';
import { baselineDraft, draft, SITE_BUCKET } from './support/version-drafts.js';

const STORE_BUCKET = 'tidemark-snapshots';
/** Versions written before a snapshot is published, and after. */
const BEFORE = 12;
const AFTER = 4;
const LATER = '2027-01-01T00:00:00.000Z';

/** `n` distinct resources' first versions, then a second version of the first `n / 2`, from `start`. */
async function appendVersions(store: VersionStore, count: number, start: number): Promise<string[]> {
  const keys: string[] = [];
  for (let n = start; n < start + count; n++) {
    const resource = { ...SITE_BUCKET, id: `bucket-${n % Math.ceil((start + count) / 2)}` };
    const day = String(1 + (n % 28)).padStart(2, '0');
    const { version } = await store.append(
      await draft(store, resource, { n }, `2026-01-${day}T00:00:00.000Z`),
    );
    if (version) keys.push(versionKey(version.record.resource, version.record.seq));
  }
  return keys;
}

/** Everything a user can ask the index: state, every history, baselines, counts. */
function answers(store: VersionStore) {
  const state = store.index.stateAt(LATER);
  return {
    state,
    histories: state.map(({ resource }) => store.index.history(resource)),
    baselines: store.baselines(),
    counts: store.index.counts(),
  };
}

/** Opens `backend` with a new, empty cache folder under `scratch`, collecting warnings. */
async function openCold(backend: StoreBackend, scratch: string, options: IndexOptions = {}) {
  const warnings: string[] = [];
  const store = await VersionStore.openBackend(backend, {
    cacheDirectory: await mkdtemp(path.join(scratch, 'cache-')),
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  return { store, warnings };
}

describe('index snapshots of an S3 store', () => {
  let server: S3Server;
  let scratch: string;
  const opened: VersionStore[] = [];

  beforeAll(async () => {
    server = await startS3Server({ buckets: [STORE_BUCKET] });
    stubCredentials(server.credentials);
    scratch = await mkdtemp(path.join(tmpdir(), 'tidemark-snapshot-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
  });

  /** The store under `prefix`, with every S3 request it sends recorded (command and key, without the prefix). */
  function countedBackend(prefix: string) {
    const backend = new S3Backend({ bucket: STORE_BUCKET, prefix, endpointUrl: server.endpoint });
    const requests: Array<{ command: string; key?: string }> = [];
    backend.client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key;
        requests.push({
          command: String(context.commandName),
          ...(key ? { key: key.slice(prefix.length) } : {}),
        });
        return next(args);
      },
      { step: 'initialize', name: 'recordRequests' },
    );
    const gets = () =>
      requests
        .filter((request) => request.command === 'GetObjectCommand')
        .map((request) => request.key)
        .sort();
    return { backend, requests, gets };
  }

  async function open(prefix: string, options: IndexOptions = {}) {
    const cold = await openCold(countedBackend(prefix).backend, scratch, options);
    opened.push(cold.store);
    return cold;
  }

  /** A store under `prefix` with BEFORE versions and a baseline, its snapshot published, then AFTER more. */
  async function storeWithSnapshot(prefix: string) {
    const { store: writer } = await open(prefix);
    await appendVersions(writer, BEFORE, 0);
    await writer.appendBaseline(baselineDraft('v1.0'));
    const snapshot = await writer.publishSnapshot();
    const newKeys = await appendVersions(writer, AFTER, BEFORE);
    return { writer, snapshot, newKeys };
  }

  /** The answers of an index rebuilt from the store alone. */
  async function rebuilt(prefix: string) {
    const { store } = await open(prefix);
    await store.rebuildIndex();
    return answers(store);
  }

  it('opens a fresh cache with one snapshot download and the records written since, answering as a rebuild', async () => {
    const { snapshot, newKeys } = await storeWithSnapshot('fresh/');
    const counted = countedBackend('fresh/');

    const { store, warnings } = await openCold(counted.backend, scratch);
    opened.push(store);

    expect(snapshot.counts).toEqual({ resources: BEFORE / 2, versions: BEFORE, baselines: 1 });
    expect(store.restoredFrom).toEqual(snapshot);
    expect(counted.gets()).toEqual(
      [StoreLayout.INDEX_POINTER, snapshot.key, StoreLayout.IDENTITY, ...newKeys].sort(),
    );
    expect(warnings).toEqual([]);
    expect(answers(store)).toEqual(await rebuilt('fresh/'));
    expect(store.index.counts().versions).toBe(BEFORE + AFTER);
  });

  it('rebuilds with a warning, and the same answers, when the snapshot bytes were changed', async () => {
    const { snapshot } = await storeWithSnapshot('tampered/');
    const counted = countedBackend('tampered/');
    const bytes = (await counted.backend.read(snapshot.key)) as Buffer;
    const middle = bytes.length >> 1;
    bytes.writeUInt8((bytes.readUInt8(middle) + 1) % 256, middle);
    await counted.backend.put(snapshot.key, bytes);
    counted.requests.length = 0;

    const { store, warnings } = await openCold(counted.backend, scratch);
    opened.push(store);

    expect(warnings).toEqual([
      expect.stringMatching(/^cannot use the index snapshot of s3:\/\/tidemark-snapshots\/tampered: /),
    ]);
    expect(warnings[0]).toContain(snapshot.key);
    expect(warnings[0]).toMatch(/; rebuilding the index from the store$/);
    expect(store.restoredFrom).toBeUndefined();
    expect(counted.gets().filter((key) => key?.startsWith(StoreLayout.VERSIONS))).toHaveLength(
      BEFORE + AFTER,
    );
    expect(answers(store)).toEqual(await rebuilt('tampered/'));
  });

  it('rebuilds with a warning when the snapshot is valid gzip but not the one its pointer names', async () => {
    const { snapshot } = await storeWithSnapshot('swapped/');
    const backend = countedBackend('swapped/').backend;
    await backend.put(snapshot.key, gzipSync(Buffer.from('not an index')));

    const { store, warnings } = await openCold(backend, scratch);
    opened.push(store);

    expect(warnings).toEqual([expect.stringContaining(`: ${snapshot.key} hashes to `)]);
    expect(warnings[0]).toContain(`its pointer says ${snapshot.sha256}`);
    expect(answers(store)).toEqual(await rebuilt('swapped/'));
  });

  it('rebuilds with a warning when the pointer names a snapshot that is not there, or is not a pointer', async () => {
    const { snapshot, writer } = await storeWithSnapshot('missing/');
    const expected = answers(writer);
    const backend = countedBackend('missing/').backend;
    await backend.put(
      StoreLayout.INDEX_POINTER,
      Buffer.from(JSON.stringify({ ...snapshot, key: `${StoreLayout.INDEX_SNAPSHOTS}gone.sqlite.gz` })),
    );
    const missing = await openCold(backend, scratch);
    opened.push(missing.store);
    await backend.put(StoreLayout.INDEX_POINTER, Buffer.from('{"schema":1,"key":'));
    const garbled = await openCold(backend, scratch);
    opened.push(garbled.store);

    expect(missing.warnings).toEqual([
      expect.stringContaining(': index/snapshots/gone.sqlite.gz is missing from the store; rebuilding'),
    ]);
    expect(garbled.warnings).toEqual([
      expect.stringContaining(': index/latest.json is not a valid snapshot pointer: '),
    ]);
    expect(answers(missing.store)).toEqual(expected);
    expect(answers(garbled.store)).toEqual(expected);
  });

  it('neither downloads nor keeps a snapshot of an older index schema: it rebuilds, then publishes one of its own', async () => {
    const { snapshot, writer } = await storeWithSnapshot('older/');
    const expected = answers(writer);
    const counted = countedBackend('older/');
    await counted.backend.put(
      StoreLayout.INDEX_POINTER,
      Buffer.from(JSON.stringify({ ...snapshot, indexSchema: '1' })),
    );
    counted.requests.length = 0;

    const { store, warnings } = await openCold(counted.backend, scratch, { snapshotAfter: 10 });
    opened.push(store);
    const republished = await store.publishSnapshotIfDue();

    expect(counted.gets()).not.toContain(snapshot.key);
    expect(warnings).toEqual([
      expect.stringContaining(
        `: ${snapshot.key} is of index schema 1, this version of Tidemark reads ${INDEX_SCHEMA_VERSION};`,
      ),
    ]);
    expect(answers(store)).toEqual(expected);
    expect(republished?.indexSchema).toBe(INDEX_SCHEMA_VERSION);
    expect(
      JSON.parse((await counted.backend.read(StoreLayout.INDEX_POINTER))?.toString() ?? '{}'),
    ).toMatchObject({
      key: republished?.key,
      indexSchema: INDEX_SCHEMA_VERSION,
    });
  });

  it('publishes when enough records were indexed since the latest snapshot, and not when another writer just did', async () => {
    const { store: first } = await open('due/', { snapshotAfter: 3 });
    const { store: second } = await open('due/', { snapshotAfter: 3 });

    await appendVersions(first, 2, 0);
    const early = await first.publishSnapshotIfDue();
    await appendVersions(first, 2, 2);
    const due = await first.publishSnapshotIfDue();
    await second.refresh();
    const afterOther = await second.publishSnapshotIfDue();
    const latest = await countedBackend('due/').backend.read(StoreLayout.INDEX_POINTER);

    expect(early).toBeUndefined();
    expect(due?.counts.versions).toBe(4);
    expect(afterOther).toBeUndefined();
    expect(JSON.parse(latest?.toString() ?? '{}')).toMatchObject({ key: due?.key, sha256: due?.sha256 });
  });

  it('moves the pointer forward only: an older snapshot published last does not replace a newer one', async () => {
    const { store: older } = await open('forward/');
    const { store: newer } = await open('forward/');
    await appendVersions(newer, 2, 0);
    await newer.refresh();

    const published: IndexSnapshot = await newer.publishSnapshot();
    await older.publishSnapshot();
    const latest = await countedBackend('forward/').backend.read(StoreLayout.INDEX_POINTER);

    expect(JSON.parse(latest?.toString() ?? '{}')).toMatchObject({ key: published.key });
  });
});

describe('index snapshots of a local store', () => {
  let folder: string;
  let store: VersionStore;

  afterEach(async () => {
    store?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('restores the index beside the store from its snapshot and catches up, even after stopping half-way', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-snapshot-local-'));
    store = await VersionStore.open(folder);
    await appendVersions(store, BEFORE, 0);
    const snapshot = await store.publishSnapshot();
    const newKeys = await appendVersions(store, AFTER, BEFORE);
    const expected = answers(store);
    store.close();
    const indexFile = IndexDb.fileIn(folder);
    await unlink(indexFile);
    // A previous open restored the snapshot, then stopped before catching up.
    expect(await restoreLatestSnapshot(new LocalBackend(folder), indexFile, () => undefined)).toEqual(
      snapshot,
    );
    const backend = new LocalBackend(folder);
    const reads = vi.spyOn(backend, 'read');

    store = await VersionStore.openBackend(backend);

    expect(reads.mock.calls.map(([key]) => key).sort()).toEqual([StoreLayout.IDENTITY, ...newKeys].sort());
    expect(answers(store)).toEqual(expected);
  });

  it('reads every record once when reindexing a store with no index yet', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-snapshot-reindex-'));
    store = await VersionStore.open(folder);
    await appendVersions(store, BEFORE, 0);
    store.close();
    await unlink(IndexDb.fileIn(folder));
    const backend = new LocalBackend(folder);
    const readAll = backend.readAll.bind(backend);
    const versionsRead: string[] = [];
    vi.spyOn(backend, 'readAll').mockImplementation(async function* (prefix) {
      for await (const files of readAll(prefix)) {
        if (prefix === StoreLayout.VERSIONS) versionsRead.push(...files.map((file) => file.key));
        yield files;
      }
    });
    const reads = vi.spyOn(backend, 'read');

    store = await VersionStore.openBackend(backend);
    const report = await store.rebuildIndex();

    expect(report).toEqual({ versions: BEFORE, baselines: 0, invalid: [], removed: [] });
    expect(new Set(versionsRead).size).toBe(BEFORE);
    expect(versionsRead).toHaveLength(BEFORE);
    expect((await store.rebuildIndex()).versions).toBe(BEFORE);
    expect(versionsRead).toHaveLength(2 * BEFORE);
    expect(reads.mock.calls.filter(([key]) => key.startsWith(StoreLayout.VERSIONS))).toEqual([]);
  });
});
