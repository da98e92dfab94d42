import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { LOGS_REPLICA_BUCKET, replicaRegion, SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { registry } from '../src/resources/registry.js';
import { s3Bucket } from '../src/resources/s3-bucket.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';
import type { ResourceRef } from '../src/types/resource.js';
import { checkpointName, readWatchCheckpoint } from '../src/watch/checkpoint.js';
import type { WatchedCapture, WatchedPoll, WatchProgress } from '../src/watch/report.js';
import { type WatchOptions, watchCloudTrail } from '../src/watch/watch.js';

const HOME = 'us-east-1';
const WEST = replicaRegion(HOME);
const MINUTE = 60_000;

/** A clock the test moves by hand; the simulated account stamps its events with it. */
class TestClock {
  #ms = Math.floor(Date.now() / 1000) * 1000;
  readonly now = (): Date => new Date(this.#ms);

  advance(ms: number): void {
    this.#ms += ms;
  }

  /** Runs `act` with the clock `ms` earlier, as if what it does had happened then. */
  before<T>(ms: number, act: () => T): T {
    this.#ms -= ms;
    try {
      return act();
    } finally {
      this.#ms += ms;
    }
  }
}

function policy(bucket: string, sid: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  };
}

/** A simulated account, a store in a temporary folder, and a capture engine over both. */
class Harness {
  readonly clock = new TestClock();
  account!: SimulatedAccount;
  store!: VersionStore;
  engine!: CaptureEngine;
  folder!: string;

  async start(definitions: readonly ResourceDefinition[] = registry): Promise<void> {
    this.account = await SimulatedAccount.start({ now: this.clock.now });
    this.folder = await mkdtemp(path.join(tmpdir(), 'tidemark-watch-'));
    await this.open(definitions);
  }

  /** Opens the store and a new engine, as a restarted process would. */
  async open(definitions: readonly ResourceDefinition[] = registry): Promise<void> {
    this.store = await VersionStore.open(this.folder);
    this.engine = await CaptureEngine.create({
      store: this.store,
      clients: new AwsClients(),
      sealer: new LocalKeySealer(Buffer.alloc(32, 3)),
      registry: definitions,
      account: this.account.accountId,
    });
  }

  async restart(): Promise<void> {
    this.store.close();
    await this.open(this.engine.registry);
  }

  async stop(): Promise<void> {
    this.store.close();
    await this.account.stop();
    await rm(this.folder, { recursive: true, force: true });
  }

  async watch(options: Partial<WatchOptions> = {}) {
    const progress: WatchProgress[] = [];
    const summary = await watchCloudTrail(this.engine, {
      regions: [HOME],
      once: true,
      now: this.clock.now,
      ...options,
      onProgress: (item) => {
        progress.push(item);
        options.onProgress?.(item);
      },
    });
    const captures = progress.filter((item): item is WatchedCapture => item.kind === 'capture');
    const polls = progress.filter((item): item is WatchedPoll => item.kind === 'poll');
    return { summary, captures, polls };
  }

  bucket(id: string, region = HOME): ResourceRef {
    return { account: this.account.accountId, region, type: 'AWS::S3::Bucket', id };
  }
}

const ids = (captures: readonly WatchedCapture[]) => captures.map((capture) => capture.resource.id).sort();

describe('watchCloudTrail against the simulated account', () => {
  const env = new Harness();
  beforeEach(() => env.start());
  afterEach(() => env.stop());

  it('captures events from before the first poll, between polls and delivered late, each once', async () => {
    env.clock.before(5 * MINUTE, () =>
      env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', 'a')),
    );
    const first = await env.watch();

    env.clock.advance(MINUTE);
    env.account.updateFunctionConfiguration('image-resizer', { memorySize: 1024 });
    // An event from before the first poll that CloudTrail delivers only now.
    env.clock.before(MINUTE + 30_000, () =>
      env.account.putBucketPolicy('salejada.com', policy('salejada.com', 'late')),
    );
    env.clock.advance(MINUTE);
    const second = await env.watch();
    env.clock.advance(MINUTE);
    const third = await env.watch();

    expect(ids(first.captures)).toEqual(['sailjada.com']);
    expect(ids(second.captures)).toEqual(['image-resizer', 'salejada.com']);
    expect(third.captures).toEqual([]);
    expect(second.captures.find((capture) => capture.resource.id === 'salejada.com')).toMatchObject({
      status: 'appended',
      seq: 1,
      cause: { eventName: 'PutBucketPolicy', principal: expect.stringMatching(/:user\/alice$/) },
    });
    expect(env.store.latest(env.bucket('sailjada.com'))?.record.seq).toBe(1);
    expect(third.summary).toMatchObject({
      events: 0,
      polls: 1,
      stopped: 'once',
      failures: [],
      lookupErrors: [],
    });
  });

  it('after a restart processes nothing twice and describes nothing again, then captures what is new', async () => {
    env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', 'a'));
    env.account.updateFunctionConfiguration('email-sender', { timeout: 30 });
    await env.watch();

    await env.restart();
    env.account.resetCallCounts();
    env.clock.advance(MINUTE);
    const again = await env.watch();
    const calls = env.account.callCounts();
    env.account.deleteFunction('email-sender');
    env.clock.advance(MINUTE);
    const after = await env.watch();

    expect(again.captures).toEqual([]);
    expect(again.summary.events).toBe(0);
    expect(again.polls).toEqual([expect.objectContaining({ events: 2, fresh: 0, complete: true })]);
    expect(calls).toEqual({ LookupEvents: 1, total: 1 });
    expect(after.captures).toEqual([
      expect.objectContaining({ resource: expect.objectContaining({ id: 'email-sender' }), deleted: true }),
    ]);
  });

  it('tries a failed capture again at the next poll instead of moving past it', async () => {
    env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', 'a'));
    vi.spyOn(env.engine, 'capture').mockImplementationOnce(async (resource) => ({
      status: 'failed',
      resource,
      error: 'StoreError: no space left on device',
    }));

    const failed = await env.watch();
    env.clock.advance(20 * MINUTE);
    const retried = await env.watch();

    expect(failed.summary.failures).toEqual([
      { resource: env.bucket('sailjada.com'), error: 'StoreError: no space left on device' },
    ]);
    expect(retried.captures).toEqual([expect.objectContaining({ status: 'appended', seq: 1 })]);
  });

  it('reports a denied lookup without stopping, and keeps the checkpoint where it was', async () => {
    env.account.deny('cloudtrail:LookupEvents');
    const start = new Date(env.clock.now().getTime() - 10 * MINUTE);

    const { summary } = await env.watch({ start });

    expect(summary.lookupErrors).toEqual([
      {
        kind: 'lookup-error',
        region: HOME,
        error: expect.stringMatching(
          /^AccessDeniedException: .*not authorized to perform: cloudtrail:LookupEvents/,
        ),
      },
    ]);
    const checkpoint = await readWatchCheckpoint(env.store, checkpointName(env.account.accountId, HOME));
    expect(checkpoint?.from).toBe(start.toISOString());
  });

  it('stops between batches when aborted, keeps what it captured, and resumes with the rest', async () => {
    for (let n = 0; n < 60; n++) env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', `s${n}`));
    const controller = new AbortController();

    const stopped = await env.watch({
      signal: controller.signal,
      onProgress: (item) => item.kind === 'capture' && controller.abort(),
    });
    await env.restart();
    const resumed = await env.watch();

    expect(stopped.summary).toMatchObject({ events: 50, stopped: 'signal' });
    expect(stopped.polls).toEqual([expect.objectContaining({ fresh: 60, complete: false })]);
    expect(resumed.summary.events).toBe(10);
    expect(resumed.polls).toEqual([expect.objectContaining({ events: 60, fresh: 10, complete: true })]);
  });

  it('polls again every interval, capturing what happened in between, until aborted', async () => {
    const controller = new AbortController();
    let polls = 0;

    const { summary, captures } = await env.watch({
      once: false,
      intervalMs: 5,
      rate: { limit: 100, interval: 1000 },
      signal: controller.signal,
      onProgress: (item) => {
        if (item.kind !== 'poll') return;
        polls++;
        if (polls === 1) env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', 'b'));
        if (polls === 3) controller.abort();
      },
    });

    expect(summary).toMatchObject({ polls: 3, events: 1, stopped: 'signal' });
    expect(ids(captures)).toEqual(['sailjada.com']);
  });
});

describe('watchCloudTrail with a global resource type', () => {
  const globalType: ResourceDefinition = {
    ...s3Bucket,
    type: 'AWS::Test::Global',
    scope: 'global',
    eventSource: 'iam.amazonaws.com',
    events: {},
  };
  const env = new Harness();
  beforeEach(() => env.start([...registry, globalType]));
  afterEach(() => env.stop());

  it('reads us-east-1 for the global services only when it is not selected', async () => {
    env.account.putBucketPolicy(LOGS_REPLICA_BUCKET, policy(LOGS_REPLICA_BUCKET, 'west'));
    env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', 'east'));

    const { summary, captures, polls } = await env.watch({ regions: [WEST] });

    expect(summary.regions).toEqual([WEST, HOME]);
    expect(captures.map((capture) => capture.resource)).toEqual([env.bucket(LOGS_REPLICA_BUCKET, WEST)]);
    expect(polls.find((poll) => poll.region === HOME)).toMatchObject({ events: 1, fresh: 0 });
  });
});

describe('watchCloudTrail request rate', () => {
  const env = new Harness();
  beforeEach(() => env.start());
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await env.stop();
  });

  it('never sends more than 2 LookupEvents requests per second in a region, over many pages', async () => {
    for (let n = 0; n < 230; n++) {
      env.account.putBucketPolicy('sailjada.com', policy('sailjada.com', `e${n}`));
      env.account.putBucketPolicy(LOGS_REPLICA_BUCKET, policy(LOGS_REPLICA_BUCKET, `w${n}`));
    }
    const send = CloudTrailClient.prototype.send;
    const requests: Array<{ client: CloudTrailClient; at: number }> = [];
    vi.spyOn(CloudTrailClient.prototype, 'send').mockImplementation(function (
      this: CloudTrailClient,
      ...args: unknown[]
    ) {
      requests.push({ client: this, at: Date.now() });
      return (send as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    } as never);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

    let summary: Awaited<ReturnType<Harness['watch']>>['summary'] | undefined;
    const running = env.watch({ regions: [HOME, WEST] }).then((result) => {
      summary = result.summary;
    });
    while (!summary) {
      await vi.advanceTimersByTimeAsync(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await running;

    expect(summary.events).toBe(460);
    for (const region of [HOME, WEST]) {
      const times: number[] = [];
      for (const request of requests)
        if ((await request.client.config.region()) === region) times.push(request.at);
      expect(times).toHaveLength(5);
      for (let i = 2; i < times.length; i++)
        expect((times[i] as number) - (times[i - 2] as number)).toBeGreaterThanOrEqual(1000);
    }
  });
});
