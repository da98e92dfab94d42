import type {
  CreateDeploymentCommandInput,
  CreateStageCommandInput,
  Deployment,
  MethodSetting,
  PatchOperation,
  PutRestApiCommandInput,
  RestApi,
  Stage,
  UpdateStageCommandInput,
} from '@aws-sdk/client-api-gateway';
import { fault } from '../errors.js';
import { optional } from '../model.js';
import { emitApiCall, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import { findRestApi } from './api.js';
import { importOpenApi } from './import.js';
import type { ApiGatewayModel, SimRestApi } from './model.js';

const EVENT_SOURCE = 'apigateway.amazonaws.com';

/** Where a call is answered and who sent it. */
export interface WriteCall {
  readonly region: string;
  /** The caller's `user-agent`. @default the console's */
  readonly userAgent?: string;
}

/** What a write answered, with the events recorded. */
export interface Answered<T> {
  readonly answer: T;
  readonly events: SimulatedEvent[];
}

/** A method setting's patch path below `/<resource>/<verb>/`, and the field it sets. */
const METHOD_SETTINGS: Readonly<
  Record<string, { field: keyof MethodSetting; kind: 'boolean' | 'number' | 'string' }>
> = {
  'metrics/enabled': { field: 'metricsEnabled', kind: 'boolean' },
  'logging/loglevel': { field: 'loggingLevel', kind: 'string' },
  'logging/dataTrace': { field: 'dataTraceEnabled', kind: 'boolean' },
  'throttling/burstLimit': { field: 'throttlingBurstLimit', kind: 'number' },
  'throttling/rateLimit': { field: 'throttlingRateLimit', kind: 'number' },
  'caching/enabled': { field: 'cachingEnabled', kind: 'boolean' },
  'caching/ttlInSeconds': { field: 'cacheTtlInSeconds', kind: 'number' },
  'caching/dataEncrypted': { field: 'cacheDataEncrypted', kind: 'boolean' },
  'caching/requireAuthorizationForCacheControl': {
    field: 'requireAuthorizationForCacheControl',
    kind: 'boolean',
  },
  'caching/unauthorizedCacheControlHeaderStrategy': {
    field: 'unauthorizedCacheControlHeaderStrategy',
    kind: 'string',
  },
};

/** What API Gateway gives a method setting it did not have before a patch sets one of its fields. */
const DEFAULT_METHOD_SETTING: MethodSetting = {
  metricsEnabled: false,
  loggingLevel: 'OFF',
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

/** The stage paths `UpdateStage` takes, for its error message. */
const STAGE_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /tracingEnabled, /variables/*, /accessLogSettings/*, /*/*/*/*]';

/**
 * The REST API (v1) changes of the simulated account, shared by its API (the caller's region and user agent) and
 * its change methods (the home region, the console's user agent): each checks what API Gateway checks, answering
 * with its errors (`NotFoundException` 404, `BadRequestException` 400, `ConflictException` 409), changes the model
 * so the reads return it and records the CloudTrail event as API Gateway does (the body of a call in
 * `<operation>Input`, dates in response elements as the console prints them).
 */
export class ApiGatewayWrites {
  readonly #gateway: ApiGatewayModel;
  readonly #context: SimulationContext;

  constructor(gateway: ApiGatewayModel, context: SimulationContext) {
    this.#gateway = gateway;
    this.#context = context;
  }

  /**
   * `PutRestApi`: replaces the API's definition with the OpenAPI 3 `body` (`overwrite` mode; see
   * {@link importOpenApi}). The simulation implements no `merge`, API Gateway's default.
   */
  putRestApi(input: PutRestApiCommandInput, call: WriteCall): Answered<RestApi> {
    const api = this.#api(input.restApiId, call);
    if (input.mode !== 'overwrite')
      throw new Error(
        `the simulated PutRestApi implements mode overwrite only, not ${input.mode ?? 'merge'}`,
      );
    importOpenApi(api, bodyText(input.body), (length) => this.#gateway.id(length));
    const answer = structuredClone(api.api);
    return {
      answer,
      events: this.#record(
        'PutRestApi',
        {
          restApiId: input.restApiId,
          mode: input.mode,
          failOnWarnings: input.failOnWarnings ?? false,
          template: false,
        },
        { id: answer.id, name: answer.name, self: { restApiId: answer.id, template: false } },
        call,
      ),
    };
  }

  /**
   * `CreateDeployment`: freezes the API's current resources in a new deployment; with `stageName`, the stage then
   * serves it (created when it does not exist, with `stageDescription` and the stage settings given).
   */
  createDeployment(input: CreateDeploymentCommandInput, call: WriteCall): Answered<Deployment> {
    const api = this.#api(input.restApiId, call);
    if (!api.resources.some((resource) => Object.keys(resource.resourceMethods ?? {}).length > 0))
      throw fault('BadRequestException', 400, "The REST API doesn't contain any methods");
    const at = this.#context.now();
    const id = this.#gateway.id(6);
    const deployment: Deployment = { id, ...optional('description', input.description), createdDate: at };
    api.deployments.push(deployment);
    api.snapshots.set(id, structuredClone(api.resources));
    if (input.stageName !== undefined) {
      const stage = api.stages.find((item) => item.stageName === input.stageName);
      if (stage) {
        stage.deploymentId = id;
        stage.lastUpdatedDate = at;
      } else
        api.stages.push(
          newStage(
            {
              stageName: input.stageName,
              deploymentId: id,
              description: input.stageDescription,
              cacheClusterEnabled: input.cacheClusterEnabled,
              cacheClusterSize: input.cacheClusterSize,
              variables: input.variables,
              tracingEnabled: input.tracingEnabled,
            },
            at,
          ),
        );
    }
    const { restApiId, ...body } = input;
    return {
      answer: structuredClone(deployment),
      events: this.#record(
        'CreateDeployment',
        { restApiId, createDeploymentInput: body, template: false },
        {
          id,
          ...optional('description', input.description),
          createdDate: consoleDate(at),
          self: { restApiId, deploymentId: id, template: false },
        },
        call,
      ),
    };
  }

  /** `CreateStage`: a stage serving an existing deployment; a name already used is `ConflictException`. */
  createStage(input: CreateStageCommandInput, call: WriteCall): Answered<Stage> {
    const api = this.#api(input.restApiId, call);
    if (api.stages.some((stage) => stage.stageName === input.stageName))
      throw fault('ConflictException', 409, 'Stage already exists');
    deploymentOf(api, input.deploymentId);
    const at = this.#context.now();
    const stage = newStage(input, at);
    api.stages.push(stage);
    const { restApiId, ...body } = input;
    return {
      answer: structuredClone(stage),
      events: this.#record(
        'CreateStage',
        { restApiId, createStageInput: body, template: false },
        stageElements(restApiId, stage),
        call,
      ),
    };
  }

  /**
   * `UpdateStage`: applies the patch operations in order, all or none: `/deploymentId`, `/description`,
   * `/cacheClusterEnabled`, `/cacheClusterSize`, `/tracingEnabled`, `/variables/<name>`,
   * `/accessLogSettings/destinationArn` and `/format` (`remove /accessLogSettings`), and the method settings
   * `/<resource>/<verb>/<setting>` (`remove /<resource>/<verb>` drops one).
   */
  updateStage(input: UpdateStageCommandInput, call: WriteCall): Answered<Stage> {
    const api = this.#api(input.restApiId, call);
    const stage = stageOf(api, input.stageName);
    const patched = structuredClone(stage);
    for (const operation of input.patchOperations ?? []) patchStage(api, patched, operation);
    patched.lastUpdatedDate = this.#context.now();
    api.stages[api.stages.indexOf(stage)] = patched;
    const { restApiId, stageName, ...body } = input;
    return {
      answer: structuredClone(patched),
      events: this.#record(
        'UpdateStage',
        { restApiId, stageName, updateStageInput: body, template: false },
        stageElements(restApiId, patched),
        call,
      ),
    };
  }

  /** `DeleteDeployment`: only a deployment no stage serves. */
  deleteDeployment(
    input: { restApiId?: string | undefined; deploymentId?: string | undefined },
    call: WriteCall,
  ): SimulatedEvent[] {
    const api = this.#api(input.restApiId, call);
    const deployment = deploymentOf(api, input.deploymentId);
    if (api.stages.some((stage) => stage.deploymentId === deployment.id))
      throw fault(
        'BadRequestException',
        400,
        'Active stages pointing to this deployment must be moved or deleted',
      );
    api.deployments.splice(api.deployments.indexOf(deployment), 1);
    api.snapshots.delete(deployment.id ?? '');
    return this.#record(
      'DeleteDeployment',
      { restApiId: input.restApiId, deploymentId: input.deploymentId, template: false },
      null,
      call,
    );
  }

  /** `DeleteRestApi`: the API with everything under it. */
  deleteRestApi(input: { restApiId?: string | undefined }, call: WriteCall): SimulatedEvent[] {
    this.#api(input.restApiId, call);
    this.#gateway.restApis.delete(input.restApiId ?? '');
    return this.#record('DeleteRestApi', { restApiId: input.restApiId, template: false }, null, call);
  }

  #api(restApiId: string | undefined, call: WriteCall): SimRestApi {
    return findRestApi(this.#gateway, this.#context.model, restApiId ?? '', call);
  }

  #record(
    eventName: string,
    requestParameters: Record<string, unknown>,
    responseElements: Record<string, unknown> | null,
    call: WriteCall,
  ): SimulatedEvent[] {
    return emitApiCall(this.#context, 'apigateway', {
      eventSource: EVENT_SOURCE,
      eventName,
      region: call.region,
      at: this.#context.now(),
      requestParameters,
      responseElements,
      ...optional('userAgent', call.userAgent),
    });
  }
}

/** A new stage as API Gateway creates it: no cache cluster, no tracing, no method settings unless given. */
function newStage(
  input: Omit<CreateStageCommandInput, 'restApiId'> & { readonly stageName?: string | undefined },
  at: Date,
): Stage {
  const cacheClusterEnabled = input.cacheClusterEnabled ?? false;
  return {
    stageName: input.stageName,
    deploymentId: input.deploymentId,
    ...optional('description', input.description),
    cacheClusterEnabled,
    ...optional('cacheClusterSize', cacheClusterEnabled ? (input.cacheClusterSize ?? '0.5') : undefined),
    cacheClusterStatus: cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    tracingEnabled: input.tracingEnabled ?? false,
    ...optional('variables', input.variables && { ...input.variables }),
    methodSettings: {},
    createdDate: at,
    lastUpdatedDate: at,
    ...optional('tags', input.tags && { ...input.tags }),
  };
}

/** Applies one patch operation to a stage (a copy: a later bad operation leaves the stage as it was). */
function patchStage(api: SimRestApi, stage: Stage, operation: PatchOperation): void {
  const { op, path = '', value } = operation;
  const parts = path.split('/').slice(1);
  const removing = op === 'remove';
  const invalid = () =>
    fault(
      'BadRequestException',
      400,
      `Invalid patch path  '${path}' specified for op '${op}'. Must be one of: ${STAGE_PATHS}`,
    );
  if (op !== 'replace' && op !== 'add' && !removing) throw invalid();
  const [first, second] = parts;
  if (parts.length === 1 && !removing) {
    if (first === 'deploymentId') stage.deploymentId = deploymentOf(api, value).id;
    else if (first === 'description') stage.description = value ?? '';
    else if (first === 'tracingEnabled') stage.tracingEnabled = booleanValue(path, value);
    else if (first === 'cacheClusterEnabled') {
      stage.cacheClusterEnabled = booleanValue(path, value);
      stage.cacheClusterStatus = stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE';
      if (stage.cacheClusterEnabled) stage.cacheClusterSize ??= '0.5';
    } else if (first === 'cacheClusterSize') stage.cacheClusterSize = value as Stage['cacheClusterSize'];
    else throw invalid();
  } else if (first === 'variables' && parts.length === 2 && second) {
    const variables = { ...stage.variables };
    if (removing) delete variables[second];
    else variables[second] = value ?? '';
    stage.variables = variables;
  } else if (first === 'accessLogSettings' && removing && parts.length === 1) {
    delete stage.accessLogSettings;
  } else if (
    first === 'accessLogSettings' &&
    !removing &&
    (second === 'destinationArn' || second === 'format')
  ) {
    stage.accessLogSettings = { ...stage.accessLogSettings, [second]: value ?? '' };
  } else patchMethodSetting(stage, parts, removing, value, invalid);
}

/** `/<resource>/<verb>/<group>/<setting>` sets one field of a method setting; `remove /<resource>/<verb>` drops it. */
function patchMethodSetting(
  stage: Stage,
  parts: readonly string[],
  removing: boolean,
  value: string | undefined,
  invalid: () => Error,
): void {
  const [resource, verb, ...rest] = parts;
  const key = `${resource}/${verb}`;
  const settings = { ...stage.methodSettings };
  if (removing && rest.length === 0 && key in settings) {
    delete settings[key];
    stage.methodSettings = settings;
    return;
  }
  const setting = METHOD_SETTINGS[rest.join('/')];
  if (removing || !resource || !verb || !setting) throw invalid();
  const path = `/${parts.join('/')}`;
  const typed =
    setting.kind === 'boolean'
      ? booleanValue(path, value)
      : setting.kind === 'number'
        ? numberValue(path, value)
        : (value ?? '');
  settings[key] = { ...(settings[key] ?? DEFAULT_METHOD_SETTING), [setting.field]: typed };
  stage.methodSettings = settings;
}

function booleanValue(path: string, value: string | undefined): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw fault('BadRequestException', 400, `Invalid value '${value}' for ${path}: must be true or false`);
}

function numberValue(path: string, value: string | undefined): number {
  const number = Number(value);
  if (value !== undefined && value !== '' && Number.isFinite(number)) return number;
  throw fault('BadRequestException', 400, `Invalid value '${value}' for ${path}: must be a number`);
}

function stageOf(api: SimRestApi, stageName: string | undefined): Stage {
  const stage = api.stages.find((item) => item.stageName === stageName);
  if (!stage) throw fault('NotFoundException', 404, 'Invalid stage identifier specified');
  return stage;
}

function deploymentOf(api: SimRestApi, deploymentId: string | undefined): Deployment {
  const deployment = api.deployments.find((item) => item.id === deploymentId);
  if (!deployment) throw fault('NotFoundException', 404, 'Invalid Deployment identifier specified');
  return deployment;
}

/** A stage in a CloudTrail record's response elements. */
function stageElements(restApiId: string | undefined, stage: Stage): Record<string, unknown> {
  return {
    stageName: stage.stageName,
    deploymentId: stage.deploymentId,
    ...optional('variables', stage.variables && { ...stage.variables }),
    lastUpdatedDate: consoleDate(stage.lastUpdatedDate ?? new Date(0)),
    self: { restApiId, stageName: stage.stageName, template: false },
  };
}

/** `PutRestApi`'s body: the bytes (or text) a caller sent, as text. */
function bodyText(body: PutRestApiCommandInput['body']): string {
  if (body === undefined) throw fault('BadRequestException', 400, 'Invalid request body: it is empty');
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  if (ArrayBuffer.isView(body))
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new Error('the simulated PutRestApi takes its body as bytes or text, not a stream');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Dates in API Gateway's CloudTrail response elements read like `Jul 11, 2022 7:37:48 PM` (UTC). */
function consoleDate(at: Date): string {
  const hours = at.getUTCHours();
  const pad = (value: number) => String(value).padStart(2, '0');
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} ${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}
