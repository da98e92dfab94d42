import type { CaptureContext } from '../capture/context.js';
import type { Json, JsonObject } from '../types/json.js';
import { lightsailService } from './services.js';
import { field, isJsonObject, stringField, tokenPages } from './support.js';
import type { IdExtractor } from './types.js';

/** CloudTrail `eventSource` of every Lightsail call. */
export const LIGHTSAIL_EVENT_SOURCE = 'lightsail.amazonaws.com';

/** The only region answering Lightsail's domain (DNS zone) APIs. */
export const LIGHTSAIL_DNS_REGION = 'us-east-1';

/** The Lightsail resource types Tidemark captures, as Lightsail names them in ARNs and operations. */
export type LightsailResourceType = 'Instance' | 'StaticIp' | 'Domain';

/** One page of a Lightsail listing: its items and the `nextPageToken` to continue from. */
export interface LightsailPage<T> {
  readonly items: readonly T[] | undefined;
  readonly nextPageToken?: string | undefined;
}

/**
 * Every item of a Lightsail listing, following `pageToken` / `nextPageToken` (the SDK has no paginators for
 * Lightsail), each page requested inside the service's limit.
 */
export async function* lightsailItems<T>(
  ctx: CaptureContext,
  page: (pageToken: string | undefined) => Promise<LightsailPage<T>>,
): AsyncGenerator<T> {
  const pages = tokenPages(ctx.limit(lightsailService), page, (current) => current.nextPageToken);
  for await (const current of pages) yield* current.items ?? [];
}

/** Lightsail's `[{ key, value }]` tag lists as a `{ key: value }` map; other values unchanged. */
export function lightsailTagsAsMap(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const map: JsonObject = {};
  for (const tag of value) {
    if (isJsonObject(tag) && typeof tag.key === 'string') map[tag.key] = tag.value ?? '';
  }
  return map;
}

/** The resource type an ARN names: `arn:aws:lightsail:<region>:<account>:Instance/<uuid>` gives `Instance`. */
function arnResourceType(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const resource = value.split(':')[5];
  return resource?.split('/')[0] || undefined;
}

/** The strings of a field holding one name or a list of names. */
function namesIn(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((name): name is string => typeof name === 'string' && name !== '');
}

/**
 * The resources of one type a Lightsail call names. Three places together name them all:
 * - the request fields of that type (`instanceName`, `instanceNames` of `CreateInstances`, `staticIpName`,
 *   `domainName`);
 * - the generic `resourceName` of tagging, add-on and IP address type calls, when `resourceType` or the
 *   `resourceArn` says it is of this type;
 * - the `operations` Lightsail answers with, one per resource the call changed (`DetachStaticIp` names the
 *   instance the address was attached to only there).
 */
export function lightsailNames(resourceType: LightsailResourceType, fields: readonly string[]): IdExtractor {
  return (record) => {
    const request = record.requestParameters;
    const named = fields.flatMap((name) => namesIn(field(request, name)));
    const generic = stringField(request, 'resourceName');
    const typed =
      generic !== undefined &&
      (stringField(request, 'resourceType') === resourceType ||
        arnResourceType(field(request, 'resourceArn')) === resourceType)
        ? [generic]
        : [];
    const operations = field(record.responseElements, 'operations');
    const operated = (Array.isArray(operations) ? operations : [])
      .filter((operation) => field(operation, 'resourceType') === resourceType)
      .flatMap((operation) => namesIn(field(operation, 'resourceName')));
    return [...new Set([...named, ...typed, ...operated])];
  };
}
