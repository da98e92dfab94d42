import { isDeepStrictEqual } from 'node:util';
import type {
  Authorizer,
  AuthorizerType,
  GatewayResponse,
  GatewayResponseType,
  Integration,
  IntegrationType,
  Method,
  Model,
  RequestValidator,
  Resource,
} from '@aws-sdk/client-api-gateway';
import { fault } from '../errors.js';
import { optional } from '../model.js';
import type { SimRestApi } from './model.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The HTTP verbs an OpenAPI path item holds, and API Gateway's extension for `ANY`. */
const VERBS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-amazon-apigateway-any-method': 'ANY',
};

/** Where an OpenAPI parameter is (`in`), as API Gateway names it in `method.request.<where>.<name>`. */
const PARAMETER_PLACES: Readonly<Record<string, string>> = {
  path: 'path',
  header: 'header',
  query: 'querystring',
};

/**
 * Replaces a REST API's definition with an OpenAPI 3 document carrying API Gateway's extensions, as `PutRestApi`
 * in `overwrite` mode does: its title and description, resources and methods (with their integrations), models,
 * authorizers, request validators, gateway responses, resource policy and binary media types. What keeps its
 * path (resources) or name (models, authorizers, validators) keeps its id; what the document lacks is removed.
 * Stages and deployments are left alone: the new definition is served once deployed. The document is parsed and
 * checked before anything changes; a malformed one is `BadRequestException`.
 */
export function importOpenApi(api: SimRestApi, body: string, newId: (length: number) => string): void {
  const document = parseDefinition(body);
  const components = objectAt(document.components);
  const authorizers = importAuthorizers(api.authorizers, objectAt(components.securitySchemes), newId);
  const validators = importValidators(
    api.validators,
    objectAt(document['x-amazon-apigateway-request-validators']),
    newId,
  );
  const models = importModels(api.models, objectAt(components.schemas), newId);
  const names = {
    authorizers: new Map(authorizers.map((authorizer) => [authorizer.name ?? '', authorizer])),
    validators: new Map(validators.map((validator) => [validator.name ?? '', validator.id ?? ''])),
  };
  const resources = importResources(api, objectAt(document.paths), names, newId);
  const info = objectAt(document.info);
  const policy = document['x-amazon-apigateway-policy'];
  const binaryTypes = document['x-amazon-apigateway-binary-media-types'];
  const { description: _description, policy: _policy, binaryMediaTypes: _types, ...kept } = api.api;
  api.api = {
    ...kept,
    name: String(info.title),
    ...optional('description', typeof info.description === 'string' ? info.description : undefined),
    ...optional('binaryMediaTypes', Array.isArray(binaryTypes) ? binaryTypes.map(String) : undefined),
    ...optional('policy', policy === undefined ? undefined : sameJson(api.api.policy, policy)),
  };
  replace(api.resources, resources);
  replace(api.authorizers, authorizers);
  replace(api.validators, validators);
  replace(api.models, models);
  replace(
    api.gatewayResponses,
    importGatewayResponses(objectAt(document['x-amazon-apigateway-gateway-responses'])),
  );
}

/** The document, parsed and checked: OpenAPI 3 JSON with a title. */
function parseDefinition(body: string): JsonObject {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw importFault('Unable to parse the API definition: it is no valid JSON');
  }
  if (!isObject(document)) throw importFault('The API definition must be a JSON object');
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.'))
    throw new Error('the simulated PutRestApi imports OpenAPI 3 definitions only');
  if (typeof objectAt(document.info).title !== 'string')
    throw importFault('Unable to import API: the definition has no info.title');
  return document;
}

function importFault(problem: string) {
  return fault('BadRequestException', 400, `Errors found during import:\n\t${problem}`);
}

/** Authorizers from the security schemes carrying `x-amazon-apigateway-authorizer`, keyed by name. */
function importAuthorizers(
  existing: readonly Authorizer[],
  schemes: JsonObject,
  newId: (length: number) => string,
): Authorizer[] {
  return Object.entries(schemes).flatMap(([name, value]) => {
    const scheme = objectAt(value);
    const extension = scheme['x-amazon-apigateway-authorizer'];
    if (!isObject(extension)) return [];
    const before = existing.find((authorizer) => authorizer.name === name);
    const header = typeof scheme.name === 'string' ? scheme.name : 'Authorization';
    return [
      {
        id: before?.id ?? newId(6),
        name,
        type: String(extension.type).toUpperCase() as AuthorizerType,
        ...optional('providerARNs', stringsAt(extension.providerARNs)),
        ...optional('authorizerUri', stringAt(extension.authorizerUri)),
        ...optional('authorizerCredentials', stringAt(extension.authorizerCredentials)),
        identitySource: stringAt(extension.identitySource) ?? `method.request.header.${header}`,
        ...optional(
          'authorizerResultTtlInSeconds',
          typeof extension.authorizerResultTtlInSeconds === 'number'
            ? extension.authorizerResultTtlInSeconds
            : undefined,
        ),
        ...optional('authType', stringAt(scheme['x-amazon-apigateway-authtype']) || undefined),
      },
    ];
  });
}

function importValidators(
  existing: readonly RequestValidator[],
  declared: JsonObject,
  newId: (length: number) => string,
): RequestValidator[] {
  return Object.entries(declared).map(([name, value]) => {
    const validator = objectAt(value);
    return {
      id: existing.find((item) => item.name === name)?.id ?? newId(6),
      name,
      validateRequestBody: validator.validateRequestBody === true,
      validateRequestParameters: validator.validateRequestParameters === true,
    };
  });
}

/** Models from `components.schemas`; a model whose schema is unchanged keeps its text as it was. */
function importModels(
  existing: readonly Model[],
  schemas: JsonObject,
  newId: (length: number) => string,
): Model[] {
  return Object.entries(schemas).map(([name, schema]) => {
    const before = existing.find((model) => model.name === name);
    return {
      ...(before ?? { id: newId(6), name, contentType: 'application/json' }),
      schema: sameJson(before?.schema, schema),
    };
  });
}

function importGatewayResponses(declared: JsonObject): GatewayResponse[] {
  return Object.entries(declared).map(([responseType, value]) => {
    const response = objectAt(value);
    return {
      responseType: responseType as GatewayResponseType,
      ...optional('statusCode', stringAt(response.statusCode)),
      ...optional('responseParameters', stringMap(response.responseParameters)),
      ...optional('responseTemplates', stringMap(response.responseTemplates)),
      defaultResponse: false,
    };
  });
}

/** What a method's `security` and validator name refer to. */
interface Names {
  readonly authorizers: ReadonlyMap<string, Authorizer>;
  readonly validators: ReadonlyMap<string, string>;
}

/**
 * The resources of `paths`, root first and each after its parent: a path that existed keeps its resource id, a
 * new one (and any parent it lacks) gets a new id.
 */
function importResources(
  api: SimRestApi,
  paths: JsonObject,
  names: Names,
  newId: (length: number) => string,
): Resource[] {
  const byPath = new Map(api.resources.map((resource) => [resource.path ?? '', resource]));
  const rootId = api.api.rootResourceId ?? byPath.get('/')?.id ?? newId(10);
  const resources = new Map<string, Resource>([['/', { id: rootId, path: '/' }]]);
  const ensure = (path: string): Resource => {
    const known = resources.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const parent = ensure(cut === 0 ? '/' : path.slice(0, cut));
    const resource: Resource = {
      id: byPath.get(path)?.id ?? newId(6),
      parentId: parent.id,
      pathPart: path.slice(cut + 1),
      path,
    };
    resources.set(path, resource);
    return resource;
  };
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) throw importFault(`Invalid resource path ${path}: it must start with /`);
    const resource = ensure(path.length > 1 ? path.replace(/\/$/, '') : path);
    const methods: Record<string, Method> = {};
    for (const [verb, operation] of Object.entries(objectAt(item))) {
      const httpMethod = VERBS[verb];
      if (httpMethod) methods[httpMethod] = importMethod(httpMethod, objectAt(operation), resource, names);
    }
    if (Object.keys(methods).length > 0) resource.resourceMethods = methods;
  }
  return [...resources.values()];
}

function importMethod(httpMethod: string, operation: JsonObject, resource: Resource, names: Names): Method {
  const security = Array.isArray(operation.security) ? operation.security.map(objectAt) : [];
  const authorized = security
    .flatMap((requirement) => Object.entries(requirement))
    .find(([name]) => names.authorizers.has(name));
  const authorizer = authorized ? names.authorizers.get(authorized[0]) : undefined;
  const scopes = authorized ? (stringsAt(authorized[1]) ?? []) : [];
  const parameters = Array.isArray(operation.parameters) ? operation.parameters.map(objectAt) : [];
  const validator = stringAt(operation['x-amazon-apigateway-request-validator']);
  const integration = operation['x-amazon-apigateway-integration'];
  const responses = Object.entries(objectAt(operation.responses));
  return {
    httpMethod,
    authorizationType: authorizer
      ? authorizer.type === 'COGNITO_USER_POOLS'
        ? 'COGNITO_USER_POOLS'
        : 'CUSTOM'
      : 'NONE',
    ...optional('authorizerId', authorizer?.id),
    ...optional('authorizationScopes', scopes.length > 0 ? scopes : undefined),
    apiKeyRequired: security.some((requirement) => 'api_key' in requirement),
    ...optional('requestValidatorId', validator === undefined ? undefined : names.validators.get(validator)),
    ...optional(
      'requestParameters',
      parameters.length > 0
        ? Object.fromEntries(
            parameters.map((parameter) => [
              `method.request.${PARAMETER_PLACES[String(parameter.in)] ?? 'querystring'}.${parameter.name}`,
              parameter.required === true,
            ]),
          )
        : undefined,
    ),
    ...optional(
      'methodResponses',
      responses.length > 0
        ? Object.fromEntries(
            responses.map(([statusCode, response]) => [statusCode, methodResponse(statusCode, response)]),
          )
        : undefined,
    ),
    ...optional(
      'methodIntegration',
      isObject(integration) ? importIntegration(integration, resource) : undefined,
    ),
  };
}

/** A method response: its status and, from each content type's `$ref`, the model it returns. */
function methodResponse(statusCode: string, response: Json) {
  const content = Object.entries(objectAt(objectAt(response).content));
  const models = content.flatMap(([type, media]) => {
    const ref = stringAt(objectAt(objectAt(media).schema).$ref);
    return ref ? [[type, ref.replace('#/components/schemas/', '')] as const] : [];
  });
  return {
    statusCode,
    ...optional('responseModels', models.length > 0 ? Object.fromEntries(models) : undefined),
  };
}

/** `x-amazon-apigateway-integration` as the integration API Gateway keeps: enums upper-case, its cache namespace. */
function importIntegration(integration: JsonObject, resource: Resource): Integration {
  const type = stringAt(integration.type);
  if (!type) throw importFault(`Unable to put integration on '${resource.path}': its type is missing`);
  return {
    type: type.toUpperCase() as IntegrationType,
    ...optional('httpMethod', stringAt(integration.httpMethod)),
    ...optional('uri', stringAt(integration.uri)),
    ...optional('credentials', stringAt(integration.credentials)),
    ...optional('requestTemplates', stringMap(integration.requestTemplates)),
    passthroughBehavior: (stringAt(integration.passthroughBehavior) ?? 'when_no_match').toUpperCase(),
    timeoutInMillis: typeof integration.timeoutInMillis === 'number' ? integration.timeoutInMillis : 29000,
    cacheNamespace: stringAt(integration.cacheNamespace) ?? resource.id ?? '',
    cacheKeyParameters: stringsAt(integration.cacheKeyParameters) ?? [],
  };
}

/** `value` as the JSON text an API keeps: `before` when it says the same, else `value` serialised. */
function sameJson(before: string | undefined, value: Json): string {
  if (before !== undefined) {
    try {
      if (isDeepStrictEqual(JSON.parse(before), value)) return before;
    } catch {
      // A text that is no JSON is replaced.
    }
  }
  return JSON.stringify(value);
}

function replace<T>(target: T[], items: readonly T[]): void {
  target.splice(0, target.length, ...items);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringsAt(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  return isObject(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
    : undefined;
}
