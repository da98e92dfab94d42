import type { Integration, Method, Resource } from '@aws-sdk/client-api-gateway';
import type { SimRestApi } from './model.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What `GetExport` answers for a stage with `exportType: 'oas30'` and `extensions: 'apigateway'`: the OpenAPI 3
 * definition of the stage's deployment, with API Gateway's `x-amazon-apigateway-*` extensions (integrations,
 * authorizers, policy, validators, gateway responses, binary media types), as the console's export shows it.
 */
export function openApiExport(api: SimRestApi, stageName: string, resources: readonly Resource[]): Json {
  const { api: restApi } = api;
  const authorizers = new Map(api.authorizers.map((authorizer) => [authorizer.id ?? '', authorizer.name]));
  const validators = new Map(api.validators.map((validator) => [validator.id ?? '', validator.name]));
  const paths: Record<string, Json> = {};
  for (const resource of resources) {
    const operations: Record<string, Json> = {};
    for (const [verb, method] of Object.entries(resource.resourceMethods ?? {})) {
      operations[verb.toLowerCase()] = operation(
        method,
        authorizers.get(method.authorizerId ?? ''),
        validators.get(method.requestValidatorId ?? ''),
      );
    }
    if (Object.keys(operations).length > 0) paths[resource.path ?? '/'] = operations;
  }
  const securitySchemes: Record<string, Json> = {
    ...(hasApiKeys(resources) ? { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } } : {}),
  };
  for (const authorizer of api.authorizers) {
    securitySchemes[authorizer.name ?? ''] = {
      type: 'apiKey',
      name: (authorizer.identitySource ?? '').replace('method.request.header.', ''),
      in: 'header',
      'x-amazon-apigateway-authtype': authorizer.authType ?? '',
      'x-amazon-apigateway-authorizer': {
        type: (authorizer.type ?? '').toLowerCase(),
        ...(authorizer.providerARNs ? { providerARNs: [...authorizer.providerARNs] } : {}),
        ...(authorizer.authorizerUri ? { authorizerUri: authorizer.authorizerUri } : {}),
        ...(authorizer.authorizerCredentials
          ? { authorizerCredentials: authorizer.authorizerCredentials }
          : {}),
        ...(authorizer.authorizerResultTtlInSeconds === undefined
          ? {}
          : { authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds }),
      },
    };
  }
  return {
    openapi: '3.0.1',
    info: {
      title: restApi.name ?? '',
      ...(restApi.description ? { description: restApi.description } : {}),
      version: (restApi.createdDate ?? new Date(0)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    servers: [
      {
        url: `https://${restApi.id}.execute-api.${api.region}.amazonaws.com/{basePath}`,
        variables: { basePath: { default: stageName } },
      },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(
        api.models.map((model) => [model.name ?? '', JSON.parse(model.schema ?? '{}') as Json]),
      ),
      ...(Object.keys(securitySchemes).length > 0 ? { securitySchemes } : {}),
    },
    ...(restApi.policy ? { 'x-amazon-apigateway-policy': JSON.parse(restApi.policy) as Json } : {}),
    ...(restApi.binaryMediaTypes?.length
      ? { 'x-amazon-apigateway-binary-media-types': [...restApi.binaryMediaTypes] }
      : {}),
    ...(api.validators.length > 0
      ? {
          'x-amazon-apigateway-request-validators': Object.fromEntries(
            api.validators.map((validator) => [
              validator.name ?? '',
              {
                validateRequestBody: validator.validateRequestBody ?? false,
                validateRequestParameters: validator.validateRequestParameters ?? false,
              },
            ]),
          ),
        }
      : {}),
    ...(api.gatewayResponses.length > 0
      ? {
          'x-amazon-apigateway-gateway-responses': Object.fromEntries(
            api.gatewayResponses.map((response) => [
              response.responseType ?? '',
              {
                ...(response.responseParameters
                  ? { responseParameters: { ...response.responseParameters } }
                  : {}),
                ...(response.responseTemplates
                  ? { responseTemplates: { ...response.responseTemplates } }
                  : {}),
              },
            ]),
          ),
        }
      : {}),
  };
}

function hasApiKeys(resources: readonly Resource[]): boolean {
  return resources.some((resource) =>
    Object.values(resource.resourceMethods ?? {}).some((method) => method.apiKeyRequired),
  );
}

function operation(method: Method, authorizerName?: string, validatorName?: string): Json {
  const parameters = Object.entries(method.requestParameters ?? {}).map(([name, required]) => {
    const [, , where, key] = name.split('.');
    return {
      name: key ?? '',
      in: where === 'path' ? 'path' : where === 'header' ? 'header' : 'query',
      required,
      schema: { type: 'string' },
    };
  });
  const security: Json[] = [
    ...(authorizerName ? [{ [authorizerName]: [...(method.authorizationScopes ?? [])] }] : []),
    ...(method.apiKeyRequired ? [{ api_key: [] }] : []),
  ];
  return {
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: Object.fromEntries(
      Object.values(method.methodResponses ?? {}).map((response) => [
        response.statusCode ?? '200',
        {
          description: `${response.statusCode} response`,
          content: Object.fromEntries(
            Object.entries(response.responseModels ?? {}).map(([type, model]) => [
              type,
              { schema: { $ref: `#/components/schemas/${model}` } },
            ]),
          ),
        },
      ]),
    ),
    ...(security.length > 0 ? { security } : {}),
    ...(validatorName ? { 'x-amazon-apigateway-request-validator': validatorName } : {}),
    ...(method.methodIntegration
      ? { 'x-amazon-apigateway-integration': integration(method.methodIntegration) }
      : {}),
  };
}

/** An integration as the `x-amazon-apigateway-integration` extension spells it (lower-case enums). */
function integration(source: Integration): Json {
  return {
    type: (source.type ?? '').toLowerCase(),
    ...(source.httpMethod ? { httpMethod: source.httpMethod } : {}),
    ...(source.uri ? { uri: source.uri } : {}),
    ...(source.requestTemplates ? { requestTemplates: { ...source.requestTemplates } } : {}),
    passthroughBehavior: (source.passthroughBehavior ?? 'WHEN_NO_MATCH').toLowerCase(),
    timeoutInMillis: source.timeoutInMillis ?? 29000,
    ...(source.cacheNamespace ? { cacheNamespace: source.cacheNamespace } : {}),
    ...(source.cacheKeyParameters ? { cacheKeyParameters: [...source.cacheKeyParameters] } : {}),
  };
}
