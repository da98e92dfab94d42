import { SIMULATED_API_KEY_VALUE, SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { apiGatewayApiKey } from '../src/resources/apigateway-api-key.js';
import { apiGatewayRestApi, restApiFromRecord } from '../src/resources/apigateway-rest-api.js';
import { apiGatewayUsagePlan } from '../src/resources/apigateway-usage-plan.js';
import { apiFromRecord, apiGatewayV2Api } from '../src/resources/apigatewayv2-api.js';
import { apiGatewayV2DomainName } from '../src/resources/apigatewayv2-domain-name.js';
import type { JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found, type TestCaptureContext } from './support/capture-context.js';
import { mappedIds } from './support/mapped-events.js';

const REGION = 'us-east-1';
/** The seeded `booking-api`: its id is fixed, as booking-handler's resource policy names it. */
const BOOKING_API = 'k3x9q2m7ab';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start({ region: REGION });
});

afterEach(async () => {
  await account.stop();
});

/** The JSON document a content blob holds. */
function blobJson(ctx: TestCaptureContext, hash: string | undefined): JsonObject {
  const bytes = hash === undefined ? undefined : ctx.content.blobs.get(hash);
  if (!bytes) throw new Error(`blob ${hash} is not stored`);
  return JSON.parse(bytes.toString('utf8')) as JsonObject;
}

describe('apiGatewayRestApi', () => {
  it('lists booking-api', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(apiGatewayRestApi.list(ctx, REGION));

    // Assert
    expect(listed).toEqual([{ id: BOOKING_API }]);
  });

  it('describes the API, its resources, stages, authorizer, gateway responses and models', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const described = found(await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION));
    const document = apiGatewayRestApi.normalise(described.raw) as Record<string, Record<string, never>>;

    // Assert
    const { RestApi: api, Resources: resources, Stages: stages } = document;
    expect(api?.name).toBe('booking-api');
    expect(api?.endpointConfiguration).toMatchObject({ types: ['REGIONAL'] });
    expect(api?.disableExecuteApiEndpoint).toBe(true);
    expect(api?.tags).toEqual({ app: 'sailjada', env: 'prod', owner: 'jada' });
    expect(api?.policy).toMatchObject({
      Statement: [
        { Effect: 'Allow', Action: 'execute-api:Invoke' },
        { Effect: 'Deny', Resource: 'arn:aws:execute-api:us-east-1:123456789012:k3x9q2m7ab/*/DELETE/*' },
      ],
    });
    expect(Object.keys(resources ?? {}).sort()).toEqual(['/', '/bookings', '/bookings/{id}']);
    expect(resources?.['/bookings']).toMatchObject({
      resourceMethods: {
        POST: {
          apiKeyRequired: true,
          methodIntegration: {
            type: 'AWS_PROXY',
            uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:booking-handler/invocations',
          },
        },
        GET: { authorizationType: 'COGNITO_USER_POOLS' },
      },
    });
    expect(Object.keys(stages ?? {}).sort()).toEqual(['dev', 'prod']);
    expect(stages?.prod).toMatchObject({
      variables: { tableName: 'bookings', lambdaAlias: 'live' },
      methodSettings: { '*/*': { throttlingRateLimit: 50, loggingLevel: 'ERROR' } },
      tracingEnabled: true,
    });
    expect(Object.values(document.Authorizers ?? {})).toMatchObject([
      { name: 'charter-customers', type: 'COGNITO_USER_POOLS' },
    ]);
    expect(Object.keys(document.GatewayResponses ?? {})).toEqual(['DEFAULT_4XX']);
    expect(document.Models?.Booking).toMatchObject({ schema: { required: ['charterDate', 'guests'] } });
    expect(described.gaps).toBeUndefined();
  });

  it("stores each stage's OpenAPI 3 export with the API Gateway integration extensions", async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const described = found(await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION));

    // Assert
    expect(Object.keys(described.blobs ?? {}).sort()).toEqual(['openapi/dev', 'openapi/prod']);
    const prod = blobJson(ctx, described.blobs?.['openapi/prod']);
    expect(prod.openapi).toBe('3.0.1');
    expect(prod.servers).toEqual([
      {
        url: 'https://k3x9q2m7ab.execute-api.us-east-1.amazonaws.com/{basePath}',
        variables: { basePath: { default: 'prod' } },
      },
    ]);
    expect(prod.paths).toMatchObject({
      '/bookings': {
        post: {
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            httpMethod: 'POST',
            passthroughBehavior: 'when_no_match',
          },
        },
      },
    });
  });

  it('records a denied stage listing as a gap and captures the rest', async () => {
    // Arrange
    const ctx = createCaptureContext();
    account.deny('apigateway:GetStages', BOOKING_API);

    // Act
    const described = found(await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION));

    // Assert
    expect(described.raw.Stages).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.gaps).toMatchObject([
      { kind: 'denied', id: BOOKING_API, operation: 'apigateway:GET', code: 'AccessDeniedException' },
    ]);
    expect(described.raw.RestApi).toMatchObject({ name: 'booking-api' });
    expect(described.raw.Resources).toHaveLength(3);
  });

  it('is a gap as a whole when GetRestApi is denied', async () => {
    // Arrange
    const ctx = createCaptureContext();
    account.deny('apigateway:GET', BOOKING_API);

    // Act
    const described = await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION);

    // Assert
    expect(described).toMatchObject({
      status: 'gap',
      gap: { kind: 'denied', code: 'AccessDeniedException' },
    });
  });

  it('reports a deleted API as not found', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const events = account.apiGateway.deleteRestApi(BOOKING_API);

    // Act
    const described = await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
    expect(mappedIds(events)).toEqual([`AWS::ApiGateway::RestApi:${BOOKING_API}`]);
  });

  it('sees a stage variable change, whose UpdateStage event maps to the API alone', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const events = account.apiGateway.updateStageVariables(BOOKING_API, 'prod', { tableName: 'bookings-v2' });
    const described = found(await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION));

    // Assert
    const stages = apiGatewayRestApi.normalise(described.raw).Stages as Record<string, JsonObject>;
    expect(stages.prod?.variables).toEqual({ tableName: 'bookings-v2', lambdaAlias: 'live' });
    expect(mappedIds(events)).toEqual([`AWS::ApiGateway::RestApi:${BOOKING_API}`]);
  });

  it('sees a new deployment serving the stage', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const events = account.apiGateway.createDeployment(BOOKING_API, 'dev', 'Weekend rates');
    const described = found(await apiGatewayRestApi.describe(ctx, BOOKING_API, REGION));

    // Assert
    const document = apiGatewayRestApi.normalise(described.raw);
    const deployments = Object.values(document.Deployments as Record<string, JsonObject>);
    const created = deployments.find((deployment) => deployment.description === 'Weekend rates');
    expect(created).toBeDefined();
    expect((document.Stages as Record<string, JsonObject>).dev?.deploymentId).toBe(created?.id);
    expect(mappedIds(events)).toEqual([`AWS::ApiGateway::RestApi:${BOOKING_API}`]);
  });
});

describe('apiGatewayRestApi.list with more APIs than a page holds', () => {
  beforeEach(async () => {
    await account.stop();
    account = await SimulatedAccount.start({ region: REGION, scale: { restApis: 600 } });
  });

  it('follows position across pages of 500', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(apiGatewayRestApi.list(ctx, REGION));

    // Assert
    expect(listed).toHaveLength(601);
    expect(new Set(listed.map((resource) => resource.id)).size).toBe(601);
    expect(account.callCounts().GetRestApis).toBe(2);
  });
});

describe('apiGatewayUsagePlan and apiGatewayApiKey', () => {
  it('captures the plan with its keys, never a key value', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const [plan] = await collect(apiGatewayUsagePlan.list(ctx, REGION));

    // Act
    const described = found(await apiGatewayUsagePlan.describe(ctx, plan?.id ?? '', REGION));
    const document = apiGatewayUsagePlan.normalise(described.raw);

    // Assert
    expect(document.UsagePlan).toMatchObject({
      name: 'partners',
      apiStages: [{ apiId: BOOKING_API, stage: 'prod' }],
      throttle: { burstLimit: 20, rateLimit: 10 },
      quota: { limit: 5000, period: 'MONTH' },
    });
    expect(Object.values(document.Keys as JsonObject)).toMatchObject([
      { name: 'charter-partner', type: 'API_KEY' },
    ]);
    expect(JSON.stringify(described.raw)).not.toContain(SIMULATED_API_KEY_VALUE);
  });

  it('captures the API key without its value', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const listed = await collect(apiGatewayApiKey.list(ctx, REGION));

    // Act
    const described = found(await apiGatewayApiKey.describe(ctx, listed[0]?.id ?? '', REGION));

    // Assert
    expect(listed).toHaveLength(1);
    expect(described.raw.ApiKey).toMatchObject({
      name: 'charter-partner',
      enabled: true,
      customerId: 'partner-0042',
      stageKeys: ['k3x9q2m7ab/prod'],
      tags: { partner: 'harbor-tours' },
    });
    expect(JSON.stringify(described.raw)).not.toContain(SIMULATED_API_KEY_VALUE);
    expect(JSON.stringify(apiGatewayApiKey.normalise(described.raw))).not.toContain('value');
  });
});

describe('apiGatewayV2Api', () => {
  it('describes contact-api with its route, Lambda integration and auto-deployed stage', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const listed = await collect(apiGatewayV2Api.list(ctx, REGION));

    // Act
    const described = found(
      await apiGatewayV2Api.describe(ctx, account.apiGateway.seed.contactApiId, REGION),
    );
    const document = apiGatewayV2Api.normalise(described.raw) as Record<string, Record<string, JsonObject>>;

    // Assert
    expect(listed).toEqual([{ id: account.apiGateway.seed.contactApiId }]);
    expect(document.Api).toMatchObject({
      Name: 'contact-api',
      ProtocolType: 'HTTP',
      RouteSelectionExpression: '$request.method $request.path',
      CorsConfiguration: { AllowMethods: ['POST', 'OPTIONS'] },
    });
    const route = document.Routes?.['POST /contact'];
    const integrationId = String(route?.Target).replace('integrations/', '');
    expect(document.Integrations?.[integrationId]).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:email-sender',
      PayloadFormatVersion: '2.0',
    });
    expect(document.Stages?.$default).toMatchObject({ AutoDeploy: true });
  });

  it('records a denied route listing as a gap and captures the rest', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const apiId = account.apiGateway.seed.contactApiId;
    account.deny('apigateway:GetRoutes', apiId);

    // Act
    const described = found(await apiGatewayV2Api.describe(ctx, apiId, REGION));

    // Assert
    expect(described.raw.Routes).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.gaps).toMatchObject([{ kind: 'denied', id: apiId, code: 'AccessDeniedException' }]);
    expect(described.raw.Integrations).toHaveLength(1);
  });

  it('sees a new route, whose CreateRoute event maps to the HTTP API alone', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const apiId = account.apiGateway.seed.contactApiId;

    // Act
    const events = account.apiGateway.createRoute(apiId, 'POST /newsletter');
    const described = found(await apiGatewayV2Api.describe(ctx, apiId, REGION));

    // Assert
    const routes = apiGatewayV2Api.normalise(described.raw).Routes as JsonObject;
    expect(Object.keys(routes).sort()).toEqual(['POST /contact', 'POST /newsletter']);
    expect(mappedIds(events)).toEqual([`AWS::ApiGatewayV2::Api:${apiId}`]);
  });
});

describe('apiGatewayV2DomainName', () => {
  it('captures api.sailjada.com with its TLS policy and its mapping to booking-api prod', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const listed = await collect(apiGatewayV2DomainName.list(ctx, REGION));

    // Act
    const described = found(await apiGatewayV2DomainName.describe(ctx, 'api.sailjada.com', REGION));

    // Assert
    expect(listed).toEqual([{ id: 'api.sailjada.com' }]);
    expect(described.raw.DomainName).toMatchObject({
      DomainNameConfigurations: [
        {
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
          CertificateArn: expect.stringMatching(/^arn:aws:acm:us-east-1:123456789012:certificate\//),
        },
      ],
    });
    expect(described.raw.ApiMappings).toMatchObject([
      { ApiId: BOOKING_API, Stage: 'prod', ApiMappingKey: '' },
    ]);
  });

  it('reports an unknown domain as not found', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const described = await apiGatewayV2DomainName.describe(ctx, 'api.salejada.com', REGION);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('event extractors shared by v1 and v2', () => {
  const v1Stage = {
    eventName: 'CreateStage',
    requestParameters: { restApiId: 'abcdef74gh', stageName: 'test' },
  };
  const v2Stage = { eventName: 'CreateStage', requestParameters: { apiId: 'r8t5w2p9qz', stageName: 'test' } };

  it('names the REST API only for v1 records and the HTTP API only for v2 records', () => {
    // Act
    const results = [
      restApiFromRecord(v1Stage),
      restApiFromRecord(v2Stage),
      apiFromRecord(v1Stage),
      apiFromRecord(v2Stage),
    ];

    // Assert
    expect(results).toEqual([['abcdef74gh'], [], [], ['r8t5w2p9qz']]);
  });

  it('tells tagged REST API stages from HTTP APIs by their ARN', () => {
    // Arrange
    const stage = {
      requestParameters: { resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/abcdef74gh/stages/test2' },
    };
    const httpApi = { requestParameters: { resourceArn: 'arn:aws:apigateway:us-east-1::/apis/r8t5w2p9qz' } };

    // Act
    const results = [
      restApiFromRecord(stage),
      apiFromRecord(stage),
      restApiFromRecord(httpApi),
      apiFromRecord(httpApi),
    ];

    // Assert
    expect(results).toEqual([['abcdef74gh'], [], [], ['r8t5w2p9qz']]);
  });
});
