import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  accountReadPolicy,
  publicReadPolicy,
  SIMULATED_STRIPE_SECRET_KEY,
  SimulatedAccount,
  type SimulatedEvent,
} from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertLog, type StoredAlert } from '../src/alerts/alert-log.js';
import { AlertEvaluator } from '../src/alerts/evaluator.js';
import { parseRules } from '../src/alerts/load-rules.js';
import { AwsClients } from '../src/aws/clients.js';
import { runBaseline } from '../src/capture/baseline.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { ingestEvents } from '../src/capture/ingest.js';
import { StoreError } from '../src/errors.js';
import { registry } from '../src/resources/registry.js';
import { StoreKey } from '../src/secrets/store-key.js';
import { VersionStore } from '../src/store/version-store.js';
import { type RecordingServer, type Reply, startRecordingServer } from './support/recording-server.js';

const BASELINE = { regions: ['us-east-1'], types: ['AWS::S3::Bucket', 'AWS::Lambda::Function'] };
const PUBLIC_POLICY = publicReadPolicy('sailjada-media');
const ROTATED_KEY = 'sk_live_51RotatedSecretValue9876543210';

/** A private policy of the media bucket: only the account may read `prefix`. */
const privatePolicy = (prefix: string) => accountReadPolicy('sailjada-media', prefix);

/** The webhook destination `hook` at `server`, and the rules given. */
function rulesYaml(server: RecordingServer, rules: string): string {
  return `destinations:
  hook:
    type: webhook
    url: ${server.endpoint}/hooks/alerts
${rules}`;
}

/** The events as SQS bodies, one input each. */
const inputs = (events: readonly SimulatedEvent[]) =>
  events.map((event, index) => ({ text: JSON.stringify(event), origin: `sqs:message-${index}` }));

/** What Slack would show of each request the webhook received. */
const slackTexts = (server: RecordingServer) =>
  server.requests.map((request) => (JSON.parse(request.body) as { text: string }).text);

describe('alerts evaluated on every capture', { timeout: 120_000 }, () => {
  let account: SimulatedAccount;
  let folder: string;
  let store: VersionStore;
  let server: RecordingServer | undefined;
  const key = new StoreKey(Buffer.alloc(32, 11));

  beforeEach(async () => {
    account = await SimulatedAccount.start();
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-alerts-'));
    store = await VersionStore.open(path.join(folder, 'store'), {
      key,
      cacheDirectory: path.join(folder, 'cache'),
    });
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    store.close();
    await account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  /**
   * A webhook answering as `reply` says, an evaluator of the rules (the webhook `hook` declared) with short retry
   * delays, and a capture engine reporting to it, over a store as new as the CLI finds it on a first capture.
   */
  async function pipeline(rules: string, reply: Reply = { status: 200, body: 'ok' }, now?: () => Date) {
    server = await startRecordingServer(() => reply);
    const stdout: string[] = [];
    const evaluator = new AlertEvaluator({
      store,
      rules: parseRules(rulesYaml(server, rules), 'tidemark.alerts.yaml'),
      destinations: { clients: new AwsClients(), write: (line) => stdout.push(line), region: 'us-east-1' },
      delivery: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
      ...(now ? { now } : {}),
    });
    const engine = await CaptureEngine.create({
      store,
      clients: new AwsClients(),
      sealer: key.sealer,
      registry,
      observer: evaluator,
      ...(now ? { now } : {}),
    });
    return { engine, evaluator, server, stdout };
  }

  /** Every alert the store holds, as `tidemark alerts list` reads them with the store's key. */
  async function storedAlerts(): Promise<StoredAlert[]> {
    const listed: StoredAlert[] = [];
    for await (const alert of new AlertLog(store.backend, key).list()) listed.push(alert);
    return listed;
  }

  it('alerts once when a bucket is made public, also when the queue delivers its event again', async () => {
    const { engine, evaluator, server } = await pipeline(`rules:
  - name: bucket-made-public
    destinations: [hook]
`);
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    const quiet = await evaluator.settle();

    const events = account.putBucketPolicy('sailjada-media', PUBLIC_POLICY);
    await ingestEvents(engine, inputs(events));
    const first = await evaluator.settle();
    await ingestEvents(engine, inputs(events));
    const redelivered = await evaluator.settle();

    expect(quiet.fired).toEqual([]);
    expect(first.fired.map(({ alert }) => alert.rule).sort()).toEqual([
      'bucket-made-public',
      'unexpected-principal',
    ]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe('/hooks/alerts');
    expect(slackTexts(server)[0]).toContain('sailjada-media');
    expect(slackTexts(server)[0]).toContain('bucket-made-public');
    expect(redelivered.fired).toEqual([]);
    expect(redelivered.duplicates).toBe(2);
    const stored = (await storedAlerts()).filter(({ alert }) => alert.rule === 'bucket-made-public');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.alert.resource.id).toBe('sailjada-media');
    expect(stored[0]?.deliveries).toEqual([
      expect.objectContaining({ destination: 'hook', status: 'delivered', attempts: 1 }),
    ]);
  });

  it('records a webhook that keeps failing as a failed delivery, and the capture still stands', async () => {
    const { engine, evaluator, server } = await pipeline(
      `rules:
  - name: bucket-made-public
    destinations: [hook]
`,
      { status: 500, body: 'internal error' },
    );
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    await evaluator.settle();

    const ingest = await ingestEvents(
      engine,
      inputs(account.putBucketPolicy('sailjada-media', PUBLIC_POLICY)),
    );
    const report = await evaluator.settle();

    expect(ingest.failures).toEqual([]);
    expect(ingest.captures).toEqual([
      expect.objectContaining({
        resource: expect.objectContaining({ type: 'AWS::S3::Bucket', id: 'sailjada-media' }),
        status: 'appended',
        seq: 2,
      }),
    ]);
    const fired = report.fired.find(({ alert }) => alert.rule === 'bucket-made-public');
    expect(fired?.deliveries).toEqual([
      expect.objectContaining({
        destination: 'hook',
        status: 'failed',
        attempts: 3,
        error: 'hook: webhook answered HTTP 500',
      }),
    ]);
    expect(server.requests).toHaveLength(3);
    const stored = (await storedAlerts()).find(({ alert }) => alert.rule === 'bucket-made-public');
    expect(stored?.deliveries).toEqual([expect.objectContaining({ destination: 'hook', status: 'failed' })]);
  });

  it('alerts once for changes of the same bucket within a rolling dedup window, and again after it', async () => {
    // Two changes across an hour boundary (10:59, 11:01) are within one hour of each other; 12:10 is not.
    let clock = new Date('2026-12-05T10:30:00.000Z');
    const { engine, evaluator, server } = await pipeline(
      `defaults: false
rules:
  - name: media-policy
    severity: low
    match:
      resources: ['AWS::S3::Bucket:sailjada-media']
      fields: [{ path: Policy }]
    dedup: 1h
    destinations: [hook]
`,
      { status: 200, body: 'ok' },
      () => clock,
    );
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    const changeAt = async (time: string, prefix: string) => {
      clock = new Date(time);
      await ingestEvents(engine, inputs(account.putBucketPolicy('sailjada-media', privatePolicy(prefix))));
      return evaluator.settle();
    };

    const first = await changeAt('2026-12-05T10:59:00.000Z', 'a');
    const second = await changeAt('2026-12-05T11:01:00.000Z', 'b');
    const third = await changeAt('2026-12-05T12:10:00.000Z', 'c');

    expect(first.fired.map(({ alert }) => alert.rule)).toEqual(['media-policy']);
    expect(second.fired).toEqual([]);
    expect(second.duplicates).toBe(1);
    expect(third.fired.map(({ alert }) => alert.capturedAt)).toEqual(['2026-12-05T12:10:00.000Z']);
    expect(server.requests).toHaveLength(2);
    expect(await storedAlerts()).toHaveLength(2);
  });

  it('delivers an alert whose delivery was interrupted when its event comes again, five minutes on', async () => {
    let clock = new Date('2026-12-05T10:00:00.000Z');
    const { engine, evaluator, server } = await pipeline(
      'defaults: false\nrules:\n  - name: media-policy\n    match: { resources: ["AWS::S3::Bucket:sailjada-media"] }\n    destinations: [hook]\n',
      { status: 200, body: 'ok' },
      () => clock,
    );
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    const events = account.putBucketPolicy('sailjada-media', PUBLIC_POLICY);
    await ingestEvents(engine, inputs(events));
    await evaluator.settle();
    // The process stopped after claiming the alert, before recording its delivery.
    const [deliveries] = (await readdir(path.join(folder, 'store', 'alerts'), { recursive: true })).filter(
      (file) => file.endsWith('.deliveries.json'),
    );
    await rm(path.join(folder, 'store', 'alerts', deliveries as string));

    clock = new Date('2026-12-05T10:01:00.000Z');
    await ingestEvents(engine, inputs(events));
    const soon = await evaluator.settle();
    clock = new Date('2026-12-05T10:06:00.000Z');
    await ingestEvents(engine, inputs(events));
    const later = await evaluator.settle();

    expect(soon.fired).toEqual([]);
    expect(soon.duplicates).toBe(1);
    expect(later.fired.map(({ alert }) => alert.rule)).toEqual(['media-policy']);
    expect(server.requests).toHaveLength(2);
    expect((await storedAlerts())[0]?.deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it('alerts on silent drift a second baseline finds', async () => {
    const { engine, evaluator, server } = await pipeline(`settings:
  destinations: [hook]
`);
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    await evaluator.settle();

    account.putBucketPolicy('sailjada-media', privatePolicy('drifted'));
    await runBaseline(engine, { ...BASELINE, label: 'v1.1' });
    const report = await evaluator.settle();

    expect(report.fired.map(({ alert }) => alert.rule)).toEqual(['silent-drift']);
    expect(report.fired[0]?.alert).toMatchObject({
      resource: { type: 'AWS::S3::Bucket', id: 'sailjada-media' },
      cause: { kind: 'reconcile' },
      kind: 'changed',
    });
    expect(server.requests).toHaveLength(1);
    expect(slackTexts(server)[0]).toContain('silent-drift');
    expect(slackTexts(server)[0]).toContain('sailjada-media');
  });

  it('alerts on a rotated secret without sending its value', async () => {
    const { engine, evaluator, server } = await pipeline(`rules:
  - name: secret-changed
    destinations: [hook]
`);
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    await evaluator.settle();

    const environment = { ...account.functionEnvironment('booking-handler'), STRIPE_SECRET_KEY: ROTATED_KEY };
    await ingestEvents(
      engine,
      inputs(account.updateFunctionConfiguration('booking-handler', { environment })),
    );
    const report = await evaluator.settle();

    const fired = report.fired.find(({ alert }) => alert.rule === 'secret-changed');
    expect(fired?.alert.resource).toMatchObject({ type: 'AWS::Lambda::Function', id: 'booking-handler' });
    expect(fired?.deliveries).toEqual([
      expect.objectContaining({ destination: 'hook', status: 'delivered' }),
    ]);
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]?.body ?? '';
    expect(body).toContain('Configuration.Environment.Variables.STRIPE_SECRET_KEY');
    expect(body).toContain('secret changed (value not shown)');
    for (const secret of [ROTATED_KEY, SIMULATED_STRIPE_SECRET_KEY]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(Buffer.from(secret).toString('base64'));
    }
    const alertFiles = await readdir(path.join(folder, 'store', 'alerts'), { recursive: true });
    for (const file of alertFiles.filter((name) => name.endsWith('.json'))) {
      const text = await readFile(path.join(folder, 'store', 'alerts', file), 'utf8');
      expect(text).not.toContain(ROTATED_KEY);
    }
  });

  it('refuses an alert record altered in the store, naming its key', async () => {
    const { engine, evaluator } = await pipeline(`rules:
  - name: bucket-made-public
    destinations: [hook]
`);
    await runBaseline(engine, { ...BASELINE, label: 'v1.0' });
    await ingestEvents(engine, inputs(account.putBucketPolicy('sailjada-media', PUBLIC_POLICY)));
    await evaluator.settle();
    expect((await storedAlerts()).map(({ alert }) => alert.rule)).toContain('bucket-made-public');
    const alerts = path.join(folder, 'store', 'alerts');
    const files = (await readdir(alerts, { recursive: true })) as string[];
    let altered = '';
    let text = '';
    for (const file of files.filter((name) => name.endsWith('.json') && !name.endsWith('.deliveries.json'))) {
      const content = await readFile(path.join(alerts, file), 'utf8');
      if (content.includes('"rule":"bucket-made-public"')) [altered, text] = [file, content];
    }
    expect(text).toContain('"severity":"critical"');
    await writeFile(path.join(alerts, altered), text.replace('"severity":"critical"', '"severity":"low"'));

    const listing = storedAlerts();

    await expect(listing).rejects.toThrow(StoreError);
    await expect(listing).rejects.toThrow(`alerts/${altered}`);
  });
});
