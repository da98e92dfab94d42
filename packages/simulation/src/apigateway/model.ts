import type {
  ApiKey,
  Authorizer,
  Deployment,
  GatewayResponse,
  Model,
  RequestValidator,
  Resource,
  RestApi,
  Stage,
  UsagePlan,
} from '@aws-sdk/client-api-gateway';
import type {
  Api,
  ApiMapping,
  Authorizer as AuthorizerV2,
  Deployment as DeploymentV2,
  DomainName,
  Integration,
  Route,
  Stage as StageV2,
} from '@aws-sdk/client-apigatewayv2';
import type { AccountModel } from '../model.js';
import { seedDate as day } from '../seed-names.js';

/** A REST API (v1) and everything under it, in the SDK's own shapes. */
export interface SimRestApi {
  readonly region: string;
  api: RestApi;
  /** Resources with their methods (`resourceMethods`), root first. */
  readonly resources: Resource[];
  readonly stages: Stage[];
  readonly deployments: Deployment[];
  readonly authorizers: Authorizer[];
  readonly validators: RequestValidator[];
  /** Only the responses changed from API Gateway's defaults. */
  readonly gatewayResponses: GatewayResponse[];
  readonly models: Model[];
  /** The resources each deployment froze, by deployment id: what a stage serves and `GetExport` exports. */
  readonly snapshots: Map<string, Resource[]>;
}

/** An HTTP or WebSocket API (v2) and everything under it. */
export interface SimHttpApi {
  readonly region: string;
  api: Api;
  readonly routes: Route[];
  readonly integrations: Integration[];
  readonly authorizers: AuthorizerV2[];
  readonly stages: StageV2[];
  readonly deployments: DeploymentV2[];
}

/** A custom domain name (shared by REST and HTTP APIs) and its API mappings. */
export interface SimDomainName {
  readonly region: string;
  domain: DomainName;
  readonly mappings: ApiMapping[];
}

/** An API key: its value is a secret the API returns only when asked with `includeValue`. */
export interface SimApiKey {
  readonly region: string;
  key: ApiKey;
}

/** A usage plan and the ids of its API keys. */
export interface SimUsagePlan {
  readonly region: string;
  plan: UsagePlan;
  readonly keyIds: string[];
}

/** Ids of the seeded API Gateway resources. */
export interface ApiGatewaySeed {
  /** `booking-api`, the REST API behind the booking pages. */
  readonly bookingApiId: string;
  /** `contact-api`, the HTTP API of the contact form. */
  readonly contactApiId: string;
  readonly usagePlanId: string;
  readonly apiKeyId: string;
  /** `api.sailjada.com`. */
  readonly domainName: string;
}

/** The id of `booking-api`: fixed, as booking-handler's resource policy names it. */
export const BOOKING_API_ID = 'k3x9q2m7ab';
/** The custom domain of the booking API. */
export const BOOKING_DOMAIN = 'api.sailjada.com';
/** The value of the partner API key: a secret that must never be captured. */
export const SIMULATED_API_KEY_VALUE = ['sim', 'ApiKeyValue', 'Partner0123456789abcdefXYZ'].join('-');

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The state of API Gateway (v1 and v2) in the simulated account, all in the home region. */
export class ApiGatewayModel {
  readonly restApis = new Map<string, SimRestApi>();
  readonly httpApis = new Map<string, SimHttpApi>();
  readonly domainNames = new Map<string, SimDomainName>();
  readonly apiKeys = new Map<string, SimApiKey>();
  readonly usagePlans = new Map<string, SimUsagePlan>();
  readonly seed: ApiGatewaySeed;
  readonly #model: AccountModel;

  constructor(model: AccountModel, generated: number) {
    this.#model = model;
    this.seed = this.#seed(generated);
  }

  /** A 10-character API Gateway id (`k3x9q2m7ab`). */
  id(length = 10): string {
    return this.#model.random.chars(length, ID_ALPHABET);
  }

  /** A REST API, or an error naming it (for the change methods). */
  restApi(id: string): SimRestApi {
    const api = this.restApis.get(id);
    if (!api) throw new Error(`no REST API ${id} in the simulated account`);
    return api;
  }

  /** An HTTP API, or an error naming it (for the change methods). */
  httpApi(id: string): SimHttpApi {
    const api = this.httpApis.get(id);
    if (!api) throw new Error(`no HTTP API ${id} in the simulated account`);
    return api;
  }

  #seed(generated: number): ApiGatewaySeed {
    const region = this.#model.homeRegion;
    const booking = this.#bookingApi(region);
    const contact = this.#contactApi(region);
    const keyId = this.id();
    this.apiKeys.set(keyId, {
      region,
      key: {
        id: keyId,
        value: SIMULATED_API_KEY_VALUE,
        name: 'charter-partner',
        customerId: 'partner-0042',
        description: 'Charter partner booking integration',
        enabled: true,
        createdDate: day('2024-03-02T10:11:12'),
        lastUpdatedDate: day('2024-03-02T10:11:12'),
        stageKeys: [`${BOOKING_API_ID}/prod`],
        tags: { partner: 'harbor-tours' },
      },
    });
    const planId = this.id(6);
    this.usagePlans.set(planId, {
      region,
      plan: {
        id: planId,
        name: 'partners',
        description: 'Charter partners calling the booking API',
        apiStages: [{ apiId: BOOKING_API_ID, stage: 'prod' }],
        throttle: { burstLimit: 20, rateLimit: 10 },
        quota: { limit: 5000, offset: 0, period: 'MONTH' },
        tags: { app: 'sailjada' },
      },
      keyIds: [keyId],
    });
    this.domainNames.set(BOOKING_DOMAIN, {
      region,
      domain: {
        DomainName: BOOKING_DOMAIN,
        DomainNameArn: `arn:aws:apigateway:${region}::/domainnames/${BOOKING_DOMAIN}`,
        ApiMappingSelectionExpression: '$request.basepath',
        DomainNameConfigurations: [
          {
            ApiGatewayDomainName: `d-${this.id()}.execute-api.${region}.amazonaws.com`,
            CertificateArn: `arn:aws:acm:${region}:${this.#model.accountId}:certificate/${this.#model.random.uuid()}`,
            DomainNameStatus: 'AVAILABLE',
            EndpointType: 'REGIONAL',
            HostedZoneId: 'Z1UJRXOUMOOFQ8',
            IpAddressType: 'ipv4',
            SecurityPolicy: 'TLS_1_2',
          },
        ],
        Tags: { app: 'sailjada' },
      },
      mappings: [{ ApiMappingId: this.id(6), ApiId: booking, ApiMappingKey: '', Stage: 'prod' }],
    });
    for (let i = 1; i <= generated; i++) this.#generatedApi(region, i);
    return {
      bookingApiId: booking,
      contactApiId: contact,
      usagePlanId: planId,
      apiKeyId: keyId,
      domainName: BOOKING_DOMAIN,
    };
  }

  #bookingApi(region: string): string {
    const account = this.#model.accountId;
    const functionArn = this.#model.functionArn('booking-handler');
    const uri = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
    const rootId = this.id();
    const bookingsId = this.id(6);
    const bookingId = this.id(6);
    const authorizerId = this.id(6);
    const validatorId = this.id(6);
    const lambdaProxy = (httpMethod: string, authorized: boolean) => ({
      httpMethod,
      authorizationType: authorized ? 'COGNITO_USER_POOLS' : 'NONE',
      ...(authorized ? { authorizerId, authorizationScopes: ['bookings/write'] } : {}),
      apiKeyRequired: httpMethod === 'POST',
      ...(httpMethod === 'POST' ? { requestValidatorId: validatorId } : {}),
      methodResponses: { '200': { statusCode: '200', responseModels: { 'application/json': 'Empty' } } },
      methodIntegration: {
        type: 'AWS_PROXY' as const,
        httpMethod: 'POST',
        uri,
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 29000,
        cacheNamespace: bookingsId,
        cacheKeyParameters: [],
      },
    });
    const deployedProd = this.id(6);
    const deployedDev = this.id(6);
    this.restApis.set(BOOKING_API_ID, {
      region,
      api: {
        id: BOOKING_API_ID,
        name: 'booking-api',
        description: 'Charter bookings for queenofsandiego.com and sailjada.com',
        createdDate: day('2024-02-10T20:05:41'),
        apiKeySource: 'HEADER',
        endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
        binaryMediaTypes: ['image/jpeg'],
        minimumCompressionSize: 1024,
        disableExecuteApiEndpoint: true,
        rootResourceId: rootId,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: `arn:aws:execute-api:${region}:${account}:${BOOKING_API_ID}/*`,
            },
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: `arn:aws:execute-api:${region}:${account}:${BOOKING_API_ID}/*/DELETE/*`,
            },
          ],
        }),
        tags: { app: 'sailjada', env: 'prod', owner: 'jada' },
      },
      resources: [
        { id: rootId, path: '/' },
        {
          id: bookingsId,
          parentId: rootId,
          pathPart: 'bookings',
          path: '/bookings',
          resourceMethods: { GET: lambdaProxy('GET', true), POST: lambdaProxy('POST', false) },
        },
        {
          id: bookingId,
          parentId: bookingsId,
          pathPart: '{id}',
          path: '/bookings/{id}',
          resourceMethods: {
            GET: {
              ...lambdaProxy('GET', true),
              requestParameters: { 'method.request.path.id': true },
            },
          },
        },
      ],
      stages: [
        {
          stageName: 'prod',
          deploymentId: deployedProd,
          description: 'Production',
          cacheClusterEnabled: false,
          cacheClusterStatus: 'NOT_AVAILABLE',
          tracingEnabled: true,
          variables: { tableName: 'bookings', lambdaAlias: 'live' },
          methodSettings: {
            '*/*': {
              metricsEnabled: true,
              loggingLevel: 'ERROR',
              dataTraceEnabled: false,
              throttlingBurstLimit: 100,
              throttlingRateLimit: 50,
              cachingEnabled: false,
              cacheTtlInSeconds: 300,
              cacheDataEncrypted: false,
              requireAuthorizationForCacheControl: true,
              unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
            },
          },
          accessLogSettings: {
            destinationArn: `arn:aws:logs:${region}:${account}:log-group:/aws/apigateway/booking-api-access`,
            format:
              '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}',
          },
          createdDate: day('2024-02-10T20:31:02'),
          lastUpdatedDate: day('2024-04-20T15:10:44'),
          tags: { env: 'prod' },
        },
        {
          stageName: 'dev',
          deploymentId: deployedDev,
          description: 'Development',
          cacheClusterEnabled: false,
          cacheClusterStatus: 'NOT_AVAILABLE',
          tracingEnabled: false,
          variables: { tableName: 'bookings-dev', lambdaAlias: '$LATEST' },
          methodSettings: {},
          createdDate: day('2024-02-10T20:29:40'),
          lastUpdatedDate: day('2024-04-18T09:02:13'),
          tags: { env: 'dev' },
        },
      ],
      deployments: [
        { id: deployedDev, description: 'Stripe webhook (dev)', createdDate: day('2024-04-18T09:02:10') },
        { id: deployedProd, description: 'Stripe webhook', createdDate: day('2024-04-20T15:10:40') },
      ],
      authorizers: [
        {
          id: authorizerId,
          name: 'charter-customers',
          type: 'COGNITO_USER_POOLS',
          providerARNs: [`arn:aws:cognito-idp:${region}:${account}:userpool/${region}_Qx7Rb2Lm9`],
          identitySource: 'method.request.header.Authorization',
          authType: 'cognito_user_pools',
        },
      ],
      validators: [
        {
          id: validatorId,
          name: 'body-and-params',
          validateRequestBody: true,
          validateRequestParameters: true,
        },
      ],
      gatewayResponses: [
        {
          responseType: 'DEFAULT_4XX',
          responseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': "'https://sailjada.com'",
          },
          responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
          defaultResponse: false,
        },
      ],
      snapshots: new Map(),
      models: [
        {
          id: this.id(6),
          name: 'Empty',
          description: 'This is a default empty schema model',
          contentType: 'application/json',
          schema:
            '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
        },
        {
          id: this.id(6),
          name: 'Booking',
          contentType: 'application/json',
          schema: JSON.stringify({
            $schema: 'http://json-schema.org/draft-04/schema#',
            title: 'Booking',
            type: 'object',
            required: ['charterDate', 'guests'],
            properties: { charterDate: { type: 'string' }, guests: { type: 'integer', minimum: 1 } },
          }),
        },
      ],
    });
    const booking = this.restApi(BOOKING_API_ID);
    for (const deployment of booking.deployments) {
      booking.snapshots.set(deployment.id ?? '', structuredClone(booking.resources));
    }
    return BOOKING_API_ID;
  }

  #contactApi(region: string): string {
    const apiId = this.id();
    const integrationId = this.id(7);
    const deploymentId = this.id(6);
    this.httpApis.set(apiId, {
      region,
      api: {
        ApiId: apiId,
        Name: 'contact-api',
        Description: 'Contact form of the three websites',
        ProtocolType: 'HTTP',
        RouteSelectionExpression: '$request.method $request.path',
        ApiKeySelectionExpression: '$request.header.x-api-key',
        ApiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
        CreatedDate: day('2024-03-15T08:20:00'),
        DisableExecuteApiEndpoint: false,
        IpAddressType: 'ipv4',
        CorsConfiguration: {
          AllowOrigins: ['https://queenofsandiego.com', 'https://sailjada.com', 'https://salejada.com'],
          AllowMethods: ['POST', 'OPTIONS'],
          AllowHeaders: ['content-type'],
          MaxAge: 600,
          AllowCredentials: false,
        },
        Tags: { app: 'queenofsandiego', env: 'prod' },
      },
      routes: [
        {
          RouteId: this.id(7),
          RouteKey: 'POST /contact',
          Target: `integrations/${integrationId}`,
          AuthorizationType: 'NONE',
          ApiKeyRequired: false,
        },
      ],
      integrations: [
        {
          IntegrationId: integrationId,
          IntegrationType: 'AWS_PROXY',
          IntegrationMethod: 'POST',
          IntegrationUri: this.#model.functionArn('email-sender'),
          PayloadFormatVersion: '2.0',
          ConnectionType: 'INTERNET',
          TimeoutInMillis: 30000,
        },
      ],
      authorizers: [],
      stages: [
        {
          StageName: '$default',
          AutoDeploy: true,
          DeploymentId: deploymentId,
          Description: 'Auto-deployed default stage',
          DefaultRouteSettings: {
            DetailedMetricsEnabled: false,
            ThrottlingBurstLimit: 20,
            ThrottlingRateLimit: 5,
          },
          RouteSettings: {},
          StageVariables: {},
          CreatedDate: day('2024-03-15T08:20:01'),
          LastUpdatedDate: day('2024-03-15T08:25:12'),
          LastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${deploymentId}'`,
          Tags: {},
        },
      ],
      deployments: [
        {
          DeploymentId: deploymentId,
          AutoDeployed: true,
          CreatedDate: day('2024-03-15T08:25:12'),
          DeploymentStatus: 'DEPLOYED',
          Description: 'Automatic deployment triggered by changes to the Api configuration',
        },
      ],
    });
    return apiId;
  }

  /** `scale.restApis`: small REST APIs `campaign-api-0001`… with one resource, no stage. */
  #generatedApi(region: string, index: number): void {
    const id = this.id();
    const rootId = this.id();
    const name = `campaign-api-${String(index).padStart(4, '0')}`;
    this.restApis.set(id, {
      region,
      api: {
        id,
        name,
        createdDate: day('2024-05-01T12:00:00'),
        apiKeySource: 'HEADER',
        endpointConfiguration: { types: ['REGIONAL'] },
        disableExecuteApiEndpoint: false,
        rootResourceId: rootId,
        tags: { app: 'campaigns' },
      },
      resources: [
        {
          id: rootId,
          path: '/',
          resourceMethods: {
            GET: {
              httpMethod: 'GET',
              authorizationType: 'NONE',
              apiKeyRequired: false,
              methodIntegration: {
                type: 'MOCK',
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
                passthroughBehavior: 'WHEN_NO_MATCH',
                timeoutInMillis: 29000,
              },
            },
          },
        },
      ],
      stages: [],
      deployments: [],
      authorizers: [],
      validators: [],
      gatewayResponses: [],
      models: [],
      snapshots: new Map(),
    });
  }
}
