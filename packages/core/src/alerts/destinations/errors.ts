import { classifyAwsError, errorCode } from '../../aws/classify.js';
import { TidemarkError } from '../../errors.js';

/**
 * One attempt to deliver an alert failed. The message names the destination and the HTTP status or AWS error
 * code, never a webhook URL, a header or a credential.
 */
export class DeliveryError extends TidemarkError {
  /** The destination's name in the rules file. */
  readonly destination: string;
  /** Whether another attempt may succeed (a timeout, HTTP 429 or 5xx, throttling); false for a 404 or a denial. */
  readonly retryable: boolean;
  constructor(destination: string, message: string, options: ErrorOptions & { retryable: boolean }) {
    super(`${destination}: ${message}`, options);
    this.name = 'DeliveryError';
    this.destination = destination;
    this.retryable = options.retryable;
  }
}

/**
 * The delivery error of a failed AWS call (`sns alerts-topic: AuthorizationError (HTTP 403)`): retryable when
 * throttled, a server fault or no answer at all, not when denied or refused as invalid.
 */
export function awsDeliveryError(destination: string, error: unknown): DeliveryError {
  const { $fault, $metadata } = (error ?? {}) as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  const retryable = classifyAwsError(error) === 'throttled' || $fault === 'server' || status === undefined;
  const code = errorCode(error);
  return new DeliveryError(destination, status === undefined ? code : `${code} (HTTP ${status})`, {
    cause: error,
    retryable,
  });
}
