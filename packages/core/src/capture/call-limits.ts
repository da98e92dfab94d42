import pLimit from 'p-limit';
import type { AwsService, RateLimit } from '../resources/service.js';
import { rateLimited } from '../watch/rate-limit.js';

/** Runs `fn` when the limit allows: every AWS call of a definition goes through one. */
export type CallLimit = <T>(fn: () => PromiseLike<T>) => Promise<T>;

/** A limit of `concurrency` calls in flight, each started within `requestsPerSecond` (strict: no burst above it). */
export function callLimit(rate: RateLimit): CallLimit {
  const inFlight = pLimit(rate.concurrency);
  const started = rateLimited(<T>(fn: () => PromiseLike<T>): Promise<T> => Promise.resolve(fn()), {
    limit: Math.max(1, Math.floor(rate.requestsPerSecond)),
    interval: 1000,
  });
  return (fn) => inFlight(() => started(fn));
}

/**
 * One {@link CallLimit} per service for a capture, honouring the service's declared rate limit (or an override by
 * service name), shared by every region and type of the service.
 */
export class ServiceLimits {
  readonly #limits = new Map<string, CallLimit>();
  readonly #overrides: Readonly<Record<string, Partial<RateLimit>>>;

  constructor(overrides: Readonly<Record<string, Partial<RateLimit>>> = {}) {
    this.#overrides = overrides;
  }

  /** The limit of a service. */
  of(service: AwsService): CallLimit {
    let limit = this.#limits.get(service.name);
    if (!limit) {
      limit = callLimit({ ...service.rateLimit, ...this.#overrides[service.name] });
      this.#limits.set(service.name, limit);
    }
    return limit;
  }
}
