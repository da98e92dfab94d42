export type { InjectedError } from './faults.js';
export {
  LOGS_BUCKET,
  LOGS_REPLICA_BUCKET,
  MEDIA_BUCKET,
  replicaRegion,
  SIMULATED_SMTP_PASSWORD,
  SIMULATED_STRIPE_SECRET_KEY,
  SITE_DOMAINS,
} from './seed-names.js';
export type { FunctionConfigurationChanges, PutObjectOptions } from './simulated-account.js';
export { SimulatedAccount } from './simulated-account.js';
export type {
  EventBridgeApiCallEnvelope,
  S3ObjectNotification,
  SimulatedAccountOptions,
  SimulatedCloudTrailRecord,
  SimulatedEvent,
  SimulatedUserIdentity,
} from './types.js';
