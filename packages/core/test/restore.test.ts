import { text } from 'node:stream/consumers';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { registry } from '../src/resources/registry.js';
import { route53HostedZone } from '../src/resources/route53-hosted-zone.js';
import { s3Bucket } from '../src/resources/s3-bucket.js';
import { applyRestore, restoreUserAgent } from '../src/restore/apply.js';
import { dependencyOrder } from '../src/restore/order.js';
import { planRestore } from '../src/restore/plan.js';
import { restoreRig } from './support/restore-rig.js';

const CAPTURED = registry.filter((definition) => ['s3', 'lambda'].includes(definition.service.name));
const HOME_PAGE = 'queenofsandiego.com/index.html';

describe('restore: plan, then apply', () => {
  const rig = restoreRig({ definitions: CAPTURED });

  const homePage = async () =>
    text(
      (
        await new S3Client({ region: 'us-east-1' }).send(
          new GetObjectCommand({ Bucket: 'queenofsandiego.com', Key: 'index.html' }),
        )
      ).Body as NodeJS.ReadableStream,
    );
  const objectRef = (id: string) => ({
    account: rig.account.accountId,
    region: 'us-east-1',
    type: 'AWS::S3::Object',
    id,
  });
  const functionRef = (id: string) => ({
    account: rig.account.accountId,
    region: 'us-east-1',
    type: 'AWS::Lambda::Function',
    id,
  });

  it('leaves alone a resource changed after the plan was made, and restores the others', async () => {
    const original = await homePage();
    rig.account.putObject('queenofsandiego.com', 'index.html', '<h1>edited</h1>', {
      contentType: 'text/html',
    });
    rig.account.updateFunctionCode('image-resizer', {
      'index.mjs': 'export const handler = async () => 2;\n',
    });
    const plan = await rig.plan({
      resources: [objectRef(HOME_PAGE), functionRef('image-resizer')],
    });
    expect(plan.resources.map((resource) => [resource.resource.id, resource.action])).toEqual([
      [HOME_PAGE, 'update'],
      ['image-resizer', 'update'],
    ]);

    // Someone else saves the page again between the plan and its application.
    rig.account.putObject('queenofsandiego.com', 'index.html', '<h1>edited again</h1>', {
      contentType: 'text/html',
    });
    const report = await rig.apply(plan);

    expect(report.resources.map((outcome) => [outcome.resource.id, outcome.status])).toEqual([
      [HOME_PAGE, 'conflict'],
      ['image-resizer', 'restored'],
    ]);
    expect(await homePage()).toBe('<h1>edited again</h1>');
    expect(original).not.toBe('<h1>edited again</h1>');
    // The state met before the restore is stored, so the restore could itself be undone.
    const causes = (await import('../src/query/queries.js'))
      .history(rig.store, objectRef(HOME_PAGE))
      .then((versions) => versions.map((version) => version.cause.kind));
    expect(await causes).toEqual(['baseline', 'restore']);
  });

  it('reports a denied write for its resource and restores the rest', async () => {
    const original = await homePage();
    rig.account.putObject('queenofsandiego.com', 'index.html', '<h1>edited</h1>', {
      contentType: 'text/html',
    });
    rig.account.updateFunctionCode('image-resizer', {
      'index.mjs': 'export const handler = async () => 2;\n',
    });
    rig.account.deny('s3:PutObject');
    const plan = await rig.plan({
      resources: [objectRef(HOME_PAGE), functionRef('image-resizer')],
    });

    const report = await rig.apply(plan);

    const page = report.resources.find((outcome) => outcome.resource.id === HOME_PAGE);
    expect(page?.status).toBe('failed');
    expect(page?.steps).toEqual([
      { operation: 'PutObject', status: 'denied', error: expect.stringMatching(/^AccessDenied: /) },
    ]);
    expect(report.resources.find((outcome) => outcome.resource.id === 'image-resizer')?.status).toBe(
      'restored',
    );
    expect(await homePage()).toBe('<h1>edited</h1>');
    expect(original).not.toBe('<h1>edited</h1>');
  });

  it('copies an old version back in a versioned bucket, and plans nothing once restored', async () => {
    const price = objectRef('sailjada-media/documents/price-list.pdf');
    rig.account.putObject('sailjada-media', 'documents/price-list.pdf', 'a price list typed over', {
      contentType: 'text/plain',
    });
    const plan = await rig.plan({ resources: [price] });
    const [step] = plan.resources[0]?.steps ?? [];
    expect(step?.operation).toBe('CopyObject');
    expect(step?.input.CopySource).toMatch(/^sailjada-media\/documents\/price-list\.pdf\?versionId=.+/);
    expect(step?.input.ContentType).toBe('application/pdf');

    const report = await rig.apply(plan);

    expect(report.resources[0]?.status).toBe('restored-with-differences');
    // The copy is a new version of the same bytes and settings: only the version id says so.
    expect(report.resources[0]?.differs).toEqual(['VersionId']);
    const again = await rig.plan({ resources: [price] });
    expect(again.resources.map((resource) => [resource.action, resource.steps.length])).toEqual([
      ['nothing', 0],
    ]);
  });

  it('keeps objects created after the moment unless --prune, which deletes them', async () => {
    rig.account.putObject('queenofsandiego.com', 'new-page.html', '<p>new</p>', { contentType: 'text/html' });
    await rig.engine.capture(objectRef('queenofsandiego.com/new-page.html'), { kind: 'drift-check' });
    const filter = { type: 'AWS::S3::Object', idGlob: 'queenofsandiego.com/*' };

    const kept = await rig.plan({ filter });
    const pruned = await rig.plan({ filter, prune: true });

    const newPage = (plan: typeof kept) =>
      plan.resources.find((resource) => resource.resource.id === 'queenofsandiego.com/new-page.html');
    expect([newPage(kept)?.action, newPage(kept)?.steps]).toEqual(['keep', []]);
    expect(newPage(pruned)?.action).toBe('remove');
    expect(newPage(pruned)?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['DeleteObject', { Bucket: 'queenofsandiego.com', Key: 'new-page.html' }],
    ]);
    expect(pruned.resources.filter((resource) => resource.action !== 'nothing')).toHaveLength(1);
    const report = await rig.apply(pruned);
    expect(report.resources.filter((outcome) => outcome.status !== 'skipped').map((o) => o.status)).toEqual([
      'restored',
    ]);
    expect(rig.store.latest(objectRef('queenofsandiego.com/new-page.html'))?.record.deleted).toBe(true);
  });

  it("restores into another account with copy.account, through that account's engine, the first left as stored", async () => {
    const other = '210987654321';
    const into = await CaptureEngine.create({
      store: rig.store,
      clients: new AwsClients(),
      sealer: rig.sealer,
      registry: CAPTURED,
      account: other,
    });
    rig.account.putObject('queenofsandiego.com', 'index.html', '<h1>edited</h1>', {
      contentType: 'text/html',
    });
    const plan = await planRestore(into, rig.sealer, {
      at: rig.v1,
      resources: [objectRef(HOME_PAGE)],
      copy: { account: other },
    });
    expect(plan.resources.map((resource) => [resource.target.account, resource.action])).toEqual([
      [other, 'update'],
    ]);

    const report = await applyRestore(into, plan, {
      restoreId: 'r3',
      sealer: rig.sealer,
      clients: new AwsClients({ userAgent: restoreUserAgent('r3') }),
    });

    expect(report.resources.map((outcome) => [outcome.target.account, outcome.status])).toEqual([
      [other, 'restored'],
    ]);
    const copied = rig.store.latest({ ...objectRef(HOME_PAGE), account: other })?.record;
    expect(copied?.cause).toEqual({ kind: 'restore', restoreId: 'r3', phase: 'after', at: plan.at });
    expect(rig.store.latest(objectRef(HOME_PAGE))?.record.cause.kind).toBe('baseline');
  });

  it("marks the restore's own calls in CloudTrail, so their events say which restore made them", async () => {
    rig.account.updateFunctionCode('image-resizer', {
      'index.mjs': 'export const handler = async () => 2;\n',
    });
    const plan = await rig.plan({ resources: [functionRef('image-resizer')] });
    const seen = rig.account.events().length;

    await rig.apply(plan, '0badc0ffee42');

    const causes = rig.account
      .events()
      .slice(seen)
      .flatMap((event) => parseEventInput(JSON.stringify(event), 'test'))
      .map((parsed) => mapEvent(parsed).cause);
    expect(causes).toEqual([
      expect.objectContaining({
        eventName: 'UpdateFunctionCode20150331v2',
        restore: '0badc0ffee42',
        ownWrite: true,
      }),
    ]);
  });
});

describe('restore plans', () => {
  const ref = (type: string, id: string) => ({ account: '123456789012', region: 'us-east-1', type, id });

  it('orders what others refer to first: certificate before distribution, role before function, bucket before object', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const role = 'arn:aws:iam::123456789012:role/resizer-role';
    const ordered = dependencyOrder([
      {
        resource: ref('AWS::CloudFront::Distribution', 'E1'),
        document: { ViewerCertificate: { ACMCertificateArn: certificate } },
      },
      { resource: ref('AWS::Lambda::Function', 'resizer'), document: { Configuration: { Role: role } } },
      { resource: ref('AWS::S3::Object', 'media/a.jpg'), document: {} },
      { resource: ref('AWS::ACM::Certificate', certificate), document: { CertificateArn: certificate } },
      { resource: ref('AWS::IAM::Role', 'resizer-role'), document: { Arn: role } },
      { resource: ref('AWS::S3::Bucket', 'media'), document: {} },
    ]);
    expect(ordered.map((item) => item.resource.id)).toEqual([
      certificate,
      'E1',
      'resizer-role',
      'resizer',
      'media',
      'media/a.jpg',
    ]);
  });

  it('neither puts back nor removes a bucket setting that was not read at one of the two moments', () => {
    const bucket = ref('AWS::S3::Bucket', 'media');
    const openBlock = {
      BlockPublicAcls: false,
      BlockPublicPolicy: false,
      IgnorePublicAcls: false,
      RestrictPublicBuckets: false,
    };
    const plan = s3Bucket.restore?.plan({
      resource: bucket,
      target: bucket,
      captured: {
        document: { PublicAccessBlock: { $unknown: 'AccessDenied' }, Versioning: { Status: 'Enabled' } },
        blobs: {},
      },
      live: {
        document: { PublicAccessBlock: openBlock, Versioning: { $unknown: 'AccessDenied' } },
        blobs: {},
      },
      prune: false,
    });
    expect(plan).toEqual({
      action: 'nothing',
      steps: [],
      notes: [
        'PublicAccessBlock was not read at one of the two moments (see its gaps): not restored',
        'Versioning was not read at one of the two moments (see its gaps): not restored',
      ],
    });
  });

  it('deletes a record whose type changes before creating it, in one change batch', () => {
    const zone = { HostedZone: { Name: 'example.com.' } };
    const apexNs = {
      Name: 'example.com.',
      Type: 'NS',
      TTL: 172800,
      ResourceRecords: [{ Value: 'ns-1.awsdns-1.com.' }],
    };
    const wwwA = {
      Name: 'www.example.com.',
      Type: 'A',
      TTL: 300,
      ResourceRecords: [{ Value: '203.0.113.7' }],
    };
    const wwwCname = {
      Name: 'www.example.com.',
      Type: 'CNAME',
      TTL: 300,
      ResourceRecords: [{ Value: 'example.com' }],
    };
    const mx = {
      Name: 'example.com.',
      Type: 'MX',
      TTL: 300,
      ResourceRecords: [{ Value: '10 mail.example.com' }],
    };
    const plan = route53HostedZone.restore?.plan({
      resource: ref('AWS::Route53::HostedZone', 'Z1'),
      target: { ...ref('AWS::Route53::HostedZone', 'Z1'), region: 'global' },
      captured: {
        document: {
          ...zone,
          RecordSets: {
            'example.com. NS': apexNs,
            'www.example.com. CNAME': wwwCname,
            'example.com. MX': mx,
          },
        },
        blobs: {},
      },
      live: {
        document: {
          ...zone,
          RecordSets: {
            'example.com. NS': { ...apexNs, ResourceRecords: [{ Value: 'ns-2.awsdns-2.com.' }] },
            'www.example.com. A': wwwA,
            'example.com. MX': { ...mx, TTL: 60 },
          },
        },
        blobs: {},
      },
      prune: false,
    });
    expect(plan?.action).toBe('update');
    expect(plan?.steps.map((step) => step.input)).toEqual([
      {
        HostedZoneId: 'Z1',
        ChangeBatch: {
          Comment: 'tidemark restore',
          Changes: [
            { Action: 'DELETE', ResourceRecordSet: wwwA },
            { Action: 'UPSERT', ResourceRecordSet: mx },
            { Action: 'CREATE', ResourceRecordSet: wwwCname },
          ],
        },
      },
    ]);
  });
});
