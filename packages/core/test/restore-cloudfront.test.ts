import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { runBaseline } from '../src/capture/baseline.js';
import { CaptureEngine } from '../src/capture/engine.js';
import { cloudFrontDistribution } from '../src/resources/cloudfront-distribution.js';
import { applyRestore, restoreUserAgent } from '../src/restore/apply.js';
import { planRestore } from '../src/restore/plan.js';
import type { PlanInput } from '../src/restore/types.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';
import type { JsonObject } from '../src/types/json.js';

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
  let folder: string;
  let account: SimulatedAccount;
  let store: VersionStore;
  let engine: CaptureEngine;
  let v1: Date;
  let id: string;
  const sealer = new LocalKeySealer(randomBytes(32));
  const cloudFront = new CloudFrontClient({ region: 'us-east-1' });

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-restore-cloudfront-'));
    account = await SimulatedAccount.start();
    store = await VersionStore.open(path.join(folder, 'store'), {
      cacheDirectory: path.join(folder, 'cache'),
    });
    engine = await CaptureEngine.create({
      store,
      clients: new AwsClients(),
      sealer,
      registry: [cloudFrontDistribution],
    });
    v1 = new Date((await runBaseline(engine, { label: 'v1.0', regions: ['us-east-1'] })).completedAt);
    id = account.cloudFront.distributionId('salejada.com');
  });

  afterEach(async () => {
    store.close();
    await account.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const distribution = () => ({ account: account.accountId, region: 'global', type: TYPE, id });
  const liveConfig = async () =>
    (await cloudFront.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig;
  const liveTags = async () => {
    const arn = `arn:aws:cloudfront::${account.accountId}:distribution/${id}`;
    const { Tags } = await cloudFront.send(new ListTagsForResourceCommand({ Resource: arn }));
    return Object.fromEntries((Tags?.Items ?? []).map((tag) => [tag.Key, tag.Value]));
  };
  const clients = (restoreId: string) => new AwsClients({ userAgent: restoreUserAgent(restoreId) });

  it('restores the configuration and tags changed in the console, then plans nothing more', async () => {
    // Arrange
    account.cloudFront.updateDistribution(id, {
      comment: 'edited',
      defaultRootObject: 'maintenance.html',
      enabled: false,
    });
    account.cloudFront.tagDistribution(id, { environment: 'staging', temp: 'yes' });

    // Act
    const plan = await planRestore(engine, sealer, { at: v1, resources: [distribution()] });
    const report = await applyRestore(engine, plan, { restoreId: 'r1', sealer, clients: clients('r1') });
    const again = await planRestore(engine, sealer, { at: v1, resources: [distribution()] });

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
    account.cloudFront.updateDistribution(id, { comment: 'edited' });
    const plan = await planRestore(engine, sealer, { at: v1, resources: [distribution()] });
    const racing = clients('r2');
    const client = racing.client.bind(racing);
    // Someone saves the distribution in the console after the check made before applying, just before the update.
    racing.client = ((ClientClass, region) => {
      const real = client(ClientClass, region);
      if (ClientClass !== CloudFrontClient) return real;
      const cloudFrontClient = real as unknown as CloudFrontClient;
      return {
        send: async (command: Parameters<CloudFrontClient['send']>[0]) => {
          if (command instanceof UpdateDistributionCommand)
            account.cloudFront.updateDistribution(id, { comment: 'saved meanwhile' });
          return cloudFrontClient.send(command);
        },
      };
    }) as typeof racing.client;
    const updatesBefore = account.callCounts().UpdateDistribution ?? 0;

    // Act
    const report = await applyRestore(engine, plan, { restoreId: 'r2', sealer, clients: racing });

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
    expect((account.callCounts().UpdateDistribution ?? 0) - updatesBefore).toBe(1);
    expect((await liveConfig())?.Comment).toBe('saved meanwhile');
  });
});
