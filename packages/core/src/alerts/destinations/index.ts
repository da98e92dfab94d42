/** Where alerts go: destination configuration, the destinations themselves and delivery with retries. */
export {
  type DestinationConfig,
  destinationConfigSchema,
  type SesConfig,
  type SnsConfig,
  type StdoutConfig,
  type WebhookConfig,
} from './config.js';
export { type DeliveryOptions, deliverAlert } from './deliver.js';
export { type AlertDestination, createDestination, type DestinationDeps } from './destination.js';
export { DeliveryError } from './errors.js';
export { type SlackBlock, type SlackPayload, slackPayload } from './slack.js';
export { alertText, alertTextLines, changedBy } from './text.js';
