/** Route 53's documented quota: five API requests per second per account. */
export const ROUTE53_REQUESTS_PER_SECOND = 5;

/**
 * How much of the one-second window is forgiven: a client that spaces its calls exactly one second apart (as a
 * strict limiter does) sees them start a few milliseconds late or early under load, and AWS does not meter to the
 * millisecond either. Without it a well-behaved client would be throttled now and then, making tests flaky.
 */
export const TIMER_ALLOWANCE_MS = 100;

/**
 * A sliding-window rate limit over wall-clock time: a request is admitted unless `limit` requests were already
 * admitted in the window before it; refused requests do not count. Off until {@link enabled} is set.
 *
 * @example
 * const rate = new RequestRateWindow(5, 900);
 * rate.enabled = true;
 * if (!rate.admit()) throw fault('Throttling', 400, 'Rate exceeded');
 */
export class RequestRateWindow {
  /** Whether requests over the rate are refused. */
  enabled = false;
  /** Requests refused so far. */
  throttled = 0;
  readonly #limit: number;
  readonly #windowMs: number;
  /** Times of the admitted requests still inside the window, oldest first. */
  readonly #admitted: number[] = [];

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Whether a request arriving now is admitted; when it is, it counts against the window. */
  admit(): boolean {
    if (!this.enabled) return true;
    const now = Date.now();
    while (this.#admitted.length > 0 && (this.#admitted[0] as number) <= now - this.#windowMs) {
      this.#admitted.shift();
    }
    if (this.#admitted.length >= this.#limit) {
      this.throttled++;
      return false;
    }
    this.#admitted.push(now);
    return true;
  }
}
