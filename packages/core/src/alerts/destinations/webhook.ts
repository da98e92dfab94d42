import { TIDEMARK_USER_AGENT } from '../../constants.js';
import type { Alert } from '../types.js';
import type { WebhookConfig } from './config.js';
import type { AlertDestination } from './destination.js';
import { DeliveryError } from './errors.js';
import { slackPayload } from './slack.js';

/** Statuses worth another attempt: rate limited, or the server failed. Any other non-2xx will answer the same. */
const isRetryableStatus = (status: number) => status === 429 || status >= 500;

/**
 * POSTs the Slack-compatible payload of each alert to a webhook; one attempt, within the configured timeout.
 * Redirects are not followed (the payload goes only where configured). Errors name the destination and the HTTP
 * status, never the URL (a Slack webhook's path is its credential), the headers or the response body (a server's
 * error page may echo the path).
 */
export function webhookDestination(name: string, config: WebhookConfig): AlertDestination {
  return {
    name,
    async send(alert: Alert, signal: AbortSignal): Promise<void> {
      const timeout = AbortSignal.timeout(config.timeoutSeconds * 1000);
      let response: Response;
      try {
        response = await fetch(config.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': TIDEMARK_USER_AGENT,
            ...config.headers,
          },
          body: JSON.stringify(slackPayload(alert)),
          redirect: 'manual',
          signal: AbortSignal.any([signal, timeout]),
        });
      } catch (error) {
        throw requestError(
          name,
          error,
          signal.aborted ? 'aborted' : timeout.aborted ? 'timeout' : 'network',
          config.timeoutSeconds,
        );
      }
      // The body is never read into an error; cancelling it frees the connection.
      await response.body?.cancel();
      if (response.ok) return;
      throw new DeliveryError(name, `webhook answered HTTP ${response.status}`, {
        retryable: isRetryableStatus(response.status),
      });
    },
  };
}

/**
 * A request that got no answer: the caller aborted it, it timed out, or the connection failed (named by its code,
 * `ECONNREFUSED`). The fetch error is not kept as the cause: some of its messages quote the URL.
 */
function requestError(
  name: string,
  error: unknown,
  reason: 'aborted' | 'timeout' | 'network',
  timeoutSeconds: number,
): DeliveryError {
  if (reason === 'aborted') return new DeliveryError(name, 'webhook request aborted', { retryable: false });
  if (reason === 'timeout')
    return new DeliveryError(name, `webhook did not answer within ${timeoutSeconds} s`, { retryable: true });
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return new DeliveryError(
    name,
    `webhook unreachable (${typeof code === 'string' ? code : 'network error'})`,
    {
      retryable: true,
    },
  );
}
