import type {
  CachePolicyConfig,
  CloudFrontOriginAccessIdentityConfig,
  DistributionConfig,
  FunctionConfig,
  KeyGroupConfig,
  OriginAccessControlConfig,
  OriginRequestPolicyConfig,
  PublicKeyConfig,
  ResponseHeadersPolicyConfig,
  Tag,
} from '@aws-sdk/client-cloudfront';
import type { SeededRandom } from '../random.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An invalidation request: purged paths and when it was made. */
export interface SimInvalidation {
  readonly id: string;
  readonly callerReference: string;
  readonly paths: readonly string[];
  readonly createTime: Date;
}

/** One distribution: its configuration in the SDK's shape, and what CloudFront keeps beside it. */
export interface SimDistribution {
  readonly id: string;
  readonly arn: string;
  /** `d111111abcdef8.cloudfront.net` */
  readonly domainName: string;
  config: DistributionConfig;
  etag: string;
  /** Moves with every configuration change (not with tagging); the change propagates for a few minutes after. */
  lastModified: Date;
  tags: Tag[];
  readonly invalidations: SimInvalidation[];
}

/** A resource read whole with its ETag: a policy, an origin access control, a key group, a public key… */
export interface SimConfigured<Config> {
  readonly id: string;
  readonly created: Date;
  config: Config;
  etag: string;
  lastModified: Date;
}

/** A cache, origin request or response headers policy: AWS managed ones are visible to every account. */
export interface SimPolicy<Config> extends SimConfigured<Config> {
  readonly type: 'managed' | 'custom';
}

/** A legacy origin access identity, with the canonical user id S3 bucket policies grant. */
export interface SimOriginAccessIdentity extends SimConfigured<CloudFrontOriginAccessIdentityConfig> {
  readonly s3CanonicalUserId: string;
}

/** One stage of a CloudFront Function: its configuration and code as of its last update (or publish). */
export interface SimFunctionStage {
  readonly config: FunctionConfig;
  readonly code: Uint8Array;
  readonly etag: string;
  readonly lastModified: Date;
}

/** A CloudFront Function: always a DEVELOPMENT stage, a LIVE one once published. */
export interface SimCloudFrontFunction {
  readonly name: string;
  readonly arn: string;
  readonly created: Date;
  development: SimFunctionStage;
  live?: SimFunctionStage;
}

/** A CloudFront stage name. */
export type StageName = 'DEVELOPMENT' | 'LIVE';

/** Everything CloudFront holds for the account. Global: it answers the same in every region. */
export class CloudFrontState {
  readonly accountId: string;
  readonly random: SeededRandom;
  readonly distributions = new Map<string, SimDistribution>();
  readonly cachePolicies = new Map<string, SimPolicy<CachePolicyConfig>>();
  readonly originRequestPolicies = new Map<string, SimPolicy<OriginRequestPolicyConfig>>();
  readonly responseHeadersPolicies = new Map<string, SimPolicy<ResponseHeadersPolicyConfig>>();
  readonly functions = new Map<string, SimCloudFrontFunction>();
  readonly originAccessControls = new Map<string, SimConfigured<OriginAccessControlConfig>>();
  readonly keyGroups = new Map<string, SimConfigured<KeyGroupConfig>>();
  readonly publicKeys = new Map<string, SimConfigured<PublicKeyConfig>>();
  readonly originAccessIdentities = new Map<string, SimOriginAccessIdentity>();

  constructor(accountId: string, random: SeededRandom) {
    this.accountId = accountId;
    this.random = random;
  }

  /** `arn:aws:cloudfront::<account>:<resourceType>/<id>` */
  arn(resourceType: string, id: string): string {
    return `arn:aws:cloudfront::${this.accountId}:${resourceType}/${id}`;
  }

  /** A fresh id or ETag: the prefix and 13 upper-case letters and digits (`E2QWRUHEXAMPLE`). */
  newId(prefix = 'E'): string {
    return prefix + this.random.chars(13, ID_ALPHABET);
  }

  /** The distribution, or an error naming it (for the change methods; the API answers `NoSuchDistribution`). */
  distribution(id: string): SimDistribution {
    const distribution = this.distributions.get(id);
    if (!distribution) throw new Error(`no CloudFront distribution ${id} in the simulated account`);
    return distribution;
  }

  /** The distribution with this ARN, or `undefined`. */
  distributionByArn(arn: string | undefined): SimDistribution | undefined {
    return [...this.distributions.values()].find((distribution) => distribution.arn === arn);
  }

  /** The alternate domain names of every distribution but `id`: each can serve only one distribution. */
  aliasesElsewhere(id: string): Set<string> {
    return new Set(
      [...this.distributions.values()]
        .filter((distribution) => distribution.id !== id)
        .flatMap((distribution) => distribution.config.Aliases?.Items ?? []),
    );
  }

  /** Replaces a distribution's configuration: a new ETag, and `LastModifiedTime` moves to `at`. */
  reconfigure(distribution: SimDistribution, config: DistributionConfig, at: Date): void {
    distribution.config = config;
    distribution.etag = this.newId();
    distribution.lastModified = at;
  }

  /** Adds or replaces tags by key; the ETag and `LastModifiedTime` do not move, as in CloudFront. */
  tag(distribution: SimDistribution, tags: readonly Tag[]): void {
    const keys = new Set(tags.map((tag) => tag.Key));
    distribution.tags = [
      ...distribution.tags.filter((tag) => !keys.has(tag.Key)),
      ...tags.map((tag) => ({ ...tag })),
    ];
  }

  /** Removes the tags with these keys (keys it does not have are ignored). */
  untag(distribution: SimDistribution, keys: readonly string[]): void {
    distribution.tags = distribution.tags.filter((tag) => tag.Key === undefined || !keys.includes(tag.Key));
  }

  /** The stage of a function, `undefined` when it has none (LIVE before the first publish). */
  stage(fn: SimCloudFrontFunction, stage: StageName): SimFunctionStage | undefined {
    return stage === 'LIVE' ? fn.live : fn.development;
  }
}
