import { createHash } from 'node:crypto';
import type {
  CacheBehavior,
  CachePolicyConfig,
  DefaultCacheBehavior,
  DistributionConfig,
  Tag,
  ViewerCertificate,
} from '@aws-sdk/client-cloudfront';
import { type AccountModel, optional } from '../model.js';
import { SeededRandom } from '../random.js';
import { seedDate as day, LOGS_BUCKET, MEDIA_BUCKET, type SITE_DOMAINS } from '../seed-names.js';
import { addManagedPolicies, MANAGED_POLICY_IDS } from './managed-policies.js';
import type { CloudFrontState, SimConfigured } from './model.js';
import { seedCloudFrontFunctions } from './seed-functions.js';

/** A site of the business, as its distribution serves it. */
interface SiteSpec {
  readonly domain: (typeof SITE_DOMAINS)[number];
  readonly created: string;
  readonly modified: string;
  /** Forward the CORS request headers to the bucket (the site serves fonts to its sister sites). */
  readonly cors?: boolean;
  /** Protected by a WAF web ACL. */
  readonly webAcl?: boolean;
  /** `/members/*` served only with URLs signed by the charter documents key group. */
  readonly members?: boolean;
}

const SITES: readonly SiteSpec[] = [
  {
    domain: 'queenofsandiego.com',
    created: '2023-02-11T18:24:05',
    modified: '2024-05-02T21:13:48',
    cors: true,
    webAcl: true,
  },
  { domain: 'sailjada.com', created: '2022-05-16T15:41:37', modified: '2024-04-22T08:03:19', members: true },
  { domain: 'salejada.com', created: '2022-06-02T09:48:52', modified: '2023-11-30T12:27:06' },
];

/** The PEM of the key that verifies signed `/members/*` URLs on sailjada.com: public, so it is kept. */
const CHARTER_DOCS_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAucd3DpHwmS6htFLqQMc5
oYC0nq3yL6VwcDlprwupy6IYzWu3OanrlKy7MMGALKRm8BR3ILu4R/0iSxeLkSEs
QZEBCTFCTp39RHP7MtVh43K9EUPr23vjEpZuPfMbXO6yflQ+27qHIFRgrm8f5Mls
3j6VREYOq7xSzsrtFxtI6bJ5HGGkm1B2dV3LMQ4BAx+WJPhgVnMFfDDXmAVxuQAY
SvtpcJsgO/8hBoKGInX2Oj5ZmXDSeV+u/LqOyULsH/VgUpty9uwFk7cW/XYwasS9
QoQjwERfsAbvL8l/bE0VAprcTpZGk8EdfonsnzN5CQIM08q9pq9xAch0DXgiz+x+
9wIDAQAB
-----END PUBLIC KEY-----
`;

/**
 * The ACM certificate (in us-east-1, where CloudFront takes them from) of a site's distribution. It depends on the
 * account and domain alone, so a simulated ACM can issue a certificate with the same ARN.
 *
 * @example
 * siteCertificateArn('123456789012', 'sailjada.com'); // 'arn:aws:acm:us-east-1:123456789012:certificate/…'
 */
export function siteCertificateArn(accountId: string, domain: string): string {
  const seed = createHash('sha256').update(`acm/${accountId}/${domain}`).digest().readUInt32BE(0);
  return `arn:aws:acm:us-east-1:${accountId}:certificate/${new SeededRandom(seed).uuid()}`;
}

/** The ids the sites' distributions refer to. */
interface SharedIds {
  readonly cachePolicy: string;
  readonly originRequestPolicy: string;
  readonly responseHeadersPolicy: string;
  readonly functionArn: string;
  readonly keyGroup: string;
}

function configured<Config>(
  state: CloudFrontState,
  id: string,
  at: string,
  config: Config,
): SimConfigured<Config> {
  return { id, created: day(at), lastModified: day(at), etag: state.newId(), config };
}

const GET_HEAD = () => ({
  Quantity: 2,
  Items: ['HEAD' as const, 'GET' as const],
  CachedMethods: { Quantity: 2, Items: ['HEAD' as const, 'GET' as const] },
});

/** A cache behaviour as the console creates it for an S3 origin, with the given policies and associations. */
function behaviour(
  origin: string,
  cachePolicyId: string,
  extra: {
    readonly functionArn?: string;
    readonly originRequestPolicyId?: string;
    readonly responseHeadersPolicyId?: string;
    readonly keyGroup?: string;
  } = {},
): DefaultCacheBehavior {
  return {
    TargetOriginId: origin,
    TrustedSigners: { Enabled: false, Quantity: 0 },
    TrustedKeyGroups: extra.keyGroup
      ? { Enabled: true, Quantity: 1, Items: [extra.keyGroup] }
      : { Enabled: false, Quantity: 0 },
    ViewerProtocolPolicy: 'redirect-to-https',
    AllowedMethods: GET_HEAD(),
    SmoothStreaming: false,
    Compress: true,
    LambdaFunctionAssociations: { Quantity: 0 },
    FunctionAssociations: extra.functionArn
      ? { Quantity: 1, Items: [{ FunctionARN: extra.functionArn, EventType: 'viewer-request' }] }
      : { Quantity: 0 },
    FieldLevelEncryptionId: '',
    CachePolicyId: cachePolicyId,
    ...optional('OriginRequestPolicyId', extra.originRequestPolicyId),
    ...optional('ResponseHeadersPolicyId', extra.responseHeadersPolicyId),
  };
}

/** An S3 REST origin reached through an origin access control (or publicly, without one). */
function s3Origin(id: string, bucket: string, region: string, originAccessControlId: string) {
  return {
    Id: id,
    DomainName: `${bucket}.s3.${region}.amazonaws.com`,
    OriginPath: '',
    CustomHeaders: { Quantity: 0 },
    S3OriginConfig: { OriginAccessIdentity: '', OriginReadTimeout: 30 },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
    OriginAccessControlId: originAccessControlId,
  };
}

/** What every distribution config shares: no origin groups, no geo restriction, HTTP/2 and 3, IPv6, enabled. */
function distributionConfig(
  state: CloudFrontState,
  fields: Omit<DistributionConfig, 'CallerReference' | 'Enabled'>,
): DistributionConfig {
  return {
    CallerReference: state.random.uuid(),
    OriginGroups: { Quantity: 0 },
    Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
    WebACLId: '',
    HttpVersion: 'http2and3',
    IsIPV6Enabled: true,
    ContinuousDeploymentPolicyId: '',
    Staging: false,
    Enabled: true,
    ...fields,
  };
}

function addDistribution(
  state: CloudFrontState,
  config: DistributionConfig,
  lastModified: Date,
  tags: Tag[],
): void {
  const id = state.newId();
  state.distributions.set(id, {
    id,
    arn: state.arn('distribution', id),
    domainName: `d${state.random.chars(13, 'abcdefghijklmnopqrstuvwxyz0123456789')}.cloudfront.net`,
    config,
    etag: state.newId(),
    lastModified,
    tags,
    invalidations: [],
  });
}

function siteDistribution(state: CloudFrontState, model: AccountModel, site: SiteSpec, ids: SharedIds): void {
  const { domain } = site;
  const oac = configured(state, state.newId(), site.created, {
    Name: `${domain}.s3.${model.homeRegion}.amazonaws.com`,
    Description: `Origin access control for the ${domain} bucket`,
    SigningProtocol: 'sigv4' as const,
    SigningBehavior: 'always' as const,
    OriginAccessControlOriginType: 's3' as const,
  });
  state.originAccessControls.set(oac.id, oac);
  const origin = `${domain}.s3.${model.homeRegion}.amazonaws.com`;
  const region = model.buckets.get(domain)?.region ?? model.homeRegion;
  const certificate = siteCertificateArn(model.accountId, domain);
  const ordered: CacheBehavior[] = [
    { PathPattern: '/images/*', ...behaviour(origin, MANAGED_POLICY_IDS.cachingOptimized) },
    ...(site.members
      ? [
          {
            PathPattern: '/members/*',
            ...behaviour(origin, MANAGED_POLICY_IDS.cachingDisabled, { keyGroup: ids.keyGroup }),
          },
        ]
      : []),
  ];
  const viewerCertificate: ViewerCertificate = {
    CloudFrontDefaultCertificate: false,
    ACMCertificateArn: certificate,
    SSLSupportMethod: 'sni-only',
    MinimumProtocolVersion: 'TLSv1.2_2021',
    Certificate: certificate,
    CertificateSource: 'acm',
  };
  const config = distributionConfig(state, {
    Aliases: { Quantity: 2, Items: [domain, `www.${domain}`] },
    DefaultRootObject: 'index.html',
    Origins: { Quantity: 1, Items: [s3Origin(origin, domain, region, oac.id)] },
    DefaultCacheBehavior: behaviour(origin, ids.cachePolicy, {
      functionArn: ids.functionArn,
      responseHeadersPolicyId: ids.responseHeadersPolicy,
      ...(site.cors ? { originRequestPolicyId: ids.originRequestPolicy } : {}),
    }),
    CacheBehaviors: { Quantity: ordered.length, Items: ordered },
    CustomErrorResponses: {
      Quantity: 1,
      Items: [{ ErrorCode: 403, ResponsePagePath: '/404.html', ResponseCode: '404', ErrorCachingMinTTL: 60 }],
    },
    Comment: `${domain} website`,
    Logging: {
      Enabled: true,
      IncludeCookies: false,
      Bucket: `${LOGS_BUCKET}.s3.amazonaws.com`,
      Prefix: `cloudfront/${domain}/`,
    },
    PriceClass: 'PriceClass_100',
    ViewerCertificate: viewerCertificate,
    ...(site.webAcl
      ? {
          WebACLId: `arn:aws:wafv2:us-east-1:${model.accountId}:global/webacl/sites-protection/${state.random.uuid()}`,
        }
      : {}),
  });
  addDistribution(state, config, day(site.modified), [
    { Key: 'site', Value: domain },
    { Key: 'environment', Value: 'production' },
  ]);
}

/** A generated distribution for benchmarks: a campaign page served from the media bucket on the default domain. */
function generatedDistribution(state: CloudFrontState, model: AccountModel, index: number): void {
  const number = String(index + 1).padStart(4, '0');
  const origin = `${MEDIA_BUCKET}.s3.${model.homeRegion}.amazonaws.com`;
  const region = model.buckets.get(MEDIA_BUCKET)?.region ?? model.homeRegion;
  const config = distributionConfig(state, {
    Aliases: { Quantity: 0 },
    DefaultRootObject: `campaigns/${number}/index.html`,
    Origins: { Quantity: 1, Items: [s3Origin(origin, MEDIA_BUCKET, region, '')] },
    DefaultCacheBehavior: behaviour(origin, MANAGED_POLICY_IDS.cachingOptimized),
    CacheBehaviors: { Quantity: 0 },
    CustomErrorResponses: { Quantity: 0 },
    Comment: `campaign landing page ${number}`,
    Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
    PriceClass: 'PriceClass_100',
    ViewerCertificate: {
      CloudFrontDefaultCertificate: true,
      SSLSupportMethod: 'vip',
      MinimumProtocolVersion: 'TLSv1',
      CertificateSource: 'cloudfront',
    },
  });
  addDistribution(state, config, new Date(day('2024-01-08T09:00:00').getTime() + index * 60_000), [
    { Key: 'generated', Value: 'true' },
  ]);
}

const SITES_CACHE_POLICY: CachePolicyConfig = {
  Name: 'sites-html-and-assets',
  Comment: 'HTML and assets of the sites: an hour by default, purged by an invalidation on each deploy',
  MinTTL: 0,
  DefaultTTL: 3_600,
  MaxTTL: 86_400,
  ParametersInCacheKeyAndForwardedToOrigin: {
    EnableAcceptEncodingGzip: true,
    EnableAcceptEncodingBrotli: true,
    HeadersConfig: { HeaderBehavior: 'none' },
    CookiesConfig: { CookieBehavior: 'none' },
    QueryStringsConfig: { QueryStringBehavior: 'none' },
  },
};

/** Seeds the policies, signing keys and identities the sites' distributions use; returns their ids. */
function seedSharedResources(state: CloudFrontState): SharedIds {
  const custom = { type: 'custom' as const };
  const cachePolicy = {
    ...configured(state, state.random.uuid(), '2023-02-11T17:48:30', SITES_CACHE_POLICY),
    ...custom,
  };
  state.cachePolicies.set(cachePolicy.id, cachePolicy);
  const originRequestPolicy = {
    ...configured(state, state.random.uuid(), '2023-02-11T17:51:02', {
      Name: 'sites-cors-headers',
      Comment: 'Forward the CORS request headers to the site bucket',
      HeadersConfig: {
        HeaderBehavior: 'whitelist' as const,
        Headers: {
          Quantity: 3,
          Items: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'],
        },
      },
      CookiesConfig: { CookieBehavior: 'none' as const },
      QueryStringsConfig: { QueryStringBehavior: 'none' as const },
    }),
    ...custom,
  };
  state.originRequestPolicies.set(originRequestPolicy.id, originRequestPolicy);
  const responseHeadersPolicy = {
    ...configured(state, state.random.uuid(), '2023-02-11T17:55:19', {
      Name: 'sites-security-headers',
      Comment: 'HSTS (two years, preload) and the usual security headers for every site',
      SecurityHeadersConfig: {
        StrictTransportSecurity: {
          Override: true,
          IncludeSubdomains: true,
          Preload: true,
          AccessControlMaxAgeSec: 63_072_000,
        },
        ContentTypeOptions: { Override: true },
        FrameOptions: { Override: true, FrameOption: 'DENY' as const },
        ReferrerPolicy: { Override: true, ReferrerPolicy: 'strict-origin-when-cross-origin' as const },
        XSSProtection: { Override: true, Protection: true, ModeBlock: true },
      },
    }),
    ...custom,
  };
  state.responseHeadersPolicies.set(responseHeadersPolicy.id, responseHeadersPolicy);

  const publicKey = configured(state, state.newId('K'), '2024-02-20T11:30:45', {
    CallerReference: state.random.uuid(),
    Name: 'charter-docs-2024',
    EncodedKey: CHARTER_DOCS_PUBLIC_KEY,
    Comment: 'Verifies signed links to charter documents for members',
  });
  state.publicKeys.set(publicKey.id, publicKey);
  const keyGroup = configured(state, state.random.uuid(), '2024-02-20T11:32:08', {
    Name: 'charter-docs-signers',
    Items: [publicKey.id],
    Comment: 'Keys of the booking site that sign member document links',
  });
  state.keyGroups.set(keyGroup.id, keyGroup);

  const legacyIdentity = configured(state, state.newId(), '2022-06-02T09:45:11', {
    CallerReference: state.random.uuid(),
    Comment: 'access-identity-salejada.com (replaced by an origin access control)',
  });
  state.originAccessIdentities.set(legacyIdentity.id, {
    ...legacyIdentity,
    s3CanonicalUserId: state.random.hex(96),
  });

  const rewrite = seedCloudFrontFunctions(state);
  return {
    cachePolicy: cachePolicy.id,
    originRequestPolicy: originRequestPolicy.id,
    responseHeadersPolicy: responseHeadersPolicy.id,
    functionArn: rewrite.arn,
    keyGroup: keyGroup.id,
  };
}

/**
 * Fills the CloudFront state: AWS managed policies, one distribution per site (its bucket through an origin access
 * control, `<domain>` and `www.<domain>` on an ACM certificate, the sites' cache and HSTS response headers policies,
 * the index rewrite function, logs to {@link LOGS_BUCKET}), the signing keys of sailjada.com's member pages, a
 * legacy origin access identity, and `extra` generated distributions.
 */
export function seedCloudFront(state: CloudFrontState, model: AccountModel, extra: number): void {
  addManagedPolicies(state);
  const ids = seedSharedResources(state);
  for (const site of SITES) siteDistribution(state, model, site, ids);
  for (let index = 0; index < extra; index++) generatedDistribution(state, model, index);
}
