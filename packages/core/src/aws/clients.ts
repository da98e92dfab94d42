import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

/** How to reach AWS: the standard credential chain, optionally a named profile and an endpoint override. */
export interface AwsAccessOptions {
  /** Named profile from the shared config files; the default credential chain when absent. */
  readonly profile?: string;
  /** Endpoint for every service (LocalStack-style emulators). `AWS_ENDPOINT_URL` also works. */
  readonly endpointUrl?: string;
  /** Maximum attempts per call, including adaptive-rate retries. @default 8 */
  readonly maxAttempts?: number;
}

/**
 * One SDK client per service and region, created on first use and reused.
 * Every client uses adaptive retries; when an endpoint is overridden S3 uses path-style addressing.
 *
 * @example
 * const clients = new AwsClients({ profile: 'prod' });
 * await clients.s3('eu-west-1').send(new ListBucketsCommand({}));
 */
export class AwsClients {
  readonly #options: AwsAccessOptions;
  readonly #cache = new Map<string, unknown>();

  constructor(options: AwsAccessOptions = {}) {
    this.#options = options;
  }

  /** Whether calls go to an endpoint other than AWS's own. */
  get endpointOverridden(): boolean {
    return Boolean(
      this.#options.endpointUrl ?? process.env.AWS_ENDPOINT_URL ?? process.env.AWS_ENDPOINT_URL_S3,
    );
  }

  s3(region: string): S3Client {
    return this.#client(
      's3',
      region,
      (config) => new S3Client({ ...config, forcePathStyle: this.endpointOverridden }),
    );
  }

  lambda(region: string): LambdaClient {
    return this.#client('lambda', region, (config) => new LambdaClient(config));
  }

  sts(region: string): STSClient {
    return this.#client('sts', region, (config) => new STSClient(config));
  }

  cloudtrail(region: string): CloudTrailClient {
    return this.#client('cloudtrail', region, (config) => new CloudTrailClient(config));
  }

  /**
   * Calls go to the region's endpoint (or the overridden one, `AWS_ENDPOINT_URL_SQS` included), never to the
   * host a queue URL names: pick the region with `queueRegion(url)`.
   */
  sqs(region: string): SQSClient {
    return this.#client(
      'sqs',
      region,
      (config) => new SQSClient({ ...config, useQueueUrlAsEndpoint: false }),
    );
  }

  secretsManager(region: string): SecretsManagerClient {
    return this.#client('secretsmanager', region, (config) => new SecretsManagerClient(config));
  }

  #client<T>(service: string, region: string, create: (config: ClientConfig) => T): T {
    const key = `${service}:${region}`;
    let client = this.#cache.get(key) as T | undefined;
    if (!client) {
      client = create(this.#config(region));
      this.#cache.set(key, client);
    }
    return client;
  }

  #config(region: string): ClientConfig {
    const { profile, endpointUrl, maxAttempts = 8 } = this.#options;
    return {
      region,
      retryMode: 'adaptive',
      maxAttempts,
      ...(profile ? { profile } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    };
  }
}

interface ClientConfig {
  region: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  profile?: string;
  endpoint?: string;
}
