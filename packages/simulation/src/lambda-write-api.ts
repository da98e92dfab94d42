import {
  ApplicationLogLevel,
  Architecture,
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  DeleteFunctionConcurrencyCommand,
  type FunctionCode,
  type Layer,
  LogFormat,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandInput,
  Runtime,
  SystemLogLevel,
  TagResourceCommand,
  TracingMode,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { unzipSync } from 'fflate';
import { type CallContext, defineOperation, type Operation } from './dispatch.js';
import { fault, type SimulatedFault } from './errors.js';
import { lowerCamelCase } from './events.js';
import { functionReference, functionTarget, resolveFunction } from './lambda-api.js';
import { creatingConfiguration, functionConfiguration, updatingConfiguration } from './lambda-config.js';
import {
  type AccountModel,
  type CodePackage,
  type FunctionSettings,
  type FunctionVersion,
  optional,
  type SimFunction,
} from './model.js';
import type { SimulationContext } from './service-simulator.js';

/** The settings a configuration update or a new function may carry (the two requests share their names). */
type ConfigurationInput = Omit<UpdateFunctionConfigurationCommandInput, 'FunctionName' | 'RevisionId'>;

/** Where a deployment package comes from: the zip itself, or an object of the simulated S3. */
type CodeSource = Pick<FunctionCode, 'ZipFile' | 'S3Bucket' | 'S3Key' | 'S3ObjectVersion'>;

/** The concurrency of the account, and how much of it must stay unreserved (Lambda's default quotas). */
const ACCOUNT_CONCURRENCY = { total: 1000, unreservedMinimum: 100 } as const;

/** Lambda refuses more layers per function than this. */
const MAX_LAYERS = 5;

/** Environment variables stored with a function may take this many bytes, as JSON. */
const MAX_ENVIRONMENT_BYTES = 4096;

/** Environment variables Lambda sets itself, which a configuration may not set. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/**
 * One constraint of Lambda's API model on a request field, checked before the service sees the request: a broken
 * one is answered `ValidationException`, all broken ones in one message.
 */
interface Constraint<Input> {
  /** The field as the message names it (`memorySize`, `ephemeralStorage.size`). */
  readonly path: string;
  /** The field's value; `undefined` when absent (not checked), `null` for a required field left out. */
  readonly value: (input: Input) => unknown;
  /** The constraint the value breaks (`Member must have value less than or equal to 900`), if it breaks one. */
  readonly broken: (value: unknown) => string | undefined;
}

const between =
  (min: number, max: number) =>
  (value: unknown): string | undefined => {
    if (typeof value !== 'number') return undefined;
    if (value < min) return `Member must have value greater than or equal to ${min}`;
    return value > max ? `Member must have value less than or equal to ${max}` : undefined;
  };

const longest =
  (length: number) =>
  (value: unknown): string | undefined =>
    (typeof value === 'string' || Array.isArray(value)) && value.length > length
      ? `Member must have length less than or equal to ${length}`
      : undefined;

const matching =
  (pattern: string) =>
  (value: unknown): string | undefined =>
    typeof value === 'string' && !new RegExp(`^(?:${pattern})$`).test(value)
      ? `Member must satisfy regular expression pattern: ${pattern}`
      : undefined;

const oneOf =
  (values: Readonly<Record<string, string>>) =>
  (value: unknown): string | undefined => {
    const allowed = Object.values(values);
    const broken = `Member must satisfy enum value set: [${allowed.join(', ')}]`;
    if (Array.isArray(value)) {
      return value.every((item) => allowed.includes(item))
        ? undefined
        : `Member must satisfy constraint: [${broken}]`;
    }
    return typeof value === 'string' && !allowed.includes(value) ? broken : undefined;
  };

const required = (value: unknown): string | undefined =>
  value === null ? 'Member must not be null' : undefined;

const ROLE_PATTERN = String.raw`arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`;

/** The constraints of the settings `UpdateFunctionConfiguration` and `CreateFunction` share. */
const CONFIGURATION_CONSTRAINTS: ReadonlyArray<Constraint<ConfigurationInput>> = [
  { path: 'description', value: (input) => input.Description, broken: longest(256) },
  { path: 'handler', value: (input) => input.Handler, broken: longest(128) },
  { path: 'handler', value: (input) => input.Handler, broken: matching(String.raw`[^\s]+`) },
  { path: 'memorySize', value: (input) => input.MemorySize, broken: between(128, 10_240) },
  { path: 'timeout', value: (input) => input.Timeout, broken: between(1, 900) },
  { path: 'role', value: (input) => input.Role, broken: matching(ROLE_PATTERN) },
  { path: 'runtime', value: (input) => input.Runtime, broken: oneOf(Runtime) },
  {
    path: 'ephemeralStorage.size',
    value: (input) => input.EphemeralStorage?.Size,
    broken: between(512, 10_240),
  },
  { path: 'tracingConfig.mode', value: (input) => input.TracingConfig?.Mode, broken: oneOf(TracingMode) },
  {
    path: 'kMSKeyArn',
    value: (input) => input.KMSKeyArn,
    broken: matching('(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()'),
  },
  {
    path: 'loggingConfig.logFormat',
    value: (input) => input.LoggingConfig?.LogFormat,
    broken: oneOf(LogFormat),
  },
  {
    path: 'loggingConfig.applicationLogLevel',
    value: (input) => input.LoggingConfig?.ApplicationLogLevel,
    broken: oneOf(ApplicationLogLevel),
  },
  {
    path: 'loggingConfig.systemLogLevel',
    value: (input) => input.LoggingConfig?.SystemLogLevel,
    broken: oneOf(SystemLogLevel),
  },
  {
    path: 'loggingConfig.logGroup',
    value: (input) => input.LoggingConfig?.LogGroup,
    broken: matching(String.raw`[\.\-_/#A-Za-z0-9]+`),
  },
];

/** The constraints on the instruction set of new code (`UpdateFunctionCode`, `CreateFunction`). */
const ARCHITECTURE_CONSTRAINTS: ReadonlyArray<Constraint<{ Architectures?: string[] | undefined }>> = [
  { path: 'architectures', value: (input) => input.Architectures, broken: longest(1) },
  { path: 'architectures', value: (input) => input.Architectures, broken: oneOf(Architecture) },
];

/** What `CreateFunction` requires besides the shared settings. */
const CREATE_CONSTRAINTS: ReadonlyArray<Constraint<CreateFunctionCommandInput>> = [
  { path: 'role', value: (input) => input.Role ?? null, broken: required },
  { path: 'code', value: (input) => input.Code ?? null, broken: required },
];

const CONCURRENCY_CONSTRAINTS: ReadonlyArray<Constraint<PutFunctionConcurrencyCommandInput>> = [
  {
    path: 'reservedConcurrentExecutions',
    value: (input) => input.ReservedConcurrentExecutions ?? null,
    broken: (value) => required(value) ?? between(0, Number.MAX_SAFE_INTEGER)(value),
  },
];

/**
 * The Lambda calls that change the simulated account, answered as Lambda answers them: `UpdateFunctionCode`,
 * `UpdateFunctionConfiguration`, `CreateFunction`, `TagResource`, `UntagResource`, `PutFunctionConcurrency` and
 * `DeleteFunctionConcurrency`. Each validates its request as Lambda does (`ValidationException` for what breaks the
 * API model, `InvalidParameterValueException` for what Lambda refuses, `PreconditionFailedException` for a stale
 * `RevisionId`), changes the model and records the CloudTrail event AWS records, with the caller's user agent.
 */
export function lambdaWriteOperations(context: SimulationContext): Operation[] {
  const { model } = context;
  const seededLayers = accountLayers(model);
  const target = (input: { FunctionName?: string | undefined }, call: CallContext) =>
    functionTarget(model, input.FunctionName, call);
  const existing = (name: string | undefined, call: CallContext) =>
    resolveFunction(model, name ?? '', undefined, call).fn;
  const configured = (base: FunctionSettings, input: ConfigurationInput) =>
    withConfiguration(base, input, new Map([...seededLayers, ...accountLayers(model)]));

  return [
    defineOperation(UpdateFunctionCodeCommand, {
      action: 'lambda:UpdateFunctionCode',
      target,
      answer: (input, call) => {
        validate(ARCHITECTURE_CONSTRAINTS, input);
        const fn = existing(input.FunctionName, call);
        checkRevision(fn, input.RevisionId);
        const zip = deploymentPackage(model, input);
        if (input.DryRun) return functionConfiguration(model, fn, fn.latest, 'get');
        const at = context.now();
        const { settings } = fn.latest;
        updateLatest(
          model,
          fn,
          { code: model.codePackage(zip), settings: withArchitectures(settings, input) },
          at,
        );
        const published = input.Publish ? publishVersion(model, fn, at) : undefined;
        context.emit(context.events.functionCodeUpdated(fn, at, { published, userAgent: call.userAgent }));
        return updatingConfiguration(model, fn, published, published?.version);
      },
    }),
    defineOperation(UpdateFunctionConfigurationCommand, {
      action: 'lambda:UpdateFunctionConfiguration',
      target,
      answer: (input, call) => {
        validate(CONFIGURATION_CONSTRAINTS, input);
        const fn = existing(input.FunctionName, call);
        checkRevision(fn, input.RevisionId);
        const settings = configured(fn.latest.settings, input);
        const at = context.now();
        updateLatest(model, fn, { settings }, at);
        const { FunctionName, ...request } = input;
        context.emit(
          context.events.functionConfigurationUpdated(fn, trailRequest(request), at, call.userAgent),
        );
        return updatingConfiguration(model, fn);
      },
    }),
    defineOperation(CreateFunctionCommand, {
      action: 'lambda:CreateFunction',
      target,
      answer: (input, call) => {
        validate(CREATE_CONSTRAINTS, input);
        validate(CONFIGURATION_CONSTRAINTS, input);
        validate(ARCHITECTURE_CONSTRAINTS, input);
        const { name } = functionReference(input.FunctionName ?? '');
        if (call.region !== model.homeRegion) {
          throw new Error(
            `the simulated account keeps functions in ${model.homeRegion} only, not ${call.region}`,
          );
        }
        if (model.functions.has(name)) {
          throw fault('ResourceConflictException', 409, `Function already exist: ${name}`, { Type: 'User' });
        }
        if (!input.Runtime || !input.Handler) {
          throw invalidParameter(
            'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
          );
        }
        const settings = configured(newFunctionSettings(model, input), input);
        const zip = deploymentPackage(model, input.Code ?? {});
        const at = context.now();
        const fn: SimFunction = {
          name,
          latest: {
            version: '$LATEST',
            settings,
            code: model.codePackage(zip),
            lastModified: at,
            revisionId: model.random.uuid(),
          },
          published: [],
          aliases: [],
          tags: { ...input.Tags },
        };
        model.functions.set(name, fn);
        const published = input.Publish ? publishVersion(model, fn, at) : undefined;
        context.emit(context.events.functionCreated(fn, trailCreateRequest(input), at, call.userAgent));
        call.status = 201;
        return creatingConfiguration(model, fn, published, published?.version);
      },
    }),
    defineOperation(TagResourceCommand, {
      action: 'lambda:TagResource',
      target: (input, call) => target({ FunctionName: input.Resource }, call),
      answer: (input, call) => {
        const fn = existing(input.Resource, call);
        const tags = { ...input.Tags };
        Object.assign(fn.tags, tags);
        context.emit(context.events.functionTagsChanged(fn, { tags }, context.now(), call.userAgent));
        call.status = 204;
        return {};
      },
    }),
    defineOperation(UntagResourceCommand, {
      action: 'lambda:UntagResource',
      target: (input, call) => target({ FunctionName: input.Resource }, call),
      answer: (input, call) => {
        const fn = existing(input.Resource, call);
        const tagKeys = [...(input.TagKeys ?? [])];
        for (const key of tagKeys) delete fn.tags[key];
        context.emit(context.events.functionTagsChanged(fn, { tagKeys }, context.now(), call.userAgent));
        call.status = 204;
        return {};
      },
    }),
    defineOperation(PutFunctionConcurrencyCommand, {
      action: 'lambda:PutFunctionConcurrency',
      target,
      answer: (input, call) => {
        validate(CONCURRENCY_CONSTRAINTS, input);
        const fn = existing(input.FunctionName, call);
        const reserved = input.ReservedConcurrentExecutions ?? 0;
        const reservedElsewhere = [...model.functions.values()]
          .filter((other) => other !== fn)
          .reduce((sum, other) => sum + (other.reservedConcurrency ?? 0), 0);
        if (
          reservedElsewhere + reserved >
          ACCOUNT_CONCURRENCY.total - ACCOUNT_CONCURRENCY.unreservedMinimum
        ) {
          throw invalidParameter(
            `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${ACCOUNT_CONCURRENCY.unreservedMinimum}].`,
          );
        }
        fn.reservedConcurrency = reserved;
        context.emit(
          context.events.functionConcurrencyChanged(fn.name, reserved, context.now(), call.userAgent),
        );
        return { ReservedConcurrentExecutions: reserved };
      },
    }),
    defineOperation(DeleteFunctionConcurrencyCommand, {
      action: 'lambda:DeleteFunctionConcurrency',
      target,
      answer: (input, call) => {
        const fn = existing(input.FunctionName, call);
        delete fn.reservedConcurrency;
        context.emit(
          context.events.functionConcurrencyChanged(fn.name, undefined, context.now(), call.userAgent),
        );
        call.status = 204;
        return {};
      },
    }),
  ];
}

/**
 * Makes `change` the new `$LATEST` of `fn`, with a new revision id and `LastModified`, as every update does; the
 * update succeeds, so a failed earlier one is no longer reported (the function's state stays as it was).
 */
export function updateLatest(
  model: AccountModel,
  fn: SimFunction,
  change: { readonly settings?: FunctionSettings; readonly code?: CodePackage },
  at: Date,
): void {
  fn.latest = { ...fn.latest, ...change, lastModified: at, revisionId: model.random.uuid() };
  if (fn.status) {
    const { lastUpdateStatusReason, lastUpdateStatusReasonCode, ...state } = fn.status;
    fn.status = { ...state, lastUpdateStatus: 'Successful' };
  }
}

/** Publishes `$LATEST` as the next version number, as `Publish` does. */
function publishVersion(model: AccountModel, fn: SimFunction, at: Date): FunctionVersion {
  const number = Math.max(0, ...fn.published.map((version) => Number(version.version))) + 1;
  const version: FunctionVersion = {
    ...fn.latest,
    version: String(number),
    lastModified: at,
    revisionId: model.random.uuid(),
  };
  fn.published.push(version);
  return version;
}

/** Throws `ValidationException` naming every broken constraint, as Lambda's API layer does. */
function validate<Input>(constraints: ReadonlyArray<Constraint<Input>>, input: Input): void {
  const errors = constraints.flatMap(({ path, value, broken }) => {
    const given = value(input);
    const constraint = given === undefined ? undefined : broken(given);
    return constraint === undefined
      ? []
      : [`Value ${shownValue(given)} at '${path}' failed to satisfy constraint: ${constraint}`];
  });
  if (errors.length === 0) return;
  const count = `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected`;
  throw fault('ValidationException', 400, `${count}: ${errors.join('; ')}`);
}

/** A value as validation messages quote it: `'256'`, `'[x86_64, arm64]'`, or `null` unquoted. */
function shownValue(value: unknown): string {
  if (value === null) return 'null';
  return `'${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}'`;
}

function checkRevision(fn: SimFunction, revisionId: string | undefined): void {
  if (revisionId === undefined || revisionId === fn.latest.revisionId) return;
  throw fault(
    'PreconditionFailedException',
    412,
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    { Type: 'User' },
  );
}

function invalidParameter(message: string): SimulatedFault {
  return fault('InvalidParameterValueException', 400, message, { Type: 'User' });
}

/** The zip bytes of a deployment package, or Lambda's refusal: no source, an S3 object it cannot read, not a zip. */
function deploymentPackage(model: AccountModel, source: CodeSource): Uint8Array {
  const zip = source.ZipFile ?? (source.S3Bucket === undefined ? undefined : s3Package(model, source));
  if (zip === undefined) throw invalidParameter('Please provide a source for function code.');
  try {
    unzipSync(zip, { filter: () => false });
  } catch {
    throw invalidParameter(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  }
  return Uint8Array.from(zip);
}

/** A package stored in the simulated S3, read as Lambda reads it (same region, the version asked for). */
function s3Package(model: AccountModel, source: CodeSource): Uint8Array {
  const getObjectFailed = (code: string, message: string) =>
    invalidParameter(`Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`);
  const bucket = model.buckets.get(source.S3Bucket ?? '');
  if (!bucket) throw getObjectFailed('NoSuchBucket', 'The specified bucket does not exist');
  if (bucket.region !== model.homeRegion) {
    throw getObjectFailed(
      'PermanentRedirect',
      `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`,
    );
  }
  const key = source.S3Key ?? '';
  const object =
    source.S3ObjectVersion === undefined
      ? bucket.current(key)
      : bucket
          .versions(key)
          .find((version) => version.versionId === source.S3ObjectVersion && !version.deleteMarker);
  if (!object) throw getObjectFailed('NoSuchKey', 'The specified key does not exist.');
  return object.body;
}

/** The settings a new function starts from, Lambda's defaults where the request says nothing. */
function newFunctionSettings(model: AccountModel, input: CreateFunctionCommandInput): FunctionSettings {
  return {
    runtime: input.Runtime ?? '',
    handler: input.Handler ?? '',
    role: input.Role ?? '',
    description: '',
    timeout: 3,
    memorySize: 128,
    architectures: [...(input.Architectures ?? ['x86_64'])],
    ephemeralStorageSize: 512,
    tracingMode: 'PassThrough',
    layers: [],
    logFormat: 'Text',
    runtimeVersionArn: `arn:aws:lambda:${model.homeRegion}::runtime:${model.random.hex(64)}`,
  };
}

function withArchitectures(settings: FunctionSettings, input: { Architectures?: string[] | undefined }) {
  return input.Architectures ? { ...settings, architectures: [...input.Architectures] } : settings;
}

/**
 * `base` with what a configuration request sets, or the `InvalidParameterValueException` Lambda answers for what it
 * refuses (reserved or oversized environment variables, too many or unknown layers, log levels without JSON logs).
 * An empty `Environment` or `KMSKeyArn`, or a `DeadLetterConfig` without a target, removes the setting.
 */
function withConfiguration(
  base: FunctionSettings,
  input: ConfigurationInput,
  layers: ReadonlyMap<string, Layer>,
): FunctionSettings {
  const variables = input.Environment && { ...input.Environment.Variables };
  const logging = input.LoggingConfig;
  const logFormat = logging?.LogFormat ?? base.logFormat;
  const problem = configurationProblem(input, { variables, layers, logFormat });
  if (problem) throw invalidParameter(problem);
  const json = logFormat === 'JSON';
  return {
    ...base,
    ...optional('runtime', input.Runtime),
    ...optional('handler', input.Handler),
    ...optional('role', input.Role),
    ...optional('description', input.Description),
    ...optional('timeout', input.Timeout),
    ...optional('memorySize', input.MemorySize),
    ...optional('ephemeralStorageSize', input.EphemeralStorage?.Size),
    ...optional('tracingMode', input.TracingConfig?.Mode),
    ...(variables === undefined
      ? {}
      : { environment: Object.keys(variables).length > 0 ? variables : undefined }),
    ...optional(
      'layers',
      input.Layers?.map((arn) => ({ ...layers.get(arn) })),
    ),
    ...(input.KMSKeyArn === undefined ? {} : { kmsKeyArn: input.KMSKeyArn || undefined }),
    ...(input.DeadLetterConfig === undefined
      ? {}
      : { deadLetterTargetArn: input.DeadLetterConfig.TargetArn || undefined }),
    logFormat,
    applicationLogLevel: json ? (logging?.ApplicationLogLevel ?? base.applicationLogLevel) : undefined,
    systemLogLevel: json ? (logging?.SystemLogLevel ?? base.systemLogLevel) : undefined,
    logGroup: logging?.LogGroup ?? base.logGroup,
  };
}

/** Why Lambda refuses a configuration it could parse, or `undefined` when it accepts it. */
function configurationProblem(
  input: ConfigurationInput,
  resulting: {
    readonly variables: Record<string, string> | undefined;
    readonly layers: ReadonlyMap<string, Layer>;
    readonly logFormat: string;
  },
): string | undefined {
  const { variables, layers } = resulting;
  const reserved = Object.keys(variables ?? {}).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length > 0) {
    return `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`;
  }
  const measured = JSON.stringify(variables ?? {});
  if (Buffer.byteLength(measured) > MAX_ENVIRONMENT_BYTES) {
    return `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`;
  }
  if ((input.Layers?.length ?? 0) > MAX_LAYERS) return `Cannot reference more than ${MAX_LAYERS} layers.`;
  const unknownLayer = input.Layers?.find((arn) => !layers.has(arn));
  if (unknownLayer !== undefined) return `Layer version ${unknownLayer} does not exist.`;
  const levels = [input.LoggingConfig?.ApplicationLogLevel, input.LoggingConfig?.SystemLogLevel];
  if (resulting.logFormat !== 'JSON' && levels.some((level) => level !== undefined)) {
    return 'ApplicationLogLevel and SystemLogLevel can only be set for functions configured to use JSON log format.';
  }
  return undefined;
}

/** The layer versions the account's functions refer to, by ARN: the ones a configuration may name. */
function accountLayers(model: AccountModel): Map<string, Layer> {
  const versions = [...model.functions.values()].flatMap((fn) => [fn.latest, ...fn.published]);
  return new Map(
    versions.flatMap((version) => version.settings.layers.map((layer) => [layer.Arn ?? '', layer])),
  );
}

/**
 * A request as CloudTrail records it: lower-camel-case names (`kMSKeyArn`), environment variables left out by the
 * event factory. Tags and zip bytes are taken out by the caller, as their keys and bytes are not renamed.
 */
function trailRequest(request: object): Record<string, unknown> {
  return lowerCamelCase(request) as Record<string, unknown>;
}

/** A `CreateFunction` request as CloudTrail records it: its code `{}` for a zip (else the S3 location), tags as given. */
function trailCreateRequest(input: CreateFunctionCommandInput): Record<string, unknown> {
  const { Code, Tags, ...request } = input;
  const { ZipFile, ...location } = Code ?? {};
  return { ...trailRequest(request), code: trailRequest(location), ...(Tags ? { tags: { ...Tags } } : {}) };
}
