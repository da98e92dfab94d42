import {
  AccessDeniedException,
  ApiGatewayV2Client,
  ApiGatewayV2ServiceException,
  BadRequestException,
  ConflictException,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-apigatewayv2';
import { type CallContext, type CallTarget, defineOperation, type ServiceProfile } from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import { apiGatewayArn } from './api.js';
import type { ApiGatewayModel, SimDomainName, SimHttpApi } from './model.js';

/** `MaxResults` of the v2 listings (a string in the API): the simulation pages by 25 when it is left out. */
const DEFAULT_MAX_RESULTS = 25;

const READ = 'apigateway:GET';

/**
 * The API Gateway v2 API (HTTP and WebSocket APIs, custom domain names) of the simulated account: `NextToken` /
 * `MaxResults` pagination (both strings), `NotFoundException` 404, `TooManyRequestsException` 429,
 * `AccessDeniedException` 403, and `apigateway:GET` as the IAM action of every read.
 */
export function apiGatewayV2Profile(model: AccountModel, gateway: ApiGatewayModel): ServiceProfile {
  const apiTarget =
    (suffix = '') =>
    (input: { ApiId?: string | undefined }, call: CallContext): CallTarget => ({
      ids: [input.ApiId ?? ''],
      arn: apiGatewayArn(call.region, `/apis/${input.ApiId}${suffix}`),
    });
  const domainTarget =
    (suffix = '') =>
    (input: { DomainName?: string | undefined }, call: CallContext): CallTarget => ({
      ids: [input.DomainName ?? ''],
      arn: apiGatewayArn(call.region, `/domainnames/${input.DomainName}${suffix}`),
    });
  const api = (input: { ApiId?: string | undefined }, call: CallContext) =>
    findApi(gateway, input.ApiId ?? '', call);
  const domain = (input: { DomainName?: string | undefined }, call: CallContext) =>
    findDomain(gateway, input.DomainName ?? '', call);

  return {
    service: 'apigateway',
    exceptions: {
      base: ApiGatewayV2ServiceException,
      modeled: {
        AccessDeniedException,
        BadRequestException,
        ConflictException,
        NotFoundException,
        TooManyRequestsException,
      },
    },
    client: ApiGatewayV2Client,
    injectedFault: injectedFaults(model.caller, {
      throttled: {
        code: 'TooManyRequestsException',
        status: 429,
        message: 'Too Many Requests',
        fields: { LimitType: 'Rate' },
      },
      denied: { code: 'AccessDeniedException', status: 403 },
    }),
    operations: [
      defineOperation(GetApisCommand, {
        action: READ,
        target: (_input, call) => ({ ids: [], arn: apiGatewayArn(call.region, '/apis') }),
        answer: (input, call) => {
          const apis = [...gateway.httpApis.values()].filter((item) => item.region === call.region);
          const { page, next } = pageV2(apis, (item) => item.api.ApiId ?? '', input);
          return { Items: page.map((item) => structuredClone(item.api)), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetApiCommand, {
        action: READ,
        target: apiTarget(),
        answer: (input, call) => structuredClone(api(input, call).api),
      }),
      defineOperation(GetRoutesCommand, {
        action: READ,
        target: apiTarget('/routes'),
        answer: (input, call) => {
          const { page, next } = pageV2(api(input, call).routes, (item) => item.RouteId ?? '', input);
          return { Items: structuredClone(page), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetIntegrationsCommand, {
        action: READ,
        target: apiTarget('/integrations'),
        answer: (input, call) => {
          const integrations = api(input, call).integrations;
          const { page, next } = pageV2(integrations, (item) => item.IntegrationId ?? '', input);
          return { Items: structuredClone(page), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetAuthorizersCommand, {
        action: READ,
        target: apiTarget('/authorizers'),
        answer: (input, call) => {
          const { page, next } = pageV2(
            api(input, call).authorizers,
            (item) => item.AuthorizerId ?? '',
            input,
          );
          return { Items: structuredClone(page), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetStagesCommand, {
        action: READ,
        target: apiTarget('/stages'),
        answer: (input, call) => {
          const { page, next } = pageV2(api(input, call).stages, (item) => item.StageName ?? '', input);
          return { Items: structuredClone(page), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetDeploymentsCommand, {
        action: READ,
        target: apiTarget('/deployments'),
        answer: (input, call) => {
          const { page, next } = pageV2(
            api(input, call).deployments,
            (item) => item.DeploymentId ?? '',
            input,
          );
          return { Items: structuredClone(page), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetDomainNamesCommand, {
        action: READ,
        target: (_input, call) => ({ ids: [], arn: apiGatewayArn(call.region, '/domainnames') }),
        answer: (input, call) => {
          const domains = [...gateway.domainNames.values()].filter((item) => item.region === call.region);
          const { page, next } = pageV2(domains, (item) => item.domain.DomainName ?? '', input);
          return { Items: page.map((item) => structuredClone(item.domain)), ...optional('NextToken', next) };
        },
      }),
      defineOperation(GetDomainNameCommand, {
        action: READ,
        target: domainTarget(),
        answer: (input, call) => structuredClone(domain(input, call).domain),
      }),
      defineOperation(GetApiMappingsCommand, {
        action: READ,
        target: domainTarget('/apimappings'),
        answer: (input, call) => {
          const { page, next } = pageV2(
            domain(input, call).mappings,
            (item) => item.ApiMappingId ?? '',
            input,
          );
          return { Items: structuredClone(page), ...optional('NextToken', next) };
        },
      }),
    ],
  };
}

/** One page of a v2 listing sorted by `keyOf`: `MaxResults` is a string of a positive integer. */
function pageV2<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: { NextToken?: string | undefined; MaxResults?: string | undefined },
): { readonly page: T[]; readonly next?: string } {
  const limit = input.MaxResults === undefined ? DEFAULT_MAX_RESULTS : Number(input.MaxResults);
  if (!Number.isInteger(limit) || limit < 1) {
    throw fault('BadRequestException', 400, `Invalid MaxResults: ${input.MaxResults}`, {
      Message: 'Invalid MaxResults',
    });
  }
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    after = decodeMarker(input.NextToken);
    if (after === undefined) throw fault('BadRequestException', 400, 'Invalid NextToken');
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const { page, nextKey } = pageAfter(sorted, keyOf, after, limit);
  return nextKey === undefined ? { page } : { page, next: encodeMarker(nextKey) };
}

function findApi(gateway: ApiGatewayModel, id: string, call: CallContext): SimHttpApi {
  const api = gateway.httpApis.get(id);
  if (!api || api.region !== call.region) {
    throw fault('NotFoundException', 404, `Invalid API identifier specified ${id}`, { ResourceType: 'Api' });
  }
  return api;
}

function findDomain(gateway: ApiGatewayModel, name: string, call: CallContext): SimDomainName {
  const domain = gateway.domainNames.get(name);
  if (!domain || domain.region !== call.region) {
    throw fault('NotFoundException', 404, `Invalid domain name identifier specified`, {
      ResourceType: 'DomainName',
    });
  }
  return domain;
}
