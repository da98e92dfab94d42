/**
 * `@tidemark/core/deploy`: what infrastructure code derives from the registry (event patterns, IAM actions,
 * regions), without loading the store or its native index.
 */
export { InputError } from '../errors.js';
export { registry } from '../resources/registry.js';
export type { ResourceDefinition } from '../resources/types.js';
export {
  ALL_BUCKETS,
  API_CALL_DETAIL_TYPE,
  apiCallPatterns,
  type EventNameMatcher,
  type EventPattern,
  eventBridgeSource,
  eventNameMatchers,
  MAX_EVENT_PATTERN_LENGTH,
  type NotificationPatternOptions,
  notificationPatterns,
} from './event-patterns.js';
export { readActions, uncoveredActions } from './permissions.js';
export { type DeploymentRegions, definitionsEmittingIn, forwardingRegions } from './regions.js';
export { definitionsOfServices, registryServices } from './services.js';
