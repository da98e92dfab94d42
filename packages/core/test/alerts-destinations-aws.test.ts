import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubCredentials } from '../../../test/support/environment.js';
import { destinationConfigSchema } from '../src/alerts/destinations/config.js';
import { deliverAlert } from '../src/alerts/destinations/deliver.js';
import { type AlertDestination, createDestination } from '../src/alerts/destinations/destination.js';
import { AwsClients } from '../src/aws/clients.js';
import { InputError } from '../src/errors.js';
import { BUCKET_MADE_PUBLIC } from './support/alerts.js';
import { type RecordingServer, type Reply, startRecordingServer } from './support/recording-server.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-2:123456789012:tidemark-alerts';

const ALERT_TEXT = [
  '[critical] Bucket made public: AWS::S3::Bucket queenofsandiego.com changed by alice at 2026-12-05T10:00:00.000Z',
  '  Policy.Statement.0.Principal: {"Service":"cloudfront.amazonaws.com"} → "*"',
  "  tidemark show 'AWS::S3::Bucket:queenofsandiego.com' --at 2026-12-05T10:00:03.000Z",
].join('\n');

let server: RecordingServer | undefined;
beforeEach(() => stubCredentials({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }));
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.stop();
  server = undefined;
});

/**
 * A destination whose SDK client talks to a server answering as the test says; one SDK attempt per call, so the
 * server sees each of `deliverAlert`'s attempts once.
 */
async function destinationAt(config: unknown, reply: (index: number) => Reply): Promise<AlertDestination> {
  server = await startRecordingServer((_, index) => reply(index));
  const clients = new AwsClients({ endpointUrl: server.endpoint, maxAttempts: 1 });
  return createDestination('ops', destinationConfigSchema.parse(config), { clients, write: () => {} });
}

describe('sns destination', () => {
  const published: Reply = {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
  <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
</PublishResponse>`,
  };

  it('publishes the alert to the topic, in the topic’s region, with severity and rule attributes', async () => {
    const sns = await destinationAt({ type: 'sns', topicArn: TOPIC_ARN }, () => published);

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [sns]);

    expect(outcome).toMatchObject({ destination: 'ops', status: 'delivered', attempts: 1 });
    const [request] = server?.requests ?? [];
    expect(request?.headers.authorization).toContain('/eu-west-2/sns/aws4_request');
    const form = Object.fromEntries(new URLSearchParams(request?.body));
    expect(form).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: TOPIC_ARN,
      Subject:
        '[critical] Bucket made public: AWS::S3::Bucket queenofsandiego.com changed by alice at 2026-12-05...',
      Message: ALERT_TEXT,
      'MessageAttributes.entry.1.Name': 'severity',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'critical',
      'MessageAttributes.entry.2.Name': 'rule',
      'MessageAttributes.entry.2.Value.DataType': 'String',
      'MessageAttributes.entry.2.Value.StringValue': 'bucket-made-public',
    });
  });

  it('gives up on a denied publish after one attempt, naming the error as the SDK does', async () => {
    const sns = await destinationAt({ type: 'sns', topicArn: TOPIC_ARN }, () => ({
      status: 403,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: SNS:Publish on resource: ${TOPIC_ARN}</Message></Error>
  <RequestId>9a8f8c3e-2b1d-5c4e-8f7a-1b2c3d4e5f60</RequestId>
</ErrorResponse>`,
    }));

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [sns], { minDelayMs: 10 });

    expect(outcome).toMatchObject({
      destination: 'ops',
      status: 'failed',
      attempts: 1,
      error: 'ops: AuthorizationErrorException (HTTP 403)',
    });
  });

  it('keeps a subject SNS accepts: printable ASCII, at most 100 characters', async () => {
    const sns = await destinationAt({ type: 'sns', topicArn: TOPIC_ARN }, () => published);

    await deliverAlert({ ...BUCKET_MADE_PUBLIC, title: 'Bucket made public — café' }, [sns]);

    const form = new URLSearchParams(server?.requests[0]?.body);
    expect(form.get('Subject')).toBe(
      '[critical] Bucket made public ? caf?: AWS::S3::Bucket queenofsandiego.com changed by alice at 202...',
    );
  });
});

describe('ses destination', () => {
  const sesConfig = {
    type: 'ses',
    from: 'tidemark@example.com',
    to: ['oncall@example.com', 'security@example.com'],
    region: 'eu-west-1',
  };

  it('emails the alert through SES v2 with a subject, a text body and an html body', async () => {
    const ses = await destinationAt(sesConfig, () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"MessageId":"0102018c-1a2b-3c4d-5e6f-7a8b9c0d1e2f-000000"}',
    }));

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [ses]);

    expect(outcome).toMatchObject({ destination: 'ops', status: 'delivered', attempts: 1 });
    const [request] = server?.requests ?? [];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v2/email/outbound-emails');
    expect(request?.headers.authorization).toContain('/eu-west-1/ses/aws4_request');
    const sent = JSON.parse(request?.body ?? '{}');
    expect(sent.FromEmailAddress).toBe('tidemark@example.com');
    expect(sent.Destination).toEqual({ ToAddresses: ['oncall@example.com', 'security@example.com'] });
    expect(sent.Content.Simple.Subject).toEqual({
      Data: '[critical] Bucket made public: AWS::S3::Bucket queenofsandiego.com changed by alice at 2026-12-05T10:00:00.000Z',
      Charset: 'UTF-8',
    });
    expect(sent.Content.Simple.Body.Text).toEqual({ Data: ALERT_TEXT, Charset: 'UTF-8' });
    const html: string = sent.Content.Simple.Body.Html.Data;
    expect(html).toContain(
      '<li><code>Policy.Statement.0.Principal: {&quot;Service&quot;:&quot;cloudfront.amazonaws.com&quot;} → &quot;*&quot;</code></li>',
    );
    expect(html).toContain(
      'by alice · arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice, changed at 2026-12-05T10:00:00.000Z',
    );
  });

  it('escapes html in what comes from AWS', async () => {
    const ses = await destinationAt(sesConfig, () => ({ status: 200, body: '{"MessageId":"m-1"}' }));

    await deliverAlert(
      { ...BUCKET_MADE_PUBLIC, resource: { ...BUCKET_MADE_PUBLIC.resource, id: 'a<script>' } },
      [ses],
    );

    const html: string = JSON.parse(server?.requests[0]?.body ?? '{}').Content.Simple.Body.Html.Data;
    expect(html).toContain('AWS::S3::Bucket a&lt;script&gt; changed');
    expect(html).not.toContain('<script>');
  });

  it('retries when SES throttles, then delivers', async () => {
    const ses = await destinationAt(
      sesConfig,
      (index): Reply =>
        index === 0
          ? {
              status: 429,
              headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
              body: '{"message":"Too many requests"}',
            }
          : { status: 200, headers: { 'content-type': 'application/json' }, body: '{"MessageId":"m-2"}' },
    );

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [ses], { minDelayMs: 10 });

    expect(outcome).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('gives up on a rejected message after one attempt, naming the error code', async () => {
    const ses = await destinationAt(sesConfig, () => ({
      status: 400,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' },
      body: '{"message":"Email address is not verified. The following identities failed the check in region EU-WEST-1: tidemark@example.com"}',
    }));

    const [outcome] = await deliverAlert(BUCKET_MADE_PUBLIC, [ses], { minDelayMs: 10 });

    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'ops: MessageRejected (HTTP 400)',
    });
  });

  it('uses the home region when the destination names none, and needs one or the other', () => {
    const config = destinationConfigSchema.parse({ ...sesConfig, region: undefined });
    const clients = new AwsClients();

    expect(() => createDestination('mail', config, { clients, write: () => {} })).toThrow(
      new InputError('ses destination mail names no region and no home region is known: add region to it'),
    );
    expect(createDestination('mail', config, { clients, write: () => {}, region: 'eu-west-1' }).name).toBe(
      'mail',
    );
  });
});
