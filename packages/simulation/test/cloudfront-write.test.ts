import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

let account: SimulatedAccount;
let cloudFront: CloudFrontClient;
let salejada: string;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  cloudFront = new CloudFrontClient({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
  salejada = account.cloudFront.distributionId('salejada.com');
});

afterEach(async () => {
  await account.stop();
});

/** The distribution's configuration and ETag, as a caller reads them before an update. */
async function readConfig(Id: string): Promise<{ config: DistributionConfig; etag: string }> {
  const { DistributionConfig: config, ETag } = await cloudFront.send(
    new GetDistributionConfigCommand({ Id }),
  );
  if (!config || !ETag) throw new Error(`no configuration for ${Id}`);
  return { config, etag: ETag };
}

async function tagsOf(arn: string): Promise<Array<[string | undefined, string | undefined]>> {
  const { Tags } = await cloudFront.send(new ListTagsForResourceCommand({ Resource: arn }));
  return (Tags?.Items ?? [])
    .map((tag): [string | undefined, string | undefined] => [tag.Key, tag.Value])
    .sort();
}

describe('simulated CloudFront UpdateDistribution', () => {
  it('replaces the configuration, answers a new ETag and InProgress, and GetDistributionConfig reads it back', async () => {
    // Arrange
    const { config, etag } = await readConfig(salejada);

    // Act
    const updated = await cloudFront.send(
      new UpdateDistributionCommand({
        Id: salejada,
        IfMatch: etag,
        DistributionConfig: { ...config, Comment: 'restored', DefaultRootObject: 'home.html' },
      }),
    );
    const after = await readConfig(salejada);

    // Assert
    expect(updated.$metadata.httpStatusCode).toBe(200);
    expect(updated.ETag).toMatch(/^E[0-9A-Z]{13}$/);
    expect(updated.ETag).not.toBe(etag);
    expect(updated.Distribution).toMatchObject({ Id: salejada, Status: 'InProgress' });
    expect(after.etag).toBe(updated.ETag);
    expect(after.config).toMatchObject({ Comment: 'restored', DefaultRootObject: 'home.html' });
  });

  it('answers PreconditionFailed (412) to an ETag read before someone else changed the distribution', async () => {
    // Arrange
    const { config, etag } = await readConfig(salejada);
    account.cloudFront.updateDistribution(salejada, { comment: 'changed in the console' });

    // Act
    const error = await failure(
      cloudFront.send(
        new UpdateDistributionCommand({
          Id: salejada,
          IfMatch: etag,
          DistributionConfig: { ...config, Comment: 'mine' },
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'PreconditionFailed',
      message:
        "The request failed because it didn't meet the preconditions in one or more request-header fields.",
      $metadata: { httpStatusCode: 412 },
    });
    expect((await readConfig(salejada)).config.Comment).toBe('changed in the console');
  });

  it('answers InvalidIfMatchVersion (400) without an IfMatch', async () => {
    // Arrange
    const { config } = await readConfig(salejada);

    // Act
    const error = await failure(
      cloudFront.send(
        new UpdateDistributionCommand({ Id: salejada, IfMatch: undefined, DistributionConfig: config }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'InvalidIfMatchVersion',
      message: 'The If-Match version is missing or not valid for the resource.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a changed CallerReference, miscounted items, a missing target origin and a CNAME in use', async () => {
    // Arrange
    const { config, etag } = await readConfig(salejada);
    const update = (DistributionConfig: DistributionConfig) =>
      failure(
        cloudFront.send(new UpdateDistributionCommand({ Id: salejada, IfMatch: etag, DistributionConfig })),
      );
    const behaviour = config.DefaultCacheBehavior;
    if (!behaviour) throw new Error('the seeded distribution has no default cache behaviour');

    // Act
    const errors = await Promise.all([
      update({ ...config, CallerReference: 'another' }),
      update({ ...config, Aliases: { Quantity: 3, Items: ['salejada.com'] } }),
      update({ ...config, DefaultCacheBehavior: { ...behaviour, TargetOriginId: 'no-such-origin' } }),
      update({ ...config, Aliases: { Quantity: 2, Items: ['salejada.com', 'sailjada.com'] } }),
    ]);

    // Assert
    expect(errors.map((error) => [error.name, error.$metadata.httpStatusCode])).toEqual([
      ['IllegalUpdate', 400],
      ['InconsistentQuantities', 400],
      ['NoSuchOrigin', 404],
      ['CNAMEAlreadyExists', 409],
    ]);
    expect((await readConfig(salejada)).etag).toBe(etag);
  });

  it('answers NoSuchDistribution (404) for a distribution that does not exist', async () => {
    // Arrange
    const { config, etag } = await readConfig(salejada);

    // Act
    const error = await failure(
      cloudFront.send(
        new UpdateDistributionCommand({ Id: 'ENOSUCHDIST000', IfMatch: etag, DistributionConfig: config }),
      ),
    );

    // Assert
    expect(error).toMatchObject({ name: 'NoSuchDistribution', $metadata: { httpStatusCode: 404 } });
  });

  it('records UpdateDistribution2020_05_31 in CloudTrail with the ETag it matched and the caller’s user agent', async () => {
    // Arrange
    const { config, etag } = await readConfig(salejada);
    const before = account.events().length;

    // Act
    const updated = await cloudFront.send(
      new UpdateDistributionCommand({
        Id: salejada,
        IfMatch: etag,
        DistributionConfig: { ...config, Enabled: false },
      }),
    );

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'cloudfront.amazonaws.com',
        eventName: 'UpdateDistribution2020_05_31',
        awsRegion: 'us-east-1',
        requestParameters: {
          id: salejada,
          ifMatch: etag,
          distributionConfig: { enabled: false, comment: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        },
        responseElements: { eTag: updated.ETag, distribution: { id: salejada } },
      },
    ]);
    expect(records[0]?.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });
});

describe('simulated CloudFront TagResource and UntagResource', () => {
  it('adds, replaces and removes distribution tags without moving the ETag, answering 204', async () => {
    // Arrange
    const { Distribution, ETag } = await cloudFront.send(new GetDistributionCommand({ Id: salejada }));
    const arn = Distribution?.ARN ?? '';
    const before = await tagsOf(arn);

    // Act
    const tagged = await cloudFront.send(
      new TagResourceCommand({
        Resource: arn,
        Tags: {
          Items: [
            { Key: 'restored-by', Value: 'tidemark' },
            { Key: 'cost-centre', Value: 'web' },
          ],
        },
      }),
    );
    const untagged = await cloudFront.send(
      new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ['cost-centre', 'never-there'] } }),
    );

    // Assert
    expect([tagged.$metadata.httpStatusCode, untagged.$metadata.httpStatusCode]).toEqual([204, 204]);
    expect(await tagsOf(arn)).toEqual([...before, ['restored-by', 'tidemark']].sort());
    expect((await readConfig(salejada)).etag).toBe(ETag);
  });

  it('records TagResource2020_05_31 and UntagResource2020_05_31 as CloudTrail does', async () => {
    // Arrange
    const { Distribution } = await cloudFront.send(new GetDistributionCommand({ Id: salejada }));
    const arn = Distribution?.ARN ?? '';
    const before = account.events().length;

    // Act
    await cloudFront.send(
      new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: 'team', Value: 'web' }] } }),
    );
    await cloudFront.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ['team'] } }));

    // Assert
    expect(cloudTrailRecordsSince(account, before)).toMatchObject([
      {
        eventName: 'TagResource2020_05_31',
        requestParameters: { resource: arn, tags: { items: [{ key: 'team', value: 'web' }] } },
        responseElements: null,
      },
      {
        eventName: 'UntagResource2020_05_31',
        requestParameters: { resource: arn, tagKeys: { items: ['team'] } },
        responseElements: null,
      },
    ]);
  });

  it('answers NoSuchResource (404) for a distribution ARN that does not exist', async () => {
    // Act
    const error = await failure(
      cloudFront.send(
        new TagResourceCommand({
          Resource: 'arn:aws:cloudfront::123456789012:distribution/ENOSUCHDIST000',
          Tags: { Items: [{ Key: 'team', Value: 'web' }] },
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'NoSuchResource',
      message: 'The specified resource does not exist.',
      $metadata: { httpStatusCode: 404 },
    });
  });
});
