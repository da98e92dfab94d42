import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { TIDEMARK_USER_AGENT } from '../constants.js';
import type { SdkClientClass, SdkClientConfig } from '../resources/service.js';

/** How to reach AWS: the standard credential chain, optionally a named profile and an endpoint override. */
export interface AwsAccessOptions {
  /** Named profile from the shared config files; the default credential chain when absent. */
  readonly profile?: string;
  /** Endpoint for every service (LocalStack-style emulators). `AWS_ENDPOINT_URL` also works. */
  readonly endpointUrl?: string;
  /** Maximum attempts per call, including adaptive-rate retries. @default 8 */
  readonly maxAttempts?: number;
  /** Added to the user agent after `tidemark/1` (a restore's `tidemark-restore/<id>`), so CloudTrail records it. */
  readonly userAgent?: readonly [name: string, version: string];
}

/**
 * One SDK client per client class and region, created on first use and reused.
 * Every client uses adaptive retries; when an endpoint is overridden S3 uses path-style addressing.
 *
 * @example
 * const clients = new AwsClients({ profile: 'prod' });
 * await clients.s3('eu-west-1').send(new ListBucketsCommand({}));
 */
export class AwsClients {
  readonly #options: AwsAccessOptions;
  readonly #cache = new Map<SdkClientClass<unknown>, Map<string, unknown>>();

  constructor(options: AwsAccessOptions = {}) {
    this.#options = options;
  }

  /** Whether calls go to an endpoint other than AWS's own. */
  get endpointOverridden(): boolean {
    return Boolean(
      this.#options.endpointUrl ?? process.env.AWS_ENDPOINT_URL ?? process.env.AWS_ENDPOINT_URL_S3,
    );
  }

  /**
   * The client of any SDK v3 service class for a region, created on first use and reused: adaptive retries, the
   * profile and the endpoint override of these options, and path-style addressing (S3) when the endpoint is
   * overridden.
   *
   * @example
   * clients.client(CloudFrontClient, 'us-east-1');
   */
  client<Client>(ClientClass: SdkClientClass<Client>, region: string): Client {
    let byRegion = this.#cache.get(ClientClass);
    if (!byRegion) {
      byRegion = new Map();
      this.#cache.set(ClientClass, byRegion);
    }
    let client = byRegion.get(region) as Client | undefined;
    if (!client) {
      client = new ClientClass(this.#config(region));
      byRegion.set(region, client);
    }
    return client;
  }

  s3(region: string): S3Client {
    return this.client(S3Client, region);
  }

  sts(region: string): STSClient {
    return this.client(STSClient, region);
  }

  cloudtrail(region: string): CloudTrailClient {
    return this.client(CloudTrailClient, region);
  }

  /**
   * Calls go to the region's endpoint (or the overridden one, `AWS_ENDPOINT_URL_SQS` included), never to the
   * host a queue URL names: pick the region with `queueRegion(url)`.
   */
  sqs(region: string): SQSClient {
    return this.client(QueueUrlRegionSqsClient, region);
  }

  secretsManager(region: string): SecretsManagerClient {
    return this.client(SecretsManagerClient, region);
  }

  /** `tidemark/1`, then the options' own pair: name/version pairs, as the SDK writes each one. */
  #userAgent(): Array<[string, string]> {
    const [name, version] = TIDEMARK_USER_AGENT.split('/') as [string, string];
    const extra = this.#options.userAgent;
    return extra
      ? [
          [name, version],
          [extra[0], extra[1]],
        ]
      : [[name, version]];
  }

  #config(region: string): SdkClientConfig {
    const { profile, endpointUrl, maxAttempts = 8 } = this.#options;
    return {
      region,
      retryMode: 'adaptive',
      maxAttempts,
      // CloudTrail records it as `userAgent`: how Tidemark's own writes are told from everyone else's.
      customUserAgent: this.#userAgent(),
      ...(profile ? { profile } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(this.endpointOverridden ? { forcePathStyle: true } : {}),
    };
  }
}

/** An SQS client that never sends to the host a queue URL names. */
class QueueUrlRegionSqsClient extends SQSClient {
  constructor(config: SdkClientConfig) {
    super({ ...config, useQueueUrlAsEndpoint: false });
  }
}
