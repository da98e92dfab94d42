import {
  GetHealthCheckCommand,
  ListTagsForResourceCommand,
  paginateListHealthChecks,
} from '@aws-sdk/client-route-53';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { idAt, ROUTE53_EVENT_SOURCE, taggedResource } from './route53-shared.js';
import { route53Service } from './services.js';
import { isJsonObject, limitedPages, tagsAsMap, toJson, toJsonObject } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::Route53::HealthCheck';

const checkInRequest = idAt('requestParameters', 'healthCheckId');

/** CloudTrail events that change a health check, each with where its record names it. */
const HEALTH_CHECK_EVENTS: Readonly<Record<string, IdExtractor>> = {
  CreateHealthCheck: idAt('responseElements', 'healthCheck', 'id'),
  UpdateHealthCheck: checkInRequest,
  DeleteHealthCheck: checkInRequest,
  ChangeTagsForResource: taggedResource('healthcheck'),
};

/** Lists in a health check's configuration whose order means nothing, sorted so a reorder is no change. */
const UNORDERED_LISTS = ['Regions', 'ChildHealthChecks'] as const;

async function* listHealthChecks(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(route53Service, region);
  for await (const page of limitedPages(
    ctx.limit(route53Service),
    paginateListHealthChecks({ client }, {}),
  )) {
    for (const check of page.HealthChecks ?? []) if (check.Id) yield { id: check.Id };
  }
}

async function describeHealthCheck(ctx: CaptureContext, id: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id };
  const client = ctx.client(route53Service, region);
  const limit = ctx.limit(route53Service);
  const [check, tags] = await Promise.all([
    readPart({ ...spec, operation: 'route53:GetHealthCheck' }, () =>
      limit(() => client.send(new GetHealthCheckCommand({ HealthCheckId: id }))),
    ),
    readPart({ ...spec, operation: 'route53:ListTagsForResource' }, () =>
      limit(() =>
        client.send(new ListTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: id })),
      ),
    ),
  ]);
  if (check.state === 'not-found' || check.state === 'absent' || tags.state === 'not-found') {
    return { status: 'not-found' };
  }
  if (check.state === 'gap') return { status: 'gap', gap: check.gap };
  const raw: JsonObject = {
    HealthCheck: toJsonObject(check.value.HealthCheck ?? {}),
    Tags: partValue(tags, (output) => toJson(output.ResourceTagSet?.Tags ?? []) ?? []),
  };
  return { status: 'found', raw, ...(tags.state === 'gap' ? { gaps: [tags.gap] } : {}) };
}

/** The configuration with its unordered lists sorted. */
function sortedConfig(config: JsonObject): JsonObject {
  const sorted: JsonObject = { ...config };
  for (const name of UNORDERED_LISTS) {
    const list = config[name];
    if (Array.isArray(list)) sorted[name] = [...list].sort();
  }
  return sorted;
}

/**
 * `AWS::Route53::HealthCheck`: a health check's configuration (type, endpoint, path, interval, threshold, regions,
 * inversion, alarm, child checks…), its CloudWatch alarm configuration and tags. Identifier: the health check id.
 */
export const route53HealthCheck: ResourceDefinition = {
  type: TYPE,
  service: route53Service,
  eventSource: ROUTE53_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'route53:ListHealthChecks',
  permissions: ['route53:ListHealthChecks', 'route53:GetHealthCheck', 'route53:ListTagsForResource'],
  // Grows with every update: the configuration itself says what changed.
  volatile: ['HealthCheck.HealthCheckVersion'],
  secrets: [],
  events: HEALTH_CHECK_EVENTS,
  list: listHealthChecks,
  describe: (ctx, id, region) => describeHealthCheck(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const check = raw.HealthCheck;
    if (isJsonObject(check) && isJsonObject(check.HealthCheckConfig)) {
      normalised.HealthCheck = { ...check, HealthCheckConfig: sortedConfig(check.HealthCheckConfig) };
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
};
