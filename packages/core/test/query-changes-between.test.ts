import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { madeBy, SimulatedAccount } from '@tidemark/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { runBaseline } from '../src/capture/baseline.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { ingestEvents } from '../src/capture/ingest.js';
import { captureLive } from '../src/capture/live.js';
import { type CapturedChange, changeFields, changesBetween } from '../src/query/changes-between.js';
import { registry } from '../src/resources/registry.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';

const CAPTURED = registry.filter((definition) => ['s3', 'lambda'].includes(definition.service.name));
const REGIONS = ['us-east-1'];

/** One line per change: who, what, which. */
function summary(change: CapturedChange): string {
  const who = change.actor ?? change.cause.kind;
  return `${who} ${change.kind} ${change.resource.type} ${change.resource.id}`;
}

describe('changesBetween', () => {
  let folder: string;
  let account: SimulatedAccount;
  let store: VersionStore;
  let engine: CaptureEngine;
  let start: Date;
  let beforeDriftCheck: Date;

  /** A week of an account's life: changes by alice and bob, silent drift, and a drift check. */
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-changes-'));
    account = await SimulatedAccount.start();
    store = await VersionStore.open(path.join(folder, 'store'), {
      cacheDirectory: path.join(folder, 'cache'),
    });
    engine = await CaptureEngine.create({
      store,
      clients: new AwsClients(),
      sealer: new LocalKeySealer(randomBytes(32)),
      registry: CAPTURED,
    });
    start = new Date();
    await runBaseline(engine, { label: 'v1.0', regions: REGIONS });
    const ingest = (events: readonly unknown[]) =>
      ingestEvents(engine, [{ text: events.map((e) => JSON.stringify(e)).join('\n'), origin: 'test' }]);
    await ingest(account.updateFunctionConfiguration('booking-handler', { memorySize: 1024 }));
    await ingest(madeBy(account.updateFunctionConfiguration('email-sender', { timeout: 30 }), 'bob'));
    account.deleteObject('sailjada.com', 'index.html');
    await runBaseline(engine, { label: 'v1.1', regions: REGIONS });
    beforeDriftCheck = new Date();
    account.putObject('sailjada.com', 'offers.html', '<h1>Offers</h1>', { contentType: 'text/html' });
    await captureLive(engine, { regions: REGIONS });
  }, 120_000);

  afterAll(async () => {
    store.close();
    await account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('lists events, silent drift and drift checks newest first, never a first capture', async () => {
    const changes = await changesBetween(store, start, new Date());

    expect(changes.map(summary)).toEqual([
      'drift-check created AWS::S3::Object sailjada.com/offers.html',
      'reconcile deleted AWS::S3::Object sailjada.com/index.html',
      'bob changed AWS::Lambda::Function email-sender',
      'alice changed AWS::Lambda::Function booking-handler',
    ]);
    expect(changes[3]).toMatchObject({
      principal: 'arn:aws:iam::123456789012:user/alice',
      cause: { kind: 'event', eventName: 'UpdateFunctionConfiguration20150331v2' },
    });
  });

  it('keeps the changes of whoever matches a glob on the actor or the principal', async () => {
    const alice = await changesBetween(store, start, new Date(), { by: 'alice*' });
    const bob = await changesBetween(store, start, new Date(), { by: 'arn:aws:iam::*:user/bob' });
    const nobody = await changesBetween(store, start, new Date(), { by: 'Alice*' });

    expect(alice.map(summary)).toEqual(['alice changed AWS::Lambda::Function booking-handler']);
    expect(bob.map(summary)).toEqual(['bob changed AWS::Lambda::Function email-sender']);
    expect(nobody).toEqual([]);
  });

  it('keeps a window of time and the resources a filter selects', async () => {
    const earlier = await changesBetween(store, start, beforeDriftCheck, { type: 'AWS::S3::Object' });
    const functions = await changesBetween(store, start, new Date(), { idGlob: 'email-*' });

    expect(earlier.map(summary)).toEqual(['reconcile deleted AWS::S3::Object sailjada.com/index.html']);
    expect(functions.map(summary)).toEqual(['bob changed AWS::Lambda::Function email-sender']);
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(changesBetween(store, new Date(), start)).rejects.toThrow(
      /^the window of changes ends before it starts: from \S+ to \S+; give the earlier moment first$/,
    );
  });

  it('gives the fields a change changed, before and after', async () => {
    const [bob] = await changesBetween(store, start, new Date(), { by: 'bob' });

    expect(await changeFields(store, bob as CapturedChange)).toEqual({
      changes: [{ path: 'Configuration.Timeout', change: 'changed', before: 10, after: 30 }],
    });
  });
});
