import { APIGatewayClient, GetResourcesCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { apiGatewayRestApi } from '../src/resources/apigateway-rest-api.js';
import { registry } from '../src/resources/registry.js';
import type { PlanInput } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig, UNPACED } from './support/restore-rig.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TYPE = 'AWS::ApiGateway::RestApi';
const API = 'k3x9q2m7ab';
const ref = (id = API) => ({ account: ACCOUNT, region: REGION, type: TYPE, id });

describe('restoring REST APIs against the simulated account', () => {
  const rig = restoreRig({
    definitions: registry.filter((definition) => definition.type === TYPE),
    rateLimits: { apigateway: UNPACED },
  });
  const gateway = () => new APIGatewayClient({ region: REGION });
  const plan = (prune = false) => rig.plan({ resources: [ref()], prune });
  const prodDeployment = async () => {
    const { item = [] } = await gateway().send(new GetStagesCommand({ restApiId: API }));
    return item.find((stage) => stage.stageName === 'prod')?.deploymentId;
  };
  const bookingsMethods = async () => {
    const { items = [] } = await gateway().send(
      new GetResourcesCommand({ restApiId: API, embed: ['methods'] }),
    );
    return Object.keys(items.find((item) => item.path === '/bookings')?.resourceMethods ?? {}).sort();
  };

  it('puts back a method deleted and deployed since, pointing prod back at its deployment', async () => {
    // Arrange
    const deployed = await prodDeployment();
    rig.account.apiGateway.deleteMethod(API, '/bookings', 'POST');
    rig.account.apiGateway.createDeployment(API, 'prod', 'bookings are read-only');
    rig.account.apiGateway.updateStageVariables(API, 'prod', { tableName: 'bookings-v2' });

    // Act
    const planned = await plan(true);
    const report = await rig.apply(planned);
    const again = await plan(true);

    // Assert
    const [resource] = planned.resources;
    expect(resource?.action).toBe('update');
    expect(resource?.sends).toBe(true);
    expect(resource?.steps.map((step) => step.operation)).toEqual([
      'PutRestApi',
      'UpdateStage',
      'DeleteDeployment',
    ]);
    expect(resource?.steps[1]?.input).toEqual({
      restApiId: API,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/deploymentId', value: deployed },
        { op: 'replace', path: '/variables/tableName', value: 'bookings' },
      ],
    });
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(await bookingsMethods()).toEqual(['GET', 'POST']);
    expect(await prodDeployment()).toBe(deployed);
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('deploys the captured export again when the deployment prod served is gone', async () => {
    // Arrange
    const deployed = await prodDeployment();
    rig.account.apiGateway.deleteMethod(API, '/bookings', 'POST');
    rig.account.apiGateway.createDeployment(API, 'prod', 'bookings are read-only');
    rig.account.apiGateway.deleteDeployment(API, deployed ?? '');

    // Act
    const planned = await plan();
    const report = await rig.apply(planned);
    const again = await plan();

    // Assert
    const [resource] = planned.resources;
    expect(resource?.steps.map((step) => [step.operation, step.input.stageName])).toEqual([
      ['PutRestApi', undefined],
      ['CreateDeployment', 'prod'],
    ]);
    expect(resource?.steps[0]?.input.body).toEqual({ $blob: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [outcome] = report.resources;
    expect(outcome?.status).toBe('restored-with-differences');
    expect(
      outcome?.differs?.every((field) => /^Deployments\.|^Stages\.prod\.deploymentId$/.test(field)),
    ).toBe(true);
    expect(outcome?.differs).toContain('Stages.prod.deploymentId');
    expect(await bookingsMethods()).toEqual(['GET', 'POST']);
    expect(again.resources[0]?.action).toBe('nothing');
    expect(again.resources[0]?.notes).toContain(
      `deployments ${deployed} were deleted since: a deployment made again gets a new id`,
    );
  });

  it('cannot import a deleted API again under its id', async () => {
    // Arrange
    rig.account.apiGateway.deleteRestApi(API);

    // Act
    const planned = await plan();
    const report = await rig.apply(planned);

    // Assert
    expect(planned.resources[0]).toMatchObject({ action: 'cannot', steps: [] });
    expect(planned.resources[0]?.reason).toContain('gets a new id');
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['skipped']);
  });
});

describe('REST API restore plans', () => {
  const AUTHORIZER = { id: 'au1', name: 'customers', type: 'COGNITO_USER_POOLS' };
  const method = (authorizerId: string) => ({
    httpMethod: 'GET',
    authorizationType: 'COGNITO_USER_POOLS',
    authorizerId,
    apiKeyRequired: false,
  });
  const document = (fields: JsonObject = {}): JsonObject => ({
    RestApi: { id: API, name: 'booking-api', apiKeySource: 'HEADER', tags: { app: 'sailjada' } },
    Resources: {
      '/': { id: 'root', path: '/' },
      '/bookings': {
        id: 'r1',
        parentId: 'root',
        path: '/bookings',
        pathPart: 'bookings',
        resourceMethods: { GET: method('au1') },
      },
    },
    Authorizers: { au1: AUTHORIZER },
    RequestValidators: {},
    GatewayResponses: {},
    Models: {},
    Stages: {
      prod: {
        stageName: 'prod',
        deploymentId: 'd1',
        description: 'Production',
        tracingEnabled: true,
        cacheClusterEnabled: false,
        variables: { table: 'bookings' },
        methodSettings: { '*/*': { metricsEnabled: true, loggingLevel: 'ERROR' } },
        accessLogSettings: {
          destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access',
          format: '$context.requestId',
        },
      },
      dev: {
        stageName: 'dev',
        deploymentId: 'd0',
        tracingEnabled: false,
        cacheClusterEnabled: false,
        methodSettings: {},
      },
    },
    Deployments: {
      d0: { id: 'd0', createdDate: '2024-04-18T09:02:10.000Z' },
      d1: { id: 'd1', description: 'Stripe webhook', createdDate: '2024-04-20T15:10:40.000Z' },
    },
    ...fields,
  });
  const CAPTURED_BLOBS = { 'openapi/prod': 'b'.repeat(64), 'openapi/dev': 'a'.repeat(64) };
  const input = (
    captured: JsonObject | undefined,
    live: JsonObject | undefined,
    liveBlobs: Record<string, string> = CAPTURED_BLOBS,
    prune = false,
  ): PlanInput => ({
    resource: ref(),
    target: ref(),
    ...(captured ? { captured: { document: captured, blobs: CAPTURED_BLOBS } } : {}),
    ...(live ? { live: { document: live, blobs: liveBlobs } } : {}),
    prune,
  });
  const step = (operation: string, stepInput: JsonObject, summary: string) => ({
    service: 'apigateway',
    operation,
    region: REGION,
    input: { restApiId: API, ...stepInput },
    summary,
  });

  it('sees no difference in ids API Gateway gave again: nothing to do', () => {
    // Arrange: the authorizer and the resource were made again with new ids, the same by name and path.
    const live = document({
      Resources: {
        '/': { id: 'root', path: '/' },
        '/bookings': {
          id: 'r9',
          parentId: 'root',
          path: '/bookings',
          pathPart: 'bookings',
          resourceMethods: { GET: method('au9') },
        },
      },
      Authorizers: { au9: { ...AUTHORIZER, id: 'au9' } },
    });

    // Act
    const change = apiGatewayRestApi.restore?.plan(input(document(), live));

    // Assert
    expect(change).toEqual({ action: 'nothing', steps: [] });
  });

  it('puts the export of the stage deployed last back, then deploys the dev export again and points prod back', () => {
    // Arrange: dev's deployment is gone, prod serves another one, and a method lost its authorizer.
    const live = document({
      Resources: {
        '/': { id: 'root', path: '/' },
        '/bookings': {
          id: 'r1',
          parentId: 'root',
          path: '/bookings',
          pathPart: 'bookings',
          resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false } },
        },
      },
      Stages: {
        prod: { ...((document().Stages as JsonObject).prod as JsonObject), deploymentId: 'd2' },
        dev: {
          stageName: 'dev',
          deploymentId: 'd2',
          tracingEnabled: false,
          cacheClusterEnabled: false,
          methodSettings: {},
        },
      },
      Deployments: {
        d1: { id: 'd1', description: 'Stripe webhook', createdDate: '2024-04-20T15:10:40.000Z' },
        d2: { id: 'd2', createdDate: '2024-06-01T10:00:00.000Z' },
      },
    });

    // Act
    const change = apiGatewayRestApi.restore?.plan(
      input(document(), live, { 'openapi/prod': 'c'.repeat(64), 'openapi/dev': 'c'.repeat(64) }, true),
    );

    // Assert
    expect(change?.action).toBe('update');
    expect(change?.steps).toEqual([
      step(
        'PutRestApi',
        { mode: 'overwrite', failOnWarnings: true, body: { $blob: 'a'.repeat(64) } },
        'put back the definition stage dev served (its export)',
      ),
      step(
        'CreateDeployment',
        { stageName: 'dev', description: 'tidemark restore of deployment d0' },
        'deploy it to stage dev (deployment d0 no longer exists)',
      ),
      step(
        'PutRestApi',
        { mode: 'overwrite', failOnWarnings: true, body: { $blob: 'b'.repeat(64) } },
        'put back the definition as stage prod, deployed last, served it',
      ),
      step(
        'UpdateStage',
        { stageName: 'prod', patchOperations: [{ op: 'replace', path: '/deploymentId', value: 'd1' }] },
        "put back stage prod's deployment",
      ),
      step(
        'DeleteDeployment',
        { deploymentId: 'd2' },
        'delete deployment d2, made since and served by no stage',
      ),
    ]);
    expect(change?.notes).toEqual([
      'PutRestApi overwrites the whole definition with a captured export: changes not deployed at the moment restored to were in no export and are not restored; API keys, usage plans and domain mappings are their own resources',
      'deployments d0 were deleted since: a deployment made again gets a new id',
    ]);
  });

  it('patches the stage settings that differ, and names what it does not restore', () => {
    // Arrange
    const { accessLogSettings: _removed, ...prod } = (document().Stages as JsonObject).prod as JsonObject;
    const live = document({
      RestApi: { id: API, name: 'booking-api', apiKeySource: 'AUTHORIZER', tags: { app: 'sailjada' } },
      Stages: {
        prod: {
          ...prod,
          description: 'Production (v2)',
          tracingEnabled: false,
          variables: { table: 'bookings-v2', debug: 'on' },
          methodSettings: {
            '*/*': { metricsEnabled: false, loggingLevel: 'ERROR' },
            '~1bookings/GET': { metricsEnabled: true },
          },
          tags: { env: 'prod' },
        },
        dev: (document().Stages as JsonObject).dev as JsonObject,
        qa: { stageName: 'qa', deploymentId: 'd1' },
      },
    });

    // Act
    const change = apiGatewayRestApi.restore?.plan(input(document(), live));

    // Assert
    expect(change).toEqual({
      action: 'update',
      steps: [
        step(
          'UpdateStage',
          {
            stageName: 'prod',
            patchOperations: [
              { op: 'replace', path: '/description', value: 'Production' },
              { op: 'replace', path: '/tracingEnabled', value: 'true' },
              { op: 'replace', path: '/variables/table', value: 'bookings' },
              { op: 'remove', path: '/variables/debug' },
              {
                op: 'replace',
                path: '/accessLogSettings/destinationArn',
                value: 'arn:aws:logs:us-east-1:123456789012:log-group:access',
              },
              { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
              { op: 'remove', path: '/~1bookings/GET' },
              { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
            ],
          },
          "put back stage prod's description, tracingEnabled, variables, accessLogSettings, method settings",
        ),
      ],
      notes: [
        'stage prod: tags differ and are not restored: set them by hand',
        'stage qa was created after the moment restored to: kept (delete it by hand)',
        'apiKeySource of the API differ and are not restored: set them by hand (UpdateRestApi, TagResource)',
      ],
    });
  });

  it('with --prune, deletes an API created since', () => {
    // Act
    const change = apiGatewayRestApi.restore?.plan(input(undefined, document(), CAPTURED_BLOBS, true));

    // Assert
    expect(change).toEqual({
      action: 'remove',
      steps: [step('DeleteRestApi', {}, 'delete the REST API created after the moment restored to')],
    });
  });
});
