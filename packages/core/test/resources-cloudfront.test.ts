import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removePaths } from '../src/canonical/paths.js';
import { GapKind, UNKNOWN_MARKER } from '../src/constants.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { cloudFrontCachePolicy } from '../src/resources/cloudfront-cache-policy.js';
import { cloudFrontDistribution } from '../src/resources/cloudfront-distribution.js';
import { cloudFrontFunction } from '../src/resources/cloudfront-function.js';
import { cloudFrontKeyGroup } from '../src/resources/cloudfront-key-group.js';
import { cloudFrontOriginAccessControl } from '../src/resources/cloudfront-origin-access-control.js';
import { cloudFrontOriginAccessIdentity } from '../src/resources/cloudfront-origin-access-identity.js';
import { cloudFrontOriginRequestPolicy } from '../src/resources/cloudfront-origin-request-policy.js';
import { cloudFrontPublicKey } from '../src/resources/cloudfront-public-key.js';
import { cloudFrontResponseHeadersPolicy } from '../src/resources/cloudfront-response-headers-policy.js';
import { cloudFrontArnParts } from '../src/resources/cloudfront-shared.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { CloudTrailRecord } from '../src/types/cloudtrail.js';
import type { Described, JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found, type TestCaptureContext } from './support/capture-context.js';
import { readFixture } from './support/fixtures.js';

const GLOBAL = 'global';
const DISTRIBUTION = 'AWS::CloudFront::Distribution';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start();
});

afterEach(async () => {
  await account.stop();
});

async function describeDistribution(alias: string, ctx: TestCaptureContext = createCaptureContext()) {
  const id = account.cloudFront.distributionId(alias);
  return found(await cloudFrontDistribution.describe(ctx, id, GLOBAL));
}

/** The `<type>:<id>@<region>` resources events map to, through the parsing a consumer does. */
function mappedResources(events: readonly SimulatedEvent[]): string[] {
  return events.flatMap((event) =>
    parseEventInput(JSON.stringify(event), 'test').flatMap((parsed) =>
      mapEvent(parsed).resources.map((resource) => `${resource.type}:${resource.id}@${resource.region}`),
    ),
  );
}

/** The only listed id whose described document satisfies `match`. */
async function findListed(
  definition: ResourceDefinition,
  match: (raw: JsonObject) => boolean,
): Promise<{ id: string; described: Extract<Described, { status: 'found' }> }> {
  const ctx = createCaptureContext();
  const matches = [];
  for (const { id } of await collect(definition.list(ctx, GLOBAL))) {
    const described = found(await definition.describe(ctx, id, GLOBAL));
    if (match(described.raw)) matches.push({ id, described });
  }
  if (matches.length !== 1) throw new Error(`expected one match, found ${matches.length}`);
  return matches[0] as { id: string; described: Extract<Described, { status: 'found' }> };
}

describe('cloudFrontDistribution.list', () => {
  it('lists the three site distributions, without fingerprints', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(cloudFrontDistribution.list(ctx, GLOBAL));

    // Assert
    expect(listed.map((item) => item.id).sort()).toEqual(
      ['queenofsandiego.com', 'sailjada.com', 'salejada.com']
        .map((alias) => account.cloudFront.distributionId(alias))
        .sort(),
    );
    expect(listed.every((item) => item.fingerprint === undefined)).toBe(true);
  });

  it('pages through ListDistributions with its markers', async () => {
    // Arrange
    await account.stop();
    account = await SimulatedAccount.start({ scale: { distributions: 150 } });
    account.resetCallCounts();

    // Act
    const listed = await collect(cloudFrontDistribution.list(createCaptureContext(), GLOBAL));

    // Assert
    expect(listed).toHaveLength(153);
    expect(new Set(listed.map((item) => item.id)).size).toBe(153);
    expect(account.callCounts().ListDistributions).toBe(2);
  });
});

describe('cloudFrontDistribution.describe', () => {
  it('captures the whole configuration, the tags and the ETag', async () => {
    // Act
    const described = await describeDistribution('sailjada.com');

    // Assert
    expect(described.gaps).toBeUndefined();
    const raw = described.raw;
    expect(raw).toMatchObject({
      Id: account.cloudFront.distributionId('sailjada.com'),
      ARN: `arn:aws:cloudfront::123456789012:distribution/${account.cloudFront.distributionId('sailjada.com')}`,
      Status: 'Deployed',
      Tags: [
        { Key: 'site', Value: 'sailjada.com' },
        { Key: 'environment', Value: 'production' },
      ],
      DistributionConfig: {
        Aliases: { Quantity: 2, Items: ['sailjada.com', 'www.sailjada.com'] },
        DefaultRootObject: 'index.html',
        PriceClass: 'PriceClass_100',
        HttpVersion: 'http2and3',
        IsIPV6Enabled: true,
        Enabled: true,
        Comment: 'sailjada.com website',
        Logging: {
          Enabled: true,
          Bucket: 'queenofsandiego-logs.s3.amazonaws.com',
          Prefix: 'cloudfront/sailjada.com/',
        },
        ViewerCertificate: {
          CloudFrontDefaultCertificate: false,
          SSLSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        },
        Origins: {
          Quantity: 1,
          Items: [
            {
              DomainName: 'sailjada.com.s3.us-east-1.amazonaws.com',
              S3OriginConfig: { OriginAccessIdentity: '' },
            },
          ],
        },
        DefaultCacheBehavior: {
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: {
            Quantity: 1,
            Items: [
              {
                FunctionARN: 'arn:aws:cloudfront::123456789012:function/site-index-rewrite',
                EventType: 'viewer-request',
              },
            ],
          },
        },
        CacheBehaviors: {
          Quantity: 2,
          Items: [
            { PathPattern: '/images/*', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
            { PathPattern: '/members/*', TrustedKeyGroups: { Enabled: true, Quantity: 1 } },
          ],
        },
        CustomErrorResponses: {
          Items: [{ ErrorCode: 403, ResponsePagePath: '/404.html', ResponseCode: '404' }],
        },
      },
    });
    expect(raw.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(described.fingerprint, 'the ETag is kept with the version').toBe(raw.ETag);
    expect(raw.DomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    const config = raw.DistributionConfig as JsonObject;
    const certificate = (config.ViewerCertificate as JsonObject).ACMCertificateArn;
    expect(certificate).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/);
    const [origin] = (config.Origins as { Items: JsonObject[] }).Items;
    expect(origin?.OriginAccessControlId).toMatch(/^E[A-Z0-9]{13}$/);
  });

  it('captures the web ACL and the CORS origin request policy of queenofsandiego.com', async () => {
    // Act
    const described = await describeDistribution('queenofsandiego.com');

    // Assert
    const config = described.raw.DistributionConfig as JsonObject;
    expect(config.WebACLId).toMatch(
      /^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\/sites-protection\/[0-9a-f-]{36}$/,
    );
    expect((config.DefaultCacheBehavior as JsonObject).OriginRequestPolicyId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('normalises tags to a map, origins by id and aliases sorted; volatile fields are declared', () => {
    // Arrange
    const raw: JsonObject = {
      Id: 'E2QWRUHEXAMPLE',
      Status: 'InProgress',
      ETag: 'E1RTLUR9YES76O',
      Tags: [{ Key: 'site', Value: 'sailjada.com' }],
      DistributionConfig: {
        Aliases: { Quantity: 2, Items: ['www.sailjada.com', 'sailjada.com'] },
        Origins: {
          Quantity: 1,
          Items: [{ Id: 'site-bucket', DomainName: 'sailjada.com.s3.us-east-1.amazonaws.com' }],
        },
        CacheBehaviors: { Quantity: 2, Items: [{ PathPattern: '/b/*' }, { PathPattern: '/a/*' }] },
      },
    };

    // Act
    const normalised = cloudFrontDistribution.normalise(raw);

    // Assert
    expect(normalised).toEqual({
      Id: 'E2QWRUHEXAMPLE',
      Status: 'InProgress',
      ETag: 'E1RTLUR9YES76O',
      Tags: { site: 'sailjada.com' },
      DistributionConfig: {
        Aliases: { Quantity: 2, Items: ['sailjada.com', 'www.sailjada.com'] },
        Origins: {
          Quantity: 1,
          Items: {
            'site-bucket': { Id: 'site-bucket', DomainName: 'sailjada.com.s3.us-east-1.amazonaws.com' },
          },
        },
        CacheBehaviors: { Quantity: 2, Items: [{ PathPattern: '/b/*' }, { PathPattern: '/a/*' }] },
      },
    });
    expect(cloudFrontDistribution.volatile).toEqual([
      'ETag',
      'Status',
      'LastModifiedTime',
      'InProgressInvalidationBatches',
    ]);
  });

  it('records a denied tag read as a gap for the tags alone', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('salejada.com');
    account.deny('cloudfront:ListTagsForResource', id);

    // Act
    const described = await describeDistribution('salejada.com');

    // Assert
    expect(described.raw.Tags).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
    expect(described.raw.DistributionConfig).toMatchObject({ DefaultRootObject: 'index.html' });
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: GapKind.DENIED,
        type: DISTRIBUTION,
        id,
        operation: 'cloudfront:ListTagsForResource',
        code: 'AccessDenied',
      }),
    ]);
  });

  it('is a gap as a whole when GetDistribution is denied', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('salejada.com');
    account.deny('cloudfront:GetDistribution', id);

    // Act
    const described = await cloudFrontDistribution.describe(createCaptureContext(), id, GLOBAL);

    // Assert
    expect(described).toEqual({
      status: 'gap',
      gap: expect.objectContaining({
        kind: GapKind.DENIED,
        operation: 'cloudfront:GetDistribution',
        code: 'AccessDenied',
      }),
    });
  });

  it('finds a deleted distribution not-found, and the deletion maps to it', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('salejada.com');

    // Act
    const events = account.cloudFront.deleteDistribution(id);
    const described = await cloudFrontDistribution.describe(createCaptureContext(), id, GLOBAL);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
    expect(mappedResources(events)).toEqual([`${DISTRIBUTION}:${id}@global`]);
  });
});

describe('cloudFrontDistribution changes', () => {
  it('sees an update in the next describe, and the update event maps to that distribution only', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('sailjada.com');
    const before = await describeDistribution('sailjada.com');

    // Act
    const events = account.cloudFront.updateDistribution(id, {
      defaultRootObject: 'home.html',
      addAliases: ['charters.sailjada.com'],
    });
    const after = await describeDistribution('sailjada.com');

    // Assert
    expect(after.raw.DistributionConfig).toMatchObject({
      DefaultRootObject: 'home.html',
      Aliases: { Quantity: 3, Items: ['sailjada.com', 'www.sailjada.com', 'charters.sailjada.com'] },
    });
    expect(after.raw.Status).toBe('InProgress');
    expect(after.raw.ETag).not.toBe(before.raw.ETag);
    expect(mappedResources(events)).toEqual([`${DISTRIBUTION}:${id}@global`]);
    const [event] = events;
    expect(event?.detail).toMatchObject({
      eventSource: 'cloudfront.amazonaws.com',
      eventName: 'UpdateDistribution2020_05_31',
      awsRegion: 'us-east-1',
      requestParameters: {
        id,
        ifMatch: before.raw.ETag,
        distributionConfig: { defaultRootObject: 'home.html' },
      },
    });
  });

  it('maps an invalidation to its distribution, whose captured document does not change', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('queenofsandiego.com');
    const stored = (described: Extract<Described, { status: 'found' }>) =>
      removePaths(cloudFrontDistribution.normalise(described.raw), cloudFrontDistribution.volatile);
    const before = stored(await describeDistribution('queenofsandiego.com'));

    // Act
    const events = account.cloudFront.createInvalidation(id, ['/index.html', '/css/*']);
    const after = await describeDistribution('queenofsandiego.com');

    // Assert
    expect(mappedResources(events)).toEqual([`${DISTRIBUTION}:${id}@global`]);
    expect(after.raw.InProgressInvalidationBatches).toBe(1);
    expect(stored(after)).toEqual(before);
  });

  it('sees a tag change, which moves neither LastModifiedTime nor the ETag', async () => {
    // Arrange
    const id = account.cloudFront.distributionId('salejada.com');
    const before = await describeDistribution('salejada.com');

    // Act
    const events = account.cloudFront.tagDistribution(id, { campaign: 'gift-cards' });
    const after = await describeDistribution('salejada.com');

    // Assert
    expect(cloudFrontDistribution.normalise(after.raw).Tags).toEqual({
      site: 'salejada.com',
      environment: 'production',
      campaign: 'gift-cards',
    });
    expect(after.raw.LastModifiedTime).toBe(before.raw.LastModifiedTime);
    expect(after.raw.ETag).toBe(before.raw.ETag);
    expect(mappedResources(events)).toEqual([`${DISTRIBUTION}:${id}@global`]);
  });
});

describe('CloudFront policies', () => {
  it('lists custom cache policies only, fingerprinted by LastModifiedTime', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(cloudFrontCachePolicy.list(ctx, GLOBAL));

    // Assert
    expect(listed).toHaveLength(1);
    expect(listed[0]?.id).not.toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    expect(listed[0]?.fingerprint).toBe('2023-02-11T17:48:30.000Z');
  });

  it('describes a custom cache policy with the fingerprint its listing gives', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const [listed] = await collect(cloudFrontCachePolicy.list(ctx, GLOBAL));
    if (!listed) throw new Error('no cache policy listed');

    // Act
    const described = found(await cloudFrontCachePolicy.describe(ctx, listed.id, GLOBAL));

    // Assert
    expect(described.fingerprint).toBe('2023-02-11T17:48:30.000Z');
    expect(described.raw).toMatchObject({
      Id: listed.id,
      LastModifiedTime: '2023-02-11T17:48:30.000Z',
      CachePolicyConfig: {
        Name: 'sites-html-and-assets',
        MinTTL: 0,
        DefaultTTL: 3600,
        MaxTTL: 86400,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
        },
      },
    });
    expect(described.raw.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(cloudFrontCachePolicy.volatile).toEqual(['ETag', 'LastModifiedTime']);
  });

  it('describes the response headers policy with its HSTS settings', async () => {
    // Act
    const { described } = await findListed(cloudFrontResponseHeadersPolicy, () => true);

    // Assert
    expect(described.raw).toMatchObject({
      ResponseHeadersPolicyConfig: {
        Name: 'sites-security-headers',
        SecurityHeadersConfig: {
          StrictTransportSecurity: {
            Override: true,
            IncludeSubdomains: true,
            Preload: true,
            AccessControlMaxAgeSec: 63072000,
          },
          FrameOptions: { FrameOption: 'DENY' },
        },
      },
    });
  });

  it('describes the origin request policy with the headers it forwards', async () => {
    // Act
    const { described } = await findListed(cloudFrontOriginRequestPolicy, () => true);

    // Assert
    expect(described.raw).toMatchObject({
      OriginRequestPolicyConfig: {
        Name: 'sites-cors-headers',
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: { Items: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'] },
        },
      },
    });
  });

  it('finds an unknown policy not-found', async () => {
    // Act
    const described = await cloudFrontCachePolicy.describe(
      createCaptureContext(),
      'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
      GLOBAL,
    );

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('cloudFrontFunction', () => {
  it('lists each function once', async () => {
    // Act
    const listed = await collect(cloudFrontFunction.list(createCaptureContext(), GLOBAL));

    // Assert
    expect(listed).toEqual([{ id: 'legacy-path-redirects' }, { id: 'site-index-rewrite' }]);
  });

  it('describes both stages and stores the LIVE code once when DEVELOPMENT is the same', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const described = found(await cloudFrontFunction.describe(ctx, 'site-index-rewrite', GLOBAL));

    // Assert
    expect(described.raw).toMatchObject({
      Name: 'site-index-rewrite',
      Stages: {
        LIVE: {
          Status: 'DEPLOYED',
          FunctionConfig: {
            Runtime: 'cloudfront-js-2.0',
            Comment: 'Serve index.html for directory paths on every site',
          },
          FunctionMetadata: {
            Stage: 'LIVE',
            FunctionARN: 'arn:aws:cloudfront::123456789012:function/site-index-rewrite',
          },
        },
        DEVELOPMENT: { FunctionMetadata: { Stage: 'DEVELOPMENT' } },
      },
    });
    expect(Object.keys(described.blobs ?? {})).toEqual(['code']);
    const code = ctx.content.blobs.get(described.blobs?.code as string)?.toString('utf8');
    expect(code).toContain('function handler(event)');
    expect(code).toContain("request.uri += 'index.html';");
  });

  it('stores DEVELOPMENT code that differs from LIVE as code:DEVELOPMENT, with the key value store', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const described = found(await cloudFrontFunction.describe(ctx, 'legacy-path-redirects', GLOBAL));

    // Assert
    const blobs = described.blobs ?? {};
    expect(Object.keys(blobs).sort()).toEqual(['code', 'code:DEVELOPMENT']);
    expect(ctx.content.blobs.get(blobs.code as string)?.toString('utf8')).toContain('statusCode: 301');
    expect(ctx.content.blobs.get(blobs['code:DEVELOPMENT'] as string)?.toString('utf8')).toContain(
      'statusCode: 308',
    );
    expect(described.raw).toMatchObject({
      Stages: {
        LIVE: {
          Status: 'UNASSOCIATED',
          FunctionConfig: { KeyValueStoreAssociations: { Quantity: 1 } },
        },
      },
    });
    const stages = described.raw.Stages as Record<string, JsonObject>;
    expect(JSON.stringify(stages.LIVE?.FunctionConfig)).toMatch(
      /arn:aws:cloudfront::123456789012:key-value-store\/[0-9a-f-]{36}/,
    );
  });

  it('records a denied code read as a gap, keeping the configuration', async () => {
    // Arrange
    account.deny('cloudfront:GetFunction', 'site-index-rewrite');

    // Act
    const described = found(
      await cloudFrontFunction.describe(createCaptureContext(), 'site-index-rewrite', GLOBAL),
    );

    // Assert
    expect(described.blobs).toBeUndefined();
    expect(described.raw).toMatchObject({
      Stages: { LIVE: { FunctionConfig: { Runtime: 'cloudfront-js-2.0' } } },
    });
    expect(described.gaps?.map((gap) => [gap.operation, gap.code])).toEqual([
      ['cloudfront:GetFunction', 'AccessDenied'],
      ['cloudfront:GetFunction', 'AccessDenied'],
    ]);
  });

  it('does not download code again while both stages keep their ETags', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const first = found(await cloudFrontFunction.describe(ctx, 'legacy-path-redirects', GLOBAL));
    const previous = { document: {}, blobs: first.blobs ?? {}, fingerprint: first.fingerprint ?? '' };
    account.resetCallCounts();

    // Act
    const again = found(await cloudFrontFunction.describe(ctx, 'legacy-path-redirects', GLOBAL, previous));

    // Assert
    expect(again.blobs).toEqual(first.blobs);
    expect(account.callCounts().GetFunction).toBeUndefined();
    expect(account.callCounts().DescribeFunction).toBe(2);
  });

  it('finds an unknown function not-found', async () => {
    // Act
    const described = await cloudFrontFunction.describe(createCaptureContext(), 'no-such-function', GLOBAL);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('origin access controls, key groups, public keys and origin access identities', () => {
  it('describes the three sites origin access controls', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const listed = await collect(cloudFrontOriginAccessControl.list(ctx, GLOBAL));

    // Act
    const described = await Promise.all(
      listed.map(async ({ id }) => found(await cloudFrontOriginAccessControl.describe(ctx, id, GLOBAL)).raw),
    );

    // Assert
    expect(described.map((raw) => (raw.OriginAccessControlConfig as JsonObject).Name).sort()).toEqual([
      'queenofsandiego.com.s3.us-east-1.amazonaws.com',
      'sailjada.com.s3.us-east-1.amazonaws.com',
      'salejada.com.s3.us-east-1.amazonaws.com',
    ]);
    expect(described[0]).toMatchObject({
      OriginAccessControlConfig: {
        SigningProtocol: 'sigv4',
        SigningBehavior: 'always',
        OriginAccessControlOriginType: 's3',
      },
    });
  });

  it('describes the key group and the public key it holds, PEM included', async () => {
    // Act
    const { described: keyGroup } = await findListed(cloudFrontKeyGroup, () => true);
    const { id: keyId, described: publicKey } = await findListed(cloudFrontPublicKey, () => true);

    // Assert
    expect(keyGroup.raw).toMatchObject({ KeyGroupConfig: { Name: 'charter-docs-signers', Items: [keyId] } });
    expect(publicKey.raw).toMatchObject({
      Id: keyId,
      CreatedTime: '2024-02-20T11:30:45.000Z',
      PublicKeyConfig: { Name: 'charter-docs-2024' },
    });
    expect((publicKey.raw.PublicKeyConfig as JsonObject).EncodedKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it('describes the legacy origin access identity', async () => {
    // Act
    const { described } = await findListed(cloudFrontOriginAccessIdentity, () => true);

    // Assert
    expect(described.raw).toMatchObject({
      CloudFrontOriginAccessIdentityConfig: {
        Comment: 'access-identity-salejada.com (replaced by an origin access control)',
      },
    });
    expect(described.raw.S3CanonicalUserId).toMatch(/^[0-9a-f]{96}$/);
  });
});

describe('CloudFront events', () => {
  const definitions = [
    cloudFrontDistribution,
    cloudFrontCachePolicy,
    cloudFrontOriginRequestPolicy,
    cloudFrontResponseHeadersPolicy,
    cloudFrontFunction,
    cloudFrontOriginAccessControl,
    cloudFrontKeyGroup,
    cloudFrontPublicKey,
    cloudFrontOriginAccessIdentity,
  ];

  it.each(definitions.map((definition) => [definition.type, definition] as const))(
    '%s declares every action its listing and describe call',
    async (_type, definition) => {
      // Arrange
      const ctx = createCaptureContext();
      account.resetCallCounts();

      // Act
      for (const { id } of await collect(definition.list(ctx, GLOBAL))) {
        await definition.describe(ctx, id, GLOBAL);
      }

      // Assert
      expect([...account.actionsCalled()].sort()).toEqual([...definition.permissions].sort());
      expect(definition.permissions[0]).toBe(definition.listOperation);
    },
  );

  it('name nothing for an empty record', () => {
    // Act
    const ids = definitions.flatMap((definition) =>
      Object.values(definition.events).flatMap((extractor) => extractor({})),
    );

    // Assert
    expect(ids).toEqual([]);
  });

  it('map each recorded call of the fixture file to exactly its resources', () => {
    // Arrange
    const file = path.resolve(import.meta.dirname, 'fixtures/events/cloudfront.json');
    const fixtures = JSON.parse(readFileSync(file, 'utf8')) as Array<{
      record: CloudTrailRecord;
      expected: string[];
    }>;

    // Act
    const mapped = fixtures.map(({ record }) =>
      parseEventInput(JSON.stringify(record), 'fixture').flatMap((event) =>
        mapEvent(event).resources.map((resource) => `${resource.type}:${resource.id}`),
      ),
    );

    // Assert
    expect(mapped).toEqual(fixtures.map(({ expected }) => expected));
  });

  it('map the 2014 invalidation record without eventSource by its name alone', () => {
    // Arrange
    const text = readFixture('cloudfront/CreateInvalidation2014_01_31-1.json');

    // Act
    const [event] = parseEventInput(text, 'fixture');
    const mapped = event ? mapEvent(event) : undefined;

    // Assert
    expect(mapped?.resources).toEqual([
      { account: '111122223333', region: 'global', type: DISTRIBUTION, id: 'EDFDVBD6EXAMPLE' },
    ]);
  });

  it('take ARNs of any CloudFront type apart, and tagging names distributions only', () => {
    // Arrange
    const tagFunction = {
      eventName: 'TagResource',
      requestParameters: { resource: 'arn:aws:cloudfront::123456789012:function/site-index-rewrite' },
    };

    // Act
    const parts = cloudFrontArnParts('arn:aws:cloudfront::123456789012:origin-access-control/E2QWRUHEXAMPLE');
    const ids = cloudFrontDistribution.events.TagResource?.(tagFunction);

    // Assert
    expect(parts).toEqual({ resourceType: 'origin-access-control', id: 'E2QWRUHEXAMPLE' });
    expect(cloudFrontArnParts('arn:aws:s3:::sailjada.com')).toBeUndefined();
    expect(ids).toEqual([]);
  });
});
