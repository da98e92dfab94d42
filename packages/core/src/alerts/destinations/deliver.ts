import pRetry from 'p-retry';
import { errorCode, errorMessage } from '../../aws/classify.js';
import type { Alert, DeliveryOutcome } from '../types.js';
import type { AlertDestination } from './destination.js';
import { DeliveryError } from './errors.js';

/** How {@link deliverAlert} retries. */
export interface DeliveryOptions {
  /** Attempts after the first, per destination. @default 3 */
  readonly retries?: number;
  /** The delay before the first retry, in ms, doubled on each (with jitter up to twice as long). @default 200 */
  readonly minDelayMs?: number;
  /** The longest delay between two attempts, in ms. @default 5000 */
  readonly maxDelayMs?: number;
  /** When it aborts, attempts in flight stop and no more are made: what is not delivered by then failed. */
  readonly deadline?: AbortSignal;
}

/**
 * Delivers an alert to every destination at once, retrying each failure worth retrying (a timeout, HTTP 429 or
 * 5xx, throttling) with exponential backoff and jitter. Never throws: one outcome per destination, in the order
 * given, whose error names the destination and the HTTP status or AWS error code, never a URL or a header.
 *
 * @example
 * const outcomes = await deliverAlert(alert, [slack, email], { deadline: AbortSignal.timeout(30_000) });
 */
export function deliverAlert(
  alert: Alert,
  destinations: readonly AlertDestination[],
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome[]> {
  return Promise.all(destinations.map((destination) => deliverTo(alert, destination, options)));
}

async function deliverTo(
  alert: Alert,
  destination: AlertDestination,
  { retries = 3, minDelayMs = 200, maxDelayMs = 5000, deadline }: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const signal = deadline ?? new AbortController().signal;
  let attempts = 0;
  try {
    await pRetry(
      async function attempt() {
        attempts += 1;
        await destination.send(alert, signal);
      },
      {
        retries,
        minTimeout: minDelayMs,
        maxTimeout: maxDelayMs,
        factor: 2,
        randomize: true,
        signal,
        shouldRetry: ({ error }) => !(error instanceof DeliveryError) || error.retryable,
      },
    );
    return { destination: destination.name, status: 'delivered', attempts, at: new Date().toISOString() };
  } catch (error) {
    return {
      destination: destination.name,
      status: 'failed',
      attempts,
      at: new Date().toISOString(),
      error: failure(destination.name, error, signal),
    };
  }
}

/** Why delivery failed, on one line, without URLs: a delivery error says it itself. */
function failure(name: string, error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return `${name}: the delivery deadline passed`;
  if (error instanceof DeliveryError) return error.message;
  return `${name}: ${errorCode(error)}: ${errorMessage(error)}`;
}
