import type {
  ActiveTrustedKeyGroups,
  Distribution,
  DistributionConfig,
  DistributionSummary,
  FunctionSummary,
} from '@aws-sdk/client-cloudfront';
import type {
  CloudFrontState,
  SimCloudFrontFunction,
  SimDistribution,
  SimFunctionStage,
  StageName,
} from './model.js';

/** How long a change takes to reach every edge location (a distribution `InProgress`, an invalidation running). */
const PROPAGATION_MS = 5 * 60_000;

/** `InProgress` until a change has propagated, then `Deployed`. */
function distributionStatus(distribution: SimDistribution, now: Date): 'Deployed' | 'InProgress' {
  return now.getTime() < distribution.lastModified.getTime() + PROPAGATION_MS ? 'InProgress' : 'Deployed';
}

/** Invalidations still running. */
function invalidationsInProgress(distribution: SimDistribution, now: Date): number {
  return distribution.invalidations.filter(
    (invalidation) => now.getTime() < invalidation.createTime.getTime() + PROPAGATION_MS,
  ).length;
}

/** Every cache behaviour of a configuration, the default one first. */
function behaviours(config: DistributionConfig) {
  return [config.DefaultCacheBehavior, ...(config.CacheBehaviors?.Items ?? [])];
}

/** The key groups that verify signed URLs on the distribution, with the ids of their public keys. */
function activeKeyGroups(state: CloudFrontState, config: DistributionConfig): ActiveTrustedKeyGroups {
  const ids = new Set(
    behaviours(config).flatMap((behaviour) =>
      behaviour?.TrustedKeyGroups?.Enabled ? (behaviour.TrustedKeyGroups.Items ?? []) : [],
    ),
  );
  const items = [...ids].map((id) => {
    const keys = state.keyGroups.get(id)?.config.Items ?? [];
    return { KeyGroupId: id, KeyPairIds: { Quantity: keys.length, Items: [...keys] } };
  });
  return items.length > 0
    ? { Enabled: true, Quantity: items.length, Items: items }
    : { Enabled: false, Quantity: 0 };
}

/** A distribution as `GetDistribution` answers it (a copy: callers may keep it). */
export function distributionView(
  state: CloudFrontState,
  distribution: SimDistribution,
  now: Date,
): Distribution {
  return {
    Id: distribution.id,
    ARN: distribution.arn,
    Status: distributionStatus(distribution, now),
    LastModifiedTime: distribution.lastModified,
    InProgressInvalidationBatches: invalidationsInProgress(distribution, now),
    DomainName: distribution.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: activeKeyGroups(state, distribution.config),
    DistributionConfig: structuredClone(distribution.config),
  };
}

/** A distribution as `ListDistributions` lists it. */
export function distributionSummary(distribution: SimDistribution, now: Date): DistributionSummary {
  const config = structuredClone(distribution.config);
  return {
    Id: distribution.id,
    ARN: distribution.arn,
    ETag: distribution.etag,
    Status: distributionStatus(distribution, now),
    LastModifiedTime: distribution.lastModified,
    DomainName: distribution.domainName,
    Aliases: config.Aliases ?? { Quantity: 0 },
    Origins: config.Origins,
    OriginGroups: config.OriginGroups,
    DefaultCacheBehavior: config.DefaultCacheBehavior,
    CacheBehaviors: config.CacheBehaviors ?? { Quantity: 0 },
    CustomErrorResponses: config.CustomErrorResponses ?? { Quantity: 0 },
    Comment: config.Comment,
    PriceClass: config.PriceClass,
    Enabled: config.Enabled,
    ViewerCertificate: config.ViewerCertificate,
    Restrictions: config.Restrictions,
    WebACLId: config.WebACLId ?? '',
    HttpVersion: config.HttpVersion,
    IsIPV6Enabled: config.IsIPV6Enabled,
    Staging: config.Staging ?? false,
  };
}

/**
 * A function's status: `UNPUBLISHED` before its first publish, `DEPLOYED` while a cache behaviour associates its
 * LIVE stage, `UNASSOCIATED` otherwise.
 */
function functionStatus(state: CloudFrontState, fn: SimCloudFrontFunction): string {
  if (!fn.live) return 'UNPUBLISHED';
  const associated = [...state.distributions.values()].some((distribution) =>
    behaviours(distribution.config).some((behaviour) =>
      behaviour?.FunctionAssociations?.Items?.some((association) => association.FunctionARN === fn.arn),
    ),
  );
  return associated ? 'DEPLOYED' : 'UNASSOCIATED';
}

/** One stage of a function as `DescribeFunction` and `ListFunctions` answer it. */
export function functionSummary(
  state: CloudFrontState,
  fn: SimCloudFrontFunction,
  stageName: StageName,
  stage: SimFunctionStage,
): FunctionSummary {
  return {
    Name: fn.name,
    Status: functionStatus(state, fn),
    FunctionConfig: structuredClone(stage.config),
    FunctionMetadata: {
      FunctionARN: fn.arn,
      Stage: stageName,
      CreatedTime: fn.created,
      LastModifiedTime: stage.lastModified,
    },
  };
}
