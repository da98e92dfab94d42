import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { cloudFrontDistribution } from '../src/resources/cloudfront-distribution.js';
import { applyRestore, restoreUserAgent } from '../src/restore/apply.js';
import type { PlanInput } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig } from './support/restore-rig.js';

const TYPE = 'AWS::CloudFront::Distribution';

describe('CloudFront distribution restore plans', () => {
  const ref = { account: '123456789012', region: 'global', type: TYPE, id: 'E2QWRUHEXAMPLE' };
  const arn = 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE';
  const bucketOrigin = {
    Id: 'site-bucket',
    DomainName: 'example-site.s3.us-east-1.amazonaws.com',
    S3OriginConfig: { OriginAccessIdentity: '' },
  };
  const config = {
    CallerReference: 'site-2024',
    Comment: 'example.com',
    DefaultRootObject: 'index.html',
    Enabled: true,
    Aliases: { Quantity: 1, Items: ['example.com'] },
    Origins: { Quantity: 1, Items: { 'site-bucket': bucketOrigin } },
  };
  const document = (changes: JsonObject, Tags: Record<string, string>): JsonObject => ({
    ARN: arn,
    DomainName: 'd111111abcdef8.cloudfront.net',
    DistributionConfig: { ...config, ...changes },
    Tags,
  });
  const plan = (input: Partial<PlanInput>) =>
    cloudFrontDistribution.restore?.plan({ resource: ref, target: ref, prune: false, ...input });

  it('sends the captured configuration back, origins as a list, then puts back and removes tags', () => {
    // Act
    const planned = plan({
      captured: { document: document({}, { site: 'example.com', environment: 'production' }), blobs: {} },
      live: {
        document: document(
          { Comment: 'edited in the console', DefaultRootObject: 'home.html' },
          { site: 'example.com', environment: 'staging', temp: 'yes' },
        ),
        blobs: {},
        fingerprint: 'E3PLANNEDETAG',
      },
    });

    // Assert
    expect(planned).toEqual({
      action: 'update',
      steps: [
        {
          service: 'cloudfront',
          operation: 'UpdateDistribution',
          region: 'global',
          input: {
            Id: 'E2QWRUHEXAMPLE',
            IfMatch: 'E3PLANNEDETAG',
            DistributionConfig: {
              CallerReference: 'site-2024',
              Comment: 'example.com',
              DefaultRootObject: 'index.html',
              Enabled: true,
              Aliases: { Quantity: 1, Items: ['example.com'] },
              Origins: { Quantity: 1, Items: [bucketOrigin] },
            },
          },
          summary: 'set Comment, DefaultRootObject as they were (IfMatch: the ETag the plan read)',
        },
        {
          service: 'cloudfront',
          operation: 'TagResource',
          region: 'global',
          input: { Resource: arn, Tags: { Items: [{ Key: 'environment', Value: 'production' }] } },
          summary: 'put back the tags it had',
        },
        {
          service: 'cloudfront',
          operation: 'UntagResource',
          region: 'global',
          input: { Resource: arn, TagKeys: { Items: ['temp'] } },
          summary: 'remove the tags added since',
        },
      ],
    });
  });

  it('sends only the tags when the configuration is as captured', () => {
    // Act
    const planned = plan({
      captured: { document: document({}, { site: 'example.com' }), blobs: {} },
      live: { document: document({}, {}), blobs: {} },
    });

    // Assert
    expect(planned?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['TagResource', { Resource: arn, Tags: { Items: [{ Key: 'site', Value: 'example.com' }] } }],
    ]);
  });

  it('does not create a deleted distribution again, and says why', () => {
    // Act
    const planned = plan({ captured: { document: document({}, {}), blobs: {} } });

    // Assert
    expect(planned).toMatchObject({ action: 'cannot', steps: [] });
    expect(planned?.reason).toContain('a new id and a new domain name');
    expect(planned?.reason).toContain('CNAMEAlreadyExists');
  });

  it('keeps a distribution created after the moment restored to', () => {
    // Act
    const planned = plan({ live: { document: document({}, {}), blobs: {} } });

    // Assert
    expect(planned).toMatchObject({ action: 'keep', steps: [] });
  });
});

describe('CloudFront distribution restore against the simulated account', () => {
  const rig = restoreRig({ definitions: [cloudFrontDistribution] });
  let id: string;
  const cloudFront = new CloudFrontClient({ region: 'us-east-1' });

  beforeEach(() => {
    id = rig.account.cloudFront.distributionId('salejada.com');
  });

  const distribution = () => ({ account: rig.account.accountId, region: 'global', type: TYPE, id });
  const liveConfig = async () =>
    (await cloudFront.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig;
  const liveTags = async () => {
    const arn = `arn:aws:cloudfront::${rig.account.accountId}:distribution/${id}`;
    const { Tags } = await cloudFront.send(new ListTagsForResourceCommand({ Resource: arn }));
    return Object.fromEntries((Tags?.Items ?? []).map((tag) => [tag.Key, tag.Value]));
  };

  it('restores the configuration and tags changed in the console, then plans nothing more', async () => {
    // Arrange
    rig.account.cloudFront.updateDistribution(id, {
      comment: 'edited',
      defaultRootObject: 'maintenance.html',
      enabled: false,
    });
    rig.account.cloudFront.tagDistribution(id, { environment: 'staging', temp: 'yes' });

    // Act
    const plan = await rig.plan({ resources: [distribution()] });
    const report = await rig.apply(plan);
    const again = await rig.plan({ resources: [distribution()] });

    // Assert
    expect(plan.resources[0]?.steps.map((step) => step.operation)).toEqual([
      'UpdateDistribution',
      'TagResource',
      'UntagResource',
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(await liveConfig()).toMatchObject({
      Comment: 'salejada.com website',
      DefaultRootObject: 'index.html',
      Enabled: true,
    });
    expect(await liveTags()).toEqual({ site: 'salejada.com', environment: 'production' });
    expect(again.resources.map((resource) => resource.action)).toEqual(['nothing']);
  });

  it('reports PreconditionFailed when the distribution changes after the plan read its ETag, and sends it once', async () => {
    // Arrange
    rig.account.cloudFront.updateDistribution(id, { comment: 'edited' });
    const plan = await rig.plan({ resources: [distribution()] });
    const racing = new AwsClients({ userAgent: restoreUserAgent('r2') });
    const client = racing.client.bind(racing);
    // Someone saves the distribution in the console after the check made before applying, just before the update.
    racing.client = ((ClientClass, region) => {
      const real = client(ClientClass, region);
      if (ClientClass !== CloudFrontClient) return real;
      const cloudFrontClient = real as unknown as CloudFrontClient;
      return {
        send: async (command: Parameters<CloudFrontClient['send']>[0]) => {
          if (command instanceof UpdateDistributionCommand)
            rig.account.cloudFront.updateDistribution(id, { comment: 'saved meanwhile' });
          return cloudFrontClient.send(command);
        },
      };
    }) as typeof racing.client;
    const updatesBefore = rig.account.callCounts().UpdateDistribution ?? 0;

    // Act
    const report = await applyRestore(rig.engine, plan, {
      restoreId: 'r2',
      sealer: rig.sealer,
      clients: racing,
    });

    // Assert
    expect(report.resources[0]).toMatchObject({
      status: 'failed',
      steps: [
        {
          operation: 'UpdateDistribution',
          status: 'failed',
          error:
            "PreconditionFailed: The request failed because it didn't meet the preconditions in one or more request-header fields.",
        },
      ],
    });
    expect((rig.account.callCounts().UpdateDistribution ?? 0) - updatesBefore).toBe(1);
    expect((await liveConfig())?.Comment).toBe('saved meanwhile');
  });
});
