import { afterEach, describe, expect, it } from 'vitest';
import { destinationConfigSchema } from '../src/alerts/destinations/config.js';
import { deliverAlert } from '../src/alerts/destinations/deliver.js';
import { type AlertDestination, createDestination } from '../src/alerts/destinations/destination.js';
import { slackPayload } from '../src/alerts/destinations/slack.js';
import type { Alert } from '../src/alerts/types.js';
import { AwsClients } from '../src/aws/clients.js';
import { BUCKET_MADE_PUBLIC } from './support/alerts.js';
import { type RecordingServer, type Reply, startRecordingServer } from './support/recording-server.js';

/** A Slack webhook's path is its credential: it must never show in an outcome. */
const SECRET_PATH = '/services/T0ACME/B0ALERTS/q8Jv2SecretToken';

const noClients = new AwsClients({ endpointUrl: 'http://127.0.0.1:9' });

function webhook(url: string, extra: Record<string, unknown> = {}): AlertDestination {
  const config = destinationConfigSchema.parse({ type: 'webhook', url, ...extra });
  return createDestination('slack', config, { clients: noClients, write: () => {} });
}

/** Every text of a Slack payload's blocks, in order. */
function blockTexts(payload: { blocks: readonly Record<string, unknown>[] }): string[] {
  return payload.blocks.flatMap((block) => {
    const { text, elements } = block as { text?: { text: string }; elements?: { text: string }[] };
    return [...(text ? [text.text] : []), ...(elements ?? []).map((element) => element.text)];
  });
}

describe('webhook destination', () => {
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function serve(reply: (index: number) => Reply): Promise<string> {
    server = await startRecordingServer((_, index) => reply(index));
    return `${server.endpoint}${SECRET_PATH}`;
  }

  it('posts a Slack payload saying what changed, how, who, when and how to see it, with AWS text escaped', async () => {
    const url = await serve(() => ({ status: 200, body: 'ok' }));
    const alert: Alert = {
      ...BUCKET_MADE_PUBLIC,
      resource: { ...BUCKET_MADE_PUBLIC.resource, id: 'site<b>&<!channel>' },
      show: "tidemark show 'AWS::S3::Bucket:site<b>&<!channel>' --at 2026-12-05T10:00:03.000Z",
    };

    const [outcome] = await deliverAlert(alert, [webhook(url)]);

    expect(outcome).toMatchObject({ destination: 'slack', status: 'delivered', attempts: 1 });
    const [request] = server?.requests ?? [];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(SECRET_PATH);
    expect(request?.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(request?.body ?? '{}');
    expect(payload.text).toBe(
      '[critical] Bucket made public: AWS::S3::Bucket site&lt;b&gt;&amp;&lt;!channel&gt; changed by alice (rule bucket-made-public)',
    );
    const texts = blockTexts(payload);
    expect(texts).toEqual([
      '[CRITICAL] Bucket made public',
      '`AWS::S3::Bucket` `site&lt;b&gt;&amp;&lt;!channel&gt;` *changed* in 123456789012 / us-east-1 (rule `bucket-made-public`)',
      '`Policy.Statement.0.Principal` changed: `{"Service":"cloudfront.amazonaws.com"}` → `"*"`',
      '*By* alice (`arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice`)',
      '*Changed at* 2026-12-05T10:00:00.000Z · *captured at* 2026-12-05T10:00:03.000Z (event)',
      "*See it:* `tidemark show 'AWS::S3::Bucket:site&lt;b&gt;&amp;&lt;!channel&gt;' --at 2026-12-05T10:00:03.000Z`",
    ]);
    expect(request?.body).not.toContain('<b>');
    expect(request?.body).not.toContain('<!channel>');
  });

  it('sends the configured headers', async () => {
    const url = await serve(() => ({ status: 204 }));

    await deliverAlert(BUCKET_MADE_PUBLIC, [
      webhook(url, { headers: { authorization: 'Bearer hook-token' } }),
    ]);

    expect(server?.requests[0]?.headers.authorization).toBe('Bearer hook-token');
  });

  it('retries a server error and delivers on the third attempt', async () => {
    const url = await serve((index) =>
      index < 2 ? { status: 500, body: 'oops' } : { status: 200, body: 'ok' },
    );

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [webhook(url)], { minDelayMs: 10 });

    expect(outcome).toMatchObject({ destination: 'slack', status: 'delivered', attempts: 3 });
    expect(outcome?.error).toBeUndefined();
    expect(server?.requests).toHaveLength(3);
  });

  it('retries a rate-limited answer (HTTP 429)', async () => {
    const url = await serve((index) => (index === 0 ? { status: 429 } : { status: 200 }));

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [webhook(url)], { minDelayMs: 10 });

    expect(outcome).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('gives up on a 404 after one attempt, naming the status but neither the url nor the headers', async () => {
    const url = await serve(() => ({ status: 404, body: `Cannot POST ${SECRET_PATH}` }));

    const [outcome] = await deliverAlert(
      BUCKET_MADE_PUBLIC,
      [webhook(url, { headers: { authorization: 'Bearer hook-token' } })],
      { minDelayMs: 10 },
    );

    expect(outcome).toMatchObject({
      destination: 'slack',
      status: 'failed',
      attempts: 1,
      error: 'slack: webhook answered HTTP 404',
    });
    expect(server?.requests).toHaveLength(1);
  });

  it('fails after every retry of a server that keeps failing, without the url in the error', async () => {
    const url = await serve(() => ({ status: 503, body: `upstream ${SECRET_PATH} down` }));

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [webhook(url)], { retries: 2, minDelayMs: 10 });

    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: 'slack: webhook answered HTTP 503',
    });
    expect(JSON.stringify(outcome)).not.toContain('q8Jv2SecretToken');
    expect(JSON.stringify(outcome)).not.toContain('127.0.0.1');
  });

  it('times out each attempt against a server that never answers, well within the deadline', async () => {
    const url = await serve(() => 'hang');
    const started = Date.now();

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [webhook(url, { timeoutSeconds: 0.2 })], {
      retries: 1,
      minDelayMs: 10,
      deadline: AbortSignal.timeout(10_000),
    });

    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: 'slack: webhook did not answer within 0.2 s',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops at the deadline even when one attempt may take longer', async () => {
    const url = await serve(() => 'hang');
    const started = Date.now();

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [webhook(url, { timeoutSeconds: 30 })], {
      deadline: AbortSignal.timeout(300),
    });

    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'slack: the delivery deadline passed',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails on a refused connection by its code, retrying it', async () => {
    const closed = await startRecordingServer(() => ({ status: 200 }));
    await closed.stop();

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [webhook(`${closed.endpoint}${SECRET_PATH}`)], {
      retries: 1,
      minDelayMs: 10,
    });

    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: 'slack: webhook unreachable (ECONNREFUSED)',
    });
  });
});

describe('deliverAlert', () => {
  it('delivers to every destination in parallel, one outcome each in order, whatever the others do', async () => {
    const server = await startRecordingServer(() => ({ status: 404 }));
    const lines: string[] = [];
    try {
      const failing = webhook(`${server.endpoint}${SECRET_PATH}`);
      const console = createDestination(
        'console',
        destinationConfigSchema.parse({ type: 'stdout', format: 'json' }),
        {
          clients: noClients,
          write: (line) => lines.push(line),
        },
      );

      const outcomes = await deliverAlert(BUCKET_MADE_PUBLIC, [failing, console]);

      expect(outcomes.map(({ destination, status }) => ({ destination, status }))).toEqual([
        { destination: 'slack', status: 'failed' },
        { destination: 'console', status: 'delivered' },
      ]);
      expect(lines).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('never throws: a destination failing with an unexpected error is a failed outcome', async () => {
    const broken: AlertDestination = {
      name: 'broken',
      send: async () => {
        throw new RangeError('went wrong at https://hooks.example.com/secret-path');
      },
    };

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [broken], { retries: 1, minDelayMs: 10 });

    expect(outcome).toMatchObject({
      destination: 'broken',
      status: 'failed',
      attempts: 2,
      error: 'broken: RangeError: went wrong at <url>',
    });
  });
});

describe('stdout destination', () => {
  function stdout(format?: 'text' | 'json'): { destination: AlertDestination; lines: string[] } {
    const lines: string[] = [];
    const config = destinationConfigSchema.parse({ type: 'stdout', ...(format ? { format } : {}) });
    return {
      destination: createDestination('console', config, {
        clients: noClients,
        write: (line) => lines.push(line),
      }),
      lines,
    };
  }

  it('prints a headline, the changed fields indented and the show command, by default', async () => {
    const { destination, lines } = stdout();

    await destination.send(BUCKET_MADE_PUBLIC, new AbortController().signal);

    expect(lines).toEqual([
      '[critical] Bucket made public: AWS::S3::Bucket queenofsandiego.com changed by alice at 2026-12-05T10:00:00.000Z',
      '  Policy.Statement.0.Principal: {"Service":"cloudfront.amazonaws.com"} → "*"',
      "  tidemark show 'AWS::S3::Bucket:queenofsandiego.com' --at 2026-12-05T10:00:03.000Z",
    ]);
  });

  it('names the principal when no human is known, masks secrets and counts unlisted changes', async () => {
    const { destination, lines } = stdout('text');
    const alert: Alert = {
      ...BUCKET_MADE_PUBLIC,
      actor: undefined,
      changes: [{ path: 'Environment.Variables.DB_PASSWORD', change: 'changed', sealed: true }],
      moreChanges: 3,
    };

    await destination.send(alert, new AbortController().signal);

    expect(lines).toEqual([
      '[critical] Bucket made public: AWS::S3::Bucket queenofsandiego.com changed by arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice at 2026-12-05T10:00:00.000Z',
      '  Environment.Variables.DB_PASSWORD: secret changed (value not shown)',
      '  … and 3 more field changes',
      "  tidemark show 'AWS::S3::Bucket:queenofsandiego.com' --at 2026-12-05T10:00:03.000Z",
    ]);
  });

  it('prints one JSON line per alert that parses back to the alert', async () => {
    const { destination, lines } = stdout('json');

    await destination.send(BUCKET_MADE_PUBLIC, new AbortController().signal);

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(JSON.parse(lines[0] ?? '')).toEqual(BUCKET_MADE_PUBLIC);
  });
});

describe('slackPayload', () => {
  it('shows a sealed change without its values', () => {
    const payload = slackPayload({
      ...BUCKET_MADE_PUBLIC,
      changes: [{ path: 'SecretString', change: 'changed', sealed: true }],
    });

    expect(blockTexts(payload)).toContain('`SecretString` changed: _secret changed (value not shown)_');
  });

  it('shortens long values to about 200 characters', () => {
    const payload = slackPayload({
      ...BUCKET_MADE_PUBLIC,
      changes: [{ path: 'Description', change: 'added', after: 'x'.repeat(500) }],
    });

    const field = blockTexts(payload)[2] ?? '';
    expect(field).toBe(`\`Description\` added: \`(absent)\` → \`"${'x'.repeat(198)}…\``);
  });

  it('keeps within Slack’s 50 blocks, counting the fields left out', () => {
    const changes = Array.from({ length: 45 }, (_, index) => ({
      path: `Tags.${index}.Value`,
      change: 'changed' as const,
      before: 'a',
      after: 'b',
    }));

    const payload = slackPayload({ ...BUCKET_MADE_PUBLIC, changes, moreChanges: 7 });

    expect(payload.blocks.length).toBeLessThanOrEqual(50);
    expect(blockTexts(payload)).toContain('… and 12 more field changes');
    expect(blockTexts(payload)).toContain('`Tags.39.Value` changed: `"a"` → `"b"`');
    expect(blockTexts(payload)).not.toContain('`Tags.40.Value` changed: `"a"` → `"b"`');
  });
});

describe('destinationConfigSchema', () => {
  const problems = (value: unknown) =>
    destinationConfigSchema.safeParse(value).error?.issues.map((i) => i.message);

  it('applies the defaults: text on stdout, 10 s per webhook attempt', () => {
    expect(destinationConfigSchema.parse({ type: 'stdout' })).toEqual({ type: 'stdout', format: 'text' });
    expect(
      destinationConfigSchema.parse({ type: 'webhook', url: 'https://hooks.slack.com/services/T/B/X' }),
    ).toEqual({
      type: 'webhook',
      url: 'https://hooks.slack.com/services/T/B/X',
      timeoutSeconds: 10,
    });
  });

  it('takes http only to this machine, without quoting the url path in the error', () => {
    expect(
      destinationConfigSchema.parse({ type: 'webhook', url: 'http://localhost:8080/hook' }),
    ).toMatchObject({
      url: 'http://localhost:8080/hook',
    });
    expect(problems({ type: 'webhook', url: 'http://hooks.example.com/services/T/B/secret' })).toEqual([
      'webhook url must use https (http only to 127.0.0.1 or localhost), received http://hooks.example.com',
    ]);
    expect(problems({ type: 'webhook', url: 'hooks.slack.com/services/T/B/secret' })).toEqual([
      'webhook url is not a url (expected https://host/path)',
    ]);
  });

  it('rejects a misspelt field', () => {
    const result = destinationConfigSchema.safeParse({
      type: 'webhook',
      url: 'https://h.example',
      timeout: 5,
    });

    expect(result.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['timeout'] }]);
  });

  it('wants a topic ARN for SNS and at least one address for SES', () => {
    expect(problems({ type: 'sns', topicArn: 'alerts' })).toEqual([
      'sns topicArn must be a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), received alerts',
    ]);
    expect(
      destinationConfigSchema.safeParse({ type: 'ses', from: 'tidemark@example.com', to: [] }).success,
    ).toBe(false);
    expect(
      destinationConfigSchema.safeParse({ type: 'ses', from: 'tidemark@example.com', to: ['not an address'] })
        .success,
    ).toBe(false);
  });

  it('rejects an unknown destination type', () => {
    expect(destinationConfigSchema.safeParse({ type: 'pagerduty' }).success).toBe(false);
  });
});
