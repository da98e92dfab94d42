import type { Distribution, DistributionConfig } from '@aws-sdk/client-cloudfront';
import { lowerCamelCase } from '../events.js';

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
