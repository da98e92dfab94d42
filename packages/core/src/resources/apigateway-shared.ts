import type { CaptureContext } from '../capture/context.js';
import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type { AwsService } from './service.js';
import { field, stringField, tokenPages } from './support.js';
import type { IdExtractor } from './types.js';

/** CloudTrail event source of API Gateway, v1 (REST) and v2 (HTTP, WebSocket) alike. */
export const APIGATEWAY_EVENT_SOURCE = 'apigateway.amazonaws.com';

/**
 * The IAM action of every API Gateway read: API Gateway authorises HTTP verbs on resource paths
 * (`apigateway:GET` on `arn:aws:apigateway:<region>::/restapis/<id>`), not one action per operation.
 */
export const APIGATEWAY_READ = 'apigateway:GET';

/**
 * A string field of a request as CloudTrail records it: at the top of `requestParameters` (path parameters such
 * as `restApiId`) or in its body object, which API Gateway records as `<operation>Input` (`createStageInput`).
 */
export function requestValue(record: CloudTrailRecord, key: string): string | undefined {
  const direct = stringField(record.requestParameters, key);
  if (direct) return direct;
  for (const [name, body] of Object.entries(record.requestParameters ?? {})) {
    if (name.endsWith('Input')) {
      const value = stringField(body, key);
      if (value) return value;
    }
  }
  return undefined;
}

/**
 * The id a tagging call names in its resource ARN under one collection: `restapis` for
 * `arn:aws:apigateway:us-east-1::/restapis/abcdef74gh/stages/test2` gives `abcdef74gh`.
 */
export function arnCollectionId(record: CloudTrailRecord, collection: string): string | undefined {
  const arn =
    stringField(record.requestParameters, 'resourceArn') ??
    stringField(record.requestParameters, 'resource-arn');
  const path = arn?.match(/^arn:aws[a-z-]*:apigateway:[a-z0-9-]*::(\/.*)$/)?.[1];
  const [, first, id] = path?.split('/') ?? [];
  return first === collection && id ? decodeURIComponent(id) : undefined;
}

/** The blob name of a REST API stage's OpenAPI export. */
export function exportBlobName(stageName: string): string {
  return `openapi/${stageName}`;
}

/** Distinct, defined ids. */
export function ids(...values: ReadonlyArray<string | undefined>): readonly string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

/** An extractor of a new resource's id from `responseElements.id` (v1 creations: `CreateUsagePlan`…). */
export function responseId(key = 'id'): IdExtractor {
  return (record) => {
    const value = field(record.responseElements, key);
    return typeof value === 'string' && value ? [value] : [];
  };
}

/** An extractor of the id in a tagging call's resource ARN under `collection` (`restapis`, `apis`…). */
export function taggedId(collection: string): IdExtractor {
  return (record) => ids(arnCollectionId(record, collection));
}

/**
 * An extractor of the resource a call names: the request field `key` (path parameter or body), else the id in a
 * tagged resource's ARN under `collection` (`restApiId` or `/restapis/<id>`).
 */
export function requestOrTagged(key: string, collection: string): IdExtractor {
  return (record) => ids(requestValue(record, key), arnCollectionId(record, collection));
}

/** An extractor of a new resource: its id in `responseElements` (`key`), then the ids `named` finds. */
export function created(named: IdExtractor, key = 'id'): IdExtractor {
  return (record) => ids(...responseId(key)(record), ...named(record));
}

/** Every item of every page of a listing, each page request made inside the service's limit. */
async function allItems<P, T>(
  ctx: CaptureContext,
  service: AwsService,
  page: (token: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
  next: (page: P) => string | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const output of tokenPages(ctx.limit(service), page, next)) all.push(...(items(output) ?? []));
  return all;
}

/** Every item of a paged v1 listing (`position` / `limit`), each page request made inside the service's limit. */
export function allV1<T>(
  ctx: CaptureContext,
  service: AwsService,
  page: (position: string | undefined) => Promise<{ items?: T[] | undefined; position?: string | undefined }>,
): Promise<T[]> {
  return allItems(
    ctx,
    service,
    page,
    (output) => output.items,
    (output) => output.position,
  );
}

/** Every item of a paged v2 listing (`NextToken` / `MaxResults`), each page request made inside the limit. */
export function allV2<T>(
  ctx: CaptureContext,
  service: AwsService,
  page: (token: string | undefined) => Promise<{ Items?: T[] | undefined; NextToken?: string | undefined }>,
): Promise<T[]> {
  return allItems(
    ctx,
    service,
    page,
    (output) => output.Items,
    (output) => output.NextToken,
  );
}
