import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { runBaseline } from '../src/capture/baseline.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { captureLive, readLive } from '../src/capture/live.js';
import { diffWithLive } from '../src/query/live-diff.js';
import { history } from '../src/query/queries.js';
import { registry } from '../src/resources/registry.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';

/** Buckets, objects, functions and tables: enough for every kind of difference, quick to sweep. */
const CAPTURED = registry.filter((definition) =>
  ['s3', 'lambda', 'dynamodb'].includes(definition.service.name),
);
const REGIONS = ['us-east-1'];

describe('the live account against a stored moment', () => {
  let folder: string;
  let account: SimulatedAccount;
  let store: VersionStore;
  let engine: CaptureEngine;
  let baselineAt: Date;
  const sealer = new LocalKeySealer(randomBytes(32));

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-live-'));
    account = await SimulatedAccount.start();
    store = await VersionStore.open(path.join(folder, 'store'), {
      cacheDirectory: path.join(folder, 'cache'),
    });
    engine = await CaptureEngine.create({ store, clients: new AwsClients(), sealer, registry: CAPTURED });
    const report = await runBaseline(engine, { label: 'v1.0', regions: REGIONS });
    baselineAt = new Date(report.completedAt);
  });

  afterEach(async () => {
    store.close();
    await account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const storeFiles = async () => (await readdir(path.join(folder, 'store'), { recursive: true })).sort();

  it('finds nothing different in an account unchanged since the baseline, and writes nothing', async () => {
    const before = await storeFiles();

    const live = await readLive(engine, sealer, { regions: REGIONS });
    const diff = await diffWithLive(store, baselineAt, live, 'to');

    expect({ added: diff.added, removed: diff.removed, changed: diff.changed }).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
    expect(diff.gaps).toEqual([]);
    expect(await storeFiles()).toEqual(before);
  });

  it('shows a changed bucket policy, function memory and a deleted object, field by field', async () => {
    account.putBucketPolicy('sailjada.com', {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Private', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
    });
    account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 });
    account.deleteObject('sailjada.com', 'index.html');

    const live = await readLive(engine, sealer, { regions: REGIONS });
    const diff = await diffWithLive(store, baselineAt, live, 'to');

    expect(diff.added).toEqual([]);
    expect(diff.removed.map((entry) => `${entry.resource.type} ${entry.resource.id}`)).toEqual([
      'AWS::S3::Object sailjada.com/index.html',
    ]);
    const changed = Object.fromEntries(
      diff.changed.map((change) => [change.resource.id, change.changes.map((field) => field.path)]),
    );
    expect(Object.keys(changed).sort()).toEqual(['booking-handler', 'sailjada.com']);
    expect(changed['booking-handler']).toEqual(['Configuration.MemorySize']);
    expect(changed['sailjada.com']).toContain('Policy.Statement.0.Sid');
    const memory = diff.changed.find((change) => change.resource.id === 'booking-handler')?.changes[0];
    expect(memory).toMatchObject({ before: 256, after: 1024 });
  });

  it('reads the other way with --from live: a deleted object is one the stored moment adds', async () => {
    account.deleteObject('sailjada.com', 'index.html');

    const live = await readLive(engine, sealer, { regions: REGIONS });
    const diff = await diffWithLive(store, baselineAt, live, 'from');

    expect(diff.added.map((entry) => entry.resource.id)).toEqual(['sailjada.com/index.html']);
    expect(diff.removed).toEqual([]);
    expect(diff.to).toBe(baselineAt.toISOString());
  });

  it('shows a changed table item by its key', async () => {
    const key = { bookingId: { S: 'BK-0000001' } };
    const item = account.dynamoDb.item('bookings', key);
    account.dynamoDb.putItem('bookings', { ...item, status: { S: 'cancelled' } });

    const live = await readLive(engine, sealer, {
      regions: REGIONS,
      filter: { type: 'AWS::DynamoDB::Table' },
    });
    const diff = await diffWithLive(store, baselineAt, live, 'to', { type: 'AWS::DynamoDB::Table' });

    expect(diff.changed.map((change) => change.resource.id)).toEqual(['bookings']);
    expect(diff.changed[0]?.changes).toContainEqual(
      expect.objectContaining({ path: 'Items.BK-0000001.status.S', after: 'cancelled' }),
    );
  });

  it('describes only what the filter selects', async () => {
    account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 });
    account.updateFunctionConfiguration('email-sender', { memorySize: 1024 });
    account.resetCallCounts();

    const filter = { type: 'AWS::Lambda::Function', idGlob: 'booking-*' };
    const live = await readLive(engine, sealer, { regions: REGIONS, filter });
    const diff = await diffWithLive(store, baselineAt, live, 'to', filter);

    expect(diff.changed.map((change) => change.resource.id)).toEqual(['booking-handler']);
    expect(account.callCountsByService().s3 ?? 0).toBe(0);
  });

  it('reports a denied read as a gap and compares that resource as the store last knew it', async () => {
    account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 });
    account.deny('lambda:GetFunction', 'booking-handler');

    const live = await readLive(engine, sealer, { regions: REGIONS });
    const diff = await diffWithLive(store, baselineAt, live, 'to');

    expect(diff.changed).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.gaps).toContainEqual(
      expect.objectContaining({ kind: 'denied', type: 'AWS::Lambda::Function', id: 'booking-handler' }),
    );
  });

  it('stores only what its filter selects', async () => {
    account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 });
    account.updateFunctionConfiguration('email-sender', { memorySize: 1024 });

    await captureLive(engine, { regions: REGIONS, filter: { idGlob: 'booking-*' } });

    const causes = async (id: string) =>
      (
        await history(store, {
          account: engine.account,
          region: 'us-east-1',
          type: 'AWS::Lambda::Function',
          id,
        })
      ).map((version) => version.cause.kind);
    expect([await causes('booking-handler'), await causes('email-sender')]).toEqual([
      ['baseline', 'drift-check'],
      ['baseline'],
    ]);
  });

  it('stores what it read as drift-check versions, and appends nothing for what did not change', async () => {
    account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 });

    const first = await captureLive(engine, { regions: REGIONS });
    const again = await captureLive(engine, { regions: REGIONS });

    const versions = await history(store, {
      account: engine.account,
      region: 'us-east-1',
      type: 'AWS::Lambda::Function',
      id: 'booking-handler',
    });
    expect(versions.map((version) => version.cause)).toEqual([
      { kind: 'baseline', label: 'v1.0' },
      { kind: 'drift-check' },
    ]);
    expect([first.failures, again.failures]).toEqual([[], []]);
    const live = await readLive(engine, sealer, { regions: REGIONS });
    const diff = await diffWithLive(store, new Date(again.capturedAt), live, 'to');
    expect([diff.added, diff.removed, diff.changed]).toEqual([[], [], []]);
  });
});
