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
import { createdSince, type StepOf, stepsOf, unread } from '../restore/parts.js';
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
] as const;

/** What `UpdateFunctionConfiguration` takes to remove a setting the captured function did not have. */
const RESET_VALUES: Readonly<Partial<Record<(typeof CONFIGURATION_FIELDS)[number], Json>>> = {
  Description: '',
  KMSKeyArn: '',
  TracingConfig: { Mode: 'PassThrough' },
  DeadLetterConfig: { TargetArn: '' },
};

/** Configuration a restore does not send (networking, file systems, images, SnapStart), named in the plan. */
const CONFIGURATION_PLANNED_ONLY = ['VpcConfig', 'FileSystemConfigs', 'ImageConfigResponse', 'SnapStart'];

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
  copies: ['name', 'account'],
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
  const config = inAccount((captured.document.Configuration ?? {}) as JsonObject, input);
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
  const notes = [...plannedOnly(input), ...accountNotes(input)];
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
            ...(hasEntries(captured.document.Tags) && !unread(captured.document.Tags)
              ? { Tags: captured.document.Tags as JsonObject }
              : {}),
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
        { FunctionName: name, ...configurationInput(config, liveConfig(input)) },
        `set ${changed.join(', ')} as they were`,
      ),
    );
  steps.push(...tagSteps(input, step), ...concurrencySteps(input, step));
  if (steps.length === 0)
    return { action: RestoreAction.NOTHING, steps: [], ...(notes.length > 0 ? { notes } : {}) };
  return { action: RestoreAction.UPDATE, steps, ...(notes.length > 0 ? { notes } : {}) };
}

/**
 * The configuration as sent to the account restored into: in another account (`--to-account-profile`), the role of
 * the same name there.
 */
function inAccount(config: JsonObject, { resource, target }: PlanInput): JsonObject {
  if (target.account === resource.account || typeof config.Role !== 'string') return config;
  return { ...config, Role: config.Role.replace(`:${resource.account}:`, `:${target.account}:`) };
}

/** What a restore into another account needs there, which it does not create. */
function accountNotes({ resource, target }: PlanInput): string[] {
  if (target.account === resource.account) return [];
  return [
    `restored into account ${target.account}: its role is taken as the role of the same name there, which must exist; layers of account ${resource.account} must be shared with it`,
  ];
}

function liveConfig({ live }: PlanInput): JsonObject {
  return (live?.document.Configuration ?? {}) as JsonObject;
}

/** Image code: the image URI a container function ran. */
function imageCode(document: JsonObject): JsonObject | undefined {
  const uri = (document.Code as JsonObject | undefined)?.ImageUri;
  return typeof uri === 'string' ? { ImageUri: uri } : undefined;
}

/**
 * The captured configuration as `UpdateFunctionConfiguration`'s (or `CreateFunction`'s) input: every setting it had,
 * and the reset value of one the live function has and the captured one did not.
 */
function configurationInput(config: JsonObject, live: JsonObject = {}): JsonObject {
  const input: JsonObject = {};
  for (const field of CONFIGURATION_FIELDS) {
    const value = config[field];
    if (value !== undefined && value !== null) input[field] = value;
    else if (live[field] !== undefined && live[field] !== null && RESET_VALUES[field] !== undefined)
      input[field] = RESET_VALUES[field] as Json;
  }
  const environment = (config.Environment as JsonObject | undefined)?.Variables;
  input.Environment = { Variables: (environment ?? {}) as JsonObject };
  input.Layers = ((config.Layers ?? []) as JsonObject[]).map((layer) => layer.Arn ?? null);
  return input;
}

function tagSteps({ captured, live, target }: PlanInput, step: StepOf): RestoreStep[] {
  if (unread(captured?.document.Tags) || unread(live?.document.Tags)) return [];
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
  if (unread(captured?.document.Concurrency) || unread(live?.document.Concurrency)) return [];
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

/** What the plan says of the parts that are not restored, and of those not read at one of the two moments. */
function plannedOnly({ captured, live }: PlanInput): string[] {
  const notes = PLANNED_ONLY.filter(
    ([field]) => !isDeepStrictEqual(captured?.document[field] ?? null, live?.document[field] ?? null),
  )
    .filter(([field]) => hasEntries(captured?.document[field]) || hasEntries(live?.document[field]))
    .map(([field, note]) => `${field} differ: ${note}`);
  const before = (captured?.document.Configuration ?? {}) as JsonObject;
  const now = (live?.document.Configuration ?? {}) as JsonObject;
  for (const field of CONFIGURATION_PLANNED_ONLY)
    if (!isDeepStrictEqual(before[field] ?? null, now[field] ?? null))
      notes.push(
        `Configuration.${field} differs and is not restored: set it with UpdateFunctionConfiguration`,
      );
  for (const part of ['Tags', 'Concurrency'])
    if (unread(captured?.document[part]) || unread(live?.document[part]))
      notes.push(`${part} was not read at one of the two moments (see its gaps): not restored`);
  return notes;
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
