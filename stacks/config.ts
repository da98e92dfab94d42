import {
  ALL_BUCKETS,
  definitionsOfServices,
  forwardingRegions,
  InputError,
  type ResourceDefinition,
  registry,
  registryServices,
} from '@tidemark/core/deploy';
import type { App } from 'sst/constructs';
import { z } from 'zod';

/** The stage whose store, key and sealing key are kept when its stacks are removed. */
export const PRODUCTION_STAGE = 'prod';

/** Key prefix of the store in its bucket: the consumer's store is `s3://<bucket>/store`. */
export const STORE_PREFIX = 'store';

/** The SQS consumer's handler, relative to the project root. */
export const CONSUMER_HANDLER = 'packages/functions/src/consumer.handler';
/** The scheduled baseline's handler, relative to the project root. */
export const SCHEDULE_HANDLER = 'packages/functions/src/schedule.handler';

/** SQS messages handed to one consumer invocation at most. */
export const CONSUMER_BATCH_SIZE = 10;
/** How long Lambda may wait to fill a batch before invoking the consumer. */
export const CONSUMER_BATCHING_WINDOW_SECONDS = 5;

/** AWS advises a queue visibility timeout of at least six times its consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Length of the generated sealing key: Secrets Manager draws 43 letters and digits (about 256 bits), which
 * decode as unpadded base64 to the 32 bytes Tidemark's key loader expects.
 */
export const SEALING_KEY_CHARACTERS = 43;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as eu-west-1');
const bucketName = z
  .string()
  .regex(/^(\*|[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/, 'expected a bucket name, or * for every bucket');
const schedule = z.custom<`rate(${string})` | `cron(${string})`>(
  (value) => typeof value === 'string' && /^(rate|cron)\(.+\)$/.test(value),
  'expected an EventBridge schedule such as rate(7 days) or cron(0 3 ? * SUN *)',
);
const email = z.email('expected an email address such as ops@example.com');
/** A domain SES can verify: dot-separated labels of letters, digits and inner hyphens, ending in a letter label. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const sesIdentity = z
  .string()
  .refine(
    (value) => email.safeParse(value).success || DOMAIN.test(value),
    'expected an SES identity: an email address such as alerts@example.com or a domain such as example.com',
  );

/** Where alerts go beyond the store: every field is optional. */
const alertsSchema = z.strictObject({
  /** An address subscribed (by email, after it confirms) to the alerts topic. @default no subscription */
  email: email.optional(),
  /** An SES identity (address or domain) the consumer may send alert email from. @default no SES permission */
  sesFrom: sesIdentity.optional(),
});

/** What a deployment may set in `sst.config.ts`; every field is optional. */
export const settingsSchema = z
  .strictObject({
    /** Region of the store, the queue and the consumer. @default 'us-east-1' */
    homeRegion: region.default('us-east-1'),
    /** Regions whose regional resources are captured; must include the home region. @default [homeRegion] */
    regions: z.array(region).min(1).optional(),
    /** Services captured (`s3`, `lambda`…). @default every service of the registry */
    services: z.array(z.string()).min(1).optional(),
    /** Buckets whose objects are tracked, `*` for every bucket (never the store's own). @default ['*'] */
    objectBuckets: z.array(bucketName).default([ALL_BUCKETS]),
    /** Days every stored object version is locked (governance mode) and old versions are kept. @default 90 */
    retentionDays: z.int().min(1).max(36_500).default(90),
    /** Days after which content blobs move to S3 Standard-IA (30 at the earliest). @default 30 */
    blobTransitionDays: z.int().min(30).max(36_500).default(30),
    /** When the full baseline runs, as an EventBridge schedule expression. @default 'rate(7 days)' */
    schedule: schedule.default('rate(7 days)'),
    /** The consumer's timeout in seconds; the queue's visibility timeout follows it. @default 120 */
    consumerTimeoutSeconds: z.int().min(30).max(900).default(120),
    /** Receives before a message moves to the dead-letter queue. @default 5 */
    maxReceiveCount: z.int().min(1).max(1000).default(5),
    /** Where alerts are delivered: `email` subscribed to the alerts topic, `sesFrom` for SES email. @default {} */
    alerts: alertsSchema.default({}),
  })
  .refine((settings) => settings.regions?.includes(settings.homeRegion) ?? true, {
    message: 'regions must include the home region',
    path: ['regions'],
  });

/** The settings a deployment writes in `sst.config.ts`. */
export type TidemarkSettings = z.input<typeof settingsSchema>;

/** The settings of a deployment with every default applied, and the registry definitions they select. */
export type TidemarkConfig = Readonly<
  Omit<z.output<typeof settingsSchema>, 'regions' | 'services'> & {
    readonly regions: readonly string[];
    readonly services: readonly string[];
    readonly definitions: readonly ResourceDefinition[];
  }
>;

/**
 * Validates settings and applies their defaults. Bad settings (or a service the registry does not know) are an
 * `InputError` saying what is wrong, before anything is deployed.
 *
 * @example
 * resolveConfig({}).schedule; // 'rate(7 days)'
 */
export function resolveConfig(
  settings: TidemarkSettings = {},
  definitions: readonly ResourceDefinition[] = registry,
): TidemarkConfig {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new InputError(`invalid Tidemark settings in sst.config.ts:\n${z.prettifyError(parsed.error)}`);
  const { objectBuckets } = parsed.data;
  const services = parsed.data.services ?? registryServices(definitions);
  return {
    ...parsed.data,
    objectBuckets: objectBuckets.includes(ALL_BUCKETS) ? [ALL_BUCKETS] : [...new Set(objectBuckets)],
    regions: parsed.data.regions ?? [parsed.data.homeRegion],
    services,
    definitions: definitionsOfServices(services, definitions),
  };
}

const configs = new WeakMap<App, TidemarkConfig>();

/**
 * Sets the configuration the stacks of `app` read; called once from `sst.config.ts`'s `stacks()`. Tests pass
 * `definitions` to deploy a registry with an extra type.
 */
export function configure(
  app: App,
  settings: TidemarkSettings = {},
  definitions: readonly ResourceDefinition[] = registry,
): TidemarkConfig {
  const config = resolveConfig(settings, definitions);
  configs.set(app, config);
  return config;
}

/** The configuration of `app`: what {@link configure} set, else the defaults. */
export function configOf(app: App): TidemarkConfig {
  return configs.get(app) ?? configure(app);
}

/** The configuration of `app`, which must be deployed to the home region. */
export function homeConfig(app: App): TidemarkConfig {
  const config = configOf(app);
  if (app.region !== config.homeRegion)
    throw new InputError(
      `the store, queue and consumer deploy to the home region ${config.homeRegion}, not ${app.region}: ` +
        `deploy with --region ${config.homeRegion}, or change homeRegion in sst.config.ts`,
    );
  return config;
}

/** Regions (other than home) that need a `Forward` stack sending their events to the home region. */
export function forwardingRegionsOf(config: TidemarkConfig): string[] {
  return forwardingRegions(config.definitions, config);
}

/** `s3://<bucket>/store`: where the deployed functions find the store. */
export function storeUrl(bucketName: string): string {
  return `s3://${bucketName}/${STORE_PREFIX}`;
}
