import { isDeepStrictEqual } from 'node:util';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { createdSince, type StepOf, stepsOf } from '../restore/parts.js';
import { blobReference, sendCommand } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreContext,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { lambdaService } from './services.js';

/** Configuration fields `UpdateFunctionConfiguration` (and `CreateFunction`) set, as `GetFunction` returns them. */
const CONFIGURATION_FIELDS = [
  'Description',
  'Handler',
  'MemorySize',
  'Timeout',
  'Runtime',
  'Role',
  'Environment',
  'EphemeralStorage',
  'TracingConfig',
  'Layers',
  'KMSKeyArn',
  'LoggingConfig',
  'DeadLetterConfig',
  'VpcConfig',
  'FileSystemConfigs',
  'ImageConfigResponse',
  'SnapStart',
] as const;

/** Parts of a function a restore does not send, each with what the plan says of it. */
const PLANNED_ONLY: ReadonlyArray<readonly [string, string]> = [
  ['Versions', 'published versions are immutable: publish again from the restored code if they are needed'],
  ['Aliases', 'aliases are not restored: point them with UpdateAlias once the versions exist'],
  ['Policy', 'the resource policy is not restored: add its statements with AddPermission'],
  ['FunctionUrlConfig', 'the function URL is not restored: recreate it with CreateFunctionUrlConfig'],
  [
    'EventSourceMappings',
    'event source mappings are not restored: recreate them with CreateEventSourceMapping',
  ],
];

/**
 * How a function is restored: its code from the stored zip and its configuration, environment values unsealed with
 * the user's key only when sent; tags and reserved concurrency. Versions, aliases, policy, URL and mappings are
 * named in the plan, not sent.
 */
export const lambdaFunctionRestore: RestoreSpec = {
  copies: ['name'],
  plan: planFunction,
  apply: applyFunctionStep,
};

function planFunction(input: PlanInput): PlannedChange {
  const { captured, live, target } = input;
  const name = target.id;
  const step = stepsOf('lambda', target.region);
  if (!captured)
    return createdSince(live, {
      prune: input.prune,
      removal: () => [
        step(
          'DeleteFunction',
          { FunctionName: name },
          'delete the function created after the moment restored to',
        ),
      ],
    });
  const config = (captured.document.Configuration ?? {}) as JsonObject;
  const code = captured.blobs.code;
  const codeInput = code ? { ZipFile: blobReference(code) } : imageCode(captured.document);
  // CodeSha256 names the zip: a plan compares it, without downloading the live code.
  const codeDiffers = !live || config.CodeSha256 !== liveConfig(input).CodeSha256;
  if (codeDiffers && !codeInput)
    return {
      action: RestoreAction.CANNOT,
      reason: 'its code was not captured at that moment (see its gaps)',
      steps: [],
    };
  const notes = plannedOnly(input);
  if (!live) {
    return {
      action: RestoreAction.RECREATE,
      steps: [
        step(
          'CreateFunction',
          {
            FunctionName: name,
            Code: codeInput as JsonObject,
            PackageType: config.PackageType ?? 'Zip',
            ...(Array.isArray(config.Architectures) ? { Architectures: config.Architectures } : {}),
            ...configurationInput(config),
            ...(hasEntries(captured.document.Tags) ? { Tags: captured.document.Tags as JsonObject } : {}),
          },
          'create the function with the code, configuration and tags it had',
        ),
        ...concurrencySteps(input, step),
      ],
      ...(notes.length > 0 ? { notes } : {}),
    };
  }
  const steps: RestoreStep[] = [];
  if (codeDiffers)
    steps.push(
      step(
        'UpdateFunctionCode',
        {
          FunctionName: name,
          ...(codeInput as JsonObject),
          ...(Array.isArray(config.Architectures) ? { Architectures: config.Architectures } : {}),
        },
        `deploy the stored code (CodeSha256 ${String(config.CodeSha256)})`,
      ),
    );
  const changed = CONFIGURATION_FIELDS.filter(
    (field) => !isDeepStrictEqual(config[field], liveConfig(input)[field]),
  );
  if (changed.length > 0)
    steps.push(
      step(
        'UpdateFunctionConfiguration',
        { FunctionName: name, ...configurationInput(config) },
        `set ${changed.join(', ')} as they were`,
      ),
    );
  steps.push(...tagSteps(input, step), ...concurrencySteps(input, step));
  if (steps.length === 0)
    return { action: RestoreAction.NOTHING, steps: [], ...(notes.length > 0 ? { notes } : {}) };
  return { action: RestoreAction.UPDATE, steps, ...(notes.length > 0 ? { notes } : {}) };
}

function liveConfig({ live }: PlanInput): JsonObject {
  return (live?.document.Configuration ?? {}) as JsonObject;
}

/** Image code: the image URI a container function ran. */
function imageCode(document: JsonObject): JsonObject | undefined {
  const uri = (document.Code as JsonObject | undefined)?.ImageUri;
  return typeof uri === 'string' ? { ImageUri: uri } : undefined;
}

/** The captured configuration as `UpdateFunctionConfiguration`'s input; absent settings are reset to defaults. */
function configurationInput(config: JsonObject): JsonObject {
  const input: JsonObject = {};
  for (const field of [
    'Description',
    'Handler',
    'MemorySize',
    'Timeout',
    'Runtime',
    'Role',
    'KMSKeyArn',
  ] as const)
    if (config[field] !== undefined && config[field] !== null) input[field] = config[field];
  const environment = (config.Environment as JsonObject | undefined)?.Variables;
  input.Environment = { Variables: (environment ?? {}) as JsonObject };
  if (config.EphemeralStorage) input.EphemeralStorage = config.EphemeralStorage;
  if (config.TracingConfig) input.TracingConfig = config.TracingConfig;
  if (config.LoggingConfig) input.LoggingConfig = config.LoggingConfig;
  input.Layers = ((config.Layers ?? []) as JsonObject[]).map((layer) => layer.Arn ?? null);
  return input;
}

function tagSteps({ captured, live, target }: PlanInput, step: StepOf): RestoreStep[] {
  const before = (captured?.document.Tags ?? {}) as JsonObject;
  const now = (live?.document.Tags ?? {}) as JsonObject;
  const arn = String((live?.document.Configuration as JsonObject | undefined)?.FunctionArn ?? target.id);
  const steps: RestoreStep[] = [];
  const put = Object.fromEntries(Object.entries(before).filter(([key, value]) => now[key] !== value));
  const removed = Object.keys(now).filter((key) => !(key in before));
  if (hasEntries(put))
    steps.push(step('TagResource', { Resource: arn, Tags: put }, 'put back the tags it had'));
  if (removed.length > 0)
    steps.push(step('UntagResource', { Resource: arn, TagKeys: removed }, 'remove the tags added since'));
  return steps;
}

function concurrencySteps({ captured, live, target }: PlanInput, step: StepOf): RestoreStep[] {
  const before = reserved(captured?.document.Concurrency);
  const now = reserved(live?.document.Concurrency);
  if (before === now) return [];
  if (before === undefined)
    return [
      step(
        'DeleteFunctionConcurrency',
        { FunctionName: target.id },
        'remove the reserved concurrency set since',
      ),
    ];
  return [
    step(
      'PutFunctionConcurrency',
      { FunctionName: target.id, ReservedConcurrentExecutions: before },
      `reserve ${before} concurrent executions, as it did`,
    ),
  ];
}

function reserved(concurrency: Json | undefined): number | undefined {
  const value = (concurrency as JsonObject | null | undefined)?.ReservedConcurrentExecutions;
  return typeof value === 'number' ? value : undefined;
}

/** What the plan says of the parts that are not restored, when they differ. */
function plannedOnly({ captured, live }: PlanInput): string[] {
  return PLANNED_ONLY.filter(
    ([field]) => !isDeepStrictEqual(captured?.document[field] ?? null, live?.document[field] ?? null),
  )
    .filter(([field]) => hasEntries(captured?.document[field]) || hasEntries(live?.document[field]))
    .map(([field, note]) => `${field} differ: ${note}`);
}

function hasEntries(value: Json | undefined): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

const COMMANDS = {
  CreateFunction: CreateFunctionCommand,
  DeleteFunction: DeleteFunctionCommand,
  UpdateFunctionCode: UpdateFunctionCodeCommand,
  UpdateFunctionConfiguration: UpdateFunctionConfigurationCommand,
  TagResource: TagResourceCommand,
  UntagResource: UntagResourceCommand,
  PutFunctionConcurrency: PutFunctionConcurrencyCommand,
  DeleteFunctionConcurrency: DeleteFunctionConcurrencyCommand,
} as const;

/** Seconds a restore waits for a function's update to finish before its next update. */
const UPDATE_WAIT_SECONDS = 120;

/**
 * Sends one step; after a code or configuration update (or a creation), waits until Lambda reports the update done,
 * as the next update of the same function is refused while one is in progress.
 */
async function applyFunctionStep(ctx: RestoreContext, step: RestoreStep): Promise<void> {
  const Command = COMMANDS[step.operation as keyof typeof COMMANDS];
  if (!Command) throw new Error(`no Lambda restore step ${step.operation}`);
  await sendCommand(ctx, lambdaService, Command, step);
  if (['CreateFunction', 'UpdateFunctionCode', 'UpdateFunctionConfiguration'].includes(step.operation)) {
    const client = ctx.client(lambdaService, step.region);
    await waitUntilFunctionUpdatedV2(
      { client, maxWaitTime: UPDATE_WAIT_SECONDS, minDelay: 1 },
      { FunctionName: String(step.input.FunctionName) },
    );
  }
}
