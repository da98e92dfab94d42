import { GetApiKeyCommand, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, ListedResource } from '../types/resource.js';
import {
  APIGATEWAY_EVENT_SOURCE,
  APIGATEWAY_READ,
  allV1,
  created,
  requestOrTagged,
} from './apigateway-shared.js';
import { apiGatewayService } from './services.js';
import { pick } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::ApiGateway::ApiKey';

/** The API key a call names: `apiKey` (its id), else the id in a tagged resource's ARN (`/apikeys/<id>`). */
export const apiKeyFromRecord = requestOrTagged('apiKey', 'apikeys');

/** CloudTrail events that change an API key. */
const API_KEY_EVENTS = ['UpdateApiKey', 'DeleteApiKey', 'TagResource', 'UntagResource'] as const;

/** Every field of `GetApiKey` but `value`, which is never asked for (`includeValue: false`) nor kept. */
const KEY_FIELDS = [
  'id',
  'name',
  'customerId',
  'description',
  'enabled',
  'createdDate',
  'lastUpdatedDate',
  'stageKeys',
  'tags',
] as const;

async function* listApiKeys(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(apiGatewayService, region);
  const keys = await allV1(ctx, apiGatewayService, (position) =>
    client.send(new GetApiKeysCommand({ position, limit: 500, includeValues: false })),
  );
  for (const key of keys) if (key.id) yield { id: key.id };
}

async function describeApiKey(ctx: CaptureContext, apiKey: string, region: string): Promise<Described> {
  const client = ctx.client(apiGatewayService, region);
  const key = await readPart({ type: TYPE, region, id: apiKey, operation: APIGATEWAY_READ }, () =>
    ctx.limit(apiGatewayService)(() => client.send(new GetApiKeyCommand({ apiKey, includeValue: false }))),
  );
  if (key.state === 'not-found' || key.state === 'absent') return { status: 'not-found' };
  if (key.state === 'gap') return { status: 'gap', gap: key.gap };
  return { status: 'found', raw: { ApiKey: pick(key.value, KEY_FIELDS) } };
}

/**
 * `AWS::ApiGateway::ApiKey`: an API key's name, customer id, description, whether it is enabled, the stages it
 * opens (`stageKeys`), dates and tags; never its value (`includeValue: false`). The usage plans holding it list it
 * in their own documents. Identifier: the key id.
 */
export const apiGatewayApiKey: ResourceDefinition = {
  type: TYPE,
  service: apiGatewayService,
  eventSource: APIGATEWAY_EVENT_SOURCE,
  scope: 'regional',
  listOperation: APIGATEWAY_READ,
  permissions: [APIGATEWAY_READ],
  volatile: [],
  secrets: [],
  events: {
    CreateApiKey: created(apiKeyFromRecord),
    ...Object.fromEntries(API_KEY_EVENTS.map((name) => [name, apiKeyFromRecord])),
  },
  list: listApiKeys,
  describe: (ctx, id, region) => describeApiKey(ctx, id, region),
  normalise: (raw) => ({ ...raw }),
};
