import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson, sha256Hex } from '../src/canonical/canonicalise.js';
import { StoreError, WrongKeyError } from '../src/errors.js';
import { StoreKey } from '../src/secrets/store-key.js';
import { INDEX_SCHEMA_VERSION, type VersionEntry } from '../src/store/index-db.js';
import { rebuildIndex } from '../src/store/index-sync.js';
import {
  baselineKey,
  blobKey,
  journalEntry,
  journalKey,
  resourceFolder,
  StoreLayout,
  versionKey,
} from '../src/store/layout.js';
import type { VersionRecord } from '../src/store/records.js';
import { openSqlite } from '../src/store/sqlite.js';
import { verifyStore } from '../src/store/verify.js';
import { VersionStore } from '../src/store/version-store.js';
import type { Json } from '../src/types/json.js';
import type { ResourceRef } from '../src/types/resource.js';
import { baselineDraft, draft, SITE_BUCKET } from './support/version-drafts.js';

/** The tables of the index of Tidemark before its schema 2 (as an older CLI left it in a store's folder). */
const SCHEMA_1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE resources (rid TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL);
CREATE INDEX resources_type ON resources (type, region);
CREATE TABLE versions (
  rid TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, captured_at TEXT NOT NULL,
  deleted INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (rid, seq)
) WITHOUT ROWID;
CREATE INDEX versions_time ON versions (captured_at);
CREATE TABLE baselines (
  seq INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
  started_at TEXT NOT NULL, completed_at TEXT NOT NULL, manifest TEXT NOT NULL
);`;

const bucket = SITE_BUCKET;

describe('VersionStore', () => {
  let folder: string;
  let store: VersionStore;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-store-'));
    store = await VersionStore.open(folder);
  });
  afterEach(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** Appends buckets b1 and b2 (on Jan 1 and 2) and returns the state the index answers after them. */
  async function twoBucketsState(): Promise<VersionEntry[]> {
    for (const n of [1, 2])
      await store.append(
        await draft(store, { ...bucket, id: `b${n}` }, { n }, `2026-01-0${n}T00:00:00.000Z`),
      );
    return store.index.stateAt('2026-01-03T00:00:00.000Z');
  }

  it('chains versions of a resource and appends nothing for an identical capture', async () => {
    const first = await store.append(await draft(store, bucket, { v: 1 }, '2026-01-01T00:00:00.000Z'));
    const same = await store.append(await draft(store, bucket, { v: 1 }, '2026-01-02T00:00:00.000Z'));
    const second = await store.append(await draft(store, bucket, { v: 2 }, '2026-01-03T00:00:00.000Z'));

    expect(first.appended).toBe(true);
    expect(same.appended).toBe(false);
    expect(second.version?.record.seq).toBe(2);
    expect(second.version?.record.prev).toBe(first.version?.hash);
    const bytes = await readFile(path.join(folder, versionKey(bucket, 2)));
    expect(sha256Hex(bytes)).toBe(second.version?.hash);
  });

  it('stores identical content once', async () => {
    const a = await store.content.putBytes(Buffer.from('same bytes'));
    const b = await store.content.putBytes(Buffer.from('same bytes'));

    expect(a).toMatchObject({ written: true, size: 10 });
    expect(b).toMatchObject({ hash: a.hash, written: false });
  });

  it('rejects content that does not hash to what was promised, keeping nothing', async () => {
    const put = store.content.putStream(Readable.from([Buffer.from('zip bytes')]), {
      expectedHash: '0'.repeat(64),
    });

    await expect(put).rejects.toThrow(/expected 0000/);
    expect(await store.content.has(sha256Hex('zip bytes'))).toBe(false);
  });

  it('never loses a version when two writers append to the same resource at once', async () => {
    const other = await VersionStore.open(folder);
    const drafts = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        draft(store, bucket, { n }, `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`),
      ),
    );
    const results = await Promise.all(drafts.map((d, n) => (n % 2 ? other : store).append(d)));
    other.close();

    expect(results.filter((r) => r.appended)).toHaveLength(20);
    await store.rebuildIndex();
    expect(store.index.history(bucket).map((v) => v.seq)).toEqual(
      Array.from({ length: 20 }, (_, n) => n + 1),
    );
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('rebuilds a deleted index from the store with identical answers', async () => {
    for (const n of [1, 2, 3])
      await store.append(
        await draft(store, { ...bucket, id: `b${n}` }, { n }, `2026-01-0${n}T00:00:00.000Z`),
      );
    await store.appendBaseline(baselineDraft('v1.0'));
    const before = { state: store.index.stateAt('2026-01-02T12:00:00.000Z'), baselines: store.baselines() };
    store.close();
    await unlink(path.join(folder, 'index.sqlite'));

    store = await VersionStore.open(folder);

    expect({ state: store.index.stateAt('2026-01-02T12:00:00.000Z'), baselines: store.baselines() }).toEqual(
      before,
    );
    expect(before.state.map((v) => v.resource.id)).toEqual(['b1', 'b2']);
  });

  it('replaces an index file that is not a database (a crash during a rebuild) with a rebuilt one', async () => {
    const before = await twoBucketsState();
    store.close();
    await writeFile(path.join(folder, 'index.sqlite'), Buffer.alloc(8192, 0x5a));

    store = await VersionStore.open(folder);

    expect(store.index.stateAt('2026-01-03T00:00:00.000Z')).toEqual(before);
    expect(before.map((v) => v.resource.id)).toEqual(['b1', 'b2']);
  });

  it('empties an index an older Tidemark made (schema 1) and rebuilds it, with the same answers', async () => {
    const before = await twoBucketsState();
    store.close();
    const file = path.join(folder, 'index.sqlite');
    for (const suffix of ['', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
    const old = openSqlite(file);
    old.exec(SCHEMA_1);
    old.exec(`INSERT INTO meta VALUES ('schema', '1'), ('journal-checkpoint', '2026-01-05T00:00:00.000Z');
      INSERT INTO resources VALUES ('${'0'.repeat(40)}', '123456789012', 'us-east-1', 'AWS::S3::Bucket', 'gone');`);
    old.close();

    store = await VersionStore.open(folder);

    expect(store.index.schemaVersion()).toBe(INDEX_SCHEMA_VERSION);
    expect(store.index.stateAt('2026-01-03T00:00:00.000Z')).toEqual(before);
    expect(store.index.findResources({ id: 'gone' })).toEqual([]);
  });

  it('files a version under its own resource after another process rebuilt the index it shares', async () => {
    // Two ids whose store folders sort opposite to the order they are first captured in: a rebuild numbers them anew.
    const [first, second] = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6']
      .map((id) => ({ ...bucket, id }))
      .sort((a, b) => (resourceFolder(a) < resourceFolder(b) ? 1 : -1)) as ResourceRef[];
    const other = await VersionStore.open(folder);
    try {
      await store.append(await draft(store, first as ResourceRef, { n: 1 }, '2026-01-01T00:00:00.000Z'));
      await other.append(await draft(other, second as ResourceRef, { n: 2 }, '2026-01-02T00:00:00.000Z'));
      await rebuildIndex(store);

      await other.append(await draft(other, second as ResourceRef, { n: 3 }, '2026-01-03T00:00:00.000Z'));

      expect(store.index.history(first as ResourceRef).map((v) => v.seq)).toEqual([1]);
      expect(store.index.history(second as ResourceRef).map((v) => v.seq)).toEqual([1, 2]);
      expect(other.latest(second as ResourceRef)?.record.seq).toBe(2);
    } finally {
      other.close();
    }
  });

  it('indexes on open a version its writer stored but stopped before indexing', async () => {
    const { version: first } = await store.append(
      await draft(store, bucket, { n: 1 }, '2026-01-01T00:00:00.000Z'),
    );
    // What a writer killed between writing the record (after its journal entry) and indexing it leaves behind.
    const second = {
      ...(first?.record as VersionRecord),
      ...(await draft(store, bucket, { n: 2 }, '2026-01-02T00:00:00.000Z')),
      seq: 2,
      prev: first?.hash ?? null,
    };
    const key = versionKey(bucket, 2);
    await store.backend.create(journalKey(key, new Date()), new Uint8Array());
    await store.backend.create(key, Buffer.from(canonicalJson(second as unknown as Json), 'utf8'));
    store.close();

    store = await VersionStore.open(folder);

    expect(store.index.history(bucket).map((v) => v.seq)).toEqual([1, 2]);
    expect((await verifyStore(store)).ok).toBe(true);
  });

  it('refuses to write a version that would not be a valid record, and writes nothing', async () => {
    const valid = await draft(store, bucket, { n: 1 }, '2026-01-01T00:00:00.000Z');

    const appended = store.append({ ...valid, capturedAt: '2026-01-01T00:00:00Z' });

    await expect(appended).rejects.toThrow(StoreError);
    await expect(appended).rejects.toThrow(
      `refusing to write ${versionKey(bucket, 1)}: it would not be a valid record`,
    );
    const written: string[] = [];
    for await (const key of store.backend.list('')) if (!key.startsWith(StoreLayout.BLOBS)) written.push(key);
    expect(written.filter((key) => key !== 'index.sqlite' && !key.startsWith('index.sqlite-'))).toEqual([]);
    expect(store.index.history(bucket)).toEqual([]);
  });

  it('labels baselines v1.0, v1.1… and refuses a label twice', async () => {
    const baseline = (label: string) => store.appendBaseline(baselineDraft(label));
    const first = await baseline(await store.takeLabel());
    const second = await baseline(await store.takeLabel());

    expect([first.record.label, second.record.label]).toEqual(['v1.0', 'v1.1']);
    expect(second.record.prev).toBe(first.hash);
    await expect(baseline('v1.0')).rejects.toThrow('a baseline labelled v1.0 already exists');
    await expect(store.takeLabel('v1.0')).rejects.toThrow('a baseline labelled v1.0 already exists');
  });

  it('gives racing unlabelled baselines different labels, and never one a baseline that stopped took', async () => {
    const stopped = await store.takeLabel();
    const racing = await Promise.all([store.takeLabel(), store.takeLabel(), store.takeLabel()]);

    expect(stopped).toBe('v1.0');
    expect(racing.sort()).toEqual(['v1.1', 'v1.2', 'v1.3']);
    await expect(store.takeLabel('v1.2')).rejects.toThrow(
      'a baseline labelled v1.2 already exists or is under way',
    );
  });
});

describe('index refresh from the journal', () => {
  let folder: string;
  let writer: VersionStore;
  let reader: VersionStore;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-refresh-'));
    writer = await VersionStore.open(folder);
    reader = await VersionStore.open(folder, { cacheDirectory: path.join(folder, 'reader-cache') });
  });
  afterEach(async () => {
    vi.useRealTimers();
    writer.close();
    reader.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('announces every record in the journal before writing it', async () => {
    await writer.append(await draft(writer, bucket, { v: 1 }, '2026-01-01T00:00:00.000Z'));
    await writer.appendBaseline(baselineDraft('v1.0'));

    const announced: (string | undefined)[] = [];
    for await (const key of writer.backend.list(StoreLayout.JOURNAL))
      announced.push(journalEntry(key)?.recordKey);

    expect(announced.sort()).toEqual([baselineKey(1), versionKey(bucket, 1)]);
  });

  it('catches up with a writer whose clock runs behind, within the overlap window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 10 * 60_000);
    await writer.append(await draft(writer, bucket, { v: 1 }, '2026-01-01T00:00:00.000Z'));
    vi.useRealTimers();

    const report = await reader.refresh();

    expect(report).toEqual({
      rebuilt: false,
      versions: 1,
      baselines: 0,
      missing: 0,
      invalid: [],
      removed: [],
    });
    expect(reader.latest(bucket)).toEqual(writer.latest(bucket));
  });

  it('skips a journal entry whose record never came (its writer stopped) without failing', async () => {
    await writer.backend.create(journalKey(versionKey(bucket, 1), new Date()), new Uint8Array());

    const report = await reader.refresh();

    expect(report).toEqual({
      rebuilt: false,
      versions: 0,
      baselines: 0,
      missing: 1,
      invalid: [],
      removed: [],
    });
    expect(reader.latest(bucket)).toBeUndefined();
  });

  it('leaves a damaged record out with a warning, indexing everything else, in a refresh and a rebuild', async () => {
    const other = { ...bucket, id: 'other' };
    await writer.append(await draft(writer, bucket, { v: 1 }, '2026-01-01T00:00:00.000Z'));
    await writer.append(await draft(writer, other, { v: 1 }, '2026-01-01T00:00:00.000Z'));
    await truncate(path.join(folder, versionKey(bucket, 1)), 20);
    const warnings: string[] = [];
    const cold = await VersionStore.open(folder, {
      cacheDirectory: path.join(folder, 'cold-cache'),
      onWarning: (message) => warnings.push(message),
    });

    try {
      const refreshed = await reader.refresh();
      const rebuilt = await cold.rebuildIndex();

      expect(refreshed).toMatchObject({ versions: 1, invalid: [versionKey(bucket, 1)] });
      expect(rebuilt).toEqual({ versions: 1, baselines: 0, invalid: [versionKey(bucket, 1)], removed: [] });
      expect(cold.latest(other)?.record.seq).toBe(1);
      expect(cold.latest(bucket)).toBeUndefined();
      expect(warnings).toContainEqual(expect.stringContaining(`${versionKey(bucket, 1)} in ${folder}`));
    } finally {
      cold.close();
    }
  });
});

describe('verifyStore', () => {
  let folder: string;
  let store: VersionStore;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-verify-'));
    store = await VersionStore.open(folder);
    for (const n of [1, 2, 3])
      await store.append(await draft(store, bucket, { n }, `2026-01-0${n}T00:00:00.000Z`));
  });
  afterEach(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('passes a consistent store', async () => {
    const report = await verifyStore(store);

    expect(report).toMatchObject({ ok: true, checked: { versions: 3, blobs: 3 } });
  });

  it('reports a corrupted blob', async () => {
    const document = store.index.latest(bucket)?.record.document as string;
    await writeFile(path.join(folder, blobKey(document)), 'tampered');

    const report = await verifyStore(store);

    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ key: blobKey(document), problem: 'corrupted' }),
    );
  });

  it('reports a missing version and the break in the chain', async () => {
    await unlink(path.join(folder, versionKey(bucket, 2)));

    const report = await verifyStore(store);

    expect(report.problems).toContainEqual(
      expect.objectContaining({
        key: versionKey(bucket, 3),
        problem: 'missing',
        detail: expect.stringContaining('version 2'),
      }),
    );
  });

  it('reports a half-written record', async () => {
    await truncate(path.join(folder, versionKey(bucket, 3)), 20);

    const report = await verifyStore(store);

    expect(report.problems).toContainEqual(
      expect.objectContaining({ key: versionKey(bucket, 3), problem: 'invalid' }),
    );
  });
});

describe('LocalBackend writes', () => {
  let folder: string;
  let store: VersionStore;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-crash-'));
    store = await VersionStore.open(folder);
  });
  afterEach(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('leaves no blob and no temporary file behind when the source fails half way', async () => {
    async function* interrupted() {
      yield Buffer.from('the first half of an object');
      throw new Error('connection reset');
    }

    await expect(store.content.putStream(interrupted())).rejects.toThrow(/cannot write a blob/);

    expect(await readdir(path.join(folder, 'tmp'))).toEqual([]);
    expect((await verifyStore(store)).checked.blobs).toBe(0);
  });
});

describe('a store written with a key', () => {
  let folder: string;
  let caches: string;
  const key = new StoreKey(Buffer.alloc(32, 3));

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-keyed-'));
    caches = await mkdtemp(path.join(tmpdir(), 'tidemark-caches-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
    await rm(caches, { recursive: true, force: true });
  });

  it('keeps every record of eight concurrent writers in one chain of signed log heads', async () => {
    const writers = await Promise.all(
      Array.from({ length: 8 }, () =>
        VersionStore.open(folder, {
          key,
          cacheDirectory: mkdtempSync(path.join(caches, 'cache-')),
        }),
      ),
    );
    try {
      await Promise.all(
        writers.map(async (writer, n) => {
          for (let round = 0; round < 3; round++) {
            await writer.append(
              await draft(
                writer,
                { ...bucket, id: `bucket-${n}` },
                { round },
                `2026-01-0${round + 1}T00:00:00.000Z`,
              ),
            );
            await writer.appendLogHead();
          }
        }),
      );
      const reader = await VersionStore.open(folder, { key, withoutIndex: true });
      const report = await verifyStore(reader);

      expect(report).toMatchObject({ ok: true, authenticated: true, unlogged: 0, problems: [] });
      expect(report.checked).toMatchObject({ versions: 24, logHeads: 24 });
      expect(reader.identity?.keyId).toBe(key.keyId);
    } finally {
      for (const writer of writers) writer.close();
    }
  });

  it('is refused to a writer or reader holding another key', async () => {
    const writer = await VersionStore.open(folder, { key });
    await writer.append(await draft(writer, bucket, { v: 1 }, '2026-01-01T00:00:00.000Z'));
    writer.close();

    await expect(VersionStore.open(folder, { key: new StoreKey(Buffer.alloc(32, 4)) })).rejects.toThrow(
      WrongKeyError,
    );
  });

  it('removes the temporary files of writers that were killed, and keeps those still being written', async () => {
    const tmp = path.join(folder, 'tmp');
    await mkdir(tmp, { recursive: true });
    const dead = path.join(tmp, '2147480000-killed');
    const live = path.join(tmp, `${process.pid}-in-progress`);
    for (const file of [dead, live]) {
      await writeFile(file, 'half');
      const old = new Date(Date.now() - 10 * 60_000);
      await utimes(file, old, old);
    }

    (await VersionStore.open(folder)).close();

    expect((await readdir(tmp)).sort()).toEqual([path.basename(live)]);
  });
});
