import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Alert, DeliveryOutcome } from '@tidemark/core/alerts';
import { accountReadPolicy, publicReadPolicy } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type RecordingServer,
  startRecordingServer,
} from '../packages/core/test/support/recording-server.js';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

const BUCKET_TYPES = 'AWS::S3::Bucket,AWS::Lambda::Function';
const PUBLIC_POLICY = publicReadPolicy('sailjada-media');
const PRIVATE_POLICY = accountReadPolicy('sailjada-media', 'private');

describe('tidemark alerts', { timeout: 120_000 }, () => {
  const env = withSimulatedAccount();
  let server: RecordingServer;

  beforeEach(async () => {
    server = await startRecordingServer(() => ({ status: 200, body: 'ok' }));
  });
  afterEach(() => server.stop());

  /** Writes a file in the test folder and returns its path. */
  async function file(name: string, text: string): Promise<string> {
    const written = path.join(env.cli.folder, name);
    await writeFile(written, text);
    return written;
  }

  /** A rules file sending bucket-made-public to the test's webhook, the other shipped rules to stdout. */
  const hookRules = () =>
    file(
      'hook.yaml',
      `destinations:
  hook:
    type: webhook
    url: ${server.endpoint}/slack
rules:
  - name: bucket-made-public
    destinations: [hook]
`,
    );

  /** Makes the media bucket public in the account; the file of the events that says so. */
  const madePublic = () =>
    writeNdjson(
      env.cli.folder,
      'public.ndjson',
      env.account.putBucketPolicy('sailjada-media', PUBLIC_POLICY),
    );

  /** The store's files, by path. */
  const storeFiles = async () => (await env.cli.storeFiles()).map(({ file }) => file).sort();

  it('alerts on an ingested change, lists where it went, and replays other rules without writing', async () => {
    expect((await env.cli.run('baseline', '--regions', 'us-east-1', '--types', BUCKET_TYPES)).code).toBe(0);
    const events = await madePublic();

    const ingest = await env.cli.run('ingest', events, '--rules', await hookRules());
    const listed = await env.cli.run('alerts', 'list');
    const since = await env.cli.run('alerts', 'list', '--since', 'v1.0');
    const json = await env.cli.run('alerts', 'list', '--json');

    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(
      /^\[medium\] A change made by someone other than the deploy roles: AWS::S3::Bucket sailjada-media changed by alice/m,
    );
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe('/slack');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/critical +bucket-made-public +AWS::S3::Bucket sailjada-media changed by/);
    expect(listed.stdout).toContain('→ hook delivered');
    expect(listed.stdout).toMatch(/^2 alerts$/m);
    expect(since.stdout).toMatch(/^2 alerts since 20\d\d-/m);
    const lines = json.stdout
      .split('\n')
      .map((line) => JSON.parse(line) as { alert: Alert; deliveries: DeliveryOutcome[] });
    expect(lines.find(({ alert }) => alert.rule === 'bucket-made-public')).toMatchObject({
      alert: { resource: { type: 'AWS::S3::Bucket', id: 'sailjada-media' }, severity: 'critical' },
      deliveries: [{ destination: 'hook', status: 'delivered', attempts: 1 }],
    });

    const other = await file(
      'other.yaml',
      `defaults: false
rules:
  - name: media-changed
    description: Media bucket changed
    severity: low
    match:
      resources: ['AWS::S3::Bucket:sailjada-media']
`,
    );
    const before = await storeFiles();
    const check = await env.cli.run('alerts', 'check', '--from', 'v1.0', '--rules', other);

    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`rules: ${other} (1 in force)`);
    expect(check.stdout).toMatch(/^\[low\] Media bucket changed: AWS::S3::Bucket sailjada-media changed by/m);
    expect(check.stdout).toMatch(/^1 alert would have fired from /m);
    expect(await storeFiles()).toEqual(before);
    expect(server.requests).toHaveLength(1);
  });

  it('lists the alerts of the first capture into a new store', async () => {
    const events = await madePublic();

    const ingest = await env.cli.run('ingest', events, '--rules', await hookRules());
    const listed = await env.cli.run('alerts', 'list');

    expect(ingest.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/critical +bucket-made-public +AWS::S3::Bucket sailjada-media created by/);
  });

  it('warns of a webhook that keeps failing, and the capture stands', async () => {
    const failing = await startRecordingServer(() => ({ status: 503, body: 'unavailable' }));
    try {
      const rules = await file(
        'failing.yaml',
        `destinations:
  hook:
    type: webhook
    url: ${failing.endpoint}/slack
rules:
  - name: bucket-made-public
    destinations: [hook]
`,
      );
      const events = await writeNdjson(
        env.cli.folder,
        'public.ndjson',
        env.account.putBucketPolicy('sailjada-media', PUBLIC_POLICY),
      );

      const ingest = await env.cli.run('ingest', events, '--rules', rules);
      const listed = await env.cli.run('alerts', 'list');

      expect(ingest.code).toBe(0);
      expect(ingest.stderr).toContain(
        'warning: alert bucket-made-public on AWS::S3::Bucket sailjada-media not delivered: hook: webhook answered HTTP 503',
      );
      expect(failing.requests).toHaveLength(4);
      expect(listed.stdout).toContain('→ hook failed after 4 attempts (hook: webhook answered HTTP 503)');
      const history = await env.cli.run('history', 'AWS::S3::Bucket:sailjada-media');
      expect(history.stdout).toContain('PutBucketPolicy');
    } finally {
      await failing.stop();
    }
  });

  it('refuses an invalid rules file with exit code 2, naming file, line and field, and captures nothing', async () => {
    expect((await env.cli.run('baseline', '--regions', 'us-east-1', '--types', BUCKET_TYPES)).code).toBe(0);
    const events = await madePublic();
    const invalid = await file(
      'invalid.yaml',
      `rules:
  - name: bucket-made-public
    severity: urgent
`,
    );
    const before = await storeFiles();

    const ingest = await env.cli.run('ingest', events, '--rules', invalid);

    expect(ingest.code).toBe(2);
    expect(ingest.stderr).toBe(
      `tidemark: ${invalid}:3: rules[0].severity: invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"`,
    );
    expect(await storeFiles()).toEqual(before);
    expect(server.requests).toHaveLength(0);
  });

  it('fires nothing with --no-alerts, and still captures', async () => {
    expect((await env.cli.run('baseline', '--regions', 'us-east-1', '--types', BUCKET_TYPES)).code).toBe(0);
    const events = await writeNdjson(env.cli.folder, 'changes.ndjson', [
      ...env.account.putBucketPolicy('sailjada-media', PRIVATE_POLICY),
      ...env.account.putBucketPolicy('sailjada-media', PUBLIC_POLICY),
    ]);

    const ingest = await env.cli.run('ingest', events, '--rules', await hookRules(), '--no-alerts');
    const listed = await env.cli.run('alerts', 'list');
    const history = await env.cli.run('history', 'AWS::S3::Bucket:sailjada-media');

    expect(ingest.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(listed.stdout).toBe('0 alerts');
    expect(history.stdout).toContain('PutBucketPolicy');
  });
});
