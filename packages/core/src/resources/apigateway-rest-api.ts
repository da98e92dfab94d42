import {
  type APIGatewayClient,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetExportCommand,
  GetGatewayResponsesCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, Json, JsonObject, ListedResource } from '../types/resource.js';
import { apiGatewayRestApiRestore } from './apigateway-rest-api-restore.js';
import {
  APIGATEWAY_EVENT_SOURCE,
  APIGATEWAY_READ,
  allV1,
  created,
  exportBlobName,
  requestOrTagged,
} from './apigateway-shared.js';
import { apiGatewayService } from './services.js';
import { isJsonObject, keyedBy, keyedFields, parsePolicy, pick, toJson } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::ApiGateway::RestApi';

/** The REST API a v1 call names: `restApiId` (path parameter), else the id in a tagged resource's ARN. */
export const restApiFromRecord = requestOrTagged('restApiId', 'restapis');

/** A new REST API's id, from `responseElements.id` of `CreateRestApi` / `ImportRestApi`. */
const newRestApi = created(restApiFromRecord);

/** CloudTrail events that change a REST API or anything under it, each naming it by `restApiId`. */
const REST_API_EVENTS = [
  'PutRestApi',
  'UpdateRestApi',
  'DeleteRestApi',
  'CreateResource',
  'UpdateResource',
  'DeleteResource',
  'PutMethod',
  'UpdateMethod',
  'DeleteMethod',
  'PutMethodResponse',
  'UpdateMethodResponse',
  'DeleteMethodResponse',
  'PutIntegration',
  'UpdateIntegration',
  'DeleteIntegration',
  'PutIntegrationResponse',
  'UpdateIntegrationResponse',
  'DeleteIntegrationResponse',
  'CreateDeployment',
  'UpdateDeployment',
  'DeleteDeployment',
  'CreateStage',
  'UpdateStage',
  'DeleteStage',
  'CreateAuthorizer',
  'UpdateAuthorizer',
  'DeleteAuthorizer',
  'CreateModel',
  'UpdateModel',
  'DeleteModel',
  'CreateRequestValidator',
  'UpdateRequestValidator',
  'DeleteRequestValidator',
  'PutGatewayResponse',
  'UpdateGatewayResponse',
  'DeleteGatewayResponse',
  'TagResource',
  'UntagResource',
] as const;

/** The fields of `GetRestApi` kept (all of them but the SDK's metadata). */
const REST_API_FIELDS = [
  'id',
  'name',
  'description',
  'createdDate',
  'version',
  'warnings',
  'binaryMediaTypes',
  'minimumCompressionSize',
  'apiKeySource',
  'endpointConfiguration',
  'policy',
  'tags',
  'disableExecuteApiEndpoint',
  'rootResourceId',
  'apiStatus',
  'apiStatusMessage',
  'securityPolicy',
  'endpointAccessMode',
] as const;

async function* listRestApis(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(apiGatewayService, region);
  const apis = await allV1(ctx, apiGatewayService, (position) =>
    client.send(new GetRestApisCommand({ position, limit: 500 })),
  );
  for (const api of apis) if (api.id) yield { id: api.id };
}

/** One sub-read of a REST API: the document field it fills and the call that reads it. */
interface RestApiPart {
  readonly field: string;
  readonly read: (client: APIGatewayClient, ctx: CaptureContext, restApiId: string) => Promise<Json>;
}

const asJson = (value: unknown): Json => toJson(value) ?? null;

const REST_API_PARTS: readonly RestApiPart[] = [
  {
    field: 'Resources',
    read: async (client, ctx, restApiId) =>
      asJson(
        await allV1(ctx, apiGatewayService, (position) =>
          client.send(new GetResourcesCommand({ restApiId, position, limit: 500, embed: ['methods'] })),
        ),
      ),
  },
  {
    field: 'Deployments',
    read: async (client, ctx, restApiId) =>
      asJson(
        await allV1(ctx, apiGatewayService, (position) =>
          client.send(new GetDeploymentsCommand({ restApiId, position, limit: 500 })),
        ),
      ),
  },
  {
    field: 'Authorizers',
    read: async (client, ctx, restApiId) =>
      asJson(
        await allV1(ctx, apiGatewayService, (position) =>
          client.send(new GetAuthorizersCommand({ restApiId, position, limit: 500 })),
        ),
      ),
  },
  {
    field: 'RequestValidators',
    read: async (client, ctx, restApiId) =>
      asJson(
        await allV1(ctx, apiGatewayService, (position) =>
          client.send(new GetRequestValidatorsCommand({ restApiId, position, limit: 500 })),
        ),
      ),
  },
  {
    // Only the responses changed from API Gateway's defaults: the defaults are the same for every API.
    field: 'GatewayResponses',
    read: async (client, ctx, restApiId) => {
      const responses = await allV1(ctx, apiGatewayService, (position) =>
        client.send(new GetGatewayResponsesCommand({ restApiId, position, limit: 500 })),
      );
      return asJson(responses.filter((response) => response.defaultResponse !== true));
    },
  },
  {
    field: 'Models',
    read: async (client, ctx, restApiId) =>
      asJson(
        await allV1(ctx, apiGatewayService, (position) =>
          client.send(new GetModelsCommand({ restApiId, position, limit: 500 })),
        ),
      ),
  },
];

/**
 * Stores each stage's OpenAPI 3 export with API Gateway extensions (`GetExport`, `oas30`, `apigateway`) as the blob
 * `openapi/<stage>`: the definition the stage serves, its deployment's resources, methods and integrations.
 */
async function storeExports(
  ctx: CaptureContext,
  client: APIGatewayClient,
  spec: { type: string; region: string; id: string },
  stages: readonly Stage[],
): Promise<{ blobs: Record<string, string>; gaps: Gap[] }> {
  const blobs: Record<string, string> = {};
  const gaps: Gap[] = [];
  for (const stage of stages) {
    if (!stage.stageName) continue;
    const stageName = stage.stageName;
    const exported = await readPart({ ...spec, operation: APIGATEWAY_READ }, () =>
      ctx.limit(apiGatewayService)(() =>
        client.send(
          new GetExportCommand({
            restApiId: spec.id,
            stageName,
            exportType: 'oas30',
            accepts: 'application/json',
            parameters: { extensions: 'apigateway' },
          }),
        ),
      ),
    );
    if (exported.state === 'gap') gaps.push(exported.gap);
    if (exported.state === 'ok' && exported.value.body) {
      blobs[exportBlobName(stageName)] = (await ctx.content.putBytes(exported.value.body)).hash;
    }
  }
  return { blobs, gaps };
}

async function describeRestApi(ctx: CaptureContext, restApiId: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: restApiId };
  const operation = { ...spec, operation: APIGATEWAY_READ };
  const client = ctx.client(apiGatewayService, region);
  const limit = ctx.limit(apiGatewayService);

  const api = await readPart(operation, () => limit(() => client.send(new GetRestApiCommand({ restApiId }))));
  if (api.state === 'not-found' || api.state === 'absent') return { status: 'not-found' };
  if (api.state === 'gap') return { status: 'gap', gap: api.gap };

  const [stages, ...parts] = await Promise.all([
    readPart(operation, () => limit(() => client.send(new GetStagesCommand({ restApiId })))),
    ...REST_API_PARTS.map((part) => readPart(operation, () => part.read(client, ctx, restApiId))),
  ]);
  if (stages.state === 'not-found' || parts.some((part) => part.state === 'not-found')) {
    return { status: 'not-found' };
  }
  const exports = await storeExports(
    ctx,
    client,
    spec,
    stages.state === 'ok' ? (stages.value.item ?? []) : [],
  );

  const gaps: Gap[] = [...exports.gaps];
  for (const outcome of [stages, ...parts]) if (outcome.state === 'gap') gaps.push(outcome.gap);
  const raw: JsonObject = {
    RestApi: pick(api.value, REST_API_FIELDS),
    Stages: partValue(stages, (output) => asJson(output.item ?? [])),
  };
  REST_API_PARTS.forEach((part, index) => {
    const outcome = parts[index];
    if (outcome) raw[part.field] = partValue(outcome, (value) => value);
  });
  return {
    status: 'found',
    raw,
    ...(Object.keys(exports.blobs).length > 0 ? { blobs: exports.blobs } : {}),
    ...(gaps.length > 0 ? { gaps } : {}),
  };
}

/**
 * A resource policy as `GetRestApi` returns it: JSON whose quotes API Gateway escapes (`{\"Version\":…}`), parsed;
 * kept as it is when it is no JSON either way.
 */
export function parseRestApiPolicy(value: Json | undefined): Json | undefined {
  const parsed = parsePolicy(value);
  if (typeof parsed !== 'string') return parsed;
  const unescaped = parsePolicy(parsed.replaceAll('\\"', '"'));
  return typeof unescaped === 'string' ? parsed : unescaped;
}

/** Models keyed by name, each schema parsed from its JSON string. */
function normaliseModels(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const models = value.map((model) =>
    isJsonObject(model) && typeof model.schema === 'string'
      ? { ...model, schema: parsePolicy(model.schema) ?? null }
      : model,
  );
  return keyedBy(models, 'name');
}

/**
 * `AWS::ApiGateway::RestApi`: a REST API (`GetRestApi`: name, description, endpoint configuration, resource policy,
 * binary media types, minimum compression size, API key source, `disableExecuteApiEndpoint`, tags), its resources
 * with their methods and integrations (`GetResources` with `embed=methods`), stages (variables, method settings,
 * tracing, cache, access logs, deployment, tags), deployments, authorizers, request validators, the gateway
 * responses changed from the defaults, and models; plus each stage's OpenAPI 3 export with API Gateway extensions
 * as the blob `openapi/<stage>`. Identifier: the REST API id.
 *
 * Resources are kept in the document even though each stage's export holds them too: the export is the deployed
 * definition, the resources are the working one, and a `PutMethod` not yet deployed changes only the latter.
 *
 * Volatile: `Stages.*.lastUpdatedDate`, which moves with every stage update whose other fields are all kept.
 */
export const apiGatewayRestApi: ResourceDefinition = {
  type: TYPE,
  service: apiGatewayService,
  eventSource: APIGATEWAY_EVENT_SOURCE,
  scope: 'regional',
  listOperation: APIGATEWAY_READ,
  permissions: [APIGATEWAY_READ],
  volatile: ['Stages.*.lastUpdatedDate'],
  secrets: [],
  events: {
    CreateRestApi: newRestApi,
    ImportRestApi: newRestApi,
    ...Object.fromEntries(REST_API_EVENTS.map((name) => [name, restApiFromRecord])),
  },
  list: listRestApis,
  describe: (ctx, id, region) => describeRestApi(ctx, id, region),
  normalise(raw) {
    const normalised = keyedFields(raw, {
      Resources: 'path',
      Stages: 'stageName',
      Deployments: 'id',
      Authorizers: 'id',
      RequestValidators: 'id',
      GatewayResponses: 'responseType',
    });
    if (isJsonObject(raw.RestApi)) {
      const policy = parseRestApiPolicy(raw.RestApi.policy);
      normalised.RestApi = { ...raw.RestApi, ...(policy === undefined ? {} : { policy }) };
    }
    const models = normaliseModels(raw.Models);
    if (models !== undefined) normalised.Models = models;
    return normalised;
  },
  restore: apiGatewayRestApiRestore,
};
