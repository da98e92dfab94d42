import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { runBaseline } from '../src/capture/baseline.js';
import { CaptureEngine } from '../src/capture/engine.js';
import {
  parseWorkItem,
  runWorkItem,
  startScheduledBaseline,
  type WorkItem,
  type WorkItemReport,
} from '../src/pipeline/index.js';
import { history } from '../src/query/queries.js';
import { registry } from '../src/resources/registry.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { resourceKey } from '../src/store/layout.js';
import type { BaselineManifest, ManifestEntry } from '../src/store/records.js';
import { VersionStore } from '../src/store/version-store.js';

const REGIONS = ['us-east-1', 'us-west-2'];
/**
 * The types of the services whose rate limits let a fan-out drained one item at a time finish in seconds; the
 * fan-out is the same for every type (DynamoDB brings content in chunks).
 */
const CAPTURED = registry.filter((definition) =>
  ['s3', 'lambda', 'cloudfront', 'route53', 'iam', 'acm', 'dynamodb'].includes(definition.service.name),
);
const OBJECT = 'AWS::S3::Object';
const FUNCTION = 'AWS::Lambda::Function';

/**
 * An in-memory queue driving work items through `runWorkItem`, as SQS and the consumer would: items travel as
 * JSON text and are read back with `parseWorkItem`; each is delivered `copies` times (at least once).
 */
class MemoryQueue {
  readonly reports: WorkItemReport[] = [];
  readonly #pending: WorkItem[] = [];
  readonly #copies: number;

  constructor(items: readonly WorkItem[], copies = 1) {
    this.#copies = copies;
    this.send(items);
  }

  send(items: readonly WorkItem[]): void {
    for (let copy = 0; copy < this.#copies; copy++)
      for (const item of items) this.#pending.push(parseWorkItem(JSON.stringify(item)) as WorkItem);
  }

  /**
   * Runs items until none is left and none is running, one consumer per engine taking them concurrently;
   * `clock` gives each invocation its time left.
   */
  async drain(engines: readonly CaptureEngine[], clock?: () => () => number): Promise<WorkItemReport[]> {
    let running = 0;
    const enqueue = async (items: readonly WorkItem[]) => this.send(items);
    const consumer = async (engine: CaptureEngine) => {
      for (;;) {
        const item = this.#pending.shift();
        if (!item) {
          if (running === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        running++;
        try {
          this.reports.push(
            await runWorkItem(engine, item, { enqueue, ...(clock ? { remainingMs: clock() } : {}) }),
          );
        } finally {
          running--;
        }
      }
    };
    await Promise.all(engines.map(consumer));
    return this.reports;
  }
}

describe('a baseline fanned out as work items', { timeout: 120_000 }, () => {
  let account: SimulatedAccount;
  let folder: string;
  const stores: VersionStore[] = [];
  const sealer = new LocalKeySealer(randomBytes(32));

  beforeEach(async () => {
    account = await SimulatedAccount.start();
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-pipeline-'));
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) store.close();
    await account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  /** An engine over the store `name` in the test folder; `cache` gives it an index of its own. */
  async function engineOver(name: string, cache?: string): Promise<CaptureEngine> {
    const store = await VersionStore.open(path.join(folder, name), {
      ...(cache ? { cacheDirectory: path.join(folder, cache) } : {}),
    });
    stores.push(store);
    return CaptureEngine.create({ store, clients: new AwsClients(), sealer, registry: CAPTURED });
  }

  /** Starts a scheduled baseline and runs its work items until the queue is empty. */
  async function runScheduled(engines: readonly CaptureEngine[], clock?: () => () => number) {
    const [engine] = engines as [CaptureEngine];
    const queue = new MemoryQueue(
      await startScheduledBaseline(engine.store, { regions: REGIONS, registry: CAPTURED }),
    );
    return queue.drain(engines, clock);
  }

  /** The manifest of the one baseline `engine`'s store holds with that label. */
  async function manifestOf(engine: CaptureEngine, label: string): Promise<BaselineManifest> {
    const summary = engine.store.baselines().find((b) => b.record.label === label);
    if (!summary) throw new Error(`no baseline ${label}`);
    return (await engine.store.manifest(summary.record.seq)).record;
  }

  /** What a one-process baseline of the same account records, in a store of its own. */
  async function referenceManifest(): Promise<BaselineManifest> {
    const engine = await engineOver('reference');
    const report = await runBaseline(engine, { regions: REGIONS, label: 'v1.0' });
    return manifestOf(engine, report.label);
  }

  const resources = (entries: readonly ManifestEntry[]) =>
    entries.map((e) => `${resourceKey(e.resource)}#${e.seq}`);

  it('records the same manifest as a baseline run in one process, appended once', async () => {
    const engine = await engineOver('store');

    const reports = await runScheduled([engine]);

    const manifest = await manifestOf(engine, 'v1.0');
    const reference = await referenceManifest();
    expect(resources(manifest.entries)).toEqual(resources(reference.entries));
    expect(manifest.gaps).toEqual(expect.arrayContaining([...reference.gaps]));
    expect(manifest.gaps).toHaveLength(reference.gaps.length);
    expect(manifest).toMatchObject({ regions: REGIONS, types: reference.types, account: reference.account });
    expect(reports.filter((r) => r.manifest)).toHaveLength(1);
    expect(reports.filter((r) => r.item.type === OBJECT && r.item.parent).length).toBeGreaterThan(4);
    // One slice per top-level type and region: S3 buckets, Lambda functions and ACM certificates in each of the two
    // regions, and each of the 18 global types (CloudFront, Route 53, IAM) once.
    expect(reports.filter((r) => r.item.parent === undefined)).toHaveLength(4 * 2 + 18);
  });

  it('captures nothing and appends nothing when slices are delivered again', async () => {
    const engine = await engineOver('store');
    const reports = await runScheduled([engine]);
    const counts = engine.store.index.counts();
    account.resetCallCounts();

    const again = new MemoryQueue(reports.map((r) => r.item));
    const redelivered = await again.drain([engine]);

    expect(redelivered.map((r) => r.status)).toEqual(reports.map(() => 'duplicate'));
    expect(redelivered.flatMap((r) => r.spawned)).toEqual([]);
    expect(account.callCounts().total).toBe(0);
    expect(engine.store.index.counts()).toEqual(counts);
  });

  it('continues a slice that runs out of time in a continuation item, and still completes', async () => {
    const engine = await engineOver('store');

    /** Ten minutes left when asked at the start and after the first resource, then one second. */
    const shortAfterTwoResources = () => {
      let asked = 0;
      return () => (++asked > 2 ? 1_000 : 600_000);
    };

    const reports = await runScheduled([engine], shortAfterTwoResources);

    const continued = reports.filter((r) => r.item.after !== undefined);
    expect(continued.map((r) => r.item.type)).toEqual(expect.arrayContaining([OBJECT, FUNCTION]));
    const manifest = await manifestOf(engine, 'v1.0');
    expect(resources(manifest.entries)).toEqual(resources((await referenceManifest()).entries));
  });

  it('finishes once when two consumers race, each message delivered twice', async () => {
    const first = await engineOver('store', 'cache-a');
    const second = await engineOver('store', 'cache-b');
    const queue = new MemoryQueue(
      await startScheduledBaseline(first.store, { regions: REGIONS, registry: CAPTURED }),
      2,
    );

    const reports = await queue.drain([first, second]);

    const fresh = await VersionStore.open(path.join(folder, 'store'), {
      cacheDirectory: path.join(folder, 'c'),
    });
    stores.push(fresh);
    expect(fresh.baselines().map((b) => b.record.label)).toEqual(['v1.0']);
    expect(reports.filter((r) => r.status === 'duplicate').length).toBeGreaterThan(0);
    const manifest = (await fresh.manifest(1)).record;
    expect(resources(manifest.entries)).toEqual(resources((await referenceManifest()).entries));
  });

  it('records changes found without an event as reconcile, and unchanged resources get no version', async () => {
    const engine = await engineOver('store');
    await runScheduled([engine]);
    account.putObject('queenofsandiego.com', 'index.html', '<h1>Changed by hand</h1>');
    account.updateFunctionConfiguration('booking-handler', { memorySize: 512 });
    account.deleteObject('sailjada.com', 'about.html');
    account.deleteFunction('email-sender');

    await runScheduled([engine]);

    const before = await manifestOf(engine, 'v1.0');
    const after = await manifestOf(engine, 'v1.1');
    const seqOf = new Map(after.entries.map((e) => [e.resource.id, e.seq]));
    expect(
      before.entries
        .filter((e) => seqOf.get(e.resource.id) !== e.seq)
        .map((e) => e.resource.id)
        .sort(),
    ).toEqual([
      'booking-handler',
      'email-sender',
      'queenofsandiego.com/index.html',
      'sailjada.com/about.html',
    ]);
    const causes = async (type: string, id: string) => {
      const ref = { account: account.accountId, region: 'us-east-1', type, id };
      return (await history(engine.store, ref)).map((v) => [v.cause, v.deleted]);
    };
    expect(await causes(OBJECT, 'queenofsandiego.com/index.html')).toEqual([
      [{ kind: 'baseline', label: 'v1.0' }, false],
      [{ kind: 'reconcile', label: 'v1.1', detail: 'changed without an event' }, false],
    ]);
    expect((await causes(FUNCTION, 'booking-handler'))[1]).toEqual([
      { kind: 'reconcile', label: 'v1.1', detail: 'changed without an event' },
      false,
    ]);
    expect((await causes(OBJECT, 'sailjada.com/about.html'))[1]).toEqual([
      { kind: 'reconcile', label: 'v1.1', detail: 'deleted without an event' },
      true,
    ]);
    expect((await causes(FUNCTION, 'email-sender'))[1]?.[1]).toBe(true);
  });

  it('records a denied listing as a gap in the manifest and completes the rest', async () => {
    account.deny('s3:ListBucket', 'sailjada.com');
    account.deny('lambda:ListFunctions');
    const engine = await engineOver('store');

    const reports = await runScheduled([engine]);

    const manifest = await manifestOf(engine, 'v1.0');
    expect(manifest.gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'denied',
          type: OBJECT,
          id: 'sailjada.com',
          operation: 's3:ListBucket',
        }),
        expect.objectContaining({
          kind: 'denied',
          type: FUNCTION,
          region: 'us-east-1',
          operation: 'lambda:ListFunctions',
        }),
      ]),
    );
    const ids = manifest.entries.map((e) => e.resource.id);
    expect(ids).toContain('sailjada.com');
    expect(ids).toContain('queenofsandiego.com/index.html');
    expect(ids.filter((id) => id.startsWith('sailjada.com/'))).toEqual([]);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
  });
});
