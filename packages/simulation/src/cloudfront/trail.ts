import type { Distribution, DistributionConfig, Tag } from '@aws-sdk/client-cloudfront';
import { type ApiCallSpec, lowerCamelCase } from '../events.js';
import type { SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import type { CloudFrontState, SimDistribution } from './model.js';
import { distributionView } from './views.js';

/** The API version CloudFront's CloudTrail event names end with. */
const API_VERSION = '2020_05_31';

/** CloudTrail writes no distribution comment: this stands in its place. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time as CloudFront's CloudTrail records write it: `Jul 13, 2022 6:09:18 PM` (UTC). */
export function trailTime(date: Date): string {
  const hours = date.getUTCHours();
  const clock = [date.getUTCMinutes(), date.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${hours % 12 || 12}:${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** Dates (nested, in arrays too) as {@link trailTime}. */
function withTrailTimes(value: unknown): unknown {
  if (value instanceof Date) return trailTime(value);
  if (Array.isArray(value)) return value.map(withTrailTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withTrailTimes(inner)]));
}

/** Any API shape as CloudTrail records it: lower-camel-case keys (`aCMCertificateArn`), times as {@link trailTime}. */
export function trailShape(value: unknown): Record<string, unknown> {
  return lowerCamelCase(withTrailTimes(value)) as Record<string, unknown>;
}

/** A distribution configuration as CloudTrail records it, its comment hidden. */
export function trailConfig(config: DistributionConfig): Record<string, unknown> {
  return trailShape({ ...config, Comment: HIDDEN });
}

/** A distribution as CloudTrail records it in a response, its comment hidden. */
export function trailDistribution(distribution: Distribution): Record<string, unknown> {
  return trailShape({
    ...distribution,
    ...(distribution.DistributionConfig
      ? { DistributionConfig: { ...distribution.DistributionConfig, Comment: HIDDEN } }
      : {}),
  });
}

/**
 * Records one successful CloudFront call as CloudTrail does (in `us-east-1`, the event name with its `2020_05_31`
 * API version), made with `userAgent` (the console's when not given), and returns its events.
 */
export function emitCloudFrontCall(
  context: SimulationContext,
  operation: string,
  body: Pick<ApiCallSpec, 'at' | 'requestParameters' | 'responseElements'>,
  userAgent?: string,
): SimulatedEvent[] {
  return context.emit([
    context.events.apiCall({
      eventSource: 'cloudfront.amazonaws.com',
      eventName: `${operation}${API_VERSION}`,
      region: 'us-east-1',
      ...body,
      ...(userAgent === undefined ? {} : { userAgent }),
    }),
  ]);
}

/** What CloudTrail records of an `UpdateDistribution` that replaced the configuration whose ETag was `ifMatch`. */
export function updateDistributionTrail(
  state: CloudFrontState,
  distribution: SimDistribution,
  ifMatch: string,
): Pick<ApiCallSpec, 'at' | 'requestParameters' | 'responseElements'> {
  return {
    at: distribution.lastModified,
    requestParameters: { id: distribution.id, ifMatch, distributionConfig: trailConfig(distribution.config) },
    responseElements: {
      distribution: trailDistribution(distributionView(state, distribution, distribution.lastModified)),
      eTag: distribution.etag,
    },
  };
}

/** What CloudTrail records of a `TagResource` (`tags`) or `UntagResource` (`keys`) call. */
export function taggingTrail(
  at: Date,
  resource: string,
  change: { readonly tags: readonly Tag[] } | { readonly keys: readonly string[] },
): Pick<ApiCallSpec, 'at' | 'requestParameters' | 'responseElements'> {
  return {
    at,
    requestParameters:
      'tags' in change
        ? { resource, tags: { items: change.tags.map(({ Key, Value }) => ({ key: Key, value: Value })) } }
        : { resource, tagKeys: { items: [...change.keys] } },
    responseElements: null,
  };
}
