import type { AwsClients } from '../../aws/clients.js';
import { InputError } from '../../errors.js';
import type { Alert } from '../types.js';
import type { DestinationConfig } from './config.js';
import { sesDestination } from './ses.js';
import { snsDestination } from './sns.js';
import { stdoutDestination } from './stdout.js';
import { webhookDestination } from './webhook.js';

/** Somewhere alerts go: stdout, a webhook, an SNS topic, an email address. */
export interface AlertDestination {
  /** Its name in the rules file (`destinations:`), as outcomes and errors name it. */
  readonly name: string;
  /**
   * Delivers one alert, in one attempt (retries are {@link deliverAlert}'s). Throws a `DeliveryError` on
   * failure; stops when `signal` aborts.
   */
  send(alert: Alert, signal: AbortSignal): Promise<void>;
}

/** What destinations need from their surroundings. */
export interface DestinationDeps {
  /** Where SNS and SES clients come from. */
  readonly clients: AwsClients;
  /** Writes one line to the stdout destination's output. */
  readonly write: (line: string) => void;
  /** The store's home region: SES's region when a destination names none. */
  readonly region?: string;
}

/**
 * The destination a rules-file entry describes.
 *
 * @throws InputError for an SES destination without a region when no home region is given either
 * @example
 * const slack = createDestination('slack', { type: 'webhook', url, timeoutSeconds: 10 }, { clients, write });
 * await slack.send(alert, AbortSignal.timeout(30_000));
 */
export function createDestination(
  name: string,
  config: DestinationConfig,
  deps: DestinationDeps,
): AlertDestination {
  switch (config.type) {
    case 'stdout':
      return stdoutDestination(name, config, deps.write);
    case 'webhook':
      return webhookDestination(name, config);
    case 'sns':
      return snsDestination(name, config, deps.clients);
    case 'ses': {
      const region = config.region ?? deps.region;
      if (!region)
        throw new InputError(
          `ses destination ${name} names no region and no home region is known: add region to it`,
        );
      return sesDestination(name, { ...config, region }, deps.clients);
    }
  }
}
