import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { history, parseWorkItem, startScheduledBaseline } from '@tidemark/core';
import { SIMULATED_STRIPE_SECRET_KEY } from '@tidemark/simulation';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext, syntheticSqsEvent } from '../../../test/support/sqs-event-source.js';
import { withPipeline } from './support/container.js';

const FUNCTION = 'AWS::Lambda::Function';
const OBJECT = 'AWS::S3::Object';
const BUCKET = 'AWS::S3::Bucket';

/** The consumer of a new container, and its metrics. */
async function coldStart() {
  const { handler } = await import('../src/consumer.js');
  const { metrics } = await import('../src/observability.js');
  return { handler, addMetric: vi.spyOn(metrics, 'addMetric') };
}

async function invoke(event: SQSEvent): Promise<SQSBatchResponse> {
  const { handler } = await coldStart();
  return (await handler(event, lambdaContext())) as SQSBatchResponse;
}

function failedIds(response: SQSBatchResponse): string[] {
  return response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();
}

describe('the SQS consumer', () => {
  const env = withPipeline();

  it('captures what a mixed batch touched and skips, without failing, what maps to nothing', async () => {
    const page = env.account.putObject('sailjada.com', 'index.html', '<h1>Spring regatta</h1>');
    const memory = env.account.updateFunctionConfiguration('image-resizer', { memorySize: 512 });
    const [policy] = env.account.putBucketPolicy('queenofsandiego.com', {
      Version: '2012-10-17',
      Statement: [],
    });
    const otherAccount = structuredClone(policy) as { account: string; detail: Record<string, unknown> };
    otherAccount.account = '999999999999';
    otherAccount.detail.recipientAccountId = '999999999999';
    const readOnly = structuredClone(policy) as { detail: Record<string, unknown> };
    readOnly.detail.eventName = 'GetBucketPolicy';
    readOnly.detail.readOnly = true;
    const { handler, addMetric } = await coldStart();

    const response = (await handler(
      syntheticSqsEvent([...page, ...memory, policy, otherAccount, readOnly].map((e) => JSON.stringify(e))),
      lambdaContext(),
    )) as SQSBatchResponse;

    expect(response.batchItemFailures).toEqual([]);
    const store = await env.openStore();
    expect(store.latest(env.ref(OBJECT, 'sailjada.com/index.html'))?.record.seq).toBe(1);
    expect(store.latest(env.ref(FUNCTION, 'image-resizer'))?.record.seq).toBe(1);
    expect(store.latest(env.ref(BUCKET, 'queenofsandiego.com'))?.record.seq).toBe(1);
    expect(addMetric).toHaveBeenCalledWith('VersionsAppended', 'Count', 3);
    expect(addMetric).toHaveBeenCalledWith('Skipped', 'Count', 2);
    expect(addMetric).toHaveBeenCalledWith('Failed', 'Count', 0);
  });

  it('fails each poison message alone and still captures the rest of the batch', async () => {
    const events = env.account.updateFunctionConfiguration('email-sender', { timeout: 30 });
    const event = syntheticSqsEvent([
      'this is not JSON {',
      JSON.stringify(events[0]),
      '{"tidemark":"baseline-slice","label":"v1.0"}',
      '{"hello":"world"}',
      '[]',
    ]);
    const ids = event.Records.map((record) => record.messageId);

    const response = await invoke(event);

    expect(failedIds(response)).toEqual([ids[0], ids[2], ids[3], ids[4]].sort());
    expect((await env.openStore()).latest(env.ref(FUNCTION, 'email-sender'))?.record.seq).toBe(1);
  });

  it('appends nothing for duplicates and replays, and never rolls back to what an old event saw', async () => {
    const first = env.account.updateFunctionConfiguration('image-resizer', { memorySize: 512 });
    await invoke(syntheticSqsEvent([...first, ...first, ...first].map((e) => JSON.stringify(e))));
    const second = env.account.updateFunctionConfiguration('image-resizer', { memorySize: 2048 });
    await invoke(syntheticSqsEvent(second.map((e) => JSON.stringify(e))));
    env.account.resetCallCounts();

    const replay = await invoke(syntheticSqsEvent([...first, ...second].map((e) => JSON.stringify(e))));

    expect(replay.batchItemFailures).toEqual([]);
    expect(env.account.callCounts().GetFunction).toBeGreaterThan(0);
    const store = await env.openStore();
    const versions = await history(store, env.ref(FUNCTION, 'image-resizer'));
    expect(versions.map((version) => version.seq)).toEqual([1, 2]);
    const latest = store.latest(env.ref(FUNCTION, 'image-resizer'));
    expect(JSON.stringify(await store.readDocument(latest?.record.document as string))).toContain(
      '"MemorySize":2048',
    );
  });

  it('fails a message whose capture still fails after retries, and only that one', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    env.account.throttle('lambda:GetFunction', 10);
    const event = syntheticSqsEvent([
      JSON.stringify(env.account.updateFunctionConfiguration('booking-handler', { memorySize: 256 })[0]),
      JSON.stringify(env.account.putObject('sailjada.com', 'news.html', '<p>news</p>')[0]),
    ]);

    const response = await invoke(event);

    expect(failedIds(response)).toEqual([event.Records[0]?.messageId]);
    expect((await env.openStore()).latest(env.ref(OBJECT, 'sailjada.com/news.html'))).toBeDefined();
  });

  it('records a denied read as a gap and does not retry the message', async () => {
    env.account.deny('lambda:GetFunction', 'booking-handler');
    const events = env.account.updateFunctionConfiguration('booking-handler', { memorySize: 256 });

    const response = await invoke(syntheticSqsEvent(events.map((e) => JSON.stringify(e))));

    expect(response.batchItemFailures).toEqual([]);
  });

  it('never writes a secret environment value to its logs', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const environment = { ...env.account.functionEnvironment('booking-handler'), STAGE: 'prod' };
    const events = env.account.updateFunctionConfiguration('booking-handler', { environment });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await invoke(syntheticSqsEvent(events.map((e) => JSON.stringify(e))));
    } finally {
      spy.mockRestore();
    }

    expect(written.join('')).toContain('booking-handler');
    expect(written.join('')).not.toContain(SIMULATED_STRIPE_SECRET_KEY);
  });

  it('runs a baseline work item, sending the slices it spawns to the queue', async () => {
    const items = await startScheduledBaseline(await env.openStore(), {
      label: 'weekly-1',
      regions: ['us-east-1'],
      types: [BUCKET],
    });

    const response = await invoke(syntheticSqsEvent(items.map((item) => JSON.stringify(item))));

    expect(response.batchItemFailures).toEqual([]);
    const { Messages = [] } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: env.queueUrl, MaxNumberOfMessages: 10 }),
    );
    const spawned = Messages.map((message) => parseWorkItem(message.Body));
    expect(spawned.length).toBeGreaterThan(0);
    expect(spawned.every((item) => item?.label === 'weekly-1' && item.type === OBJECT && item.parent)).toBe(
      true,
    );
    expect((await env.openStore()).latest(env.ref(BUCKET, 'sailjada.com'))?.record.cause).toMatchObject({
      kind: 'baseline',
      label: 'weekly-1',
    });
  });
});
