import {
  APIGatewayClient,
  APIGatewayServiceException,
  BadRequestException,
  ConflictException,
  type GatewayResponse,
  type GatewayResponseType,
  GetApiKeyCommand,
  GetApiKeysCommand,
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
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  LimitExceededException,
  NotFoundException,
  type Resource,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnauthorizedException,
} from '@aws-sdk/client-api-gateway';
import { Uint8ArrayBlobAdapter } from '@smithy/util-stream';
import {
  type CallContext,
  type CallTarget,
  defineOperation,
  type Operation,
  type ServiceProfile,
} from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import { openApiExport } from './export.js';
import type { ApiGatewayModel, SimApiKey, SimRestApi, SimUsagePlan } from './model.js';

/** `limit` of the v1 listings: 25 when left out, at most 500. */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

/** Every read of API Gateway is authorised as `apigateway:GET` on the resource path, not per operation. */
const READ = 'apigateway:GET';

/** The gateway responses every REST API has until one is changed (a few of API Gateway's twenty). */
const DEFAULT_RESPONSES: readonly GatewayResponseType[] = [
  'ACCESS_DENIED',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'THROTTLED',
  'UNAUTHORIZED',
];

/** A REST API resource path: `arn:aws:apigateway:<region>::/restapis/<id>…`. */
export function apiGatewayArn(region: string, path: string): string {
  return `arn:aws:apigateway:${region}::${path}`;
}

/**
 * The API Gateway v1 API (REST APIs, usage plans, API keys) of the simulated account: `position` / `limit`
 * pagination, `NotFoundException` 404, `TooManyRequestsException` 429, `AccessDeniedException` 403, and
 * `apigateway:GET` as the IAM action of every read; `writes` are the calls that change it.
 */
export function apiGatewayProfile(
  model: AccountModel,
  gateway: ApiGatewayModel,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const restApiTarget =
    (suffix = '') =>
    (input: { restApiId?: string | undefined }, call: CallContext): CallTarget => ({
      ids: [input.restApiId ?? ''],
      arn: apiGatewayArn(call.region, `/restapis/${input.restApiId}${suffix}`),
    });
  const api = (input: { restApiId?: string | undefined }, call: CallContext) =>
    findRestApi(gateway, model, input.restApiId ?? '', call);

  return {
    service: 'apigateway',
    exceptions: {
      base: APIGatewayServiceException,
      modeled: {
        BadRequestException,
        ConflictException,
        LimitExceededException,
        NotFoundException,
        ServiceUnavailableException,
        TooManyRequestsException,
        UnauthorizedException,
      },
    },
    client: APIGatewayClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'TooManyRequestsException', status: 429, message: 'Too Many Requests' },
      denied: { code: 'AccessDeniedException', status: 403 },
    }),
    operations: [
      defineOperation(GetRestApisCommand, {
        action: READ,
        target: (_input, call) => ({ ids: [], arn: apiGatewayArn(call.region, '/restapis') }),
        answer: (input, call) => {
          const apis = [...gateway.restApis.values()].filter((item) => item.region === call.region);
          const { page, position } = pageV1(apis, (item) => item.api.id ?? '', input);
          return { items: page.map((item) => structuredClone(item.api)), ...optional('position', position) };
        },
      }),
      defineOperation(GetRestApiCommand, {
        action: READ,
        target: restApiTarget(),
        answer: (input, call) => structuredClone(api(input, call).api),
      }),
      defineOperation(GetResourcesCommand, {
        action: READ,
        target: restApiTarget('/resources'),
        answer: (input, call) => {
          const embedMethods = input.embed?.includes('methods') ?? false;
          const { page, position } = pageV1(api(input, call).resources, (item) => item.id ?? '', input);
          return {
            items: page.map((resource) => (embedMethods ? structuredClone(resource) : methodStubs(resource))),
            ...optional('position', position),
          };
        },
      }),
      defineOperation(GetStagesCommand, {
        action: READ,
        target: restApiTarget('/stages'),
        answer: (input, call) => {
          const stages = api(input, call).stages.filter(
            (stage) => input.deploymentId === undefined || stage.deploymentId === input.deploymentId,
          );
          return { item: structuredClone(stages) };
        },
      }),
      defineOperation(GetDeploymentsCommand, {
        action: READ,
        target: restApiTarget('/deployments'),
        answer: (input, call) => {
          const { page, position } = pageV1(api(input, call).deployments, (item) => item.id ?? '', input);
          return { items: structuredClone(page), ...optional('position', position) };
        },
      }),
      defineOperation(GetAuthorizersCommand, {
        action: READ,
        target: restApiTarget('/authorizers'),
        answer: (input, call) => {
          const { page, position } = pageV1(api(input, call).authorizers, (item) => item.id ?? '', input);
          return { items: structuredClone(page), ...optional('position', position) };
        },
      }),
      defineOperation(GetRequestValidatorsCommand, {
        action: READ,
        target: restApiTarget('/requestvalidators'),
        answer: (input, call) => {
          const { page, position } = pageV1(api(input, call).validators, (item) => item.id ?? '', input);
          return { items: structuredClone(page), ...optional('position', position) };
        },
      }),
      defineOperation(GetGatewayResponsesCommand, {
        action: READ,
        target: restApiTarget('/gatewayresponses'),
        answer: (input, call) => {
          const { page, position } = pageV1(
            gatewayResponses(api(input, call)),
            (item) => item.responseType ?? '',
            input,
          );
          return { items: page, ...optional('position', position) };
        },
      }),
      defineOperation(GetModelsCommand, {
        action: READ,
        target: restApiTarget('/models'),
        answer: (input, call) => {
          const { page, position } = pageV1(api(input, call).models, (item) => item.name ?? '', input);
          return { items: structuredClone(page), ...optional('position', position) };
        },
      }),
      defineOperation(GetExportCommand, {
        action: READ,
        target: (input, call) => ({
          ids: [input.restApiId ?? ''],
          arn: apiGatewayArn(
            call.region,
            `/restapis/${input.restApiId}/stages/${input.stageName}/exports/${input.exportType}`,
          ),
        }),
        answer: (input, call) => {
          const restApi = api(input, call);
          if (input.exportType !== 'oas30' || (input.accepts ?? 'application/json') !== 'application/json') {
            throw new Error(
              `the simulated GetExport answers only exportType oas30 as application/json, not ${input.exportType} as ${input.accepts}`,
            );
          }
          const stage = restApi.stages.find((item) => item.stageName === input.stageName);
          if (!stage) throw fault('NotFoundException', 404, 'Invalid stage identifier specified');
          const resources = restApi.snapshots.get(stage.deploymentId ?? '') ?? [];
          const document = openApiExport(restApi, stage.stageName ?? '', resources);
          return {
            contentType: 'application/json',
            contentDisposition: `attachment; filename="${restApi.api.name}-${stage.stageName}-oas30-apigateway.json"`,
            body: Uint8ArrayBlobAdapter.mutate(new TextEncoder().encode(JSON.stringify(document, null, 2))),
          };
        },
      }),
      defineOperation(GetUsagePlansCommand, {
        action: READ,
        target: (_input, call) => ({ ids: [], arn: apiGatewayArn(call.region, '/usageplans') }),
        answer: (input, call) => {
          const plans = [...gateway.usagePlans.values()].filter(
            (plan) =>
              plan.region === call.region && (input.keyId === undefined || plan.keyIds.includes(input.keyId)),
          );
          const { page, position } = pageV1(plans, (plan) => plan.plan.id ?? '', input);
          return { items: page.map((plan) => structuredClone(plan.plan)), ...optional('position', position) };
        },
      }),
      defineOperation(GetUsagePlanCommand, {
        action: READ,
        target: (input, call) => ({
          ids: [input.usagePlanId ?? ''],
          arn: apiGatewayArn(call.region, `/usageplans/${input.usagePlanId}`),
        }),
        answer: (input, call) => structuredClone(findUsagePlan(gateway, input.usagePlanId ?? '', call).plan),
      }),
      defineOperation(GetUsagePlanKeysCommand, {
        action: READ,
        target: (input, call) => ({
          ids: [input.usagePlanId ?? ''],
          arn: apiGatewayArn(call.region, `/usageplans/${input.usagePlanId}/keys`),
        }),
        answer: (input, call) => {
          const plan = findUsagePlan(gateway, input.usagePlanId ?? '', call);
          const keys = plan.keyIds
            .map((id) => gateway.apiKeys.get(id))
            .filter(
              (key): key is SimApiKey =>
                key !== undefined &&
                (input.nameQuery === undefined || (key.key.name ?? '').startsWith(input.nameQuery)),
            );
          const { page, position } = pageV1(keys, (key) => key.key.id ?? '', input);
          return {
            items: page.map((key) => ({
              id: key.key.id,
              type: 'API_KEY',
              name: key.key.name,
              value: key.key.value,
            })),
            ...optional('position', position),
          };
        },
      }),
      defineOperation(GetApiKeysCommand, {
        action: READ,
        target: (_input, call) => ({ ids: [], arn: apiGatewayArn(call.region, '/apikeys') }),
        answer: (input, call) => {
          const keys = [...gateway.apiKeys.values()].filter(
            (key) =>
              key.region === call.region &&
              (input.nameQuery === undefined || (key.key.name ?? '').startsWith(input.nameQuery)) &&
              (input.customerId === undefined || key.key.customerId === input.customerId),
          );
          const { page, position } = pageV1(keys, (key) => key.key.id ?? '', input);
          return {
            items: page.map((key) => apiKey(key, input.includeValues === true)),
            ...optional('position', position),
          };
        },
      }),
      defineOperation(GetApiKeyCommand, {
        action: READ,
        target: (input, call) => ({
          ids: [input.apiKey ?? ''],
          arn: apiGatewayArn(call.region, `/apikeys/${input.apiKey}`),
        }),
        answer: (input, call) => {
          const key = gateway.apiKeys.get(input.apiKey ?? '');
          if (!key || key.region !== call.region) {
            throw fault('NotFoundException', 404, 'Invalid API Key identifier specified');
          }
          return apiKey(key, input.includeValue === true);
        },
      }),
      ...writes,
    ],
  };
}

/** One page of a v1 listing sorted by `keyOf`: `limit` 1 to 500 (25 by default), continued by `position`. */
function pageV1<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { position?: string | undefined; limit?: number | undefined },
): { readonly page: T[]; readonly position?: string } {
  const limit = input.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw fault('BadRequestException', 400, `Invalid limit specified: must be between 1 and ${MAX_LIMIT}`);
  }
  let after: string | undefined;
  if (input.position !== undefined) {
    after = decodeMarker(input.position);
    if (after === undefined) throw fault('BadRequestException', 400, 'Invalid position parameter');
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const { page, nextKey } = pageAfter(sorted, keyOf, after, limit);
  return nextKey === undefined ? { page } : { page, position: encodeMarker(nextKey) };
}

/** The REST API of the caller's region with that id, else `NotFoundException`. */
export function findRestApi(
  gateway: ApiGatewayModel,
  model: AccountModel,
  id: string,
  call: { readonly region: string },
): SimRestApi {
  const api = gateway.restApis.get(id);
  if (!api || api.region !== call.region) {
    throw fault('NotFoundException', 404, `Invalid API identifier specified ${model.accountId}:${id}`);
  }
  return api;
}

function findUsagePlan(gateway: ApiGatewayModel, id: string, call: CallContext): SimUsagePlan {
  const plan = gateway.usagePlans.get(id);
  if (!plan || plan.region !== call.region) {
    throw fault('NotFoundException', 404, 'Invalid Usage Plan ID specified');
  }
  return plan;
}

/** A resource as listed without `embed=methods`: each method present but empty. */
function methodStubs(resource: Resource): Resource {
  const { resourceMethods, ...rest } = structuredClone(resource);
  if (!resourceMethods) return rest;
  return {
    ...rest,
    resourceMethods: Object.fromEntries(Object.keys(resourceMethods).map((verb) => [verb, {}])),
  };
}

/** The API's changed responses, and API Gateway's defaults for the types it did not change. */
function gatewayResponses(api: SimRestApi): GatewayResponse[] {
  const changed = new Set(api.gatewayResponses.map((response) => response.responseType));
  const defaults = DEFAULT_RESPONSES.filter((type) => !changed.has(type)).map(
    (responseType): GatewayResponse => ({
      responseType,
      ...(responseType === 'DEFAULT_4XX' || responseType === 'DEFAULT_5XX'
        ? {}
        : { statusCode: statusOf(responseType) }),
      responseParameters: {},
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      defaultResponse: true,
    }),
  );
  return [...structuredClone(api.gatewayResponses), ...defaults];
}

function statusOf(type: GatewayResponseType): string {
  return type === 'THROTTLED' ? '429' : type === 'UNAUTHORIZED' ? '401' : '403';
}

/** An API key as API Gateway returns it: the value only when asked for. */
function apiKey(key: SimApiKey, includeValue: boolean) {
  const { value, ...rest } = structuredClone(key.key);
  return includeValue ? { ...rest, value } : rest;
}
