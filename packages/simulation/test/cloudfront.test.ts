import {
  AccessDenied,
  CloudFrontClient,
  DescribeFunctionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetFunctionCommand,
  GetKeyGroupCommand,
  ListCachePoliciesCommand,
  ListDistributionsCommand,
  ListFunctionsCommand,
  ListTagsForResourceCommand,
  NoSuchDistribution,
  NoSuchFunctionExists,
  NoSuchResource,
} from '@aws-sdk/client-cloudfront';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount, siteCertificateArn } from '../src/index.js';
import { failure } from './support/failure.js';

let account: SimulatedAccount;
let cloudFront: CloudFrontClient;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  cloudFront = new CloudFrontClient({ region: 'us-east-1', maxAttempts: 1 });
});

afterEach(async () => {
  await account.stop();
});

describe('simulated CloudFront distributions', () => {
  it('pages ListDistributions with Marker, NextMarker and IsTruncated', async () => {
    // Act
    const first = await cloudFront.send(new ListDistributionsCommand({ MaxItems: 2 }));
    const second = await cloudFront.send(
      new ListDistributionsCommand({ MaxItems: 2, Marker: first.DistributionList?.NextMarker }),
    );

    // Assert
    expect(first.DistributionList).toMatchObject({ Marker: '', MaxItems: 2, IsTruncated: true, Quantity: 2 });
    expect(second.DistributionList).toMatchObject({ IsTruncated: false, Quantity: 1 });
    expect(second.DistributionList?.NextMarker).toBeUndefined();
    const ids = [...(first.DistributionList?.Items ?? []), ...(second.DistributionList?.Items ?? [])].map(
      (item) => item.Id,
    );
    expect(ids.sort()).toEqual(account.cloudFront.distributionIds());
  });

  it('answers GetDistribution and GetDistributionConfig with the same ETag', async () => {
    // Arrange
    const Id = account.cloudFront.distributionId('www.salejada.com');

    // Act
    const distribution = await cloudFront.send(new GetDistributionCommand({ Id }));
    const config = await cloudFront.send(new GetDistributionConfigCommand({ Id }));

    // Assert
    expect(config.ETag).toBe(distribution.ETag);
    expect(config.DistributionConfig).toEqual(distribution.Distribution?.DistributionConfig);
    expect(config.DistributionConfig?.ViewerCertificate?.ACMCertificateArn).toBe(
      siteCertificateArn('123456789012', 'salejada.com'),
    );
  });

  it('answers NoSuchDistribution (404) for an unknown id and AccessDenied (403) when denied', async () => {
    // Arrange
    const Id = account.cloudFront.distributionId('sailjada.com');
    account.deny('cloudfront:GetDistribution', Id);

    // Act
    const missing = await failure(cloudFront.send(new GetDistributionCommand({ Id: 'E2QWRUHEXAMPLE' })));
    const denied = await failure(cloudFront.send(new GetDistributionCommand({ Id })));

    // Assert
    expect(missing).toBeInstanceOf(NoSuchDistribution);
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(denied).toBeInstanceOf(AccessDenied);
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(denied.message).toContain(
      `cloudfront:GetDistribution on resource: arn:aws:cloudfront::123456789012:distribution/${Id}`,
    );
  });

  it('answers Throttling (400) while throttled', async () => {
    // Arrange
    account.throttle('cloudfront:ListDistributions', 1);

    // Act
    const throttled = await failure(cloudFront.send(new ListDistributionsCommand({})));
    const after = await cloudFront.send(new ListDistributionsCommand({}));

    // Assert
    expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(['Throttling', 400]);
    expect(after.DistributionList?.Quantity).toBe(3);
  });

  it('lists tags by distribution ARN, NoSuchResource for another', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('sailjada.com');

    // Act
    const tags = await cloudFront.send(
      new ListTagsForResourceCommand({ Resource: `arn:aws:cloudfront::123456789012:distribution/${id}` }),
    );
    const missing = await failure(
      cloudFront.send(
        new ListTagsForResourceCommand({
          Resource: 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE',
        }),
      ),
    );

    // Assert
    expect(tags.Tags?.Items).toEqual([
      { Key: 'site', Value: 'sailjada.com' },
      { Key: 'environment', Value: 'production' },
    ]);
    expect(missing).toBeInstanceOf(NoSuchResource);
  });

  it('rejects an update that takes another distribution alias', () => {
    // Arrange
    const id = account.cloudFront.distributionId('sailjada.com');

    // Act
    const update = () => account.cloudFront.updateDistribution(id, { addAliases: ['www.salejada.com'] });

    // Assert
    expect(update).toThrow(/CNAMEAlreadyExists/);
  });

  it('seeds the same ids in every run', async () => {
    // Arrange
    const ids = account.cloudFront.distributionIds();
    await account.stop();

    // Act
    account = await SimulatedAccount.start();

    // Assert
    expect(account.cloudFront.distributionIds()).toEqual(ids);
  });
});

describe('simulated CloudFront policies and functions', () => {
  it('lists managed and custom cache policies, filtered by Type', async () => {
    // Act
    const all = await cloudFront.send(new ListCachePoliciesCommand({}));
    const custom = await cloudFront.send(new ListCachePoliciesCommand({ Type: 'custom' }));

    // Assert
    expect(all.CachePolicyList?.Quantity).toBe(3);
    expect(custom.CachePolicyList?.Items?.map((item) => item.CachePolicy?.CachePolicyConfig?.Name)).toEqual([
      'sites-html-and-assets',
    ]);
  });

  it('lists functions once per stage, or for one stage', async () => {
    // Act
    const all = await cloudFront.send(new ListFunctionsCommand({}));
    const live = await cloudFront.send(new ListFunctionsCommand({ Stage: 'LIVE', MaxItems: 1 }));

    // Assert
    expect(all.FunctionList?.Items?.map((item) => `${item.Name}:${item.FunctionMetadata?.Stage}`)).toEqual([
      'legacy-path-redirects:DEVELOPMENT',
      'legacy-path-redirects:LIVE',
      'site-index-rewrite:DEVELOPMENT',
      'site-index-rewrite:LIVE',
    ]);
    expect(live.FunctionList?.Items?.map((item) => item.Name)).toEqual(['legacy-path-redirects']);
    expect(live.FunctionList?.NextMarker).toBeDefined();
  });

  it('answers a function stage with its ETag and code, NoSuchFunctionExists for an unknown one', async () => {
    // Act
    const described = await cloudFront.send(
      new DescribeFunctionCommand({ Name: 'site-index-rewrite', Stage: 'LIVE' }),
    );
    const code = await cloudFront.send(new GetFunctionCommand({ Name: 'site-index-rewrite', Stage: 'LIVE' }));
    const missing = await failure(cloudFront.send(new DescribeFunctionCommand({ Name: 'no-such-function' })));

    // Assert
    expect(described.FunctionSummary?.Status).toBe('DEPLOYED');
    expect(code.ETag).toBe(described.ETag);
    expect(code.FunctionCode?.transformToString()).toContain('function handler(event)');
    expect(missing).toBeInstanceOf(NoSuchFunctionExists);
  });

  it('answers an unknown key group with NoSuchResource (404)', async () => {
    // Act
    const missing = await failure(
      cloudFront.send(new GetKeyGroupCommand({ Id: '5b890c9b-c126-4712-9b6f-f8950eb1e3da' })),
    );

    // Assert
    expect(missing).toBeInstanceOf(NoSuchResource);
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });
});
