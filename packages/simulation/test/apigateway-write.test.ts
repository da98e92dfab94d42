import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  GetDeploymentsCommand,
  GetExportCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStagesCommand,
  PutRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

const API = 'k3x9q2m7ab';
const HANDLER_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:booking-handler/invocations';

/** A small definition: `GET /charters` and `GET /charters/{id}` answered by a mock integration. */
const CHARTERS = {
  openapi: '3.0.1',
  info: { title: 'charters-api', version: '1' },
  paths: {
    '/charters/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: '200 response', content: {} } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: 'when_no_match',
          timeoutInMillis: 29000,
        },
      },
    },
  },
  components: { schemas: {} },
};

let account: SimulatedAccount;
let gateway: APIGatewayClient;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  gateway = new APIGatewayClient({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

const body = (definition: unknown) => new TextEncoder().encode(JSON.stringify(definition));
const putRestApi = (definition: unknown) =>
  gateway.send(
    new PutRestApiCommand({
      restApiId: API,
      mode: 'overwrite',
      failOnWarnings: true,
      body: body(definition),
    }),
  );

async function resources() {
  const { items = [] } = await gateway.send(
    new GetResourcesCommand({ restApiId: API, embed: ['methods'], limit: 500 }),
  );
  return new Map(items.map((item) => [item.path, item]));
}

async function exported(stageName: string): Promise<Record<string, unknown>> {
  const { body: bytes } = await gateway.send(
    new GetExportCommand({ restApiId: API, stageName, exportType: 'oas30', accepts: 'application/json' }),
  );
  return JSON.parse(new TextDecoder().decode(bytes));
}

async function stage(stageName: string) {
  const { item = [] } = await gateway.send(new GetStagesCommand({ restApiId: API }));
  return item.find((candidate) => candidate.stageName === stageName);
}

describe('simulated API Gateway PutRestApi', () => {
  it('replaces the working definition with the one given, which a deployment then serves', async () => {
    // Act
    const answer = await putRestApi(CHARTERS);
    const after = await resources();
    const servedBefore = await exported('prod');
    await gateway.send(new CreateDeploymentCommand({ restApiId: API, stageName: 'prod' }));
    const servedAfter = await exported('prod');

    // Assert
    expect(answer).toMatchObject({ id: API, name: 'charters-api' });
    expect(answer).not.toHaveProperty('description');
    expect([...after.keys()]).toEqual(['/', '/charters', '/charters/{id}']);
    expect(after.get('/charters')).not.toHaveProperty('resourceMethods');
    expect(after.get('/charters/{id}')?.resourceMethods?.GET).toEqual({
      httpMethod: 'GET',
      authorizationType: 'NONE',
      apiKeyRequired: false,
      requestParameters: { 'method.request.path.id': true },
      methodResponses: { '200': { statusCode: '200' } },
      methodIntegration: {
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 29000,
        cacheNamespace: after.get('/charters/{id}')?.id,
        cacheKeyParameters: [],
      },
    });
    expect(Object.keys(servedBefore.paths as object)).toEqual(['/bookings', '/bookings/{id}']);
    expect(Object.keys(servedAfter.paths as object)).toEqual(['/charters/{id}']);
  });

  it('puts back an exported definition: resources keep their ids, methods deleted since come back', async () => {
    // Arrange
    const before = await resources();
    const definition = await exported('prod');
    account.apiGateway.deleteMethod(API, '/bookings', 'POST');

    // Act
    await putRestApi(definition);
    const after = await resources();

    // Assert
    expect(after).toEqual(before);
    expect(after.get('/bookings')?.resourceMethods?.POST).toMatchObject({
      httpMethod: 'POST',
      apiKeyRequired: true,
      methodIntegration: { type: 'AWS_PROXY', httpMethod: 'POST', uri: HANDLER_URI },
    });
  });

  it('refuses a body that is no JSON, and changes nothing', async () => {
    // Arrange
    const before = await resources();

    // Act
    const error = await failure(
      gateway.send(
        new PutRestApiCommand({
          restApiId: API,
          mode: 'overwrite',
          body: new TextEncoder().encode('openapi: 3'),
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 },
      message: 'Errors found during import:\n\tUnable to parse the API definition: it is no valid JSON',
    });
    expect(await resources()).toEqual(before);
  });

  it('answers NotFoundException for an API that does not exist', async () => {
    // Act
    const error = await failure(
      gateway.send(
        new PutRestApiCommand({ restApiId: 'nosuchapi1', mode: 'overwrite', body: body(CHARTERS) }),
      ),
    );

    // Assert
    expect(error).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});

describe('simulated API Gateway deployments and stages', () => {
  it('creates a deployment (201) that a new stage named in the call serves', async () => {
    // Act
    const deployment = await gateway.send(
      new CreateDeploymentCommand({
        restApiId: API,
        stageName: 'staging',
        stageDescription: 'Staging',
        description: 'First staging',
        variables: { tableName: 'bookings-staging' },
      }),
    );
    const staging = await stage('staging');

    // Assert
    expect(deployment.$metadata.httpStatusCode).toBe(201);
    expect(deployment.description).toBe('First staging');
    expect(staging).toMatchObject({
      deploymentId: deployment.id,
      description: 'Staging',
      variables: { tableName: 'bookings-staging' },
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      tracingEnabled: false,
      methodSettings: {},
    });
  });

  it('refuses to deploy an API without methods', async () => {
    // Arrange
    await putRestApi({ ...CHARTERS, paths: {} });

    // Act
    const error = await failure(
      gateway.send(new CreateDeploymentCommand({ restApiId: API, stageName: 'prod' })),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'BadRequestException',
      message: "The REST API doesn't contain any methods",
    });
  });

  it('patches a stage: its deployment, variables, description, tracing, method settings and access logs', async () => {
    // Arrange
    const dev = await stage('dev');

    // Act
    const updated = await gateway.send(
      new UpdateStageCommand({
        restApiId: API,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: dev?.deploymentId },
          { op: 'replace', path: '/variables/tableName', value: 'bookings-v2' },
          { op: 'remove', path: '/variables/lambdaAlias' },
          { op: 'replace', path: '/description', value: 'Production (v2)' },
          { op: 'replace', path: '/tracingEnabled', value: 'false' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
          { op: 'replace', path: '/~1bookings/GET/throttling/rateLimit', value: '20' },
          { op: 'remove', path: '/accessLogSettings' },
        ],
      }),
    );
    const prod = await stage('prod');

    // Assert
    expect(updated.deploymentId).toBe(dev?.deploymentId);
    expect(prod).toMatchObject({
      deploymentId: dev?.deploymentId,
      variables: { tableName: 'bookings-v2' },
      description: 'Production (v2)',
      tracingEnabled: false,
    });
    expect(prod?.methodSettings?.['*/*']?.loggingLevel).toBe('INFO');
    expect(prod?.methodSettings?.['~1bookings/GET']).toEqual({
      metricsEnabled: false,
      loggingLevel: 'OFF',
      dataTraceEnabled: false,
      throttlingBurstLimit: 5000,
      throttlingRateLimit: 20,
      cachingEnabled: false,
      cacheTtlInSeconds: 300,
      cacheDataEncrypted: false,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    });
    expect(prod).not.toHaveProperty('accessLogSettings');
  });

  it('applies none of a patch when one of its operations is refused', async () => {
    // Arrange
    const before = await stage('prod');

    // Act
    const badPath = await failure(
      gateway.send(
        new UpdateStageCommand({
          restApiId: API,
          stageName: 'prod',
          patchOperations: [
            { op: 'replace', path: '/variables/tableName', value: 'bookings-v2' },
            { op: 'replace', path: '/name', value: 'production' },
          ],
        }),
      ),
    );
    const badDeployment = await failure(
      gateway.send(
        new UpdateStageCommand({
          restApiId: API,
          stageName: 'prod',
          patchOperations: [{ op: 'replace', path: '/deploymentId', value: 'nosuch' }],
        }),
      ),
    );

    // Assert
    expect(badPath).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    expect(badPath.message).toContain("Invalid patch path  '/name' specified for op 'replace'");
    expect(badDeployment).toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid Deployment identifier specified',
    });
    expect(await stage('prod')).toEqual(before);
  });

  it('creates a stage on an existing deployment (201), and refuses a name already used (409)', async () => {
    // Arrange
    const prod = await stage('prod');

    // Act
    const created = await gateway.send(
      new CreateStageCommand({ restApiId: API, stageName: 'canary', deploymentId: prod?.deploymentId }),
    );
    const conflict = await failure(
      gateway.send(
        new CreateStageCommand({ restApiId: API, stageName: 'dev', deploymentId: prod?.deploymentId }),
      ),
    );

    // Assert
    expect(created).toMatchObject({
      $metadata: { httpStatusCode: 201 },
      stageName: 'canary',
      deploymentId: prod?.deploymentId,
    });
    expect(conflict).toMatchObject({
      name: 'ConflictException',
      $metadata: { httpStatusCode: 409 },
      message: 'Stage already exists',
    });
  });

  it('deletes only a deployment no stage serves (202)', async () => {
    // Arrange
    const unused = await gateway.send(new CreateDeploymentCommand({ restApiId: API, description: 'spare' }));
    const prod = await stage('prod');

    // Act
    const deleted = await gateway.send(
      new DeleteDeploymentCommand({ restApiId: API, deploymentId: unused.id }),
    );
    const inUse = await failure(
      gateway.send(new DeleteDeploymentCommand({ restApiId: API, deploymentId: prod?.deploymentId })),
    );
    const { items = [] } = await gateway.send(new GetDeploymentsCommand({ restApiId: API }));

    // Assert
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(inUse).toMatchObject({
      name: 'BadRequestException',
      message: 'Active stages pointing to this deployment must be moved or deleted',
    });
    expect(items.map((item) => item.id)).not.toContain(unused.id);
    expect(items.map((item) => item.id)).toContain(prod?.deploymentId);
  });

  it('deletes a REST API (202)', async () => {
    // Act
    const deleted = await gateway.send(new DeleteRestApiCommand({ restApiId: API }));
    const error = await failure(gateway.send(new GetRestApiCommand({ restApiId: API })));

    // Assert
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(error).toMatchObject({ name: 'NotFoundException' });
  });

  it('records each write in CloudTrail with the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await putRestApi(await exported('prod'));
    const deployment = await gateway.send(
      new CreateDeploymentCommand({ restApiId: API, stageName: 'prod', description: 'restored' }),
    );

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'PutRestApi',
        awsRegion: 'us-east-1',
        requestParameters: { restApiId: API, mode: 'overwrite', failOnWarnings: true },
      },
      {
        eventName: 'CreateDeployment',
        requestParameters: {
          restApiId: API,
          createDeploymentInput: { stageName: 'prod', description: 'restored' },
        },
        responseElements: { id: deployment.id, description: 'restored' },
      },
    ]);
    for (const record of records) expect(record.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });
});
