import type { ServiceProfile } from '../dispatch.js';
import type { ApiCallSpec } from '../events.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { apiGatewayProfile } from './api.js';
import { apiGatewayV2Profile } from './api-v2.js';
import { ApiGatewayModel, type ApiGatewaySeed } from './model.js';
import { apiGatewayWriteOperations } from './write-api.js';
import { ApiGatewayWrites, type WriteCall } from './writes.js';

const EVENT_SOURCE = 'apigateway.amazonaws.com';

/**
 * API Gateway in the simulated account, home region: the REST API `booking-api` (`/bookings` and `/bookings/{id}`
 * proxied to booking-handler, a Cognito authorizer, stages `prod` and `dev`), its usage plan `partners` with the
 * API key `charter-partner`, the HTTP API `contact-api` (`POST /contact` to email-sender, auto-deployed `$default`
 * stage), the custom domain `api.sailjada.com` mapped to `booking-api` stage `prod`, and `scale.restApis`
 * generated REST APIs. Besides the reads it answers the REST API writes a restore sends (`PutRestApi` importing an
 * OpenAPI 3 export, `CreateDeployment`, `CreateStage`, `UpdateStage`, `DeleteDeployment`, `DeleteRestApi`). The
 * change methods return the CloudTrail events API Gateway emits (event source `apigateway.amazonaws.com` for v1 and
 * v2 alike).
 *
 * @example
 * const [event] = account.apiGateway.updateStageVariables(account.apiGateway.seed.bookingApiId, 'prod', { tableName: 'bookings-v2' });
 */
export class SimulatedApiGateway implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  /** The seeded resources' ids. */
  readonly seed: ApiGatewaySeed;
  readonly #context: SimulationContext;
  readonly #gateway: ApiGatewayModel;
  readonly #writes: ApiGatewayWrites;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#gateway = new ApiGatewayModel(context.model, scale.restApis ?? 0);
    this.seed = this.#gateway.seed;
    this.#writes = new ApiGatewayWrites(this.#gateway, context);
    this.profiles = [
      apiGatewayProfile(context.model, this.#gateway, apiGatewayWriteOperations(this.#writes)),
      apiGatewayV2Profile(context.model, this.#gateway),
    ];
  }

  /** Sets stage variables of a REST API stage (others kept): an `UpdateStage` with one patch operation each. */
  updateStageVariables(
    restApiId: string,
    stageName: string,
    variables: Readonly<Record<string, string>>,
  ): SimulatedEvent[] {
    const patchOperations = Object.entries(variables).map(([name, value]) => ({
      op: 'replace' as const,
      path: `/variables/${name}`,
      value,
    }));
    return this.#writes.updateStage({ restApiId, stageName, patchOperations }, this.#home(restApiId)).events;
  }

  /**
   * Deploys a REST API's current resources to a stage (which must exist): a new deployment the stage then serves.
   * Returns the `CreateDeployment` event; the deployment id is in `responseElements.id`.
   */
  createDeployment(restApiId: string, stageName: string, description: string): SimulatedEvent[] {
    const api = this.#gateway.restApi(restApiId);
    if (!api.stages.some((item) => item.stageName === stageName))
      throw new Error(`no stage ${stageName} in REST API ${restApiId}`);
    return this.#writes.createDeployment({ restApiId, stageName, description }, this.#home(restApiId)).events;
  }

  /** Deletes a deployment no stage serves (`DeleteDeployment`). */
  deleteDeployment(restApiId: string, deploymentId: string): SimulatedEvent[] {
    return this.#writes.deleteDeployment({ restApiId, deploymentId }, this.#home(restApiId));
  }

  /** Deletes a REST API with everything under it. */
  deleteRestApi(restApiId: string): SimulatedEvent[] {
    return this.#writes.deleteRestApi({ restApiId }, this.#home(restApiId));
  }

  /**
   * Deletes a method of a REST API resource (`DeleteMethod`): the working definition changes, the stages keep
   * serving what was deployed until the next deployment.
   */
  deleteMethod(restApiId: string, path: string, httpMethod: string): SimulatedEvent[] {
    const api = this.#gateway.restApi(restApiId);
    const resource = api.resources.find((item) => item.path === path);
    if (!resource?.resourceMethods?.[httpMethod])
      throw new Error(`no method ${httpMethod} ${path} in REST API ${restApiId}`);
    const { [httpMethod]: _deleted, ...kept } = resource.resourceMethods;
    if (Object.keys(kept).length > 0) resource.resourceMethods = kept;
    else delete resource.resourceMethods;
    return this.#apiCall('DeleteMethod', api.region, this.#context.now(), {
      requestParameters: { restApiId, resourceId: resource.id, httpMethod, template: false },
      responseElements: null,
    });
  }

  /**
   * Adds a route to an HTTP API targeting one of its integrations (the first when none is named); an auto-deployed
   * stage gets a new deployment, as API Gateway makes one on every change. Returns the `CreateRoute` event.
   */
  createRoute(apiId: string, routeKey: string, integrationId?: string): SimulatedEvent[] {
    const api = this.#gateway.httpApi(apiId);
    const integration = integrationId ?? api.integrations[0]?.IntegrationId;
    if (!integration) throw new Error(`HTTP API ${apiId} has no integration to route to`);
    const at = this.#context.now();
    const routeId = this.#gateway.id(7);
    const route = {
      RouteId: routeId,
      RouteKey: routeKey,
      Target: `integrations/${integration}`,
      AuthorizationType: 'NONE' as const,
      ApiKeyRequired: false,
    };
    api.routes.push(route);
    for (const stage of api.stages.filter((item) => item.AutoDeploy)) {
      const deploymentId = this.#gateway.id(6);
      api.deployments.push({
        DeploymentId: deploymentId,
        AutoDeployed: true,
        CreatedDate: at,
        DeploymentStatus: 'DEPLOYED',
        Description: 'Automatic deployment triggered by changes to the Api configuration',
      });
      stage.DeploymentId = deploymentId;
      stage.LastUpdatedDate = at;
      stage.LastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deploymentId}'`;
    }
    return this.#apiCall('CreateRoute', api.region, at, {
      requestParameters: { apiId, routeKey, target: route.Target, authorizationType: 'NONE' },
      responseElements: {
        apiId,
        routeId,
        routeKey,
        target: route.Target,
        authorizationType: 'NONE',
        apiKeyRequired: false,
      },
    });
  }

  /** Where a change method's call is answered: the API's region, by the console. */
  #home(restApiId: string): WriteCall {
    return { region: this.#gateway.restApi(restApiId).region };
  }

  #apiCall(
    eventName: string,
    region: string,
    at: Date,
    body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    return emitApiCall(this.#context, 'apigateway', {
      eventSource: EVENT_SOURCE,
      eventName,
      region,
      at,
      ...body,
    });
  }
}
