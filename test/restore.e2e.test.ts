import { createHash } from 'node:crypto';
import path from 'node:path';
import type { StateDiff } from '@tidemark/core';
import type { RestorePlan, RestoreReport } from '@tidemark/core/restore';
import { describe, expect, it } from 'vitest';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

const EDITED_PAGE = '<!doctype html><h1>Now booking 2027</h1>\n';
/** A record added to sailjada.com after v1.0. */
const SHOP_RECORD = {
  Name: 'shop.sailjada.com.',
  Type: 'CNAME' as const,
  TTL: 300,
  ResourceRecords: [{ Value: 'sailjada.myshopify.com' }],
};
const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const PRIVATE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Private',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::sailjada.com/*',
    },
  ],
};

describe('tidemark restore', () => {
  const env = withSimulatedAccount();

  /** Baseline v1.0, then a page edited, a page deleted, code and settings of functions, a DNS record, a policy. */
  async function changeEverythingAfterV1(): Promise<string> {
    expect((await env.cli.run('baseline', '--label', 'v1.0', '--json')).code).toBe(0);
    const zone = env.account.route53.hostedZoneId('sailjada.com');
    const events = [
      ...env.account.putObject('queenofsandiego.com', 'index.html', EDITED_PAGE, {
        contentType: 'text/html',
      }),
      ...env.account.deleteObject('sailjada.com', 'about.html'),
      ...env.account.updateFunctionCode('image-resizer', {
        'index.mjs': 'export const handler = async () => 2;\n',
      }),
      ...env.account.updateFunctionConfiguration('email-sender', { memorySize: 1024, timeout: 60 }),
      ...env.account.route53.changeRecord('sailjada.com', { action: 'CREATE', record: SHOP_RECORD }),
      ...env.account.putBucketPolicy('sailjada.com', PRIVATE_POLICY),
      ...env.account.cloudFront.updateDistribution(env.account.cloudFront.distributionId('sailjada.com'), {
        defaultRootObject: 'home.html',
      }),
      ...env.account.dynamoDb.putItem('bookings', {
        ...env.account.dynamoDb.item('bookings', { bookingId: { S: 'BK-0000042' } }),
        status: { S: 'cancelled' },
      }),
      ...env.account.iam.putRolePolicy('image-resizer-role', 'everything', ADMIN_POLICY),
      ...env.account.eventBridge.disableRule('nightly-report'),
    ];
    expect(
      (await env.cli.run('ingest', await writeNdjson(env.cli.folder, 'changes.ndjson', events))).code,
    ).toBe(0);
    return zone;
  }

  /** Every record and blob file with its digest (the SQLite index is a cache and left out). */
  const storeListing = async () =>
    (await env.cli.storeFiles())
      .filter(({ file }) => !path.basename(file).startsWith('index.sqlite'))
      .map(({ file, text }) => `${file} ${createHash('sha256').update(text, 'latin1').digest('hex')}`)
      .sort();

  it('prints the plan and changes nothing, then puts every changed resource back as at v1.0', async () => {
    const zone = await changeEverythingAfterV1();
    const distribution = env.account.cloudFront.distributionId('sailjada.com');
    const stored = await storeListing();
    const calls = env.account.callCounts();

    const plan = await env.cli.json<RestorePlan>('restore', '--all', '--at', 'v1.0');
    const text = await env.cli.run('restore', '--all', '--at', 'v1.0');

    expect(await storeListing()).toEqual(stored);
    const writes = Object.keys(env.account.callCounts()).filter(
      (name) => !(name in calls) && /^(Put|Update|Create|Delete|Change|Copy)/.test(name),
    );
    expect(writes).toEqual([]);
    const acting = plan.resources
      .filter((resource) => resource.action !== 'nothing')
      .map((resource) => [
        `${resource.resource.type} ${resource.resource.id}`,
        resource.action,
        resource.steps.map((step) => step.operation),
      ])
      .sort();
    expect(acting).toEqual([
      [`AWS::CloudFront::Distribution ${distribution}`, 'update', ['UpdateDistribution']],
      ['AWS::DynamoDB::Table bookings', 'update', ['RestoreItems']],
      ['AWS::Events::Rule nightly-report', 'update', ['PutRule']],
      ['AWS::IAM::Role image-resizer-role', 'update', ['DeleteRolePolicy']],
      ['AWS::Lambda::Function email-sender', 'update', ['UpdateFunctionConfiguration']],
      ['AWS::Lambda::Function image-resizer', 'update', ['UpdateFunctionCode']],
      [`AWS::Route53::HostedZone ${zone}`, 'update', ['ChangeResourceRecordSets']],
      ['AWS::S3::Bucket sailjada.com', 'update', ['PutBucketPolicy']],
      ['AWS::S3::Object queenofsandiego.com/index.html', 'update', ['PutObject']],
      ['AWS::S3::Object sailjada.com/about.html', 're-create', ['PutObject']],
    ]);
    const order = plan.resources.map((resource) => resource.resource.id);
    expect(order.indexOf('sailjada.com')).toBeLessThan(order.indexOf('sailjada.com/about.html'));
    const batch = plan.resources.find((resource) => resource.resource.id === zone)?.steps[0]?.input;
    expect(batch).toEqual({
      HostedZoneId: zone,
      ChangeBatch: {
        Comment: 'tidemark restore',
        Changes: [{ Action: 'DELETE', ResourceRecordSet: SHOP_RECORD }],
      },
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Nothing was changed: run again with --apply to apply this plan.');

    const applied = await env.cli.json<{ plan: RestorePlan; report: RestoreReport }>(
      'restore',
      '--all',
      '--at',
      'v1.0',
      '--apply',
      '--yes',
    );
    expect(
      applied.report.resources
        .filter((outcome) => outcome.status !== 'skipped')
        .map((outcome) => [outcome.resource.id, outcome.status])
        .sort(),
    ).toEqual(
      [
        [distribution, 'restored'],
        ['bookings', 'restored'],
        ['nightly-report', 'restored'],
        ['image-resizer-role', 'restored'],
        ['email-sender', 'restored'],
        ['image-resizer', 'restored'],
        [zone, 'restored'],
        ['sailjada.com', 'restored'],
        ['queenofsandiego.com/index.html', 'restored'],
        ['sailjada.com/about.html', 'restored'],
      ].sort(),
    );

    expect((await env.cli.run('baseline', '--label', 'after-restore', '--json')).code).toBe(0);
    const diff = await env.cli.json<StateDiff>('diff', '--from', 'v1.0', '--to', 'now');
    expect({ added: diff.added, removed: diff.removed, changed: diff.changed }).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
    const old = await env.cli.run('show', 'queenofsandiego.com/index.html', '--at', 'v1.0', '--blob', '-');
    const now = await env.cli.run('show', 'queenofsandiego.com/index.html', '--blob', '-');
    expect(now.bytes.equals(old.bytes)).toBe(true);
    expect(now.bytes.toString()).not.toBe(EDITED_PAGE);
  });

  it('restores objects into another bucket with --to-bucket, leaving the originals as they are', async () => {
    await changeEverythingAfterV1();

    const applied = await env.cli.json<{ report: RestoreReport }>(
      'restore',
      'queenofsandiego.com/index.html',
      '--at',
      'v1.0',
      '--to-bucket',
      'sailjada-media',
      '--apply',
      '--yes',
    );

    expect(applied.report.resources.map((outcome) => [outcome.target.id, outcome.status])).toEqual([
      ['sailjada-media/index.html', 'restored-with-differences'],
    ]);
    const copy = await env.cli.run('show', 'sailjada-media/index.html', '--blob', '-');
    const old = await env.cli.run('show', 'queenofsandiego.com/index.html', '--at', 'v1.0', '--blob', '-');
    expect(copy.bytes.equals(old.bytes)).toBe(true);
    const live = await env.cli.run('show', 'queenofsandiego.com/index.html', '--blob', '-');
    expect(live.bytes.toString()).toBe(EDITED_PAGE);
  });

  it('never restores a copy over a resource that exists: the plan says it cannot', async () => {
    await changeEverythingAfterV1();

    const plan = await env.cli.json<RestorePlan>(
      'restore',
      'AWS::Lambda::Function:image-resizer',
      '--at',
      'v1.0',
      '--to-name',
      'email-sender',
    );
    const applied = await env.cli.run(
      'restore',
      'AWS::Lambda::Function:image-resizer',
      '--at',
      'v1.0',
      '--to-name',
      'email-sender',
      '--apply',
      '--yes',
    );

    expect(plan.resources.map((resource) => [resource.action, resource.reason, resource.steps])).toEqual([
      [
        'cannot',
        'email-sender already exists: a copy is restored only where nothing is (choose another name, or delete it first)',
        [],
      ],
    ]);
    expect(applied.code).toBe(1);
    expect(env.account.callCounts().UpdateFunctionCode ?? 0).toBe(0);
  });

  it('restores a function as a copy under another name with --to-name, the original left as it is', async () => {
    await changeEverythingAfterV1();

    const applied = await env.cli.json<{ plan: RestorePlan; report: RestoreReport }>(
      'restore',
      'AWS::Lambda::Function:image-resizer',
      '--at',
      'v1.0',
      '--to-name',
      'image-resizer-v1',
      '--apply',
      '--yes',
    );

    expect(
      applied.plan.resources.map((resource) => [
        resource.action,
        resource.steps.map((step) => step.operation),
      ]),
    ).toEqual([['re-create', ['CreateFunction']]]);
    expect(applied.report.resources.map((outcome) => [outcome.target.id, outcome.status])).toEqual([
      ['image-resizer-v1', 'restored-with-differences'],
    ]);
    const copy = await env.cli.run('show', 'AWS::Lambda::Function:image-resizer-v1', '--blob', '-');
    const old = await env.cli.run(
      'show',
      'AWS::Lambda::Function:image-resizer',
      '--at',
      'v1.0',
      '--blob',
      '-',
    );
    const now = await env.cli.run('show', 'AWS::Lambda::Function:image-resizer', '--blob', '-');
    expect(copy.bytes.equals(old.bytes)).toBe(true);
    expect(now.bytes.equals(old.bytes)).toBe(false);
  });

  it('refuses contradictory or unconfirmed requests with exit 2, before reading or writing anything', async () => {
    await changeEverythingAfterV1();
    const stored = await storeListing();
    const refusals = [
      [['restore', '--at', 'v1.0'], 'name the resources to restore, or --all'],
      [['restore', 'sailjada.com/about.html', '--at', 'v1.0', '--yes'], '--yes confirms --apply'],
      [['restore', 'sailjada.com/about.html', '--at', 'v1.0', '--apply'], 'add --yes'],
      [['restore', '--all', '--at', 'v1.0', '--to-name', 'copy'], '--to-name restores exactly one'],
      [
        ['restore', 'image-resizer', '--at', 'v1.0', '--to-bucket', 'Not_A_Bucket'],
        'not a valid S3 bucket name',
      ],
      [
        ['restore', 'image-resizer', '--at', 'v1.0', '--to-bucket', 'sailjada-media'],
        '--to-bucket cannot restore AWS::Lambda::Function',
      ],
      [['restore', '--all', '--at', 'live'], 'live is the account as it is'],
      [
        [
          'restore',
          'queenofsandiego.com/index.html',
          '--at',
          'v1.0',
          '--to-bucket',
          'sailjada-media',
          '--prune',
        ],
        'a copy never deletes',
      ],
      [['restore', '--all', '--at', 'v1.0', '--apply', '--json'], 'review the plan first, then add --yes'],
      [
        ['restore', 'queenofsandiego.com/index.html', '--at', 'v1.0', '--to-account-profile', 'same-account'],
        'reaches account 123456789012, the one restored from',
      ],
    ] as const;
    for (const [args, message] of refusals) {
      const result = await env.cli.run(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(message);
    }
    expect(await storeListing()).toEqual(stored);
  });
});
