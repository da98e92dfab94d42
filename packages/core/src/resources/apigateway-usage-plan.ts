import {
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import {
  APIGATEWAY_EVENT_SOURCE,
  APIGATEWAY_READ,
  allV1,
  created,
  requestOrTagged,
} from './apigateway-shared.js';
import { apiGatewayService } from './services.js';
import { keyedFields, pick, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::ApiGateway::UsagePlan';

/** The usage plan a call names: `usagePlanId`, else the id in a tagged resource's ARN (`/usageplans/<id>`). */
export const usagePlanFromRecord = requestOrTagged('usagePlanId', 'usageplans');

/** CloudTrail events that change a usage plan or the keys it holds. */
const USAGE_PLAN_EVENTS = [
  'UpdateUsagePlan',
  'DeleteUsagePlan',
  'CreateUsagePlanKey',
  'DeleteUsagePlanKey',
  'TagResource',
  'UntagResource',
] as const;

const PLAN_FIELDS = [
  'id',
  'name',
  'description',
  'apiStages',
  'throttle',
  'quota',
  'productCode',
  'tags',
] as const;

async function* listUsagePlans(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(apiGatewayService, region);
  const plans = await allV1(ctx, apiGatewayService, (position) =>
    client.send(new GetUsagePlansCommand({ position, limit: 500 })),
  );
  for (const plan of plans) if (plan.id) yield { id: plan.id };
}

async function describeUsagePlan(
  ctx: CaptureContext,
  usagePlanId: string,
  region: string,
): Promise<Described> {
  const operation = { type: TYPE, region, id: usagePlanId, operation: APIGATEWAY_READ };
  const client = ctx.client(apiGatewayService, region);
  const limit = ctx.limit(apiGatewayService);

  const plan = await readPart(operation, () =>
    limit(() => client.send(new GetUsagePlanCommand({ usagePlanId }))),
  );
  if (plan.state === 'not-found' || plan.state === 'absent') return { status: 'not-found' };
  if (plan.state === 'gap') return { status: 'gap', gap: plan.gap };

  const keys = await readPart(operation, () =>
    allV1(ctx, apiGatewayService, (position) =>
      client.send(new GetUsagePlanKeysCommand({ usagePlanId, position, limit: 500 })),
    ),
  );
  if (keys.state === 'not-found') return { status: 'not-found' };
  const raw: JsonObject = {
    UsagePlan: pick(plan.value, PLAN_FIELDS),
    // `GetUsagePlanKeys` returns each key's value: a secret, never kept.
    Keys: partValue(keys, (items) => items.map(({ value: _secret, ...key }) => toJsonObject(key))),
  };
  return { status: 'found', raw, ...(keys.state === 'gap' ? { gaps: [keys.gap] } : {}) };
}

/**
 * `AWS::ApiGateway::UsagePlan`: a usage plan (`GetUsagePlan`: the API stages it covers with their per-method
 * throttles, throttle, quota, tags) and the API keys in it (`GetUsagePlanKeys`: id, type and name; never the key
 * value the call also returns). Identifier: the usage plan id.
 */
export const apiGatewayUsagePlan: ResourceDefinition = {
  type: TYPE,
  service: apiGatewayService,
  eventSource: APIGATEWAY_EVENT_SOURCE,
  scope: 'regional',
  listOperation: APIGATEWAY_READ,
  permissions: [APIGATEWAY_READ],
  volatile: [],
  secrets: [],
  events: {
    CreateUsagePlan: created(usagePlanFromRecord),
    ...Object.fromEntries(USAGE_PLAN_EVENTS.map((name) => [name, usagePlanFromRecord])),
  },
  list: listUsagePlans,
  describe: (ctx, id, region) => describeUsagePlan(ctx, id, region),
  normalise: (raw) => keyedFields(raw, { Keys: 'id' }),
};
