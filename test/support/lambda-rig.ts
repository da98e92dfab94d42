import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type {
  S3ObjectCreatedNotificationEvent,
  S3ObjectCreatedNotificationEventDetail,
  ScheduledEvent,
} from 'aws-lambda';
import { type AwsStub, startAwsStub } from './aws-stub.js';
import { type S3Server, startS3Server } from './s3-server.js';
import { TestQueues } from './sqs-queues.js';
import { type SqsServer, startSqsServer } from './sqs-server.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STORE_BUCKET = 'tidemark-store';
const SOURCE_BUCKET = 'tidemark-rig-source';
const SEALING_KEY_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tidemark-sealing-key-AbCdEf';

/** The EventBridge notification S3 sends for a new object of an unversioned bucket (no `version-id`). */
export type ObjectCreatedNotification = Omit<S3ObjectCreatedNotificationEvent, 'detail'> & {
  readonly detail: Omit<S3ObjectCreatedNotificationEventDetail, 'object'> & {
    readonly object: Omit<S3ObjectCreatedNotificationEventDetail['object'], 'version-id'>;
  };
};

/**
 * What the deployed functions talk to, on 127.0.0.1, for running built handlers in their own processes: the store
 * bucket and a source bucket on s3rver, queues on fauxqs, STS and Secrets Manager (the sealing key) on the stub.
 */
export class LambdaRig {
  readonly region = REGION;
  readonly accountId = ACCOUNT;
  /** The store, as the Pipeline stack names it: `s3://<bucket>/store`. */
  readonly store = `s3://${STORE_BUCKET}/store`;
  /** A bucket whose objects the consumer captures. */
  readonly sourceBucket = SOURCE_BUCKET;
  readonly s3: S3Server;
  readonly sqs: SqsServer;
  readonly aws: AwsStub;
  readonly queues: TestQueues;
  readonly #folder: string;
  readonly #source: S3Client;

  private constructor(s3: S3Server, sqs: SqsServer, aws: AwsStub, folder: string) {
    this.s3 = s3;
    this.sqs = sqs;
    this.aws = aws;
    this.#folder = folder;
    // fauxqs takes any credentials; s3rver only its own.
    this.queues = new TestQueues(
      new SQSClient({
        endpoint: sqs.endpoint,
        region: REGION,
        credentials: { accessKeyId: 'STUB', secretAccessKey: 'STUB' },
      }),
      REGION,
    );
    this.#source = new S3Client({
      endpoint: s3.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: s3.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Starts the servers, with a new random sealing key in the stub's Secrets Manager. */
  static async start(): Promise<LambdaRig> {
    const [s3, sqs, aws, folder] = await Promise.all([
      startS3Server({ buckets: [STORE_BUCKET, SOURCE_BUCKET] }),
      startSqsServer(),
      startAwsStub({
        accountId: ACCOUNT,
        secrets: { [SEALING_KEY_SECRET]: randomBytes(32).toString('base64') },
      }),
      mkdtemp(path.join(tmpdir(), 'tidemark-lambda-rig-')),
    ]);
    return new LambdaRig(s3, sqs, aws, folder);
  }

  /**
   * The variables the Pipeline stack gives the functions, pointed at these servers (AWS credentials are
   * s3rver's, which the stub and fauxqs accept too), with a fresh `/tmp` as a new container has.
   */
  async variables(queueUrl: string): Promise<Record<string, string>> {
    const tmp = await mkdtemp(path.join(this.#folder, 'lambda-tmp-'));
    return {
      TIDEMARK_STORE: this.store,
      TIDEMARK_QUEUE_URL: queueUrl,
      TIDEMARK_HOME_REGION: REGION,
      TIDEMARK_REGIONS: REGION,
      TIDEMARK_SERVICES: 's3,lambda',
      TIDEMARK_OBJECT_BUCKETS: '*',
      TIDEMARK_SEALING_KEY_SECRET: SEALING_KEY_SECRET,
      TIDEMARK_CACHE_DIR: tmp,
      TIDEMARK_STORE_ENDPOINT_URL: this.s3.endpoint,
      TMPDIR: tmp,
      POWERTOOLS_SERVICE_NAME: 'tidemark',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: this.s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.s3.credentials.secretAccessKey,
      AWS_ENDPOINT_URL: this.aws.endpoint,
      AWS_ENDPOINT_URL_S3: this.s3.endpoint,
      AWS_ENDPOINT_URL_SQS: this.sqs.endpoint,
    };
  }

  /** Puts an object into the source bucket; returns the notification S3 sends EventBridge for it. */
  async putObject(key: string, body: string): Promise<ObjectCreatedNotification> {
    const put = await this.#source.send(
      new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: body, ContentType: 'text/plain' }),
    );
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: ACCOUNT,
      time: isoSeconds(new Date()),
      region: REGION,
      resources: [`arn:aws:s3:::${SOURCE_BUCKET}`],
      detail: {
        version: '0',
        bucket: { name: SOURCE_BUCKET },
        object: {
          key,
          size: Buffer.byteLength(body),
          etag: put.ETag?.replaceAll('"', '') ?? '',
          sequencer: `00${Date.now().toString(16).toUpperCase()}`,
        },
        'request-id': randomBytes(8).toString('hex').toUpperCase(),
        requester: ACCOUNT,
        'source-ip-address': '203.0.113.15',
        reason: 'PutObject',
      },
    };
  }

  /** The event an EventBridge schedule rule (the Pipeline stack's Cron) sends the scheduled baseline. */
  scheduledEvent(): ScheduledEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: isoSeconds(new Date()),
      region: REGION,
      resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/test-tidemark-Pipeline-Baseline`],
      detail: {},
    };
  }

  async stop(): Promise<void> {
    this.#source.destroy();
    this.queues.sqs.destroy();
    await Promise.all([this.s3.stop(), this.sqs.stop(), this.aws.stop()]);
    await rm(this.#folder, { recursive: true, force: true });
  }
}

const isoSeconds = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
