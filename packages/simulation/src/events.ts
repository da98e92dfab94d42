import { functionConfiguration } from './lambda-config.js';
import type { AccountModel, ObjectVersion, SimBucket, SimFunction } from './model.js';
import type { SeededRandom } from './random.js';
import type {
  EventBridgeApiCallEnvelope,
  S3ObjectNotification,
  SimulatedCloudTrailRecord,
  SimulatedEvent,
  SimulatedUserIdentity,
} from './types.js';

const SOURCE_IP = '198.51.100.24';
const S3_CONSOLE_AGENT =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.225-191.878.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b08 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard]';
const CONSOLE_AGENT = 'console.amazonaws.com';
const TLS = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' } as const;

/** What Lambda's `UpdateFunctionConfiguration` request carried, in CloudTrail's lower-camel-case names. */
export interface ConfigurationRequest {
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly description?: string;
}

/** A call to record with {@link EventFactory.apiCall}: a management call unless `management` is false. */
export interface ApiCallSpec {
  /** `cloudfront.amazonaws.com`. */
  readonly eventSource: string;
  /** As CloudTrail names it, API-version suffix included (`UpdateDistribution2020_05_31`). */
  readonly eventName: string;
  /** `awsRegion`: the home region, or `us-east-1` for global services. */
  readonly region: string;
  readonly at: Date;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly resources?: SimulatedCloudTrailRecord['resources'];
  /** `tlsDetails.clientProvidedHostHeader`. @default the event source */
  readonly host?: string;
  /** @default the console's */
  readonly userAgent?: string;
  /** @default 1.11 */
  readonly eventVersion?: string;
  /**
   * False for a data event (`eventCategory` `Data`, such as DynamoDB's `PutItem`), which event history and so
   * `LookupEvents` leave out. @default true
   */
  readonly management?: boolean;
}

interface RecordSpec extends Omit<ApiCallSpec, 'host' | 'userAgent'> {
  readonly requestId: string;
  readonly management: boolean;
  readonly host: string;
  readonly userAgent: string;
  readonly additionalEventData?: Record<string, unknown>;
}

/**
 * Builds the events AWS emits for changes a console user (`alice`) makes: S3's EventBridge object notifications
 * and CloudTrail records wrapped in "AWS API Call via CloudTrail" EventBridge envelopes, shaped like real ones
 * (Lambda event names with their API-version suffixes, environment variable values left out).
 */
export class EventFactory {
  readonly #model: AccountModel;
  readonly #identity: SimulatedUserIdentity;
  #sequence = 0;

  constructor(model: AccountModel, sessionStart: Date) {
    this.#model = model;
    this.#identity = {
      type: 'IAMUser',
      principalId: `AIDA${model.random.upperAlnum(17)}`,
      arn: `arn:aws:iam::${model.accountId}:user/alice`,
      accountId: model.accountId,
      accessKeyId: `ASIA${model.random.upperAlnum(16)}`,
      userName: 'alice',
      sessionContext: { attributes: { creationDate: isoSeconds(sessionStart), mfaAuthenticated: 'true' } },
    };
  }

  /** A PutObject: S3's "Object Created" notification (when the bucket sends to EventBridge) and the data event. */
  objectCreated(bucket: SimBucket, key: string, version: ObjectVersion, at: Date): SimulatedEvent[] {
    const requestId = s3RequestId(this.#model.random);
    const versionId = bucket.versioned ? { 'version-id': version.versionId } : {};
    const sse = version.encryption;
    const record = this.#record({
      eventSource: 's3.amazonaws.com',
      userAgent: S3_CONSOLE_AGENT,
      eventName: 'PutObject',
      region: bucket.region,
      at,
      requestId,
      management: false,
      host: s3Host(bucket),
      requestParameters: { bucketName: bucket.name, Host: s3Host(bucket), key },
      responseElements: {
        'x-amz-server-side-encryption': sse.algorithm,
        ...(sse.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': sse.kmsKeyId } : {}),
        ...(sse.bucketKeyEnabled ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' } : {}),
        ...(bucket.versioned ? { 'x-amz-version-id': version.versionId } : {}),
      },
      additionalEventData: s3AdditionalData(this.#model.random, version.body.length, sse.algorithm),
      resources: objectResources(this.#model, bucket, key),
    });
    const notification = this.#notification(bucket, at, requestId, 'Object Created', 'PutObject', {
      key,
      size: version.body.length,
      etag: version.etag,
      ...versionId,
    });
    return [...(bucket.config.eventBridge ? [notification] : []), this.#envelope(record)];
  }

  /** A DeleteObject: "Object Deleted" (a delete marker in a versioned bucket) and the data event. */
  objectDeleted(bucket: SimBucket, key: string, removed: ObjectVersion, at: Date): SimulatedEvent[] {
    const requestId = s3RequestId(this.#model.random);
    const marker = removed.deleteMarker;
    const record = this.#record({
      eventSource: 's3.amazonaws.com',
      userAgent: S3_CONSOLE_AGENT,
      eventName: 'DeleteObject',
      region: bucket.region,
      at,
      requestId,
      management: false,
      host: s3Host(bucket),
      requestParameters: { bucketName: bucket.name, Host: s3Host(bucket), key },
      responseElements: marker
        ? { 'x-amz-version-id': removed.versionId, 'x-amz-delete-marker': 'true' }
        : null,
      additionalEventData: s3AdditionalData(this.#model.random, 0),
      resources: objectResources(this.#model, bucket, key),
    });
    const notification = this.#notification(
      bucket,
      at,
      requestId,
      'Object Deleted',
      'DeleteObject',
      marker ? { key, etag: removed.etag, 'version-id': removed.versionId } : { key },
      marker ? 'Delete Marker Created' : 'Permanently Deleted',
    );
    return [...(bucket.config.eventBridge ? [notification] : []), this.#envelope(record)];
  }

  /** A PutBucketPolicy management event: the policy arrives parsed in `bucketPolicy`, `policy` is empty. */
  bucketPolicyPut(bucket: SimBucket, policy: object, at: Date): SimulatedEvent[] {
    return [
      this.#envelope(
        this.#record({
          eventSource: 's3.amazonaws.com',
          userAgent: S3_CONSOLE_AGENT,
          eventName: 'PutBucketPolicy',
          region: bucket.region,
          at,
          requestId: s3RequestId(this.#model.random),
          management: true,
          host: s3Host(bucket),
          requestParameters: {
            bucketPolicy: policy,
            bucketName: bucket.name,
            Host: s3Host(bucket),
            policy: '',
          },
          responseElements: null,
          additionalEventData: s3AdditionalData(this.#model.random, JSON.stringify(policy).length),
          resources: [bucketResource(this.#model, bucket)],
        }),
      ),
    ];
  }

  /** A DeleteBucket management event. */
  bucketDeleted(bucket: SimBucket, at: Date): SimulatedEvent[] {
    return [
      this.#envelope(
        this.#record({
          eventSource: 's3.amazonaws.com',
          userAgent: S3_CONSOLE_AGENT,
          eventName: 'DeleteBucket',
          region: bucket.region,
          at,
          requestId: s3RequestId(this.#model.random),
          management: true,
          host: s3Host(bucket),
          requestParameters: { bucketName: bucket.name, Host: s3Host(bucket) },
          responseElements: null,
          additionalEventData: s3AdditionalData(this.#model.random, 0),
          resources: [bucketResource(this.#model, bucket)],
        }),
      ),
    ];
  }

  /** `UpdateFunctionConfiguration20150331v2`, after the change was applied to `fn`. */
  functionConfigurationUpdated(fn: SimFunction, request: ConfigurationRequest, at: Date): SimulatedEvent[] {
    const { environment, ...rest } = request;
    return this.#lambdaEvent('UpdateFunctionConfiguration20150331v2', at, {
      requestParameters: { functionName: fn.name, ...rest, ...(environment ? { environment: {} } : {}) },
      responseElements: this.#updatedConfiguration(fn),
    });
  }

  /** `UpdateFunctionCode20150331v2`, after the change; this event names the function by its ARN. */
  functionCodeUpdated(fn: SimFunction, at: Date): SimulatedEvent[] {
    const model = this.#model;
    return this.#lambdaEvent('UpdateFunctionCode20150331v2', at, {
      requestParameters: {
        fullyQualifiedArn: {
          arnPrefix: { partition: 'aws', region: model.homeRegion, account: model.accountId },
          relativeId: { functionName: fn.name },
          functionQualifier: {},
        },
        functionName: model.functionArn(fn.name),
        publish: false,
        dryRun: false,
      },
      responseElements: this.#updatedConfiguration(fn),
    });
  }

  /** `DeleteFunction20150331`. */
  functionDeleted(name: string, at: Date): SimulatedEvent[] {
    return this.#lambdaEvent('DeleteFunction20150331', at, {
      requestParameters: { functionName: name },
      responseElements: null,
    });
  }

  #lambdaEvent(
    eventName: string,
    at: Date,
    body: Pick<RecordSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    const region = this.#model.homeRegion;
    return [
      this.#envelope(
        this.#record({
          eventSource: 'lambda.amazonaws.com',
          userAgent: CONSOLE_AGENT,
          eventVersion: '1.08',
          eventName,
          region,
          at,
          requestId: this.#model.random.uuid(),
          management: true,
          host: `lambda.${region}.amazonaws.com`,
          ...body,
        }),
      ),
    ];
  }

  /** The function configuration as an update's response carries it: lower camel case, environment values left out. */
  #updatedConfiguration(fn: SimFunction): Record<string, unknown> {
    const { Environment, ...configuration } = functionConfiguration(this.#model, fn, fn.latest, 'get');
    return {
      ...(lowerCamelCase(configuration) as Record<string, unknown>),
      ...(Environment ? { environment: {} } : {}),
      lastUpdateStatus: 'InProgress',
      lastUpdateStatusReason: 'The function is being created.',
      lastUpdateStatusReasonCode: 'Creating',
    };
  }

  /**
   * A successful management call (or data call, see {@link ApiCallSpec.management}) by the console user (`alice`)
   * to any service, as CloudTrail records it and EventBridge delivers it ("AWS API Call via CloudTrail"). Global
   * services are recorded in `us-east-1`.
   */
  apiCall(spec: ApiCallSpec): EventBridgeApiCallEnvelope {
    const { eventSource } = spec;
    return this.#envelope(
      this.#record({
        ...spec,
        requestId: this.#model.random.uuid(),
        management: spec.management ?? true,
        host: spec.host ?? eventSource,
        userAgent: spec.userAgent ?? CONSOLE_AGENT,
      }),
    );
  }

  #record(spec: RecordSpec): SimulatedCloudTrailRecord {
    const model = this.#model;
    return {
      eventVersion: spec.eventVersion ?? (spec.management ? '1.11' : '1.10'),
      userIdentity: this.#identity,
      eventTime: isoSeconds(spec.at),
      eventSource: spec.eventSource,
      eventName: spec.eventName,
      awsRegion: spec.region,
      sourceIPAddress: SOURCE_IP,
      userAgent: spec.userAgent,
      requestParameters: spec.requestParameters,
      responseElements: spec.responseElements,
      ...(spec.additionalEventData ? { additionalEventData: spec.additionalEventData } : {}),
      requestID: spec.requestId,
      eventID: model.random.uuid(),
      readOnly: false,
      ...(spec.resources ? { resources: spec.resources } : {}),
      eventType: 'AwsApiCall',
      managementEvent: spec.management,
      recipientAccountId: model.accountId,
      eventCategory: spec.management ? 'Management' : 'Data',
      tlsDetails: { ...TLS, clientProvidedHostHeader: spec.host },
    };
  }

  #envelope(record: SimulatedCloudTrailRecord): EventBridgeApiCallEnvelope {
    return {
      version: '0',
      id: this.#model.random.uuid(),
      'detail-type': 'AWS API Call via CloudTrail',
      source: `aws.${record.eventSource.replace(/\.amazonaws\.com$/, '')}`,
      account: this.#model.accountId,
      time: record.eventTime,
      region: record.awsRegion,
      resources: [],
      detail: record,
    };
  }

  #notification(
    bucket: SimBucket,
    at: Date,
    requestId: string,
    detailType: S3ObjectNotification['detail-type'],
    reason: S3ObjectNotification['detail']['reason'],
    object: Omit<S3ObjectNotification['detail']['object'], 'sequencer'>,
    deletionType?: S3ObjectNotification['detail']['deletion-type'],
  ): S3ObjectNotification {
    return {
      version: '0',
      id: this.#model.random.uuid(),
      'detail-type': detailType,
      source: 'aws.s3',
      account: this.#model.accountId,
      time: isoSeconds(at),
      region: bucket.region,
      resources: [`arn:aws:s3:::${bucket.name}`],
      detail: {
        version: '0',
        bucket: { name: bucket.name },
        object: { ...object, sequencer: this.#sequencer(at) },
        'request-id': requestId,
        requester: this.#model.accountId,
        'source-ip-address': SOURCE_IP,
        reason,
        ...(deletionType ? { 'deletion-type': deletionType } : {}),
      },
    };
  }

  /** S3 sequencers grow with every change to a key: here, seconds since the epoch then a counter, in hex. */
  #sequencer(at: Date): string {
    this.#sequence++;
    const seconds = Math.floor(at.getTime() / 1000)
      .toString(16)
      .padStart(8, '0');
    return `00${seconds}${this.#sequence.toString(16).padStart(8, '0')}`.toUpperCase();
  }
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the time format of CloudTrail records and EventBridge envelopes. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function s3RequestId(random: SeededRandom): string {
  return random.chars(16, '0123456789ABCDEF');
}

function s3Host(bucket: SimBucket): string {
  return `${bucket.name}.s3.${bucket.region}.amazonaws.com`;
}

function s3AdditionalData(random: SeededRandom, bytesIn: number, sse?: string): Record<string, unknown> {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: TLS.cipherSuite,
    bytesTransferredIn: bytesIn,
    ...(sse ? { SSEApplied: sse === 'aws:kms' ? 'Default_SSE_KMS' : 'Default_SSE_S3' } : {}),
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': Buffer.from(random.bytes(57)).toString('base64'),
    bytesTransferredOut: 0,
  };
}

function bucketResource(model: AccountModel, bucket: SimBucket) {
  return { accountId: model.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket.name}` };
}

function objectResources(model: AccountModel, bucket: SimBucket, key: string) {
  return [
    { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket.name}/${key}` },
    bucketResource(model, bucket),
  ];
}

/**
 * Keys of objects (nested, in arrays too) with their first letter lower-cased, as CloudTrail writes requests and
 * responses (`TTL` becomes `tTL`, `VPC` becomes `vPC`); undefined fields left out, other values unchanged.
 */
export function lowerCamelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamelCase);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), lowerCamelCase(inner)]),
  );
}
