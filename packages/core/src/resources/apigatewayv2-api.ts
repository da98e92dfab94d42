import {
  type ApiGatewayV2Client,
  GetApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, Json, JsonObject, ListedResource } from '../types/resource.js';
import {
  APIGATEWAY_EVENT_SOURCE,
  APIGATEWAY_READ,
  allV2,
  created,
  requestOrTagged,
} from './apigateway-shared.js';
import { apiGatewayService, apiGatewayV2Service } from './services.js';
import { keyedFields, pick, toJson } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::ApiGatewayV2::Api';

/** The HTTP or WebSocket API a v2 call names: `apiId`, else the id in a tagged resource's ARN (`/apis/<id>`). */
export const apiFromRecord = requestOrTagged('apiId', 'apis');

/** A new API's id, from `responseElements.apiId` of `CreateApi` / `ImportApi`. */
const newApi = created(apiFromRecord, 'apiId');

/** CloudTrail events that change an HTTP or WebSocket API or anything under it, each naming it by `apiId`. */
const API_EVENTS = [
  'ReimportApi',
  'UpdateApi',
  'DeleteApi',
  'DeleteCorsConfiguration',
  'CreateRoute',
  'UpdateRoute',
  'DeleteRoute',
  'CreateIntegration',
  'UpdateIntegration',
  'DeleteIntegration',
  'CreateAuthorizer',
  'UpdateAuthorizer',
  'DeleteAuthorizer',
  'CreateStage',
  'UpdateStage',
  'DeleteStage',
  'CreateDeployment',
  'UpdateDeployment',
  'DeleteDeployment',
  'TagResource',
  'UntagResource',
] as const;

const API_FIELDS = [
  'ApiId',
  'Name',
  'Description',
  'ProtocolType',
  'RouteSelectionExpression',
  'ApiKeySelectionExpression',
  'ApiEndpoint',
  'ApiGatewayManaged',
  'CorsConfiguration',
  'CreatedDate',
  'DisableSchemaValidation',
  'DisableExecuteApiEndpoint',
  'ImportInfo',
  'IpAddressType',
  'Tags',
  'Version',
  'Warnings',
] as const;

async function* listApis(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(apiGatewayV2Service, region);
  const apis = await allV2(ctx, apiGatewayV2Service, (NextToken) =>
    client.send(new GetApisCommand({ NextToken, MaxResults: '500' })),
  );
  for (const api of apis) if (api.ApiId) yield { id: api.ApiId };
}

/** One paged listing under an API: the document field it fills and its page call. */
interface ApiPart {
  readonly field: string;
  /** The field each item is keyed by in the normalised document. */
  readonly key: string;
  readonly page: (
    client: ApiGatewayV2Client,
    ApiId: string,
    NextToken: string | undefined,
  ) => Promise<{ Items?: object[] | undefined; NextToken?: string | undefined }>;
}

const API_PARTS: readonly ApiPart[] = [
  {
    field: 'Routes',
    key: 'RouteKey',
    page: (client, ApiId, NextToken) => client.send(new GetRoutesCommand({ ApiId, NextToken })),
  },
  {
    field: 'Integrations',
    key: 'IntegrationId',
    page: (client, ApiId, NextToken) => client.send(new GetIntegrationsCommand({ ApiId, NextToken })),
  },
  {
    field: 'Authorizers',
    key: 'AuthorizerId',
    page: (client, ApiId, NextToken) => client.send(new GetAuthorizersCommand({ ApiId, NextToken })),
  },
  {
    field: 'Stages',
    key: 'StageName',
    page: (client, ApiId, NextToken) => client.send(new GetStagesCommand({ ApiId, NextToken })),
  },
  {
    field: 'Deployments',
    key: 'DeploymentId',
    page: (client, ApiId, NextToken) => client.send(new GetDeploymentsCommand({ ApiId, NextToken })),
  },
];

async function describeApi(ctx: CaptureContext, apiId: string, region: string): Promise<Described> {
  const operation = { type: TYPE, region, id: apiId, operation: APIGATEWAY_READ };
  const client = ctx.client(apiGatewayV2Service, region);
  const limit = ctx.limit(apiGatewayV2Service);

  const api = await readPart(operation, () => limit(() => client.send(new GetApiCommand({ ApiId: apiId }))));
  if (api.state === 'not-found' || api.state === 'absent') return { status: 'not-found' };
  if (api.state === 'gap') return { status: 'gap', gap: api.gap };

  const parts = await Promise.all(
    API_PARTS.map((part) =>
      readPart(operation, () => allV2(ctx, apiGatewayV2Service, (token) => part.page(client, apiId, token))),
    ),
  );
  if (parts.some((part) => part.state === 'not-found')) return { status: 'not-found' };

  const gaps: Gap[] = [];
  const raw: JsonObject = { Api: pick(api.value, API_FIELDS) };
  API_PARTS.forEach((part, index) => {
    const outcome = parts[index];
    if (!outcome) return;
    if (outcome.state === 'gap') gaps.push(outcome.gap);
    raw[part.field] = partValue(outcome, (items): Json => toJson(items) ?? []);
  });
  return { status: 'found', raw, ...(gaps.length > 0 ? { gaps } : {}) };
}

/**
 * `AWS::ApiGatewayV2::Api`: an HTTP or WebSocket API (`GetApi`: protocol, route selection expression, CORS,
 * endpoint, tags) with its routes, integrations, authorizers, stages (auto deploy, stage variables, default and
 * per-route settings, access logs, tags) and deployments. Identifier: the API id.
 *
 * Declared with API Gateway's service and event source (v1 and v2 calls alike are `apigateway.amazonaws.com` in
 * CloudTrail and `apigateway:*` in IAM); it reads through the v2 client and its rate limit.
 *
 * Volatile: `Stages.*.LastUpdatedDate`, which moves with every update of a stage whose other fields are all kept.
 */
export const apiGatewayV2Api: ResourceDefinition = {
  type: TYPE,
  service: apiGatewayService,
  eventSource: APIGATEWAY_EVENT_SOURCE,
  scope: 'regional',
  listOperation: APIGATEWAY_READ,
  permissions: [APIGATEWAY_READ],
  volatile: ['Stages.*.LastUpdatedDate'],
  secrets: [],
  events: {
    CreateApi: newApi,
    ImportApi: newApi,
    ...Object.fromEntries(API_EVENTS.map((name) => [name, apiFromRecord])),
  },
  list: listApis,
  describe: (ctx, id, region) => describeApi(ctx, id, region),
  normalise: (raw) => keyedFields(raw, Object.fromEntries(API_PARTS.map((part) => [part.field, part.key]))),
};
