import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type {
  BaselineReport,
  HistoryEntry,
  IngestReport,
  StateDiff,
  StateEntry,
  VerifyReport,
} from '@tidemark/core';
import { registry } from '@tidemark/core/resources';
import { describe, expect, it } from 'vitest';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

const HOME_PAGE = 'AWS::S3::Object:queenofsandiego.com/index.html';
/** What S3 answers a call it will not serve for an object in an archive storage class. */
const ARCHIVED_OBJECT_STATE = {
  code: 'InvalidObjectState',
  status: 403,
  message: "The operation is not valid for the object's storage class",
};

describe('baseline, events and time travel against the simulated account', () => {
  const env = withSimulatedAccount();

  it('captures every bucket, object and function of the region, content included', async () => {
    const report = await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');

    expect(report.label).toBe('v1.0');
    expect(report.byType['AWS::S3::Bucket']?.resources).toBeGreaterThanOrEqual(4);
    expect(report.byType['AWS::S3::Object']?.newVersions).toBeGreaterThan(10);
    expect(report.byType['AWS::Lambda::Function']?.resources).toBe(3);
    expect(report.bytes.downloaded).toBeGreaterThan(0);
    expect(report.manifest?.entries).toBe(
      Object.values(report.byType).reduce((sum, tally) => sum + tally.resources, 0),
    );
    const state = await env.cli.json<{ resources: StateEntry[] }>(
      'state',
      '--at',
      'v1.0',
      '--type',
      'AWS::S3::Bucket',
    );
    expect(state.resources.map((e) => e.resource.region)).not.toContain('us-west-2');
  });

  it("captures the sites' edge too: distributions, zones, certificates and IAM, each with its own counts", async () => {
    const report = await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');

    const resources = (type: string) => report.byType[type]?.resources;
    expect(resources('AWS::CloudFront::Distribution')).toBe(3);
    expect(resources('AWS::CloudFront::Function')).toBe(2);
    expect(resources('AWS::Route53::HostedZone')).toBe(3);
    expect(resources('AWS::Route53::HealthCheck')).toBe(1);
    expect(resources('AWS::CertificateManager::Certificate')).toBe(6);
    expect(resources('AWS::IAM::User')).toBe(3);
    expect(resources('AWS::IAM::Group')).toBe(2);
    expect(resources('AWS::IAM::ManagedPolicy')).toBe(2);
    expect(resources('Tidemark::IAM::AccountPasswordPolicy')).toBe(1);
    const uncaptured = registry
      .filter((definition) => !definition.listedByParent && !(resources(definition.type) ?? 0))
      .map((definition) => definition.type);
    expect(uncaptured).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.gaps.filter((gap) => gap.kind !== 'needs-restore')).toEqual([]);
    const policy = await env.cli.json<{ document: { PasswordPolicy: { MinimumPasswordLength: number } } }>(
      'show',
      'Tidemark::IAM::AccountPasswordPolicy:123456789012',
      '--json',
    );
    expect(policy.document.PasswordPolicy.MinimumPasswordLength).toBe(14);
  });

  it('captures the rest of the account: tables with their items, APIs, mail, the Lightsail box with a snapshot, rules', async () => {
    const report = await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0', '--lightsail-snapshots');

    const resources = (type: string) => report.byType[type]?.resources;
    expect(resources('AWS::DynamoDB::Table')).toBe(3);
    expect(resources('AWS::ApiGateway::RestApi')).toBe(1);
    expect(resources('AWS::ApiGatewayV2::Api')).toBe(1);
    expect(resources('AWS::SES::EmailIdentity')).toBe(5);
    expect(resources('AWS::Lightsail::Instance')).toBe(2);
    expect(resources('AWS::Events::Rule')).toBe(3);
    const bookings = await env.cli.json<{ document: { Items: { Count: number } } }>(
      'show',
      'AWS::DynamoDB::Table:bookings',
      '--json',
    );
    expect(bookings.document.Items.Count).toBe(2000);
    expect(env.account.lightsail.snapshotNames().sort()).toEqual([
      expect.stringMatching(/^tidemark-jada-wordpress-\d{8}T\d{6}Z$/),
      expect.stringMatching(/^tidemark-staging-box-\d{8}T\d{6}Z$/),
    ]);
  });

  it('records a denied IAM sub-read as a gap for that piece alone, as the seed account did', async () => {
    env.account.deny('iam:GetAccountPasswordPolicy');
    env.account.deny('iam:ListAttachedUserPolicies', 'alice');

    const report = await env.cli.json<BaselineReport>('baseline');
    const alice = await env.cli.json<{ document: { AttachedPolicies: unknown; Groups: unknown } }>(
      'show',
      'AWS::IAM::User:alice',
      '--json',
    );

    expect(report.failures).toEqual([]);
    expect(report.gaps.filter((gap) => gap.kind === 'denied').map((gap) => [gap.operation, gap.id])).toEqual([
      ['iam:GetAccountPasswordPolicy', '123456789012'],
      ['iam:ListAttachedUserPolicies', 'alice'],
    ]);
    expect(report.byType['AWS::IAM::User']?.resources).toBe(3);
    expect(alice.document.Groups).toEqual(['admins']);
  });

  it('records an archived object as a gap that needs a restore, not a failure', async () => {
    const report = await env.cli.json<BaselineReport>('baseline');

    expect(report.failures).toEqual([]);
    expect(report.gaps).toContainEqual(
      expect.objectContaining({ kind: 'needs-restore', type: 'AWS::S3::Object' }),
    );
  });

  it('records tags S3 will not read before a restore as needing one, not as denied', async () => {
    const archived = 'sailjada-media/archive/2020-raw.tar';
    env.account.fail('s3:GetObjectVersionTagging', ARCHIVED_OBJECT_STATE, archived);

    const result = await env.cli.run('baseline');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /needs-restore +s3:GetObjectVersionTagging +AWS::S3::Object sailjada-media\/archive\/2020-raw\.tar +us-east-1 +InvalidObjectState/,
    );
    expect(result.stdout).not.toMatch(/^ +denied /m);
    const { versions } = await env.cli.json<{ versions: HistoryEntry[] }>(
      'history',
      `AWS::S3::Object:${archived}`,
    );
    expect(versions[0]?.gaps).toContainEqual(
      expect.objectContaining({
        kind: 'needs-restore',
        operation: 's3:GetObjectVersionTagging',
        code: 'InvalidObjectState',
      }),
    );
  });

  it('downloads nothing and appends nothing when an unchanged account is captured again', async () => {
    await env.cli.json<BaselineReport>('baseline');
    env.account.resetCallCounts();

    const second = await env.cli.json<BaselineReport>('baseline');

    expect(second.label).toBe('v1.1');
    expect(second.bytes.downloaded).toBe(0);
    expect(env.account.callCounts().GetObject ?? 0).toBe(0);
    for (const tally of Object.values(second.byType)) expect(tally.newVersions + tally.deleted).toBe(0);
  });

  it('captures only what events touched, and answers history, diff and state at any moment', async () => {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const pageEvents = [
      ...env.account.putObject('queenofsandiego.com', 'index.html', '<h1>2027 season</h1>', {
        contentType: 'text/html',
      }),
      ...env.account.deleteObject('sailjada.com', 'about.html'),
    ];
    env.account.resetCallCounts();
    const first = await env.cli.json<IngestReport>(
      'ingest',
      await writeNdjson(env.cli.folder, 'a.ndjson', pageEvents),
    );
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const codeEvents = env.account.updateFunctionCode('image-resizer', {
      'index.mjs': 'export const handler = () => 2;',
    });
    await env.cli.json<IngestReport>('ingest', await writeNdjson(env.cli.folder, 'b.ndjson', codeEvents));

    expect(first.captures.map((c) => [c.resource.id, c.status, c.deleted])).toEqual(
      expect.arrayContaining([
        ['queenofsandiego.com/index.html', 'appended', false],
        ['sailjada.com/about.html', 'appended', true],
      ]),
    );
    expect(first.captures).toHaveLength(2);
    expect(env.account.callCounts().ListObjectsV2 ?? 0).toBe(0);

    const { versions } = await env.cli.json<{ versions: HistoryEntry[] }>('history', HOME_PAGE);
    expect(versions.map((v) => v.cause.kind)).toEqual(['baseline', 'event']);
    expect(versions[1]?.cause).toMatchObject({
      eventName: expect.stringMatching(/PutObject|Object Created/),
    });
    expect(versions[1]?.changes.map((c) => c.path)).toContain('$blobs.content');

    const diff = await env.cli.json<StateDiff>('diff', '--from', 'v1.0', '--to', 'now');
    expect(diff.removed.map((e) => e.resource.id)).toEqual(['sailjada.com/about.html']);
    expect(diff.changed.map((c) => c.resource.id).sort()).toEqual([
      'image-resizer',
      'queenofsandiego.com/index.html',
    ]);

    const midway = await env.cli.json<{ resources: StateEntry[] }>(
      'state',
      '--at',
      between,
      '--type',
      'AWS::Lambda::Function',
    );
    const resizer = midway.resources.find((e) => e.resource.id === 'image-resizer');
    expect(resizer?.seq).toBe(1);
    const old = path.join(env.cli.folder, 'old.html');
    await env.cli.run('show', HOME_PAGE, '--at', 'v1.0', '--blob', old);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(old, 'utf8')).not.toContain('2027 season');
  });

  it('skips bad and irrelevant input with a reason while capturing the rest of the batch, and exits 1 naming the bad line', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const [created] = env.account.putObject('sailjada.com', 'new.html', 'new page');
    const readOnly = {
      eventVersion: '1.08',
      eventSource: 'lambda.amazonaws.com',
      eventName: 'GetFunction20150331v2',
      readOnly: true,
      awsRegion: 'us-east-1',
      requestParameters: { functionName: 'booking-handler' },
    };
    const failed = {
      ...readOnly,
      eventName: 'DeleteFunction20150331',
      readOnly: false,
      errorCode: 'AccessDeniedException',
    };
    const file = path.join(env.cli.folder, 'mixed.ndjson');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      file,
      [JSON.stringify(created), '{ not json', JSON.stringify(readOnly), JSON.stringify(failed)].join('\n'),
    );

    const result = await env.cli.run('ingest', file, '--json');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tidemark: .*mixed\.ndjson:2: not valid JSON/);
    const report = JSON.parse(result.stdout) as IngestReport;
    expect(report.events.map((e) => e.skipped?.reason)).toEqual([
      undefined,
      'malformed',
      'read-only',
      'failed-call',
    ]);
    expect(report.captures.map((c) => [c.resource.id, c.status])).toEqual([
      ['sailjada.com/new.html', 'appended'],
    ]);
  });

  it('records a deleted function as a deletion, and it leaves the current state', async () => {
    await env.cli.json<BaselineReport>('baseline');
    const events = env.account.deleteFunction('email-sender');

    await env.cli.json<IngestReport>('ingest', await writeNdjson(env.cli.folder, 'd.ndjson', events));

    const now = await env.cli.json<{ resources: StateEntry[] }>('state', '--type', 'AWS::Lambda::Function');
    expect(now.resources.map((e) => e.resource.id).sort()).toEqual(['booking-handler', 'image-resizer']);
    const { versions } = await env.cli.json<{ versions: HistoryEntry[] }>('history', 'email-sender');
    expect(versions.at(-1)?.deleted).toBe(true);
  });

  it('turns denied calls into gaps, listed in the report and the manifest, and goes on', async () => {
    env.account.deny('lambda:GetPolicy');
    env.account.deny('s3:GetBucketPolicy', 'sailjada.com');

    const result = await env.cli.run('baseline', '--json');
    const report = JSON.parse(result.stdout) as BaselineReport;

    expect(result.code).toBe(0);
    expect(report.gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'denied',
          type: 'AWS::Lambda::Function',
          operation: 'lambda:GetPolicy',
        }),
        expect.objectContaining({ kind: 'denied', type: 'AWS::S3::Bucket', id: 'sailjada.com' }),
      ]),
    );
    const shown = await env.cli.json<{ document: { Policy: unknown } }>(
      'show',
      'AWS::S3::Bucket:sailjada.com',
    );
    expect(shown.document.Policy).toEqual({ $unknown: 'AccessDenied' });
    const { baselines } = await env.cli.json<{ baselines: Array<{ gaps: unknown[] }> }>('baselines');
    expect(baselines[0]?.gaps.length).toBe(report.gaps.length);
  });

  it('refuses an unknown type with exit 2 before calling AWS', async () => {
    env.account.resetCallCounts();

    const result = await env.cli.run('baseline', '--types', 'AWS::Lambda::Function,AWS::Nope::Thing');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^tidemark: unknown resource type AWS::Nope::Thing, expected one of AWS::S3::Bucket/,
    );
    expect(env.account.callCounts().total).toBe(0);
  });

  it.each([
    [
      '--table-item-limit',
      'lots',
      /^tidemark baseline: option '--table-item-limit <size>' argument 'lots' is invalid\. expected a size in bytes such as 2GiB/,
    ],
    [
      '--table-export-to',
      'exports-bucket',
      /^tidemark baseline: option '--table-export-to <s3-url>' argument 'exports-bucket' is invalid\. expected s3:\/\/bucket/,
    ],
  ])('refuses %s %s with exit 2 before calling AWS', async (flag, value, message) => {
    env.account.resetCallCounts();

    const result = await env.cli.run('baseline', flag, value);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(env.account.callCounts().total).toBe(0);
  });

  it('exits non-zero only when nothing at all could be captured', async () => {
    for (const definition of registry) env.account.deny(definition.listOperation);

    const result = await env.cli.run('baseline');

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('captured nothing');
    expect(result.stdout).toMatch(/denied\s+s3:ListAllMyBuckets/);
    expect(result.stdout).toMatch(/denied\s+lambda:ListFunctions/);
  });

  it("captures through throttling within the clients' retry budget", async () => {
    env.account.throttle('s3:GetBucketPolicy', 2);
    env.account.throttle('lambda:GetFunction', 2);

    const report = await env.cli.json<BaselineReport>('baseline');

    expect(report.failures).toEqual([]);
    expect(report.gaps.filter((g) => g.kind === 'error')).toEqual([]);
  });

  it('rebuilds a deleted index with identical answers, and verify checks every hash', async () => {
    await env.cli.json<BaselineReport>('baseline');
    await env.cli.json<IngestReport>(
      'ingest',
      await writeNdjson(env.cli.folder, 'e.ndjson', env.account.putObject('sailjada.com', 'x.html', 'x')),
    );
    const at = new Date().toISOString();
    const before = await env.cli.run('state', '--at', at, '--json');
    await unlink(path.join(env.cli.store, 'index.sqlite'));

    const after = await env.cli.run('state', '--at', at, '--json');
    const verify = await env.cli.json<VerifyReport>('verify');

    expect(after.stdout).toBe(before.stdout);
    expect(verify).toMatchObject({ ok: true, problems: [] });
    expect(verify.checked.versions).toBeGreaterThan(20);
  });
});

describe('choosing which objects are captured', () => {
  const env = withSimulatedAccount();

  it('captures only the selected buckets and prefixes, in baselines and from events', async () => {
    const selection = [
      '--objects',
      'queenofsandiego.com,sailjada-media/documents/*',
      '--exclude-objects',
      'queenofsandiego.com/images/*',
    ];
    await env.cli.json<BaselineReport>('baseline', ...selection);
    const events = [
      ...env.account.putObject('sailjada.com', 'new.html', 'not selected'),
      ...env.account.putObject('queenofsandiego.com', 'new.html', 'selected'),
    ];

    const report = await env.cli.json<IngestReport>(
      'ingest',
      await writeNdjson(env.cli.folder, 'o.ndjson', events),
      ...selection,
    );

    const { resources } = await env.cli.json<{ resources: StateEntry[] }>(
      'state',
      '--type',
      'AWS::S3::Object',
    );
    const ids = resources.map((e) => e.resource.id);
    expect(ids).toContain('queenofsandiego.com/index.html');
    expect(ids).toContain('queenofsandiego.com/new.html');
    expect(ids).toContain('sailjada-media/documents/charter-waiver.pdf');
    expect(ids.filter((id) => id.startsWith('queenofsandiego.com/images/'))).toEqual([]);
    expect(ids.filter((id) => id.startsWith('sailjada.com/'))).toEqual([]);
    expect(report.events.filter((e) => e.skipped?.reason === 'not-selected').length).toBeGreaterThan(0);
  });
});
