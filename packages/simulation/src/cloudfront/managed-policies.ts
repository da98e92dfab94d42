import type {
  CachePolicyConfig,
  OriginRequestPolicyConfig,
  ResponseHeadersPolicyConfig,
} from '@aws-sdk/client-cloudfront';
import { seedDate } from '../seed-names.js';
import type { CloudFrontState, SimPolicy } from './model.js';

/** Ids of the AWS managed policies the simulation knows: the same in every AWS account. */
export const MANAGED_POLICY_IDS = {
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  corsS3Origin: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
  securityHeaders: '67f7725c-6f97-4210-82d7-5512b31e9d03',
} as const;

const PUBLISHED = seedDate('2020-07-22T19:54:18');
const NOTHING_IN_KEY = {
  HeadersConfig: { HeaderBehavior: 'none' },
  CookiesConfig: { CookieBehavior: 'none' },
  QueryStringsConfig: { QueryStringBehavior: 'none' },
} as const;

function managed<Config>(id: string, etag: string, config: Config): SimPolicy<Config> {
  return { id, type: 'managed', created: PUBLISHED, lastModified: PUBLISHED, etag, config };
}

const CACHE_POLICIES: readonly SimPolicy<CachePolicyConfig>[] = [
  managed(MANAGED_POLICY_IDS.cachingOptimized, 'E23ZP02F085DFQ', {
    Name: 'Managed-CachingOptimized',
    Comment: 'Policy with caching enabled. Supports Gzip and Brotli compression.',
    MinTTL: 1,
    DefaultTTL: 86_400,
    MaxTTL: 31_536_000,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      ...NOTHING_IN_KEY,
    },
  }),
  managed(MANAGED_POLICY_IDS.cachingDisabled, 'E2QWRUHAPOMQZL', {
    Name: 'Managed-CachingDisabled',
    Comment: 'Policy with caching disabled',
    MinTTL: 0,
    DefaultTTL: 0,
    MaxTTL: 0,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: false,
      EnableAcceptEncodingBrotli: false,
      ...NOTHING_IN_KEY,
    },
  }),
];

const ORIGIN_REQUEST_POLICIES: readonly SimPolicy<OriginRequestPolicyConfig>[] = [
  managed(MANAGED_POLICY_IDS.corsS3Origin, 'E1R8D3GBZ5KCAF', {
    Name: 'Managed-CORS-S3Origin',
    Comment: 'Policy for origin request to enable CORS with S3 origin',
    HeadersConfig: {
      HeaderBehavior: 'whitelist',
      Headers: {
        Quantity: 3,
        Items: ['origin', 'access-control-request-headers', 'access-control-request-method'],
      },
    },
    CookiesConfig: { CookieBehavior: 'none' },
    QueryStringsConfig: { QueryStringBehavior: 'none' },
  }),
];

const RESPONSE_HEADERS_POLICIES: readonly SimPolicy<ResponseHeadersPolicyConfig>[] = [
  managed(MANAGED_POLICY_IDS.securityHeaders, 'E3M2QKBD7Q2LJ6', {
    Name: 'Managed-SecurityHeadersPolicy',
    Comment: 'Adds a set of security headers to every response',
    SecurityHeadersConfig: {
      XSSProtection: { Override: false, Protection: true, ModeBlock: true },
      FrameOptions: { Override: false, FrameOption: 'SAMEORIGIN' },
      ReferrerPolicy: { Override: false, ReferrerPolicy: 'strict-origin-when-cross-origin' },
      ContentTypeOptions: { Override: true },
      StrictTransportSecurity: {
        Override: false,
        IncludeSubdomains: false,
        Preload: false,
        AccessControlMaxAgeSec: 31_536_000,
      },
    },
  }),
];

/** Adds the AWS managed policies every account sees (listed with `Type: managed`, never the account's own). */
export function addManagedPolicies(state: CloudFrontState): void {
  for (const policy of CACHE_POLICIES) state.cachePolicies.set(policy.id, structuredClone(policy));
  for (const policy of ORIGIN_REQUEST_POLICIES)
    state.originRequestPolicies.set(policy.id, structuredClone(policy));
  for (const policy of RESPONSE_HEADERS_POLICIES) {
    state.responseHeadersPolicies.set(policy.id, structuredClone(policy));
  }
}
