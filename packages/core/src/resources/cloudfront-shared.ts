import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { cloudFrontService } from './services.js';
import { field, limitedPages, stringField, toJson, toJsonObject } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

/** CloudTrail `eventSource` of every CloudFront call. */
export const CLOUDFRONT_EVENT_SOURCE = 'cloudfront.amazonaws.com';

/**
 * The resource type and id of a CloudFront ARN (`arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE`
 * gives `distribution` and `E2QWRUHEXAMPLE`), or `undefined` for anything else.
 *
 * @example
 * cloudFrontArnParts('arn:aws:cloudfront::123456789012:function/index-rewrite'); // { resourceType: 'function', id: 'index-rewrite' }
 */
export function cloudFrontArnParts(value: unknown): { resourceType: string; id: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^arn:aws[a-z-]*:cloudfront::\d{12}:([a-z-]+)\/([^/\s]+)$/.exec(value.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { resourceType: match[1], id: match[2] };
}

/** Where a CloudFront call's CloudTrail record names the resource it changed. */
export interface CloudFrontIdSources {
  /** `requestParameters` fields holding the id (`id`, `distributionId`, `name`). */
  readonly request: readonly string[];
  /** The path in `responseElements` of a new resource's id (`distribution`, `id`): creates name it only there. */
  readonly response: readonly [string, string];
  /** The ARN resource type (`distribution`) whose ids tagging calls name in `requestParameters.resource`. */
  readonly arnType?: string;
}

/** An id extractor reading the places a CloudFront type's records name their resource. Never throws. */
export function cloudFrontIds(sources: CloudFrontIdSources): IdExtractor {
  return (record) => {
    const ids = [
      ...sources.request.map((name) => stringField(record.requestParameters, name)),
      stringField(record.responseElements, ...sources.response),
    ];
    const arn = cloudFrontArnParts(field(record.requestParameters, 'resource'));
    if (sources.arnType !== undefined && arn?.resourceType === sources.arnType) ids.push(arn.id);
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  };
}

/** Event names, each mapped by the same extractor. */
export function eventsNaming(names: readonly string[], extractor: IdExtractor): Record<string, IdExtractor> {
  return Object.fromEntries(names.map((name) => [name, extractor]));
}

/**
 * The pages of a CloudFront listing the SDK has no paginator for: `fetch` is called with each page's
 * `NextMarker` until a page has none (or repeats the marker it was asked with).
 */
export async function* markerPages<P>(
  fetch: (marker: string | undefined) => Promise<P>,
  nextMarker: (page: P) => string | undefined,
): AsyncGenerator<P> {
  let marker: string | undefined;
  while (true) {
    const page = await fetch(marker);
    yield page;
    const next = nextMarker(page);
    if (!next || next === marker) return;
    marker = next;
  }
}

/** A listing fingerprint from a `LastModifiedTime` that changes with every change of the resource. */
export function modifiedFingerprint(date: Date | undefined): string | undefined {
  const value = toJson(date);
  return typeof value === 'string' ? value : undefined;
}

/** What a listing page holds of one resource: its id, and its last change when it has one. */
export interface ListedEntity {
  readonly Id?: string | undefined;
  readonly LastModifiedTime?: Date | undefined;
}

/**
 * A CloudFront resource read whole by one `Get…` call that answers the resource and its ETag (policies, origin
 * access controls, key groups, public keys, origin access identities).
 */
export interface EtagResourceSpec<Page, Entity extends ListedEntity> {
  readonly type: string;
  /** IAM action of the listing, e.g. `cloudfront:ListCachePolicies`. */
  readonly listOperation: string;
  /** IAM action of the read, e.g. `cloudfront:GetCachePolicy`. */
  readonly getOperation: string;
  /** The listing's pages, each fetched when iterated. */
  pages(client: CloudFrontClient): AsyncIterable<Page>;
  items(page: Page): readonly ListedEntity[] | undefined;
  get(client: CloudFrontClient, id: string): Promise<{ readonly entity?: Entity; readonly ETag?: string }>;
  /**
   * Whether the resource carries a `LastModifiedTime` that every change moves: it is then the listing fingerprint
   * (the resource is not read again while it is unchanged) and volatile.
   */
  readonly lastModified: boolean;
  /** Event names (without API-version suffix) that change resources of the type. */
  readonly events: readonly string[];
  readonly ids: CloudFrontIdSources;
}

/**
 * The definition of a type described by {@link EtagResourceSpec}: its document is the resource as `Get…` answers
 * it, plus its `ETag` (volatile: it changes with every write, and a restore must read a fresh one for `IfMatch`).
 */
export function etagResource<Page, Entity extends ListedEntity>(
  spec: EtagResourceSpec<Page, Entity>,
): ResourceDefinition {
  async function* list(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
    const client = ctx.client(cloudFrontService, region);
    for await (const page of limitedPages(ctx.limit(cloudFrontService), spec.pages(client))) {
      for (const item of spec.items(page) ?? []) {
        if (!item.Id) continue;
        const fingerprint = spec.lastModified ? modifiedFingerprint(item.LastModifiedTime) : undefined;
        yield fingerprint === undefined ? { id: item.Id } : { id: item.Id, fingerprint };
      }
    }
  }

  async function describe(ctx: CaptureContext, id: string, region: string): Promise<Described> {
    const client = ctx.client(cloudFrontService, region);
    const read = await readPart({ type: spec.type, region, id, operation: spec.getOperation }, () =>
      ctx.limit(cloudFrontService)(() => spec.get(client, id)),
    );
    if (read.state === 'gap') return { status: 'gap', gap: read.gap };
    if (read.state !== 'ok' || !read.value.entity) return { status: 'not-found' };
    const { entity, ETag } = read.value;
    const raw: JsonObject = { ...toJsonObject(entity), ...(ETag === undefined ? {} : { ETag }) };
    const fingerprint = spec.lastModified ? modifiedFingerprint(entity.LastModifiedTime) : undefined;
    return fingerprint === undefined ? { status: 'found', raw } : { status: 'found', raw, fingerprint };
  }

  return {
    type: spec.type,
    service: cloudFrontService,
    eventSource: CLOUDFRONT_EVENT_SOURCE,
    scope: 'global',
    listOperation: spec.listOperation,
    permissions: [spec.listOperation, spec.getOperation],
    volatile: spec.lastModified ? ['ETag', 'LastModifiedTime'] : ['ETag'],
    secrets: [],
    events: eventsNaming(spec.events, cloudFrontIds(spec.ids)),
    list,
    describe,
    normalise: (raw) => ({ ...raw }),
  };
}
