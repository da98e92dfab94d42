import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ObjectSelection, type ResourceDefinition, registry } from '@tidemark/core';
import { definitionsOfServices, registryServices } from '@tidemark/core/deploy';
import { ConfigurationError } from './errors.js';

/** The settings of the deployed functions, read from their environment once per container. */
export interface PipelineEnvironment {
  /** `TIDEMARK_STORE`: the store, e.g. `s3://bucket/store` (`TIDEMARK_STORE_ENDPOINT_URL` is read by the store). */
  readonly store: string;
  /** `TIDEMARK_QUEUE_URL`: the queue work items are sent to. */
  readonly queueUrl: string;
  /** `TIDEMARK_REGIONS`, comma-separated. @default the function's region */
  readonly regions: readonly string[];
  /** `TIDEMARK_HOME_REGION`: region of account-level calls. @default the function's region */
  readonly homeRegion: string;
  /**
   * `TIDEMARK_OBJECT_BUCKETS`: buckets whose objects are captured, comma-separated. `*` or unset: every
   * bucket; empty: none.
   */
  readonly objects: ObjectSelection;
  /** `TIDEMARK_SERVICES`: the resource types of these services, comma-separated. @default every type */
  readonly registry: readonly ResourceDefinition[];
  /** `TIDEMARK_SEALING_KEY_SECRET`: Secrets Manager secret holding the base64 256-bit sealing key. */
  readonly sealingKeySecret?: string;
  /** `TIDEMARK_CACHE_DIR`: where the store's local index lives. @default `<tmpdir>/tidemark` */
  readonly cacheDirectory: string;
  /** `AWS_MAX_ATTEMPTS`: attempts per AWS call, adaptive retries included. @default AwsClients' */
  readonly maxAttempts?: number;
  /** `TIDEMARK_ALERTS_TOPIC_ARN`: the Alerts stack's SNS topic, where alerts go besides the log by default. */
  readonly alertsTopicArn?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Rules the environment must follow, each with the message shown when it does not. */
const RULES: ReadonlyArray<{
  readonly invalid: (env: NodeJS.ProcessEnv) => boolean;
  readonly message: string;
}> = [
  { invalid: (env) => !env.TIDEMARK_STORE, message: 'TIDEMARK_STORE is required (e.g. s3://bucket/store)' },
  { invalid: (env) => !isUrl(env.TIDEMARK_QUEUE_URL), message: 'TIDEMARK_QUEUE_URL must be a queue URL' },
  {
    invalid: (env) => list(env.TIDEMARK_REGIONS ?? env.AWS_REGION ?? '').length === 0,
    message: 'TIDEMARK_REGIONS (or AWS_REGION) must name at least one region',
  },
  {
    invalid: (env) => list(env.TIDEMARK_REGIONS ?? '').some((region) => !REGION.test(region)),
    message: 'TIDEMARK_REGIONS must be region names like eu-west-1, comma-separated',
  },
  {
    invalid: (env) => env.TIDEMARK_HOME_REGION !== undefined && !REGION.test(env.TIDEMARK_HOME_REGION),
    message: 'TIDEMARK_HOME_REGION must be a region name like eu-west-1',
  },
  {
    invalid: (env) =>
      list(env.TIDEMARK_SERVICES ?? '').some((service) => !registryServices().includes(service)),
    message: `TIDEMARK_SERVICES must name services among ${registryServices().join(', ')}`,
  },
  {
    invalid: (env) =>
      env.AWS_MAX_ATTEMPTS !== undefined &&
      !(Number.isInteger(Number(env.AWS_MAX_ATTEMPTS)) && Number(env.AWS_MAX_ATTEMPTS) > 0),
    message: 'AWS_MAX_ATTEMPTS must be a positive integer',
  },
];

/**
 * Reads and checks the functions' settings; every problem is reported at once.
 *
 * @example
 * const { store, queueUrl } = readEnvironment(process.env);
 */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): PipelineEnvironment {
  const problems = RULES.filter((rule) => rule.invalid(env)).map((rule) => rule.message);
  if (problems.length > 0) throw new ConfigurationError(problems);
  const regions = list(env.TIDEMARK_REGIONS ?? env.AWS_REGION ?? '');
  const services = list(env.TIDEMARK_SERVICES ?? '');
  return {
    store: env.TIDEMARK_STORE as string,
    queueUrl: env.TIDEMARK_QUEUE_URL as string,
    regions,
    homeRegion: env.TIDEMARK_HOME_REGION ?? env.AWS_REGION ?? (regions[0] as string),
    objects: objectSelection(env.TIDEMARK_OBJECT_BUCKETS),
    registry: services.length === 0 ? registry : definitionsOfServices(services),
    cacheDirectory: env.TIDEMARK_CACHE_DIR || path.join(tmpdir(), 'tidemark'),
    ...(env.TIDEMARK_SEALING_KEY_SECRET ? { sealingKeySecret: env.TIDEMARK_SEALING_KEY_SECRET } : {}),
    ...(env.AWS_MAX_ATTEMPTS ? { maxAttempts: Number(env.AWS_MAX_ATTEMPTS) } : {}),
    ...(env.TIDEMARK_ALERTS_TOPIC_ARN ? { alertsTopicArn: env.TIDEMARK_ALERTS_TOPIC_ARN } : {}),
  };
}

/** `*` or unset: every object; a list: the objects of those buckets; empty: none. */
function objectSelection(buckets: string | undefined): ObjectSelection {
  if (buckets === undefined || buckets.trim() === '*') return {};
  const include = list(buckets);
  return include.length > 0 ? { include } : { exclude: ['*'] };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function isUrl(value: string | undefined): boolean {
  return value !== undefined && URL.canParse(value);
}
