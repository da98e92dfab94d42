import pThrottle from 'p-throttle';

/** A request rate: at most `limit` requests start in any `interval` milliseconds. */
export interface RequestRate {
  readonly limit: number;
  readonly interval: number;
}

/** CloudTrail's quota for `LookupEvents`: 2 requests per second, per account and region. */
export const LOOKUP_EVENTS_RATE: RequestRate = { limit: 2, interval: 1000 };

/**
 * `fn` limited to `rate` with p-throttle's strict algorithm, so no window of `interval` ms ever holds more
 * than `limit` calls. Calls still waiting when `signal` aborts are rejected with its reason.
 *
 * @example
 * const lookup = rateLimited((input) => client.send(new LookupEventsCommand(input)), LOOKUP_EVENTS_RATE);
 */
export function rateLimited<A extends readonly unknown[], R>(
  fn: (...args: A) => Promise<R>,
  rate: RequestRate,
  signal?: AbortSignal,
): (...args: A) => Promise<R> {
  return pThrottle({
    limit: rate.limit,
    interval: rate.interval,
    strict: true,
    ...(signal ? { signal } : {}),
  })(fn);
}
