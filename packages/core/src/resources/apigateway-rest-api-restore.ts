import { isDeepStrictEqual } from 'node:util';
import {
  CreateDeploymentCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  PutRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  createdSince,
  fromParts,
  keyedDifference,
  type PartPlan,
  type StepOf,
  stepsOf,
  unread,
  unreadPart,
} from '../restore/parts.js';
import { blobReference, commandApplier } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  type ResourceState,
  RestoreAction,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { exportBlobName } from './apigateway-shared.js';
import { apiGatewayService } from './services.js';
import { isJsonObject } from './support.js';

/** The parts of a REST API document that its OpenAPI export carries, and so `PutRestApi` puts back. */
const DEFINITION_PARTS = [
  'Resources',
  'Authorizers',
  'RequestValidators',
  'GatewayResponses',
  'Models',
] as const;

/** `RestApi` settings the export carries. */
const DEFINITION_SETTINGS = ['name', 'description', 'policy', 'binaryMediaTypes'] as const;

/** `RestApi` settings no export carries: named in the plan when they differ. */
const API_SETTINGS_BY_HAND = [
  'apiKeySource',
  'minimumCompressionSize',
  'endpointConfiguration',
  'disableExecuteApiEndpoint',
  'securityPolicy',
  'endpointAccessMode',
  'tags',
] as const;

/** Stage fields no `UpdateStage` of a restore sends: named in the plan when they differ. */
const STAGE_FIELDS_BY_HAND = [
  'canarySettings',
  'clientCertificateId',
  'documentationVersion',
  'webAclArn',
  'tags',
];

/** A stage as `CreateDeployment` or `CreateStage` makes it, before the restore's `UpdateStage`. */
const NEW_STAGE: JsonObject = { cacheClusterEnabled: false, tracingEnabled: false, methodSettings: {} };

/** A method setting's fields by their `UpdateStage` path below `/<resource>/<verb>/`. */
const METHOD_SETTING_PATHS: ReadonlyArray<readonly [field: string, path: string]> = [
  ['metricsEnabled', 'metrics/enabled'],
  ['loggingLevel', 'logging/loglevel'],
  ['dataTraceEnabled', 'logging/dataTrace'],
  ['throttlingBurstLimit', 'throttling/burstLimit'],
  ['throttlingRateLimit', 'throttling/rateLimit'],
  ['cachingEnabled', 'caching/enabled'],
  ['cacheTtlInSeconds', 'caching/ttlInSeconds'],
  ['cacheDataEncrypted', 'caching/dataEncrypted'],
  ['requireAuthorizationForCacheControl', 'caching/requireAuthorizationForCacheControl'],
  ['unauthorizedCacheControlHeaderStrategy', 'caching/unauthorizedCacheControlHeaderStrategy'],
];

/**
 * How a REST API is restored. Its definition (resources, methods, integrations, models, authorizers, validators,
 * gateway responses, policy) is put back with `PutRestApi` in `overwrite` mode from the OpenAPI export captured for
 * a stage; each stage then serves what it served: pointed back at its deployment when that still exists
 * (`UpdateStage /deploymentId`), else deployed again from its own export (`PutRestApi`, then `CreateDeployment`).
 * Stage variables, description, tracing, cache cluster, method settings and access logs are patched with
 * `UpdateStage`; a deleted stage is created again. With `--prune`, deployments made since that no stage serves are
 * deleted. What no export or patch carries (API keys, usage plans and domain mappings, which are their own
 * resources; tags; endpoint settings) is named in the plan. A deleted API is not imported again: it would get a new
 * id. Resource ids are kept for the paths that remain; a resource created again gets a new id.
 */
export const apiGatewayRestApiRestore: RestoreSpec = {
  plan: planRestApi,
  apply: commandApplier(apiGatewayService, {
    PutRestApi: PutRestApiCommand,
    CreateDeployment: CreateDeploymentCommand,
    CreateStage: CreateStageCommand,
    UpdateStage: UpdateStageCommand,
    DeleteDeployment: DeleteDeploymentCommand,
    DeleteRestApi: DeleteRestApiCommand,
  }),
};

function planRestApi({ captured, live, target, prune }: PlanInput): PlannedChange {
  const restApiId = target.id;
  const serviceStep = stepsOf('apigateway', target.region);
  const step: StepOf = (operation, input, summary) =>
    serviceStep(operation, { restApiId, ...input }, summary);
  if (!captured)
    return createdSince(live, {
      prune,
      removal: () => [step('DeleteRestApi', {}, 'delete the REST API created after the moment restored to')],
    });
  if (!live)
    return {
      action: RestoreAction.CANNOT,
      reason:
        'the REST API was deleted: imported again (ImportRestApi with a stage’s export) it gets a new id and a new invoke URL, which domain mappings, usage plans and callers must then use',
      steps: [],
    };
  const unreadStages = unreadPart('its stages', captured.document.Stages, live.document.Stages);
  const stages = unreadStages ? [] : stageStates(captured, live);
  return fromParts(RestoreAction.UPDATE, [
    { steps: [], notes: unreadStages ? [unreadStages] : [] },
    deploymentPlan(stages, captured, live, step),
    ...stages.map((stage) => stageSteps(stage, step)),
    pruneDeployments(stages, captured.document, live.document, prune, step),
    apiSettingsNotes(captured.document, live.document),
  ]);
}

/** How a captured stage comes to serve again what it served. */
type Serving =
  /** It serves it already (its deployment, or one exported the same). */
  | { readonly kind: 'same' }
  /** Its deployment still exists: the stage is pointed back at it. */
  | { readonly kind: 'repoint'; readonly deploymentId: string }
  /** Its deployment is gone: its captured export is put and deployed again. */
  | { readonly kind: 'redeploy'; readonly blob: string }
  /** Its deployment is gone and its export was not captured. */
  | { readonly kind: 'lost' };

/** A captured stage, its live counterpart and how it is restored. */
interface StageState {
  readonly name: string;
  readonly captured: JsonObject;
  readonly live?: JsonObject;
  readonly serving: Serving;
  /** When its deployment was made, to put the latest deployed definition back last. */
  readonly deployedAt: string;
}

function stageStates(captured: ResourceState, live: ResourceState): StageState[] {
  const before = objectAt(captured.document.Stages);
  const now = objectAt(live.document.Stages);
  const deployments = objectAt(captured.document.Deployments);
  const liveDeployments = objectAt(live.document.Deployments);
  return Object.entries(before).map(([name, value]) => {
    const stage = objectAt(value);
    const current = isJsonObject(now[name]) ? now[name] : undefined;
    const deploymentId = String(stage.deploymentId ?? '');
    const blob = captured.blobs[exportBlobName(name)];
    const serving: Serving =
      current?.deploymentId === deploymentId ||
      (blob !== undefined && live.blobs[exportBlobName(name)] === blob)
        ? { kind: 'same' }
        : deploymentId in liveDeployments
          ? { kind: 'repoint', deploymentId }
          : blob !== undefined
            ? { kind: 'redeploy', blob }
            : { kind: 'lost' };
    return {
      name,
      captured: stage,
      ...(current ? { live: current } : {}),
      serving,
      deployedAt: String(objectAt(deployments[deploymentId]).createdDate ?? ''),
    };
  });
}

/**
 * The definition and deployment steps: for each export to deploy again (oldest deployment first), `PutRestApi` with
 * it and a `CreateDeployment` per stage that served it; then, when the working definition differs or another export
 * was put last, `PutRestApi` with the export of the stage deployed last, which holds the definition as it was.
 */
function deploymentPlan(
  stages: readonly StageState[],
  captured: ResourceState,
  live: ResourceState,
  step: StepOf,
): PartPlan {
  const notes: string[] = [];
  const ordered = [...stages].sort((a, b) => a.deployedAt.localeCompare(b.deployedAt));
  const latest = ordered.at(-1);
  const working = latest && captured.blobs[exportBlobName(latest.name)];
  const redeployed = new Map<string, StageState[]>();
  for (const stage of ordered) {
    if (stage.serving.kind === 'lost')
      notes.push(
        `stage ${stage.name}: its deployment is gone and its definition was not captured (see the gaps): not deployed again`,
      );
    if (stage.serving.kind !== 'redeploy') continue;
    redeployed.set(stage.serving.blob, [...(redeployed.get(stage.serving.blob) ?? []), stage]);
  }
  if (working && redeployed.has(working)) {
    const last = redeployed.get(working) ?? [];
    redeployed.delete(working);
    redeployed.set(working, last);
  }
  const steps: RestoreStep[] = [];
  for (const [blob, served] of redeployed) {
    const names = served.map((stage) => stage.name).join(', ');
    steps.push(putDefinition(step, blob, `put back the definition stage ${names} served (its export)`));
    for (const stage of served) steps.push(deployStep(stage, captured.document, step));
  }
  const definition = definitionDifference(captured.document, live.document);
  notes.push(...definition.notes);
  const lastPut = [...redeployed.keys()].at(-1);
  const putWorking = lastPut !== working && (definition.differs || lastPut !== undefined);
  if (putWorking && latest && working)
    steps.push(
      putDefinition(
        step,
        working,
        `put back the definition as stage ${latest.name}, deployed last, served it`,
      ),
    );
  else if (putWorking)
    notes.push(
      latest
        ? `stage ${latest.name}'s definition was not captured (see the gaps): the definition is not restored`
        : 'no stage export was captured, so none holds the definition to put back: not restored',
    );
  if (steps.some((planned) => planned.operation === 'PutRestApi'))
    notes.push(
      'PutRestApi overwrites the whole definition with a captured export: changes not deployed at the moment restored to were in no export and are not restored; API keys, usage plans and domain mappings are their own resources',
    );
  return { steps, notes };
}

function putDefinition(step: StepOf, blob: string, summary: string): RestoreStep {
  return step('PutRestApi', { mode: 'overwrite', failOnWarnings: true, body: blobReference(blob) }, summary);
}

/** `CreateDeployment` for a stage (creating it when it no longer exists), described after the deployment it replaces. */
function deployStep(stage: StageState, document: JsonObject, step: StepOf): RestoreStep {
  const deploymentId = String(stage.captured.deploymentId ?? '');
  const original = objectAt(objectAt(document.Deployments)[deploymentId]).description;
  return step(
    'CreateDeployment',
    {
      stageName: stage.name,
      description: `tidemark restore of deployment ${deploymentId}${typeof original === 'string' ? `: ${original}` : ''}`,
    },
    stage.live
      ? `deploy it to stage ${stage.name} (deployment ${deploymentId} no longer exists)`
      : `deploy it to stage ${stage.name}, creating the stage again`,
  );
}

/** Whether the definition an export carries differs, comparing names, not the ids API Gateway gives. */
function definitionDifference(before: JsonObject, now: JsonObject): { differs: boolean; notes: string[] } {
  const notes = DEFINITION_PARTS.map((part) => unreadPart(`its ${part}`, before[part], now[part])).filter(
    (note): note is string => note !== undefined,
  );
  if (notes.length > 0) return { differs: false, notes };
  return { differs: !isDeepStrictEqual(definitionOf(before), definitionOf(now)), notes };
}

/**
 * What `PutRestApi` puts back, without the ids API Gateway gives: resources by path (methods naming their
 * authorizer and validator by name), authorizers and validators by name, model schemas by name.
 */
function definitionOf(document: JsonObject): JsonObject {
  const api = objectAt(document.RestApi);
  const authorizers = objectAt(document.Authorizers);
  const validators = objectAt(document.RequestValidators);
  const nameOf = (items: JsonObject, id: Json | undefined) => objectAt(items[String(id)]).name ?? null;
  const resources = mapValues(objectAt(document.Resources), (value) => {
    const { id: _id, parentId: _parent, resourceMethods, ...resource } = objectAt(value);
    return {
      ...resource,
      methods: mapValues(objectAt(resourceMethods), (method) => {
        const { authorizerId, requestValidatorId, ...rest } = objectAt(method);
        return {
          ...rest,
          authorizer: nameOf(authorizers, authorizerId),
          validator: nameOf(validators, requestValidatorId),
        };
      }),
    };
  });
  const byName = (items: JsonObject) =>
    Object.fromEntries(
      Object.values(items).map((value) => {
        const { id: _id, ...item } = objectAt(value);
        return [String(item.name), item];
      }),
    );
  return {
    ...Object.fromEntries(DEFINITION_SETTINGS.map((field) => [field, api[field] ?? null])),
    Resources: resources,
    Authorizers: byName(authorizers),
    RequestValidators: byName(validators),
    GatewayResponses: document.GatewayResponses ?? null,
    Models: mapValues(objectAt(document.Models), (model) => objectAt(model).schema ?? null),
  };
}

/**
 * A stage's own steps: `CreateStage` on its deployment when it was deleted and the deployment remains, then one
 * `UpdateStage` pointing it back at its deployment and patching the settings that differ.
 */
function stageSteps(stage: StageState, step: StepOf): PartPlan {
  const { name, captured, live, serving } = stage;
  const steps: RestoreStep[] = [];
  const repoint = serving.kind === 'repoint' ? serving.deploymentId : undefined;
  if (!live && repoint)
    steps.push(
      step(
        'CreateStage',
        { stageName: name, deploymentId: repoint },
        `create stage ${name} again on deployment ${repoint}`,
      ),
    );
  const operations = [
    ...(live && repoint ? [replace('/deploymentId', repoint)] : []),
    ...stageSettingOperations(captured, live ?? NEW_STAGE),
  ];
  const changed = [...new Set(operations.map((operation) => patchedSetting(String(operation.path))))];
  if (operations.length > 0 && (live || serving.kind !== 'lost'))
    steps.push(
      step(
        'UpdateStage',
        { stageName: name, patchOperations: operations },
        `put back stage ${name}'s ${changed.join(', ')}`,
      ),
    );
  const byHand = live
    ? STAGE_FIELDS_BY_HAND.filter((field) => !isDeepStrictEqual(captured[field], live[field]))
    : [];
  return {
    steps,
    notes:
      byHand.length > 0
        ? [`stage ${name}: ${byHand.join(', ')} differ and are not restored: set them by hand`]
        : [],
  };
}

/** The patch operations that give a stage the captured settings: description, tracing, cache, variables, logs. */
function stageSettingOperations(before: JsonObject, now: JsonObject): JsonObject[] {
  const operations: JsonObject[] = [];
  if ((before.description ?? '') !== (now.description ?? ''))
    operations.push(replace('/description', String(before.description ?? '')));
  for (const field of ['tracingEnabled', 'cacheClusterEnabled'] as const)
    if ((before[field] ?? false) !== (now[field] ?? false))
      operations.push(replace(`/${field}`, String(before[field])));
  if (before.cacheClusterEnabled === true && before.cacheClusterSize !== now.cacheClusterSize)
    operations.push(replace('/cacheClusterSize', String(before.cacheClusterSize)));
  const variables = keyedDifference(before.variables, now.variables);
  for (const key of variables.put)
    operations.push(replace(`/variables/${key}`, String(objectAt(before.variables)[key])));
  for (const key of variables.added) operations.push({ op: 'remove', path: `/variables/${key}` });
  operations.push(
    ...accessLogOperations(objectAt(before.accessLogSettings), objectAt(now.accessLogSettings)),
  );
  const settings = keyedDifference(before.methodSettings, now.methodSettings);
  for (const key of settings.added) operations.push({ op: 'remove', path: `/${key}` });
  for (const key of settings.put) {
    const wanted = objectAt(objectAt(before.methodSettings)[key]);
    const current = objectAt(objectAt(now.methodSettings)[key]);
    for (const [field, path] of METHOD_SETTING_PATHS)
      if (wanted[field] !== undefined && wanted[field] !== current[field])
        operations.push(replace(`/${key}/${path}`, String(wanted[field])));
  }
  return operations;
}

function accessLogOperations(before: JsonObject, now: JsonObject): JsonObject[] {
  if (Object.keys(before).length === 0)
    return Object.keys(now).length > 0 ? [{ op: 'remove', path: '/accessLogSettings' }] : [];
  return (['destinationArn', 'format'] as const)
    .filter((field) => before[field] !== undefined && before[field] !== now[field])
    .map((field) => replace(`/accessLogSettings/${field}`, String(before[field])));
}

/** What a stage patch path sets, in a plan's words: `variables`, `method settings`… */
function patchedSetting(path: string): string {
  const [first = ''] = path.split('/').slice(1);
  if (first === 'deploymentId') return 'deployment';
  return [
    'description',
    'tracingEnabled',
    'cacheClusterEnabled',
    'cacheClusterSize',
    'variables',
    'accessLogSettings',
  ].includes(first)
    ? first
    : 'method settings';
}

function replace(path: string, value: string): JsonObject {
  return { op: 'replace', path, value };
}

/**
 * Deployments made after the moment restored to that no stage will serve: deleted with `--prune`, else named. Those
 * deleted since are named too: a deployment made again gets a new id.
 */
function pruneDeployments(
  stages: readonly StageState[],
  before: JsonObject,
  now: JsonObject,
  prune: boolean,
  step: StepOf,
): PartPlan {
  if (unread(before.Deployments) || unread(now.Deployments) || unread(now.Stages))
    return { steps: [], notes: [] };
  const { added } = keyedDifference(before.Deployments, now.Deployments);
  const restored = new Set(stages.map((stage) => stage.name));
  const served = new Set([
    ...Object.entries(objectAt(now.Stages))
      .filter(([name]) => !restored.has(name))
      .map(([, stage]) => objectAt(stage).deploymentId),
    ...stages.filter((stage) => stage.serving.kind === 'same').map((stage) => stage.live?.deploymentId),
  ]);
  const unused = added.filter((id) => !served.has(id)).sort();
  const deleted = Object.keys(objectAt(before.Deployments)).filter(
    (id) => !(id in objectAt(now.Deployments)),
  );
  const notes = [
    ...(deleted.length > 0
      ? [`deployments ${deleted.join(', ')} were deleted since: a deployment made again gets a new id`]
      : []),
    ...keyedDifference(before.Stages, now.Stages).added.map(
      (name) => `stage ${name} was created after the moment restored to: kept (delete it by hand)`,
    ),
  ];
  if (!prune)
    return {
      steps: [],
      notes: [
        ...notes,
        ...(unused.length > 0
          ? [`deployments ${unused.join(', ')} were made since and are kept (--prune deletes them)`]
          : []),
      ],
    };
  return {
    steps: unused.map((deploymentId) =>
      step(
        'DeleteDeployment',
        { deploymentId },
        `delete deployment ${deploymentId}, made since and served by no stage`,
      ),
    ),
    notes,
  };
}

/** The API's own settings that no export carries, named when they differ. */
function apiSettingsNotes(before: JsonObject, now: JsonObject): PartPlan {
  const api = objectAt(before.RestApi);
  const current = objectAt(now.RestApi);
  const differing = API_SETTINGS_BY_HAND.filter((field) => !isDeepStrictEqual(api[field], current[field]));
  return {
    steps: [],
    notes:
      differing.length > 0
        ? [
            `${differing.join(', ')} of the API differ and are not restored: set them by hand (UpdateRestApi, TagResource)`,
          ]
        : [],
  };
}

function mapValues(source: JsonObject, map: (value: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(source).map(([key, value]) => [key, map(value)]));
}

function objectAt(value: Json | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}
