import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  paginateListAliases,
  paginateListEventSourceMappings,
  paginateListFunctions,
  paginateListVersionsByFunction,
} from '@aws-sdk/client-lambda';
import { errorCode, errorMessage, gapKindOf } from '../aws/classify.js';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import { GapKind, UNKNOWN_MARKER } from '../constants.js';
import type { Described, Gap, Json, JsonObject, ListedResource } from '../types/resource.js';
import { lambdaFunctionName } from './arn.js';
import { lambdaFunctionCloudFormation } from './lambda-function-cloudformation.js';
import { lambdaFunctionRestore } from './lambda-function-restore.js';
import { lambdaService } from './services.js';
import {
  collectPages,
  countBytes,
  field,
  keyedBy,
  limitedPages,
  parsePolicy,
  pick,
  toJson,
  toJsonObject,
} from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::Lambda::Function';

/**
 * The function a Lambda call names, from `requestParameters.functionName`, `requestParameters.resource`
 * (tagging), or `responseElements.functionName` / `functionArn` (a new function, an event source mapping),
 * always as the bare name.
 */
export const functionFromRecord: IdExtractor = (record) => {
  const candidates = [
    field(record.requestParameters, 'functionName'),
    field(record.requestParameters, 'resource'),
    field(record.responseElements, 'functionName'),
    field(record.responseElements, 'functionArn'),
  ];
  const names = candidates.map(lambdaFunctionName).filter((name): name is string => name !== undefined);
  return [...new Set(names)];
};

/** CloudTrail events (without their `20150331` / `20150331v2` suffixes) that change a function. */
const FUNCTION_EVENTS = [
  'CreateFunction',
  'DeleteFunction',
  'UpdateFunctionCode',
  'UpdateFunctionConfiguration',
  'PublishVersion',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'AddPermission',
  'RemovePermission',
  'PutFunctionConcurrency',
  'DeleteFunctionConcurrency',
  'CreateFunctionUrlConfig',
  'UpdateFunctionUrlConfig',
  'DeleteFunctionUrlConfig',
  'CreateEventSourceMapping',
  'UpdateEventSourceMapping',
  'DeleteEventSourceMapping',
  'TagResource',
  'UntagResource',
] as const;

/** What is recorded of each published version: its configuration without the environment. */
const VERSION_FIELDS = [
  'Version',
  'FunctionArn',
  'Description',
  'Runtime',
  'Handler',
  'Role',
  'MemorySize',
  'Timeout',
  'CodeSha256',
  'CodeSize',
  'PackageType',
  'Architectures',
  'Layers',
  'EphemeralStorage',
  'TracingConfig',
  'VpcConfig',
  'KMSKeyArn',
  'ImageConfigResponse',
  'RevisionId',
] as const;

/** `Code` fields kept; `Location` (a presigned URL) never is. */
const CODE_FIELDS = ['RepositoryType', 'ImageUri', 'ResolvedImageUri', 'SourceKMSKeyArn'] as const;

const URL_CONFIG_FIELDS = [
  'FunctionUrl',
  'FunctionArn',
  'AuthType',
  'Cors',
  'InvokeMode',
  'CreationTime',
  'LastModifiedTime',
] as const;

async function* listFunctions(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(lambdaService, region);
  for await (const page of limitedPages(ctx.limit(lambdaService), paginateListFunctions({ client }, {}))) {
    for (const fn of page.Functions ?? []) {
      if (fn.FunctionName) yield { id: fn.FunctionName };
    }
  }
}

/** The sha256 of a code zip as lower-case hex, from Lambda's base64 `CodeSha256`. */
export function codeHash(codeSha256: string | undefined): string | undefined {
  if (!codeSha256) return undefined;
  const hex = Buffer.from(codeSha256, 'base64').toString('hex');
  return hex.length === 64 ? hex : undefined;
}

type CodeOutcome = { readonly hash: string } | { readonly gap: Gap };

/**
 * Stores a code zip unless content with its `CodeSha256` is already stored: `location` is asked for only
 * when the download is needed. The URL is used once and never kept.
 */
async function storeCode(
  ctx: CaptureContext,
  spec: { type: string; region: string; id: string },
  codeSha256: string | undefined,
  location: () => Promise<string | Gap | undefined>,
): Promise<CodeOutcome> {
  const failed = (code: string, message: string): CodeOutcome => ({
    gap: { kind: GapKind.ERROR, ...spec, operation: 'lambda:GetFunction', code, message },
  });
  const hash = codeHash(codeSha256);
  if (!hash) return failed('InvalidCodeSha256', 'function has no valid CodeSha256');
  if (ctx.metadataOnly || (await ctx.content.has(hash))) return { hash };
  const url = await location();
  if (url === undefined) return failed('NoCodeLocation', 'GetFunction returned no code location');
  if (typeof url !== 'string') return { gap: url };
  try {
    const stored = await ctx.downloads(async () => {
      const response = await fetch(url);
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new CodeDownloadError(
          `code download answered HTTP ${response.status}`,
          `HTTP${response.status}`,
        );
      }
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      return ctx.content.putStream(
        countBytes(body, (bytes) => {
          ctx.counters.bytesDownloaded += bytes;
        }),
        { expectedHash: hash },
      );
    });
    return { hash: stored.hash };
  } catch (error) {
    // A presigned download fails in many ways (network, HTTP status, hash mismatch): each is a gap.
    const code = error instanceof CodeDownloadError ? error.code : errorCode(error);
    return failed(code, errorMessage(error));
  }
}

/** A code zip download that did not succeed. */
class CodeDownloadError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'CodeDownloadError';
  }
}

async function describeFunction(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(lambdaService, region);
  const limit = ctx.limit(lambdaService);

  const fn = await readPart({ ...spec, operation: 'lambda:GetFunction' }, () =>
    limit(() => client.send(new GetFunctionCommand({ FunctionName: name }))),
  );
  if (fn.state === 'not-found' || fn.state === 'absent') return { status: 'not-found' };
  if (fn.state === 'gap') return { status: 'gap', gap: fn.gap };
  const { Configuration: configuration, Code: code, Tags: tags, TagsError: tagsError } = fn.value;

  const absentCodes = ['ResourceNotFoundException'];
  const [aliases, versions, policy, mappings, url, concurrency] = await Promise.all([
    readPart({ ...spec, operation: 'lambda:ListAliases' }, () =>
      collectPages(limit, paginateListAliases({ client }, { FunctionName: name }), (page) => page.Aliases),
    ),
    readPart({ ...spec, operation: 'lambda:ListVersionsByFunction' }, () =>
      collectPages(
        limit,
        paginateListVersionsByFunction({ client }, { FunctionName: name }),
        (page) => page.Versions,
      ),
    ),
    readPart({ ...spec, operation: 'lambda:GetPolicy', absentCodes }, () =>
      limit(() => client.send(new GetPolicyCommand({ FunctionName: name }))),
    ),
    readPart({ ...spec, operation: 'lambda:ListEventSourceMappings' }, () =>
      collectPages(
        limit,
        paginateListEventSourceMappings({ client }, { FunctionName: name }),
        (page) => page.EventSourceMappings,
      ),
    ),
    readPart({ ...spec, operation: 'lambda:GetFunctionUrlConfig', absentCodes }, () =>
      limit(() => client.send(new GetFunctionUrlConfigCommand({ FunctionName: name }))),
    ),
    readPart({ ...spec, operation: 'lambda:GetFunctionConcurrency' }, () =>
      limit(() => client.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))),
    ),
  ]);

  const gaps: Gap[] = [];
  for (const outcome of [aliases, versions, policy, mappings, url, concurrency]) {
    if (outcome.state === 'gap') gaps.push(outcome.gap);
  }

  let tagsValue: Json = toJson(tags ?? {}) ?? {};
  if (tagsError) {
    const tagsCode = tagsError.ErrorCode ?? 'Error';
    tagsValue = { [UNKNOWN_MARKER]: tagsCode };
    gaps.push({
      kind: gapKindOf(Object.assign(new Error(tagsError.Message), { name: tagsCode })),
      ...spec,
      operation: 'lambda:ListTags',
      code: tagsCode,
      message: tagsError.Message ?? '',
    });
  }

  const published =
    versions.state === 'ok' ? versions.value.filter((version) => version.Version !== '$LATEST') : [];
  const raw: JsonObject = {
    Configuration: toJsonObject(configuration ?? {}),
    Code: pick(code, CODE_FIELDS),
    Tags: tagsValue,
    Concurrency: partValue(concurrency, (output) =>
      output.ReservedConcurrentExecutions === undefined
        ? null
        : { ReservedConcurrentExecutions: output.ReservedConcurrentExecutions },
    ),
    Aliases: partValue(aliases, (list) => list.map((alias) => toJsonObject(alias))),
    Versions: partValue(versions, () => published.map((version) => pick(version, VERSION_FIELDS))),
    Policy: partValue(policy, (output) => output.Policy ?? null),
    EventSourceMappings: partValue(mappings, (list) => list.map((mapping) => toJsonObject(mapping))),
    FunctionUrlConfig: partValue(url, (output) => pick(output, URL_CONFIG_FIELDS)),
  };

  // Code zips, deduplicated by CodeSha256: $LATEST as `code`, each published version as `code:<version>`.
  const blobs: Record<string, string> = {};
  if (configuration?.PackageType !== 'Image') {
    const latest = await storeCode(ctx, spec, configuration?.CodeSha256, async () => code?.Location);
    if ('hash' in latest) blobs.code = latest.hash;
    else gaps.push(latest.gap);
    for (const version of published) {
      if (version.PackageType === 'Image' || !version.Version) continue;
      const qualifier = version.Version;
      const outcome = await storeCode(ctx, spec, version.CodeSha256, async () => {
        const located = await readPart({ ...spec, operation: 'lambda:GetFunction' }, () =>
          limit(() => client.send(new GetFunctionCommand({ FunctionName: name, Qualifier: qualifier }))),
        );
        if (located.state === 'gap') return located.gap;
        return located.state === 'ok' ? located.value.Code?.Location : undefined;
      });
      if ('hash' in outcome) blobs[`code:${qualifier}`] = outcome.hash;
      else gaps.push(outcome.gap);
    }
  }

  return {
    status: 'found',
    raw,
    ...(Object.keys(blobs).length > 0 ? { blobs } : {}),
    ...(gaps.length > 0 ? { gaps } : {}),
  };
}

/**
 * `AWS::Lambda::Function`: a function's configuration, code (the `code` blob, plus `code:<version>` for
 * published versions), aliases, versions, resource policy, event source mappings, function URL,
 * reserved concurrency and tags. Identifier: the function name.
 */
export const lambdaFunction: ResourceDefinition = {
  type: TYPE,
  service: lambdaService,
  eventSource: 'lambda.amazonaws.com',
  scope: 'regional',
  listOperation: 'lambda:ListFunctions',
  permissions: [
    'lambda:ListFunctions',
    'lambda:GetFunction',
    'lambda:ListAliases',
    'lambda:ListVersionsByFunction',
    'lambda:GetPolicy',
    'lambda:ListEventSourceMappings',
    'lambda:GetFunctionUrlConfig',
    'lambda:GetFunctionConcurrency',
    'lambda:ListTags',
  ],
  volatile: [
    'Configuration.LastModified',
    'Configuration.RevisionId',
    'Configuration.State',
    'Configuration.StateReason',
    'Configuration.StateReasonCode',
    'Configuration.LastUpdateStatus',
    'Configuration.LastUpdateStatusReason',
    'Configuration.LastUpdateStatusReasonCode',
    'Versions.*.RevisionId',
    'Aliases.*.RevisionId',
    'EventSourceMappings.*.LastModified',
    'EventSourceMappings.*.State',
    'EventSourceMappings.*.StateTransitionReason',
    'EventSourceMappings.*.LastProcessingResult',
  ],
  secrets: ['Configuration.Environment.Variables.*'],
  events: Object.fromEntries(FUNCTION_EVENTS.map((name) => [name, functionFromRecord])),
  list: listFunctions,
  describe: (ctx, id, region) => describeFunction(ctx, id, region),
  restore: lambdaFunctionRestore,
  cloudFormation: lambdaFunctionCloudFormation,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const policy = parsePolicy(raw.Policy);
    if (policy !== undefined) normalised.Policy = policy;
    const maps: Array<[string, string]> = [
      ['Versions', 'Version'],
      ['Aliases', 'Name'],
      ['EventSourceMappings', 'UUID'],
    ];
    for (const [name, key] of maps) {
      const value = keyedBy(raw[name], key);
      if (value !== undefined) normalised[name] = value;
    }
    return normalised;
  },
};
