import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type HistoryEntry, type MessageSummary, startScheduledBaseline, VersionStore } from '@tidemark/core';
import type { SimulatedEvent } from '@tidemark/simulation';
import { accountReadPolicy } from '@tidemark/simulation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRecordingServer } from '../packages/core/test/support/recording-server.js';
import { stubCredentials } from './support/environment.js';
import { withSimulatedAccount } from './support/fixtures.js';
import { type S3Server, startS3Server } from './support/s3-server.js';
import { drainQueue, type SourceQueue, type SqsHandler } from './support/sqs-event-source.js';
import { TestQueues } from './support/sqs-queues.js';
import { type SqsServer, startSqsServer } from './support/sqs-server.js';

const STORE = 's3://tidemark-store/store';
const SEALING_KEY_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tidemark-sealing-key-AbCdEf';
const POISON = '{"detail-type": "AWS API Call via CloudTrail", "detail": '; // cut short: never valid JSON
const FUNCTION = 'AWS::Lambda::Function:image-resizer';
const PAGE = 'AWS::S3::Object:sailjada.com/index.html';
const BUCKET = 'AWS::S3::Bucket:queenofsandiego.com';

describe('the SQS consumer, run as Lambda runs it, against SQS- and S3-protocol servers', () => {
  const env = withSimulatedAccount();
  const secrets = mockClient(SecretsManagerClient);
  let sqsServer: SqsServer;
  let s3Server: S3Server;
  let folder: string;
  let sqs: SQSClient;
  let queues: TestQueues;

  beforeAll(async () => {
    [sqsServer, s3Server] = await Promise.all([
      startSqsServer(),
      startS3Server({ buckets: ['tidemark-store'] }),
    ]);
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-consumer-e2e-'));
    sqs = sqsServer.client();
    queues = new TestQueues(sqs);
    secrets.on(GetSecretValueCommand, { SecretId: SEALING_KEY_SECRET }).resolves({
      ARN: SEALING_KEY_SECRET,
      Name: 'tidemark-sealing-key',
      SecretString: randomBytes(32).toString('base64'),
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      VersionStages: ['AWSCURRENT'],
    });
    // The simulated account answers S3, Lambda and STS whatever the credentials; s3rver accepts only these.
    stubCredentials(s3Server.credentials);
    vi.stubEnv('TIDEMARK_STORE_ENDPOINT_URL', s3Server.endpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqsServer.endpoint);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    secrets.restore();
    await Promise.all([sqsServer.stop(), s3Server.stop(), rm(folder, { recursive: true, force: true })]);
  });

  /** The consumer of a new Lambda container, configured as the Pipeline stack configures it. */
  async function deployConsumer(queue: SourceQueue, store = STORE): Promise<SqsHandler> {
    for (const [name, value] of Object.entries({
      TIDEMARK_STORE: store,
      TIDEMARK_QUEUE_URL: queue.url,
      TIDEMARK_REGIONS: 'us-east-1',
      TIDEMARK_HOME_REGION: 'us-east-1',
      TIDEMARK_OBJECT_BUCKETS: '*',
      TIDEMARK_SEALING_KEY_SECRET: SEALING_KEY_SECRET,
      TIDEMARK_CACHE_DIR: await mkdtemp(path.join(folder, 'lambda-tmp-')),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    }))
      vi.stubEnv(name, value);
    vi.resetModules();
    return (await import('../packages/functions/src/consumer.js')).handler as SqsHandler;
  }

  /** `tidemark --store s3://… <args> --json` with a cache of its own: only the bucket can answer. */
  async function tidemark<T>(...args: string[]): Promise<T> {
    vi.stubEnv('TIDEMARK_CACHE_DIR', await mkdtemp(path.join(folder, 'cli-cache-')));
    return env.cli.json<T>(...args, '--store', STORE);
  }

  const bodies = (events: readonly SimulatedEvent[]) => events.map((event) => JSON.stringify(event));

  it('captures every change once, ignores duplicates and replays, and dead-letters the poison alone', async () => {
    const { queue, dlq } = await queues.create('tidemark-queue', {
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
    });
    const consumer = await deployConsumer(queue);
    const baseline = await startScheduledBaseline(
      await VersionStore.open(STORE, { cacheDirectory: await mkdtemp(path.join(folder, 'planner-')) }),
      { label: 'functions-1', regions: ['us-east-1'], types: ['AWS::Lambda::Function'] },
    );

    // Round 1: three changes, their events shuffled with duplicates, a work item, another account's event, poison.
    const page = env.account.putObject('sailjada.com', 'index.html', '<h1>Regatta 2027</h1>', {
      contentType: 'text/html',
    });
    const smallMemory = env.account.updateFunctionConfiguration('image-resizer', { memorySize: 512 });
    const policy = env.account.putBucketPolicy('queenofsandiego.com', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
    });
    const foreign = JSON.parse(bodies(policy)[0] as string) as {
      account: string;
      detail: Record<string, unknown>;
    };
    foreign.account = '999999999999';
    foreign.detail.recipientAccountId = '999999999999';
    await queues.send(queue, [
      ...bodies(policy),
      POISON,
      ...bodies(smallMemory),
      ...baseline.map((item) => JSON.stringify(item)),
      ...bodies(page).reverse(),
      JSON.stringify(foreign),
      ...bodies(smallMemory),
      ...bodies(page),
    ]);
    const first = await drainQueue(sqs, queue, consumer);

    // Round 2: a newer change to the function, and the page deleted; again with duplicates.
    const largeMemory = env.account.updateFunctionConfiguration('image-resizer', { memorySize: 1024 });
    const deleted = env.account.deleteObject('sailjada.com', 'index.html');
    await queues.send(queue, [...bodies(deleted), ...bodies(largeMemory), ...bodies(deleted)]);
    await drainQueue(sqs, queue, consumer);

    // Round 3: the old events again, delivered late.
    env.account.resetCallCounts();
    await queues.send(queue, [...bodies(smallMemory), ...bodies(page)]);
    await drainQueue(sqs, queue, consumer);

    expect(first.failures).toBeGreaterThanOrEqual(2);
    expect(env.account.callCounts().GetFunction).toBeGreaterThan(0);
    const fn = await tidemark<{ versions: HistoryEntry[] }>('history', FUNCTION);
    expect(fn.versions.map((version) => version.seq)).toEqual([1, 2]);
    expect(fn.versions[1]?.changes).toContainEqual(
      expect.objectContaining({ path: 'Configuration.MemorySize', before: 512, after: 1024 }),
    );
    const pageHistory = await tidemark<{ versions: HistoryEntry[] }>('history', PAGE);
    expect(pageHistory.versions.map((version) => version.deleted)).toEqual([false, true]);
    expect(pageHistory.versions[0]?.cause).toMatchObject({ kind: 'event', eventName: 'PutObject' });
    const bucket = await tidemark<{ versions: HistoryEntry[] }>('history', BUCKET);
    expect(bucket.versions).toHaveLength(1);
    const { baselines } = await tidemark<{ baselines: Array<{ label: string; entryCount: number }> }>(
      'baselines',
    );
    expect(baselines).toContainEqual(expect.objectContaining({ label: 'functions-1', entryCount: 3 }));

    const dead = await env.cli.json<{ messages: Array<{ receiveCount: number; content: MessageSummary }> }>(
      'dlq',
      'list',
      '--dlq-url',
      dlq.url,
      '--endpoint-url',
      sqsServer.endpoint,
    );
    expect(dead.messages).toHaveLength(1);
    expect(dead.messages[0]?.content).toMatchObject({
      kind: 'unparseable',
      reason: expect.stringMatching(/JSON/),
    });
    expect(dead.messages[0]?.receiveCount).toBeGreaterThanOrEqual(2);

    const listed = await env.cli.run(
      'dlq',
      'list',
      '--dlq-url',
      dlq.url,
      '--endpoint-url',
      sqsServer.endpoint,
    );
    expect(listed.stdout).toMatch(
      /1 dead messages in .*\n.*RECEIVES[\s\S]*unparseable: line 1: not valid JSON/,
    );

    const redrive = await env.cli.run(
      'dlq',
      'redrive',
      '--dlq-url',
      dlq.url,
      '--queue-url',
      queue.url,
      '--endpoint-url',
      sqsServer.endpoint,
    );
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('1 messages moved');
    expect(await queues.depth(dlq)).toBe(0);
    expect(await queues.depth(queue)).toBe(1);
  });

  it('alerts once per change under redelivery, with the rules the store holds, reloaded when they change', async () => {
    const store = 's3://tidemark-store/alerting';
    const webhook = await startRecordingServer(() => ({ status: 200, body: 'ok' }));
    const s3 = new S3Client({
      endpoint: s3Server.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: s3Server.credentials,
    });
    /** Puts a rules file in the store, as an operator would with `aws s3 cp`. */
    const putRules = (text: string) =>
      s3.send(
        new PutObjectCommand({ Bucket: 'tidemark-store', Key: 'alerting/config/alerts.yaml', Body: text }),
      );
    /** Rules firing `rule` on any change of the media bucket, sent to the webhook alone. */
    const rules = (rule: string) => `defaults: false
destinations:
  hook: { type: webhook, url: "${webhook.endpoint}/alerts" }
rules:
  - name: ${rule}
    description: Media bucket policy changed
    severity: high
    match:
      resources: ['AWS::S3::Bucket:sailjada-media']
    destinations: [hook]
`;
    const policy = (prefix: string) => accountReadPolicy('sailjada-media', prefix);
    /** What Slack would show of each alert the webhook received. */
    const texts = () =>
      webhook.requests.map((request) => (JSON.parse(request.body) as { text: string }).text);
    try {
      const { queue } = await queues.create('tidemark-alerting', {
        visibilityTimeoutSeconds: 1,
        maxReceiveCount: 3,
      });
      const consumer = await deployConsumer(queue, store);
      await putRules(rules('media-policy'));

      const first = bodies(env.account.putBucketPolicy('sailjada-media', policy('first')));
      await queues.send(queue, first);
      const firstBatch = await drainQueue(sqs, queue, consumer);
      const afterFirst = texts();
      await queues.send(queue, first);
      await drainQueue(sqs, queue, consumer);
      const afterRedelivery = texts();

      await putRules(rules('media-policy-v2'));
      await queues.send(queue, bodies(env.account.putBucketPolicy('sailjada-media', policy('second'))));
      await drainQueue(sqs, queue, consumer);
      const afterReload = texts();

      await putRules('rules:\n  - name: media-policy-v3\n    severity: urgent\n');
      await queues.send(queue, bodies(env.account.putBucketPolicy('sailjada-media', policy('third'))));
      const invalidBatch = await drainQueue(sqs, queue, consumer);

      expect(firstBatch.failures).toBe(0);
      expect(afterFirst).toHaveLength(1);
      expect(afterFirst[0]).toContain('sailjada-media');
      expect(afterFirst[0]).toContain('(rule media-policy)');
      expect(afterRedelivery).toHaveLength(1);
      expect(afterReload).toHaveLength(2);
      expect(afterReload[1]).toContain('(rule media-policy-v2)');
      expect(invalidBatch.failures).toBe(0);
      expect(texts()).toHaveLength(3);
      expect(texts()[2]).toContain('(rule media-policy-v2)');
      vi.stubEnv('TIDEMARK_CACHE_DIR', await mkdtemp(path.join(folder, 'cli-cache-')));
      const bucket = await env.cli.json<{ versions: HistoryEntry[] }>(
        'history',
        'AWS::S3::Bucket:sailjada-media',
        '--store',
        store,
      );
      expect(bucket.versions.map((version) => version.seq)).toEqual([1, 2, 3]);
    } finally {
      s3.destroy();
      await webhook.stop();
    }
  });

  it('says which queue it needs when none is given', async () => {
    vi.stubEnv('TIDEMARK_DLQ_URL', '');
    const result = await env.cli.run('dlq', 'list');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --dlq-url or set TIDEMARK_DLQ_URL');
  });
});
