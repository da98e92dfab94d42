import {
  GetApiMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import {
  APIGATEWAY_EVENT_SOURCE,
  APIGATEWAY_READ,
  allV2,
  ids,
  requestValue,
  taggedId,
} from './apigateway-shared.js';
import { apiGatewayService, apiGatewayV2Service } from './services.js';
import { keyedFields, pick, stringField, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::ApiGatewayV2::DomainName';

/**
 * The custom domain a call names: `domainName` of the request (path parameter or body), else of the response (a new
 * domain), else the name in a tagged resource's ARN (`/domainnames/<name>`).
 */
export const domainNameFromRecord: IdExtractor = (record) =>
  ids(
    requestValue(record, 'domainName'),
    stringField(record.responseElements, 'domainName'),
    ...taggedId('domainnames')(record),
  );

/**
 * CloudTrail events that change a custom domain name or its mappings: v1 (`…BasePathMapping`) and v2
 * (`…ApiMapping`) calls on the same, shared domain names.
 */
const DOMAIN_EVENTS = [
  'CreateDomainName',
  'UpdateDomainName',
  'DeleteDomainName',
  'CreateBasePathMapping',
  'UpdateBasePathMapping',
  'DeleteBasePathMapping',
  'CreateApiMapping',
  'UpdateApiMapping',
  'DeleteApiMapping',
  'TagResource',
  'UntagResource',
] as const;

const DOMAIN_FIELDS = [
  'DomainName',
  'DomainNameArn',
  'ApiMappingSelectionExpression',
  'DomainNameConfigurations',
  'MutualTlsAuthentication',
  'RoutingMode',
  'Tags',
] as const;

async function* listDomainNames(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(apiGatewayV2Service, region);
  const domains = await allV2(ctx, apiGatewayV2Service, (NextToken) =>
    client.send(new GetDomainNamesCommand({ NextToken, MaxResults: '500' })),
  );
  for (const domain of domains) if (domain.DomainName) yield { id: domain.DomainName };
}

async function describeDomainName(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const operation = { type: TYPE, region, id: name, operation: APIGATEWAY_READ };
  const client = ctx.client(apiGatewayV2Service, region);
  const limit = ctx.limit(apiGatewayV2Service);

  const domain = await readPart(operation, () =>
    limit(() => client.send(new GetDomainNameCommand({ DomainName: name }))),
  );
  if (domain.state === 'not-found' || domain.state === 'absent') return { status: 'not-found' };
  if (domain.state === 'gap') return { status: 'gap', gap: domain.gap };

  const mappings = await readPart(operation, () =>
    allV2(ctx, apiGatewayV2Service, (NextToken) =>
      client.send(new GetApiMappingsCommand({ DomainName: name, NextToken })),
    ),
  );
  if (mappings.state === 'not-found') return { status: 'not-found' };
  const raw: JsonObject = {
    DomainName: pick(domain.value, DOMAIN_FIELDS),
    ApiMappings: partValue(mappings, (items) => toJson(items) ?? []),
  };
  return { status: 'found', raw, ...(mappings.state === 'gap' ? { gaps: [mappings.gap] } : {}) };
}

/**
 * `AWS::ApiGatewayV2::DomainName`: a custom domain name (`GetDomainName`: certificate ARN, endpoint type, security
 * policy such as `TLS_1_2`, status, the regional or edge target and its hosted zone, mutual TLS, tags) with its API
 * mappings (`GetApiMappings`: API id, stage, path). Identifier: the domain name.
 *
 * One type for REST and HTTP APIs alike: custom domain names are one namespace shared by API Gateway v1 and v2, and
 * the v2 API lists every one of them, with mappings to REST APIs as well as HTTP and WebSocket APIs (the v1 base
 * path mappings are the same mappings seen through the v1 API), so reading them through v1 too would capture each
 * domain twice.
 */
export const apiGatewayV2DomainName: ResourceDefinition = {
  type: TYPE,
  service: apiGatewayService,
  eventSource: APIGATEWAY_EVENT_SOURCE,
  scope: 'regional',
  listOperation: APIGATEWAY_READ,
  permissions: [APIGATEWAY_READ],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(DOMAIN_EVENTS.map((name) => [name, domainNameFromRecord])),
  list: listDomainNames,
  describe: (ctx, id, region) => describeDomainName(ctx, id, region),
  normalise: (raw) => keyedFields(raw, { ApiMappings: 'ApiMappingId' }),
};
