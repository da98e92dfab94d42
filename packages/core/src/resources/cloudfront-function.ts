import {
  DescribeFunctionCommand,
  type DescribeFunctionCommandOutput,
  type FunctionStage,
  GetFunctionCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-cloudfront';
import type { CaptureContext } from '../capture/context.js';
import { type PartOutcome, partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, Json, JsonObject, ListedResource, PreviousCapture } from '../types/resource.js';
import { CLOUDFRONT_EVENT_SOURCE, cloudFrontIds, eventsNaming, markerPages } from './cloudfront-shared.js';
import { cloudFrontService } from './services.js';
import { limitedPages, pick } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::CloudFront::Function';

/** The function a call names: `requestParameters.name`, or a new function's `responseElements.functionSummary.name`. */
export const cloudFrontFunctionFromRecord = cloudFrontIds({
  request: ['name'],
  response: ['functionSummary', 'name'],
});

async function* listFunctions(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(cloudFrontService, region);
  // Every function has a DEVELOPMENT stage (LIVE only once published): listing that stage names each one once.
  const pages = markerPages(
    (Marker) => client.send(new ListFunctionsCommand({ Stage: 'DEVELOPMENT', Marker })),
    (page) => page.FunctionList?.NextMarker,
  );
  for await (const page of limitedPages(ctx.limit(cloudFrontService), pages)) {
    for (const fn of page.FunctionList?.Items ?? []) if (fn.Name) yield { id: fn.Name };
  }
}

/** What is recorded of one stage: status, configuration (runtime, comment, key value stores), metadata, ETag. */
function stageDocument(output: DescribeFunctionCommandOutput): Json {
  return {
    ...pick(output.FunctionSummary, ['Status', 'FunctionConfig', 'FunctionMetadata']),
    ...(output.ETag === undefined ? {} : { ETag: output.ETag }),
  };
}

async function describeFunction(
  ctx: CaptureContext,
  name: string,
  region: string,
  previous?: PreviousCapture,
): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(cloudFrontService, region);
  const limit = ctx.limit(cloudFrontService);
  const describeStage = (Stage: FunctionStage) =>
    readPart(
      { ...spec, operation: 'cloudfront:DescribeFunction', absentCodes: ['NoSuchFunctionExists'] },
      () => limit(() => client.send(new DescribeFunctionCommand({ Name: name, Stage }))),
    );
  const codeOf = (Stage: FunctionStage) =>
    readPart({ ...spec, operation: 'cloudfront:GetFunction', absentCodes: ['NoSuchFunctionExists'] }, () =>
      limit(() => client.send(new GetFunctionCommand({ Name: name, Stage }))),
    );

  const development = await describeStage('DEVELOPMENT');
  if (development.state === 'gap') return { status: 'gap', gap: development.gap };
  if (development.state !== 'ok' || !development.value.FunctionSummary) return { status: 'not-found' };
  const live = await describeStage('LIVE');
  const raw: JsonObject = {
    Name: name,
    Stages: { LIVE: partValue(live, stageDocument), DEVELOPMENT: stageDocument(development.value) },
  };
  // Each stage's ETag changes with its code: when both are the ones captured last, so is the code.
  const fingerprint = `${live.state === 'ok' ? (live.value.ETag ?? '') : ''}/${development.value.ETag ?? ''}`;
  if (live.state === 'ok' && previous?.fingerprint === fingerprint && previous.blobs.code)
    return { status: 'found', raw, blobs: previous.blobs, fingerprint };
  const [liveCode, developmentCode] = await Promise.all([codeOf('LIVE'), codeOf('DEVELOPMENT')]);

  const gaps: Gap[] = [];
  const store = async (outcome: PartOutcome<{ FunctionCode?: Uint8Array }>) => {
    if (outcome.state === 'gap') gaps.push(outcome.gap);
    const bytes = outcome.state === 'ok' ? outcome.value.FunctionCode : undefined;
    if (!bytes) return undefined;
    ctx.counters.bytesDownloaded += bytes.byteLength;
    return (await ctx.content.putBytes(bytes)).hash;
  };
  const liveHash = await store(liveCode);
  const developmentHash = await store(developmentCode);
  const blobs: Record<string, string> = {};
  if (liveHash) blobs.code = liveHash;
  if (developmentHash && developmentHash !== liveHash) blobs['code:DEVELOPMENT'] = developmentHash;
  if (live.state === 'gap') gaps.push(live.gap);
  return {
    status: 'found',
    raw,
    fingerprint,
    ...(Object.keys(blobs).length > 0 ? { blobs } : {}),
    ...(gaps.length > 0 ? { gaps } : {}),
  };
}

/**
 * `AWS::CloudFront::Function`: a CloudFront Function's LIVE and DEVELOPMENT stages (status, runtime, comment,
 * key value store associations, ARN and times; `null` for a LIVE stage never published) and its code: the LIVE
 * code as the `code` blob, the DEVELOPMENT code as `code:DEVELOPMENT` when it differs (or was never published).
 * Identifier: the function name. Each stage's ETag is volatile.
 */
export const cloudFrontFunction: ResourceDefinition = {
  type: TYPE,
  service: cloudFrontService,
  eventSource: CLOUDFRONT_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'cloudfront:ListFunctions',
  permissions: ['cloudfront:ListFunctions', 'cloudfront:DescribeFunction', 'cloudfront:GetFunction'],
  volatile: ['Stages.*.ETag'],
  secrets: [],
  events: eventsNaming(
    ['CreateFunction', 'UpdateFunction', 'PublishFunction', 'DeleteFunction'],
    cloudFrontFunctionFromRecord,
  ),
  list: listFunctions,
  describe: describeFunction,
  normalise: (raw) => ({ ...raw }),
};
