import { stringField } from './support.js';
import type { IdExtractor } from './types.js';

/** CloudTrail `eventSource` of every Route 53 call (domain registration is `route53domains`, not captured). */
export const ROUTE53_EVENT_SOURCE = 'route53.amazonaws.com';

/** The prefixes Route 53 puts before ids in some responses and records (`/hostedzone/Z0…`, `/healthcheck/…`). */
const ID_PREFIX = /^\/?(?:hostedzone|healthcheck)\//;

/**
 * A Route 53 id without its `/hostedzone/` or `/healthcheck/` prefix, or `undefined` when the value is not a
 * non-empty string.
 *
 * @example
 * bareRoute53Id('/hostedzone/Z1PA6795UKMFR9'); // 'Z1PA6795UKMFR9'
 */
export function bareRoute53Id(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bare = value.trim().replace(ID_PREFIX, '');
  return bare === '' ? undefined : bare;
}

/** An extractor reading the id at a path of the record (`requestParameters`, `hostedZoneId`), prefix stripped. */
export function idAt(...path: readonly string[]): IdExtractor {
  return (record) => {
    const id = bareRoute53Id(stringField(record, ...path));
    return id === undefined ? [] : [id];
  };
}

/**
 * An extractor for `ChangeTagsForResource`, which names its resource by `resourceType` and `resourceId`: the id
 * when the type is `resourceType` (`hostedzone` or `healthcheck`), none otherwise.
 */
export function taggedResource(resourceType: 'hostedzone' | 'healthcheck'): IdExtractor {
  const id = idAt('requestParameters', 'resourceId');
  return (record) =>
    stringField(record.requestParameters, 'resourceType') === resourceType ? id(record) : [];
}
