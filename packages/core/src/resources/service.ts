import { type Partition, partitionOf } from '../aws/partition.js';
import { GLOBAL_REGION } from '../constants.js';

/** What {@link AwsClients} hands every SDK client it creates. */
export interface SdkClientConfig {
  region: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  /** Added to every request's user agent as name/version pairs (`tidemark/1`). */
  customUserAgent: Array<[string, string]>;
  profile?: string;
  endpoint?: string;
  /** Honoured by S3 clients only: path-style addressing, for an overridden endpoint. */
  forcePathStyle?: boolean;
}

/** Any AWS SDK v3 client class (`S3Client`, `CloudFrontClient`…). */
export type SdkClientClass<Client> = new (config: SdkClientConfig) => Client;

/**
 * How fast Tidemark may call a service, from the service's documented quotas (or a conservative choice where AWS
 * publishes none): calls started per second, and calls in flight at once. Both hold per capture, across regions.
 */
export interface RateLimit {
  readonly requestsPerSecond: number;
  readonly concurrency: number;
}

/** One AWS service as the registry knows it: its SDK client, its rate limit and, if global, its endpoint. */
export interface AwsService<Client = unknown> {
  /** Short name (`cloudfront`), used in reports and as the key of its rate limiter. Unique in the registry. */
  readonly name: string;
  readonly client: SdkClientClass<Client>;
  readonly rateLimit: RateLimit;
  /**
   * For a global service: the region whose endpoint serves it in each partition (`us-east-1` in `aws`). Calls for
   * resources of region `global` go there. Absent for regional services.
   */
  readonly globalEndpoint?: Readonly<Partial<Record<Partition, string>>>;
}

/** Declares a service, typed by its client class. */
export function defineService<Client>(service: AwsService<Client>): AwsService<Client> {
  return service;
}

/** A service's global endpoint is missing for the partition of the home region. */
export class NoGlobalEndpointError extends Error {
  constructor(service: string, partition: Partition) {
    super(`${service} declares no global endpoint in partition ${partition}`);
    this.name = 'NoGlobalEndpointError';
  }
}

/**
 * The region a client is created for to reach `region`: the region itself, or for `global` the service's global
 * endpoint in the home region's partition.
 *
 * @example
 * endpointRegion(iamService, 'global', 'cn-north-1'); // 'cn-north-1'
 */
export function endpointRegion(service: AwsService, region: string, homeRegion: string): string {
  if (region !== GLOBAL_REGION) return region;
  const partition = partitionOf(homeRegion);
  const endpoint = service.globalEndpoint?.[partition];
  if (!endpoint) throw new NoGlobalEndpointError(service.name, partition);
  return endpoint;
}
