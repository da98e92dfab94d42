import type { ResourceDefinition } from '../resources/types.js';

/** The EventBridge detail type of CloudTrail records ("AWS API Call via CloudTrail"). */
export const API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** In a list of tracked values (buckets): every one. */
export const ALL_BUCKETS = '*';

/** EventBridge's default quota on the size of one event pattern, in characters. */
export const MAX_EVENT_PATTERN_LENGTH = 2048;

/** One accepted value of an event pattern field: an exact string or a prefix. */
export type EventNameMatcher = string | { readonly prefix: string };

/** An EventBridge event pattern, in EventBridge's own JSON shape. */
export interface EventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * What matches a registry event name (stored without API-version suffix) in a CloudTrail `eventName`: the name
 * itself and the name followed by a version, which always starts with a year (`UpdateFunctionConfiguration`
 * arrives as `UpdateFunctionConfiguration20150331v2`, CloudFront's as `CreateDistribution2020_05_31`). The
 * `20` keeps `DeleteFunction` from matching `DeleteFunctionConcurrency` and other operations.
 *
 * @example
 * eventNameMatchers('DeleteFunction'); // ['DeleteFunction', { prefix: 'DeleteFunction20' }]
 */
export function eventNameMatchers(name: string): EventNameMatcher[] {
  return [name, { prefix: `${name}20` }];
}

/** `aws.lambda` for `lambda.amazonaws.com`: the EventBridge source of a service's CloudTrail events. */
export function eventBridgeSource(eventSource: string): string {
  return `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`;
}

/**
 * Splits values into as few consecutive groups as possible whose patterns stay within `maxLength` characters.
 * A single value too long for a pattern of its own is a programming error.
 */
function chunked<T>(
  values: readonly T[],
  pattern: (chunk: readonly T[]) => EventPattern,
  maxLength: number,
): EventPattern[] {
  const patterns: EventPattern[] = [];
  let chunk: T[] = [];
  for (const value of values) {
    const candidate = [...chunk, value];
    if (JSON.stringify(pattern(candidate)).length <= maxLength) {
      chunk = candidate;
      continue;
    }
    if (chunk.length === 0)
      throw new RangeError(`event pattern for ${String(value)} is longer than ${maxLength} characters`);
    patterns.push(pattern(chunk));
    chunk = [value];
  }
  if (chunk.length > 0) patterns.push(pattern(chunk));
  return patterns;
}

/**
 * EventBridge patterns matching the successful mutating calls CloudTrail records for the definitions: per event
 * source, `source: aws.<service>`, detail type "AWS API Call via CloudTrail", `readOnly: false` and the
 * registry's event names (with or without version suffix). A source with many events is split over several
 * patterns, each within `maxLength` characters. Pure: adding a definition to the registry adds its patterns.
 *
 * @example
 * apiCallPatterns(definitionsOfServices(['lambda']))[0]?.detail;
 * // { eventSource: ['lambda.amazonaws.com'], readOnly: [false], eventName: ['AddPermission', { prefix: 'AddPermission20' }, …] }
 */
export function apiCallPatterns(
  definitions: readonly ResourceDefinition[],
  maxLength: number = MAX_EVENT_PATTERN_LENGTH,
): EventPattern[] {
  const namesBySource = new Map<string, Set<string>>();
  for (const definition of definitions) {
    const names = namesBySource.get(definition.eventSource) ?? new Set<string>();
    for (const name of Object.keys(definition.events)) names.add(name);
    namesBySource.set(definition.eventSource, names);
  }
  return [...namesBySource].flatMap(([eventSource, names]) =>
    chunked(
      [...names].sort(),
      (chunk) => ({
        source: [eventBridgeSource(eventSource)],
        'detail-type': [API_CALL_DETAIL_TYPE],
        detail: {
          eventSource: [eventSource],
          readOnly: [false],
          eventName: chunk.flatMap(eventNameMatchers),
        },
      }),
      maxLength,
    ),
  );
}

/** Options of {@link notificationPatterns}. */
export interface NotificationPatternOptions {
  /**
   * For a notification declared with a `filterField` (S3's `bucket.name`), the values tracked, by EventBridge
   * source: `{ 'aws.s3': ['media', 'site.com'] }`, or {@link ALL_BUCKETS} for every one. @default every value
   */
  readonly tracked?: Readonly<Record<string, readonly string[]>>;
  /** A value never tracked, even with {@link ALL_BUCKETS}, by source: the store's own bucket. */
  readonly excluded?: Readonly<Record<string, string>>;
  /** @default MAX_EVENT_PATTERN_LENGTH */
  readonly maxLength?: number;
}

/**
 * EventBridge patterns matching the service notifications the definitions capture (`changes: true`), such as
 * S3's "Object Created" and "Object Deleted": one per source and detail types, narrowed to the tracked values of
 * its `filterField` (none when no value is tracked). Pure.
 *
 * @example
 * notificationPatterns(registry, { tracked: { 'aws.s3': ['*'] }, excluded: { 'aws.s3': 'tidemark-store' } })[0]?.detail;
 * // { bucket: { name: [{ 'anything-but': 'tidemark-store' }] } }
 */
export function notificationPatterns(
  definitions: readonly ResourceDefinition[],
  options: NotificationPatternOptions = {},
): EventPattern[] {
  const { maxLength = MAX_EVENT_PATTERN_LENGTH } = options;
  return definitions.flatMap((definition) =>
    (definition.notifications ?? [])
      .filter((spec) => spec.changes)
      .flatMap((spec) => {
        const pattern = (detail?: EventPattern['detail']): EventPattern => ({
          source: [spec.source],
          'detail-type': [...spec.detailTypes],
          ...(detail ? { detail } : {}),
        });
        if (!spec.filterField) return [pattern()];
        const tracked = options.tracked?.[spec.source] ?? [ALL_BUCKETS];
        const excluded = options.excluded?.[spec.source];
        if (tracked.includes(ALL_BUCKETS))
          return [
            pattern(
              excluded === undefined ? undefined : nested(spec.filterField, [{ 'anything-but': excluded }]),
            ),
          ];
        const named = [...new Set(tracked)].filter((value) => value !== excluded).sort();
        return chunked(named, (chunk) => pattern(nested(spec.filterField as string, chunk)), maxLength);
      }),
  );
}

/** `{ bucket: { name: values } }` for the path `bucket.name`. */
function nested(path: string, values: readonly unknown[]): Readonly<Record<string, unknown>> {
  return path.split('.').reduceRight<unknown>((inner, step) => ({ [step]: inner }), values) as Readonly<
    Record<string, unknown>
  >;
}
