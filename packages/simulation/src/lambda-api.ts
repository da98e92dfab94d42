import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  InvalidParameterValueException,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import type { CodeServer } from './code-server.js';
import {
  type CallContext,
  type CallTarget,
  defineOperation,
  type Operation,
  type ServiceProfile,
} from './dispatch.js';
import { fault, injectedFaults } from './errors.js';
import { functionConfiguration } from './lambda-config.js';
import { type AccountModel, type FunctionVersion, optional, type SimFunction } from './model.js';
import { decodeMarker, encodeMarker, pageAfter } from './paging.js';

/** Lambda returns at most this many items per list page. */
const MAX_ITEMS = 50;

const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** A `FunctionName` parameter taken apart: a name, a partial ARN or a full ARN, with an optional qualifier. */
export interface FunctionReference {
  readonly name: string;
  readonly qualifier?: string;
  readonly region?: string;
  readonly account?: string;
}

/** A function version found for a call, and the qualifier its ARN is reported with. */
export interface Resolved {
  readonly fn: SimFunction;
  readonly version: FunctionVersion;
  readonly qualifier?: string;
}

/**
 * The Lambda API of the simulated account, with `writes` (see `lambdaWriteOperations`) beside its reads. Functions
 * live in the home region only; names may be given as names, partial ARNs or full ARNs, with a qualifier (version or
 * alias) in the name or in `Qualifier`.
 */
export function lambdaProfile(
  model: AccountModel,
  codeServer: CodeServer,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const target = (input: { FunctionName?: string | undefined }, call: CallContext): CallTarget =>
    functionTarget(model, input.FunctionName, call);
  const resolve = (
    input: { FunctionName?: string | undefined; Qualifier?: string | undefined },
    call: CallContext,
  ) => resolveFunction(model, input.FunctionName ?? '', input.Qualifier, call);
  const resolveUnqualified = (input: { FunctionName?: string | undefined }, call: CallContext) =>
    resolveFunction(model, input.FunctionName ?? '', undefined, call).fn;

  return {
    service: 'lambda',
    exceptions: {
      base: LambdaServiceException,
      modeled: {
        InvalidParameterValueException,
        PreconditionFailedException,
        ResourceConflictException,
        ResourceNotFoundException,
        TooManyRequestsException,
      },
    },
    client: LambdaClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: {
        code: 'TooManyRequestsException',
        status: 429,
        message: 'Rate exceeded',
        fields: { Reason: 'CallerRateLimitExceeded', Type: 'User', retryAfterSeconds: '1' },
      },
      denied: { code: 'AccessDeniedException', status: 403 },
    }),
    operations: [
      defineOperation(ListFunctionsCommand, {
        action: 'lambda:ListFunctions',
        answer: (input, call) => {
          const all = input.FunctionVersion === 'ALL';
          const entries = functionsIn(model, call.region).flatMap((fn) =>
            [fn.latest, ...(all ? fn.published : [])].map((version) => ({ fn, version })),
          );
          const { page, nextKey } = pageAfter(
            entries,
            (entry) => versionKey(entry.fn.name, entry.version.version),
            marker(input.Marker),
            Math.min(input.MaxItems ?? MAX_ITEMS, MAX_ITEMS),
          );
          return {
            Functions: page.map(({ fn, version }) =>
              functionConfiguration(model, fn, version, 'list', all ? version.version : undefined),
            ),
            ...optional('NextMarker', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(GetFunctionCommand, {
        action: 'lambda:GetFunction',
        target,
        answer: (input, call) => {
          const { fn, version, qualifier } = resolve(input, call);
          return {
            Configuration: functionConfiguration(model, fn, version, 'get', qualifier),
            Code: { RepositoryType: 'S3', Location: codeServer.presign(fn.name, version.code) },
            ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
            ...optional(
              'Concurrency',
              fn.reservedConcurrency === undefined
                ? undefined
                : { ReservedConcurrentExecutions: fn.reservedConcurrency },
            ),
          };
        },
      }),
      defineOperation(GetFunctionConfigurationCommand, {
        action: 'lambda:GetFunctionConfiguration',
        target,
        answer: (input, call) => {
          const { fn, version, qualifier } = resolve(input, call);
          return functionConfiguration(model, fn, version, 'get', qualifier);
        },
      }),
      defineOperation(ListVersionsByFunctionCommand, {
        action: 'lambda:ListVersionsByFunction',
        target,
        answer: (input, call) => {
          const fn = resolveUnqualified(input, call);
          const { page, nextKey } = pageAfter(
            [fn.latest, ...fn.published],
            (version) => versionKey(fn.name, version.version),
            marker(input.Marker),
            Math.min(input.MaxItems ?? MAX_ITEMS, MAX_ITEMS),
          );
          return {
            Versions: page.map((version) =>
              functionConfiguration(model, fn, version, 'list', version.version),
            ),
            ...optional('NextMarker', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(ListAliasesCommand, {
        action: 'lambda:ListAliases',
        target,
        answer: (input, call) => {
          const fn = resolveUnqualified(input, call);
          const aliases = fn.aliases
            .filter(
              (alias) =>
                input.FunctionVersion === undefined || alias.functionVersion === input.FunctionVersion,
            )
            .sort((a, b) => (a.name < b.name ? -1 : 1));
          const { page, nextKey } = pageAfter(
            aliases,
            (alias) => alias.name,
            marker(input.Marker),
            input.MaxItems ?? 50,
          );
          return {
            Aliases: page.map((alias) => ({
              AliasArn: model.functionArn(fn.name, alias.name),
              Name: alias.name,
              FunctionVersion: alias.functionVersion,
              Description: alias.description,
              RevisionId: alias.revisionId,
            })),
            ...optional('NextMarker', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(GetPolicyCommand, {
        action: 'lambda:GetPolicy',
        target,
        answer: (input, call) => {
          const { fn, version } = resolve(input, call);
          if (!fn.policy || version !== fn.latest) throw resourceNotFound();
          return { Policy: JSON.stringify(fn.policy), RevisionId: fn.latest.revisionId };
        },
      }),
      defineOperation(GetFunctionUrlConfigCommand, {
        action: 'lambda:GetFunctionUrlConfig',
        target,
        answer: (input, call) => {
          const { fn, version } = resolve(input, call);
          const url = fn.url;
          if (!url || version !== fn.latest) throw resourceNotFound();
          return {
            FunctionUrl: `https://${url.urlId}.lambda-url.${model.homeRegion}.on.aws/`,
            FunctionArn: model.functionArn(fn.name),
            AuthType: url.authType,
            ...optional('Cors', url.cors),
            CreationTime: urlTimestamp(url.creationTime),
            LastModifiedTime: urlTimestamp(url.lastModifiedTime),
            InvokeMode: 'BUFFERED' as const,
          };
        },
      }),
      defineOperation(GetFunctionConcurrencyCommand, {
        action: 'lambda:GetFunctionConcurrency',
        target,
        answer: (input, call) => {
          const fn = resolveUnqualified(input, call);
          return optional('ReservedConcurrentExecutions', fn.reservedConcurrency);
        },
      }),
      defineOperation(ListTagsCommand, {
        action: 'lambda:ListTags',
        target: (input, call) => target({ FunctionName: input.Resource }, call),
        answer: (input, call) => ({
          Tags: { ...resolveUnqualified({ FunctionName: input.Resource }, call).tags },
        }),
      }),
      defineOperation(ListEventSourceMappingsCommand, {
        action: 'lambda:ListEventSourceMappings',
        answer: (input, call) => {
          const name =
            input.FunctionName === undefined ? undefined : parseReference(input.FunctionName)?.name;
          const mappings = call.region === model.homeRegion ? model.eventSourceMappings : [];
          const selected = mappings
            .filter((mapping) => name === undefined || mapping.functionName === name)
            .filter(
              (mapping) =>
                input.EventSourceArn === undefined || mapping.eventSourceArn === input.EventSourceArn,
            )
            .sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
          const { page, nextKey } = pageAfter(
            selected,
            (m) => m.uuid,
            marker(input.Marker),
            input.MaxItems ?? 100,
          );
          return {
            EventSourceMappings: page.map((mapping) => ({
              UUID: mapping.uuid,
              BatchSize: mapping.batchSize,
              MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
              EventSourceArn: mapping.eventSourceArn,
              FunctionArn: model.functionArn(mapping.functionName),
              LastModified: mapping.lastModified,
              State: 'Enabled',
              StateTransitionReason: 'USER_INITIATED',
              ...(mapping.stream
                ? {
                    StartingPosition: mapping.stream.startingPosition,
                    LastProcessingResult: mapping.stream.lastProcessingResult,
                  }
                : {}),
              FunctionResponseTypes: [],
              EventSourceMappingArn: `arn:aws:lambda:${model.homeRegion}:${model.accountId}:event-source-mapping:${mapping.uuid}`,
            })),
            ...optional('NextMarker', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      ...writes,
    ],
  };
}

/** What a call naming a function touches: its name (for fault matching) and its ARN in the caller's region. */
export function functionTarget(
  model: AccountModel,
  functionName: string | undefined,
  call: CallContext,
): CallTarget {
  const name = parseReference(functionName ?? '')?.name ?? functionName ?? '';
  return { ids: [name], arn: regionalArn(model, call.region, name) };
}

function parseReference(value: string): FunctionReference | undefined {
  const match = FUNCTION_NAME.exec(value);
  if (!match) return undefined;
  const [, region, account, partialAccount, name = '', qualifier] = match;
  return {
    name,
    ...optional('qualifier', qualifier),
    ...optional('region', region),
    ...optional('account', account ?? partialAccount),
  };
}

/** A `FunctionName` parameter taken apart, or the `ValidationException` Lambda answers for a malformed one. */
export function functionReference(functionName: string): FunctionReference {
  const reference = parseReference(functionName);
  if (!reference) {
    throw fault(
      'ValidationException',
      400,
      `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME.source}`,
    );
  }
  return reference;
}

/**
 * The function version a call names (by name, partial or full ARN, qualified in the name or by `explicitQualifier`),
 * or the fault Lambda answers: `ResourceNotFoundException` for a function or version that does not exist here.
 */
export function resolveFunction(
  model: AccountModel,
  functionName: string,
  explicitQualifier: string | undefined,
  call: CallContext,
): Resolved {
  const reference = functionReference(functionName);
  if (
    explicitQualifier !== undefined &&
    reference.qualifier !== undefined &&
    explicitQualifier !== reference.qualifier
  ) {
    throw fault(
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
      { Type: 'User' },
    );
  }
  const qualifier = explicitQualifier ?? reference.qualifier;
  const arn =
    regionalArn(model, call.region, reference.name) + (qualifier === undefined ? '' : `:${qualifier}`);
  const elsewhere =
    call.region !== model.homeRegion ||
    (reference.region !== undefined && reference.region !== call.region) ||
    (reference.account !== undefined && reference.account !== model.accountId);
  const fn = elsewhere ? undefined : model.functions.get(reference.name);
  if (!fn) throw functionNotFound(arn);
  if (qualifier === undefined || qualifier === '$LATEST')
    return { fn, version: fn.latest, ...optional('qualifier', qualifier) };
  const versionNumber = fn.aliases.find((alias) => alias.name === qualifier)?.functionVersion ?? qualifier;
  const version = fn.published.find((candidate) => candidate.version === versionNumber);
  if (!version) throw functionNotFound(arn);
  return { fn, version, qualifier };
}

function functionsIn(model: AccountModel, region: string): SimFunction[] {
  if (region !== model.homeRegion) return [];
  return [...model.functions.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** A sort key for a function version: a space sorts below every character allowed in names, `$LATEST` first. */
function versionKey(name: string, version: string): string {
  return `${name} ${version === '$LATEST' ? '' : version.padStart(10, '0')}`;
}

function marker(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const position = decodeMarker(value);
  if (position === undefined) {
    throw fault('InvalidParameterValueException', 400, `Invalid marker: ${value}`, { Type: 'User' });
  }
  return position;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>` in the caller's region, as Lambda's errors name it. */
export function regionalArn(model: AccountModel, region: string, name: string): string {
  return `arn:aws:lambda:${region}:${model.accountId}:function:${name}`;
}

function functionNotFound(arn: string) {
  return fault('ResourceNotFoundException', 404, `Function not found: ${arn}`, { Type: 'User' });
}

function resourceNotFound() {
  return fault('ResourceNotFoundException', 404, 'The resource you requested does not exist.', {
    Type: 'User',
  });
}

/** Function URL timestamps carry microseconds: `2024-05-01T12:00:00.000000Z`. */
function urlTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '000Z');
}
