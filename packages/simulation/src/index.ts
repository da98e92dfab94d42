export type { AcmSeed, SiteCertificate } from './acm/model.js';
export { SimulatedAcm } from './acm/simulated-acm.js';
export { type ApiGatewaySeed, SIMULATED_API_KEY_VALUE } from './apigateway/model.js';
export { SimulatedApiGateway } from './apigateway/simulated-apigateway.js';
export { siteCertificateArn } from './cloudfront/seed.js';
export { type DistributionChange, SimulatedCloudFront } from './cloudfront/simulated-cloudfront.js';
export type { Item as DynamoDbItem } from './dynamodb/attribute-values.js';
export { ARCHIVE_TABLE } from './dynamodb/model.js';
export { SimulatedDynamoDb, type TableChanges } from './dynamodb/simulated-dynamodb.js';
export type { EventBridgeSeed, RuleSpec } from './eventbridge/model.js';
export { SimulatedEventBridge } from './eventbridge/simulated-eventbridge.js';
export type { InjectedError } from './faults.js';
export { SimulatedIam } from './iam/simulated-iam.js';
export type { LightsailSeed } from './lightsail/model.js';
export { SimulatedLightsail } from './lightsail/simulated-lightsail.js';
export { accountReadPolicy, madeBy, publicReadPolicy } from './policies.js';
export { SeededRandom } from './random.js';
export { type RecordChange, Route53ChangeError } from './route53/model.js';
export type { RequestRateWindow } from './route53/rate.js';
export { type HostedZoneOptions, SimulatedRoute53 } from './route53/simulated-route53.js';
export {
  LOGS_BUCKET,
  LOGS_REPLICA_BUCKET,
  MEDIA_BUCKET,
  replicaRegion,
  SIMULATED_SMTP_PASSWORD,
  SIMULATED_STRIPE_SECRET_KEY,
  SITE_DOMAINS,
} from './seed-names.js';
export type { SesSeed } from './ses/model.js';
export { SimulatedSes, type TemplateChanges } from './ses/simulated-ses.js';
export type { FunctionConfigurationChanges, PutObjectOptions } from './simulated-account.js';
export { SimulatedAccount } from './simulated-account.js';
export type {
  AcmCertificateApproachingExpiration,
  EventBridgeApiCallEnvelope,
  S3ObjectNotification,
  SimulatedAccountOptions,
  SimulatedCloudTrailRecord,
  SimulatedEvent,
  SimulatedScale,
  SimulatedUserIdentity,
} from './types.js';
