import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  PutObjectCommand,
  S3Client,
  type S3ClientResolvedConfig,
  S3ServiceException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { SITE_DOMAINS, SimulatedAccount } from '@tidemark/simulation';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { stubCredentials } from '../../../test/support/environment.js';
import { type S3Server, startS3Server } from '../../../test/support/s3-server.js';
import { AwsClients } from '../src/aws/clients.js';
import { runBaseline } from '../src/capture/baseline.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { ingestEvents } from '../src/capture/ingest.js';
import { ContentMismatchError, InputError, StoreError } from '../src/errors.js';
import { registry } from '../src/resources/registry.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { blobKey, versionKey } from '../src/store/layout.js';
import { parseStoreLocation } from '../src/store/location.js';
import { S3Backend } from '../src/store/s3-backend.js';
import { verifyStore } from '../src/store/verify.js';
import { VersionStore } from '../src/store/version-store.js';
import { baselineDraft, draft, SITE_BUCKET } from './support/version-drafts.js';

const STORE_BUCKET = 'tidemark-store';
/** A bucket of the simulated account that also holds a store on the S3-protocol server. */
const SITE_AS_STORE = SITE_DOMAINS[0] as string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('on an S3-protocol server', () => {
  let server: S3Server;
  let scratch: string;
  const opened: VersionStore[] = [];

  beforeAll(async () => {
    server = await startS3Server({ buckets: [STORE_BUCKET, SITE_AS_STORE] });
    stubCredentials(server.credentials);
    scratch = await mkdtemp(path.join(tmpdir(), 'tidemark-store-s3-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
  });

  /** A store at `s3://bucket/prefix` with an index of its own (a fresh cache folder). */
  async function openStore(prefix: string, bucket = STORE_BUCKET): Promise<VersionStore> {
    const store = await VersionStore.open(`s3://${bucket}/${prefix}`, {
      endpointUrl: server.endpoint,
      cacheDirectory: await mkdtemp(path.join(scratch, 'cache-')),
    });
    opened.push(store);
    return store;
  }

  function backend(prefix: string): S3Backend {
    return new S3Backend({
      bucket: STORE_BUCKET,
      prefix,
      endpointUrl: server.endpoint,
      cacheDirectory: scratch,
    });
  }

  async function keysOf(
    store: { list(prefix: string, startAfter?: string): AsyncIterable<string> },
    prefix = '',
  ) {
    const keys: string[] = [];
    for await (const key of store.list(prefix)) keys.push(key);
    return keys;
  }

  describe('S3Backend', () => {
    it('creates a key once, replaces it only with put, and reads nothing where nothing is', async () => {
      const store = backend('basics/');

      const created = await store.create('checkpoints/a.json', Buffer.from('first'));
      const again = await store.create('checkpoints/a.json', Buffer.from('second'));
      const afterCreate = (await store.read('checkpoints/a.json'))?.toString();
      await store.put('checkpoints/a.json', Buffer.from('third'));

      expect([created, again, afterCreate]).toEqual([true, false, 'first']);
      expect((await store.read('checkpoints/a.json'))?.toString()).toBe('third');
      expect(await store.read('checkpoints/none.json')).toBeUndefined();
      expect(await store.readStream('checkpoints/none.json')).toBeUndefined();
      expect(await store.exists('checkpoints/none.json')).toBe(false);
    });

    it('lets exactly one of many racing writers create a key', async () => {
      const store = backend('race/');

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          store.create('versions/x/0000000001.json', Buffer.from(`writer ${n}`)),
        ),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await store.read('versions/x/0000000001.json'))?.toString()).toBe(`writer ${winner}`);
    });

    it('lists its own keys in order, page after page, and only those after a start key', async () => {
      const store = backend('paging/');
      const keys = Array.from({ length: 1_001 }, (_, n) => `journal/k${String(n).padStart(5, '0')}`);
      for (let n = 0; n < keys.length; n += 50)
        await Promise.all(keys.slice(n, n + 50).map((key) => store.put(key, new Uint8Array())));
      await backend('paging-other/').put('journal/k99999', new Uint8Array());

      const listed = await keysOf(store, 'journal/');
      const after: string[] = [];
      for await (const key of store.list('journal/', 'journal/k00990')) after.push(key);

      expect(listed).toEqual(keys);
      expect(after).toEqual(keys.slice(991));
    });

    it('stores a blob once, streams a large one up in parts, and keeps nothing of content that does not match', async () => {
      const store = backend('blobs/');
      const temp = await mkdtemp(path.join(scratch, 'tmp-'));
      const previousTmp = process.env.TMPDIR;
      vi.stubEnv('TMPDIR', temp);
      onTestFinished(() => {
        vi.stubEnv('TMPDIR', previousTmp);
      });
      const large = randomBytes(6 * 1024 * 1024 + 17);

      const first = await store.putBlob(Readable.from([Buffer.from('same')]), blobKey);
      const second = await store.putBlob(Readable.from([Buffer.from('same')]), blobKey);
      const big = await store.putBlob(
        Readable.from([large.subarray(0, 1_000_000), large.subarray(1_000_000)]),
        blobKey,
      );
      const mismatch = store.putBlob(Readable.from([Buffer.from('zip')]), blobKey, '0'.repeat(64));

      await expect(mismatch).rejects.toBeInstanceOf(ContentMismatchError);
      expect(first).toMatchObject({ written: true, size: 4 });
      expect(second).toEqual({ ...first, written: false });
      expect(big).toMatchObject({ hash: sha256(large), size: large.length, written: true });
      const stream = await store.readStream(blobKey(big.hash));
      const hash = createHash('sha256');
      for await (const chunk of stream as Readable) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(big.hash);
      expect(await store.exists(blobKey(sha256(Buffer.from('zip'))))).toBe(false);
      expect(await readdir(temp)).toEqual([]);
    });

    it('stores in-memory bytes as the same blob as their stream, once', async () => {
      const store = backend('bytes/');
      const bytes = Buffer.from('{"document":1}');

      const first = await store.putBlobBytes(bytes, blobKey);
      const again = await store.putBlobBytes(bytes, blobKey);
      const streamed = await store.putBlob(Readable.from([bytes]), blobKey);

      expect(first).toEqual({ hash: sha256(bytes), size: bytes.length, written: true });
      expect(again).toEqual({ ...first, written: false });
      expect(streamed).toEqual({ ...first, written: false });
      expect(await store.read(blobKey(first.hash))).toEqual(bytes);
    });
  });

  describe('VersionStore', () => {
    it('keeps the layout of a local store under its prefix', async () => {
      const store = await openStore('layout/team-a');

      await store.append(await draft(store, SITE_BUCKET, { v: 1 }, '2026-01-01T00:00:00.000Z'));
      await store.appendBaseline(baselineDraft('v1.0'));

      const folders = new Set(
        (await keysOf(backend(''), 'layout/')).map((key) => key.split('/').slice(0, 3).join('/')),
      );
      expect([...folders]).toEqual([
        'layout/team-a/baselines',
        'layout/team-a/blobs',
        'layout/team-a/journal',
        'layout/team-a/versions',
      ]);
      expect(store.ownBucket).toBe(STORE_BUCKET);
    });

    it('never loses or corrupts a version when eight writers with their own indexes append to one resource', async () => {
      const writers = await Promise.all(Array.from({ length: 8 }, () => openStore('concurrent')));
      const drafts = await Promise.all(
        writers.map((writer, w) =>
          Promise.all(
            [0, 1, 2].map((n) => draft(writer, SITE_BUCKET, { w, n }, `2026-01-01T00:00:0${n}.000Z`)),
          ),
        ),
      );

      const results = await Promise.all(
        writers.map(async (writer, w) => {
          const appended = [];
          for (const one of drafts[w] ?? []) appended.push(await writer.append(one));
          return appended;
        }),
      );

      expect(results.flat().every((result) => result.appended)).toBe(true);
      const reader = await openStore('concurrent');
      const chain = reader.index.history(SITE_BUCKET);
      expect(chain.map((version) => version.seq)).toEqual(Array.from({ length: 24 }, (_, n) => n + 1));
      expect(chain.map((version) => version.document).sort()).toEqual(
        drafts
          .flat()
          .map((one) => one.document)
          .sort(),
      );
      const records = await Promise.all(
        chain.map((version) => reader.readVersion(versionKey(SITE_BUCKET, version.seq))),
      );
      expect(records.map((version) => version.record.prev)).toEqual([
        null,
        ...records.slice(0, -1).map((v) => v.hash),
      ]);
      expect(await verifyStore(reader)).toMatchObject({ ok: true, problems: [] });
    });

    it('chains the baselines eight writers append at once', async () => {
      const writers = await Promise.all(Array.from({ length: 8 }, () => openStore('baselines')));

      await Promise.all(writers.map((writer, w) => writer.appendBaseline(baselineDraft(`w${w}`))));

      const baselines = (await openStore('baselines')).baselines();
      expect(baselines.map((baseline) => baseline.record.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(baselines.map((baseline) => baseline.record.label).sort()).toEqual(
        writers.map((_, w) => `w${w}`).sort(),
      );
      expect(baselines.map((baseline) => baseline.record.prev)).toEqual([
        null,
        ...baselines.slice(0, -1).map((baseline) => baseline.hash),
      ]);
      expect((await verifyStore(writers[0] as VersionStore)).ok).toBe(true);
    });

    it("refreshes another writer's index by reading only the records added since", async () => {
      const writer = await openStore('refresh');
      const reader = await openStore('refresh');
      for (const n of [1, 2, 3])
        await writer.append(
          await draft(writer, { ...SITE_BUCKET, id: `b${n}` }, { n }, `2026-01-0${n}T00:00:00.000Z`),
        );
      await writer.appendBaseline(baselineDraft('v1.0'));
      const reads = vi.spyOn(reader.backend, 'read');

      const first = await reader.refresh();
      const second = await reader.refresh();

      expect(first).toEqual({
        rebuilt: false,
        versions: 3,
        baselines: 1,
        missing: 0,
        invalid: [],
        removed: [],
      });
      expect(second).toEqual({
        rebuilt: false,
        versions: 0,
        baselines: 0,
        missing: 0,
        invalid: [],
        removed: [],
      });
      expect(reads).toHaveBeenCalledTimes(4);
      expect(reader.index.stateAt('2026-02-01T00:00:00.000Z')).toEqual(
        writer.index.stateAt('2026-02-01T00:00:00.000Z'),
      );
      expect(reader.baselines()).toEqual(writer.baselines());
    });

    it('answers from a fresh cache folder with what the bucket alone holds', async () => {
      const writer = await openStore('cold');
      for (const n of [1, 2])
        await writer.append(await draft(writer, SITE_BUCKET, { n }, `2026-01-0${n}T00:00:00.000Z`));
      await writer.appendBaseline(baselineDraft('v1.0'));

      const fresh = await openStore('cold');

      expect(fresh.index.history(SITE_BUCKET)).toEqual(writer.index.history(SITE_BUCKET));
      expect(fresh.baselines()).toEqual(writer.baselines());
      expect(await fresh.rebuildIndex()).toEqual({ versions: 2, baselines: 1, invalid: [], removed: [] });
    });

    it('reports a corrupted blob of an S3 store', async () => {
      const store = await openStore('verify');
      await store.append(await draft(store, SITE_BUCKET, { v: 1 }, '2026-01-01T00:00:00.000Z'));
      const document = store.index.latest(SITE_BUCKET)?.record.document as string;

      const clean = await verifyStore(store);
      await store.backend.put(blobKey(document), Buffer.from('tampered'));
      const tampered = await verifyStore(store);

      expect(clean).toMatchObject({ ok: true, checked: { blobs: 1, versions: 1 } });
      expect(tampered.problems).toContainEqual(
        expect.objectContaining({ key: blobKey(document), problem: 'corrupted' }),
      );
    });
  });

  describe('its own bucket', () => {
    let account: SimulatedAccount;
    beforeEach(async () => {
      account = await SimulatedAccount.start();
    });
    afterEach(() => account.stop());

    it('is recorded like any bucket, but neither its objects nor their events are captured', async () => {
      const store = await openStore('tidemark', SITE_AS_STORE);
      const engine = await CaptureEngine.create({
        store,
        clients: new AwsClients(),
        sealer: new LocalKeySealer(randomBytes(32)),
        registry,
      });

      await runBaseline(engine, { regions: [account.region] });
      const events = account.putObject(SITE_AS_STORE, 'index.html', '<h1>changed</h1>');
      const report = await ingestEvents(engine, [
        { text: events.map((event) => JSON.stringify(event)).join('\n'), origin: 'test' },
      ]);

      const captured = store.index
        .stateAt(new Date().toISOString())
        .map(({ resource }) => `${resource.type}:${resource.id}`);
      expect(captured).toContain(`AWS::S3::Bucket:${SITE_AS_STORE}`);
      expect(captured.filter((id) => id.startsWith(`AWS::S3::Object:${SITE_DOMAINS[1]}/`))).not.toEqual([]);
      expect(captured.filter((id) => id.startsWith(`AWS::S3::Object:${SITE_AS_STORE}/`))).toEqual([]);
      expect(events.map((event) => (event as { 'detail-type'?: string })['detail-type'])).toContain(
        'Object Created',
      );
      expect(report.events.map((event) => event.skipped?.reason)).toEqual(events.map(() => 'not-selected'));
      expect(report.captures).toEqual([]);
    });
  });
});

describe('parseStoreLocation', () => {
  it('reads s3:// locations and local folders', () => {
    expect(parseStoreLocation('s3://acme-backups')).toEqual({
      kind: 's3',
      bucket: 'acme-backups',
      prefix: '',
    });
    expect(parseStoreLocation('s3://acme.backups/tidemark/prod/')).toEqual({
      kind: 's3',
      bucket: 'acme.backups',
      prefix: 'tidemark/prod/',
    });
    expect(parseStoreLocation('store')).toEqual({ kind: 'local', folder: path.resolve('store') });
  });

  it('refuses other schemes, invalid bucket names and prefixes with empty or relative parts', () => {
    for (const [location, message] of [
      ['gs://bucket/x', 'unsupported store gs://bucket/x: expected a folder or s3://bucket/prefix'],
      ['s3://Acme/x', 'invalid store bucket "Acme" in s3://Acme/x: a bucket name may hold only lowercase'],
      ['s3://ab', 'a bucket name must be 3 to 63 characters long'],
      ['s3:///prefix', 'invalid store bucket ""'],
      ['s3://acme-backups/a//b', 'invalid store prefix "a//b" in s3://acme-backups/a//b'],
      ['s3://acme-backups/../b', 'invalid store prefix "../b"'],
    ] as const) {
      expect(() => parseStoreLocation(location)).toThrow(InputError);
      expect(() => parseStoreLocation(location)).toThrow(message);
    }
  });

  it('makes VersionStore.open refuse a malformed location before touching anything', async () => {
    await expect(VersionStore.open('s3://Bad_Bucket/x')).rejects.toBeInstanceOf(InputError);
  });
});

describe('S3Backend answers of S3 the server cannot give', () => {
  let s3: AwsStub<ServiceInputTypes, ServiceOutputTypes, S3ClientResolvedConfig>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());

  const store = () =>
    new S3Backend({ bucket: 'acme-backups', prefix: 'tidemark/', cacheDirectory: tmpdir() });
  const s3Error = (name: string, status: number, message: string) =>
    new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });

  it('treats 412 PreconditionFailed and 409 ConditionalRequestConflict as a key another writer took', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(
        s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'),
      )
      .rejectsOnce(
        s3Error(
          'ConditionalRequestConflict',
          409,
          'A conflicting operation occurred. If using PutObject you can retry the request.',
        ),
      );

    expect(await store().create('versions/x/0000000001.json', Buffer.from('{}'))).toBe(false);
    expect(await store().create('versions/x/0000000001.json', Buffer.from('{}'))).toBe(false);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'acme-backups',
      Key: 'tidemark/versions/x/0000000001.json',
      IfNoneMatch: '*',
    });
  });

  it('says plainly when access is denied or the bucket does not exist, naming the key', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('AccessDenied', 403, 'Access Denied'))
      .rejectsOnce(s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'));

    const denied = await store()
      .create('versions/x/0000000001.json', Buffer.from('{}'))
      .catch((error: unknown) => error);
    const missing = await store()
      .put('checkpoints/watch.json', Buffer.from('{}'))
      .catch((error: unknown) => error);

    expect(denied).toBeInstanceOf(StoreError);
    expect(denied).toMatchObject({
      key: 'versions/x/0000000001.json',
      message:
        'access denied to write versions/x/0000000001.json in s3://acme-backups/tidemark: the credentials need s3:GetObject, s3:PutObject and s3:ListBucket on bucket acme-backups',
    });
    expect(missing).toMatchObject({
      name: 'StoreError',
      key: 'checkpoints/watch.json',
      message: 'the store bucket acme-backups does not exist (store s3://acme-backups/tidemark)',
    });
  });
});
