import {
  GetDistributionCommand,
  ListTagsForResourceCommand,
  paginateListDistributions,
} from '@aws-sdk/client-cloudfront';
import { partitionOf } from '../aws/partition.js';
import { mapPath } from '../canonical/paths.js';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, Json, JsonObject, ListedResource } from '../types/resource.js';
import { cloudFrontDistributionRestore } from './cloudfront-distribution-restore.js';
import { CLOUDFRONT_EVENT_SOURCE, cloudFrontIds, eventsNaming } from './cloudfront-shared.js';
import { cloudFrontService } from './services.js';
import { keyedBy, limitedPages, tagsAsMap, toJson, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::CloudFront::Distribution';

/**
 * CloudTrail events (without their `2020_05_31`-style suffixes) that change a distribution. `CreateInvalidation`
 * changes no configuration, but names the distribution it purges: capturing it again finds no change.
 */
const DISTRIBUTION_EVENTS = [
  'CreateDistribution',
  'CreateDistributionWithTags',
  'CopyDistribution',
  'UpdateDistribution',
  'UpdateDistributionWithStagingConfig',
  'DeleteDistribution',
  'AssociateAlias',
  'CreateInvalidation',
  'TagResource',
  'UntagResource',
] as const;

/**
 * The distribution a call names: `requestParameters.id`, `distributionId` (invalidations), `targetDistributionId`
 * (`AssociateAlias`), the new distribution's `responseElements.distribution.id` (creates and copies), or the
 * distribution ARN in `requestParameters.resource` (tagging).
 */
export const distributionFromRecord = cloudFrontIds({
  request: ['id', 'distributionId', 'targetDistributionId'],
  response: ['distribution', 'id'],
  arnType: 'distribution',
});

async function* listDistributions(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(cloudFrontService, region);
  const pages = paginateListDistributions({ client }, {});
  for await (const page of limitedPages(ctx.limit(cloudFrontService), pages)) {
    for (const summary of page.DistributionList?.Items ?? []) {
      // No listing fingerprint: tagging does not move LastModifiedTime, so it would hide a tag change.
      if (summary.Id) yield { id: summary.Id };
    }
  }
}

async function describeDistribution(ctx: CaptureContext, id: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id };
  const client = ctx.client(cloudFrontService, region);
  const limit = ctx.limit(cloudFrontService);

  const read = await readPart({ ...spec, operation: 'cloudfront:GetDistribution' }, () =>
    limit(() => client.send(new GetDistributionCommand({ Id: id }))),
  );
  if (read.state === 'gap') return { status: 'gap', gap: read.gap };
  const distribution = read.state === 'ok' ? read.value.Distribution : undefined;
  if (read.state !== 'ok' || !distribution) return { status: 'not-found' };

  const arn =
    distribution.ARN ?? `arn:${partitionOf(ctx.homeRegion)}:cloudfront::${ctx.account}:distribution/${id}`;
  const tags = await readPart({ ...spec, operation: 'cloudfront:ListTagsForResource' }, () =>
    limit(() => client.send(new ListTagsForResourceCommand({ Resource: arn }))),
  );
  const raw: JsonObject = {
    ...toJsonObject(distribution),
    ...(read.value.ETag === undefined ? {} : { ETag: read.value.ETag }),
    Tags: partValue(tags, (output) => toJson(output.Tags?.Items ?? []) ?? []),
  };
  return {
    status: 'found',
    raw,
    // Kept with the version (outside the compared document): the configuration's ETag when it was captured.
    ...(read.value.ETag === undefined ? {} : { fingerprint: read.value.ETag }),
    ...(tags.state === 'gap' ? { gaps: [tags.gap] } : {}),
  };
}

/** An array of strings in sorted order; other values unchanged. */
function sorted(value: Json): Json {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value].sort() : value;
}

/**
 * `AWS::CloudFront::Distribution`: the whole `DistributionConfig` (origins with their S3, custom origin and origin
 * access control settings, origin groups, default and ordered cache behaviours with their policies and function
 * associations, error responses, aliases, viewer certificate, web ACL, logging, price class…), the distribution's
 * ARN and domain name, and its tags. Identifier: the distribution id (`E2QWRUHEXAMPLE`).
 *
 * The ETag, the deployment `Status`, `LastModifiedTime` and the count of invalidations in progress are volatile:
 * they never make a new version. The ETag is kept with each version as its `fingerprint`, so a restore can tell
 * whether the live configuration is still the captured one before it sends `UpdateDistribution` with `IfMatch`.
 */
export const cloudFrontDistribution: ResourceDefinition = {
  type: TYPE,
  service: cloudFrontService,
  eventSource: CLOUDFRONT_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'cloudfront:ListDistributions',
  permissions: [
    'cloudfront:ListDistributions',
    'cloudfront:GetDistribution',
    'cloudfront:ListTagsForResource',
  ],
  volatile: ['ETag', 'Status', 'LastModifiedTime', 'InProgressInvalidationBatches'],
  secrets: [],
  events: eventsNaming(DISTRIBUTION_EVENTS, distributionFromRecord),
  list: listDistributions,
  describe: (ctx, id, region) => describeDistribution(ctx, id, region),
  restore: cloudFrontDistributionRestore,
  normalise(raw) {
    // Origins and origin groups are found by id, never by position; aliases are a set. Cache behaviours keep
    // their order: it is their precedence.
    let normalised: JsonObject = { ...raw, Tags: tagsAsMap(raw.Tags) ?? null };
    for (const path of ['DistributionConfig.Origins.Items', 'DistributionConfig.OriginGroups.Items']) {
      normalised = mapPath(normalised, path, (items) => keyedBy(items, 'Id') ?? items);
    }
    return mapPath(normalised, 'DistributionConfig.Aliases.Items', sorted);
  },
};
