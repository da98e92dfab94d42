import type { ServiceProfile } from '../dispatch.js';
import type { ApiCallSpec } from '../events.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { apiGatewayProfile } from './api.js';
import { apiGatewayV2Profile } from './api-v2.js';
import { ApiGatewayModel, type ApiGatewaySeed } from './model.js';

const EVENT_SOURCE = 'apigateway.amazonaws.com';

/**
 * API Gateway in the simulated account, home region: the REST API `booking-api` (`/bookings` and `/bookings/{id}`
 * proxied to booking-handler, a Cognito authorizer, stages `prod` and `dev`), its usage plan `partners` with the
 * API key `charter-partner`, the HTTP API `contact-api` (`POST /contact` to email-sender, auto-deployed `$default`
 * stage), the custom domain `api.sailjada.com` mapped to `booking-api` stage `prod`, and `scale.restApis`
 * generated REST APIs. The change methods return the CloudTrail events API Gateway emits (event source
 * `apigateway.amazonaws.com` for v1 and v2 alike).
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

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#gateway = new ApiGatewayModel(context.model, scale.restApis ?? 0);
    this.seed = this.#gateway.seed;
    this.profiles = [
      apiGatewayProfile(context.model, this.#gateway),
      apiGatewayV2Profile(context.model, this.#gateway),
    ];
  }

  /** Sets stage variables of a REST API stage (others kept): an `UpdateStage` with one patch operation each. */
  updateStageVariables(
    restApiId: string,
    stageName: string,
    variables: Readonly<Record<string, string>>,
  ): SimulatedEvent[] {
    const api = this.#gateway.restApi(restApiId);
    const stage = api.stages.find((item) => item.stageName === stageName);
    if (!stage) throw new Error(`no stage ${stageName} in REST API ${restApiId}`);
    const at = this.#context.now();
    stage.variables = { ...stage.variables, ...variables };
    stage.lastUpdatedDate = at;
    return this.#apiCall('UpdateStage', api.region, at, {
      requestParameters: {
        restApiId,
        stageName,
        updateStageInput: {
          patchOperations: Object.entries(variables).map(([name, value]) => ({
            op: 'replace',
            path: `/variables/${name}`,
            value,
          })),
        },
        template: false,
      },
      responseElements: {
        stageName,
        deploymentId: stage.deploymentId,
        variables: { ...stage.variables },
        lastUpdatedDate: consoleDate(at),
        self: { restApiId, stageName, template: false },
      },
    });
  }

  /**
   * Deploys a REST API's current resources to a stage (which must exist): a new deployment the stage then serves.
   * Returns the `CreateDeployment` event; the deployment id is in `responseElements.id`.
   */
  createDeployment(restApiId: string, stageName: string, description: string): SimulatedEvent[] {
    const api = this.#gateway.restApi(restApiId);
    const stage = api.stages.find((item) => item.stageName === stageName);
    if (!stage) throw new Error(`no stage ${stageName} in REST API ${restApiId}`);
    const at = this.#context.now();
    const id = this.#gateway.id(6);
    api.deployments.push({ id, description, createdDate: at });
    api.snapshots.set(id, structuredClone(api.resources));
    stage.deploymentId = id;
    stage.lastUpdatedDate = at;
    return this.#apiCall('CreateDeployment', api.region, at, {
      requestParameters: {
        restApiId,
        createDeploymentInput: { stageName, description },
        template: false,
      },
      responseElements: {
        id,
        description,
        createdDate: consoleDate(at),
        self: { restApiId, deploymentId: id, template: false },
      },
    });
  }

  /** Deletes a REST API with everything under it. */
  deleteRestApi(restApiId: string): SimulatedEvent[] {
    const api = this.#gateway.restApi(restApiId);
    this.#gateway.restApis.delete(restApiId);
    return this.#apiCall('DeleteRestApi', api.region, this.#context.now(), {
      requestParameters: { restApiId, template: false },
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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Dates in API Gateway's CloudTrail response elements read like `Jul 11, 2022 7:37:48 PM` (UTC). */
function consoleDate(at: Date): string {
  const hours = at.getUTCHours();
  const pad = (value: number) => String(value).padStart(2, '0');
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} ${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}
