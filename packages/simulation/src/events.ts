import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Tag } from '@aws-sdk/client-s3';
import { creatingConfiguration, updatingConfiguration } from './lambda-config.js';
import {
  type AccountModel,
  type FunctionVersion,
  type ObjectVersion,
  optional,
  type SimBucket,
  type SimFunction,
} from './model.js';
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

/**
 * What a Lambda `UpdateFunctionConfiguration` or `CreateFunction` request carried, in CloudTrail's lower-camel-case
 * names (`memorySize`, `kMSKeyArn`); the record keeps `environment` but not its variables.
 */
export type ConfigurationRequest = object & { readonly environment?: unknown };

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

/** How an S3 change was asked for. */
export interface S3Call {
  /** The caller's `user-agent`, as CloudTrail records it. @default the S3 console's */
  readonly userAgent?: string;
}

/** The call that wrote an object, for {@link EventFactory.objectCreated}. */
export interface ObjectWriteCall extends S3Call {
  /** The notification's `reason` and the record's `eventName`. @default 'PutObject' */
  readonly eventName?: S3ObjectNotification['detail']['reason'];
  /** A CopyObject's `x-amz-copy-source` (`bucket/key?versionId=…`). */
  readonly copySource?: string;
}

/** The DeleteObject call, for {@link EventFactory.objectDeleted}. */
export interface ObjectDeleteCall extends S3Call {
  /** The version (or delete marker) it deleted for good; absent for a plain delete. */
  readonly versionId?: string;
}

/** The tagging call, for {@link EventFactory.objectTagsChanged}. */
export interface ObjectTaggingCall extends S3Call {
  readonly eventName: 'PutObjectTagging' | 'DeleteObjectTagging';
  /** The tag set a PutObjectTagging sent. */
  readonly tags?: readonly Tag[];
}

/** A bucket management call, for {@link EventFactory.bucketChanged}. */
export interface BucketChange extends S3Call {
  /** `PutBucketCors`, `DeleteBucketLifecycle`, `CreateBucket`… */
  readonly eventName: string;
  /** The request's sub-resource (`cors`, `lifecycle`), an empty request parameter in the record. */
  readonly subresource?: string;
  /** The request body as CloudTrail records it (`{ CORSConfiguration: { CORSRule: […] } }`). */
  readonly body?: Record<string, unknown>;
}

/** An S3 call to record; `bucketName` and `Host` are added to its request parameters. */
interface S3RecordSpec extends S3Call {
  readonly eventName: string;
  readonly management: boolean;
  readonly requestParameters: Record<string, unknown>;
  readonly responseElements: Record<string, unknown> | null;
  readonly bytesIn: number;
  /** The encryption applied to a written object. */
  readonly sse?: string;
  readonly resources: NonNullable<SimulatedCloudTrailRecord['resources']>;
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

  /**
   * An object written (PutObject, CopyObject, CompleteMultipartUpload): S3's "Object Created" notification (when
   * the bucket sends to EventBridge) and the data event.
   */
  objectCreated(
    bucket: SimBucket,
    key: string,
    version: ObjectVersion,
    at: Date,
    call: ObjectWriteCall = {},
  ): SimulatedEvent[] {
    const eventName = call.eventName ?? 'PutObject';
    const sse = version.encryption;
    const record = this.#s3Record(bucket, at, {
      eventName,
      management: false,
      userAgent: call.userAgent,
      requestParameters: { key, ...optional('x-amz-copy-source', call.copySource) },
      responseElements: {
        'x-amz-server-side-encryption': sse.algorithm,
        ...(sse.kmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': sse.kmsKeyId } : {}),
        ...(sse.bucketKeyEnabled ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' } : {}),
        ...(bucket.versioned ? { 'x-amz-version-id': version.versionId } : {}),
      },
      bytesIn: eventName === 'PutObject' ? version.body.length : 0,
      sse: sse.algorithm,
      resources: objectResources(this.#model, bucket, key),
    });
    const notification = this.#notification(bucket, at, record.requestID, 'Object Created', eventName, {
      key,
      size: version.body.length,
      etag: version.etag,
      ...(bucket.versioned ? { 'version-id': version.versionId } : {}),
    });
    return [...(bucket.config.eventBridge ? [notification] : []), this.#envelope(record)];
  }

  /**
   * A DeleteObject: "Object Deleted" and the data event. `removed` is the delete marker it created, the version it
   * deleted for good, or nothing (a key that was not there).
   */
  objectDeleted(
    bucket: SimBucket,
    key: string,
    removed: ObjectVersion | undefined,
    at: Date,
    call: ObjectDeleteCall = {},
  ): SimulatedEvent[] {
    const markerCreated = removed?.deleteMarker === true && call.versionId === undefined;
    const record = this.#s3Record(bucket, at, {
      eventName: 'DeleteObject',
      management: false,
      userAgent: call.userAgent,
      requestParameters: { key, ...optional('versionId', call.versionId) },
      responseElements: deletionHeaders(removed, call.versionId),
      bytesIn: 0,
      resources: objectResources(this.#model, bucket, key),
    });
    const notification = this.#notification(
      bucket,
      at,
      record.requestID,
      'Object Deleted',
      'DeleteObject',
      markerCreated && removed
        ? { key, etag: removed.etag, 'version-id': removed.versionId }
        : { key, ...optional('version-id', call.versionId) },
      markerCreated ? 'Delete Marker Created' : 'Permanently Deleted',
    );
    return [...(bucket.config.eventBridge ? [notification] : []), this.#envelope(record)];
  }

  /** A PutObjectTagging or DeleteObjectTagging of one version: the data event. */
  objectTagsChanged(
    bucket: SimBucket,
    key: string,
    version: ObjectVersion,
    at: Date,
    call: ObjectTaggingCall,
  ): SimulatedEvent[] {
    const body = call.tags && s3Xml('Tagging', { TagSet: { Tag: call.tags } });
    return [
      this.#envelope(
        this.#s3Record(bucket, at, {
          eventName: call.eventName,
          management: false,
          userAgent: call.userAgent,
          requestParameters: { key, tagging: '', ...body },
          responseElements: bucket.versioned ? { 'x-amz-version-id': version.versionId } : null,
          bytesIn: body ? JSON.stringify(body).length : 0,
          resources: objectResources(this.#model, bucket, key),
        }),
      ),
    ];
  }

  /** A PutBucketPolicy management event: the policy arrives parsed in `bucketPolicy`, `policy` is empty. */
  bucketPolicyPut(bucket: SimBucket, policy: object, at: Date, call: S3Call = {}): SimulatedEvent[] {
    return this.bucketChanged(
      bucket,
      { eventName: 'PutBucketPolicy', subresource: 'policy', body: { bucketPolicy: policy }, ...call },
      at,
    );
  }

  /** A DeleteBucket management event. */
  bucketDeleted(bucket: SimBucket, at: Date): SimulatedEvent[] {
    return this.bucketChanged(bucket, { eventName: 'DeleteBucket' }, at);
  }

  /** A management event that creates, deletes or reconfigures a bucket (`PutBucketCors`, `CreateBucket`…). */
  bucketChanged(bucket: SimBucket, change: BucketChange, at: Date): SimulatedEvent[] {
    return [
      this.#envelope(
        this.#s3Record(bucket, at, {
          eventName: change.eventName,
          management: true,
          userAgent: change.userAgent,
          requestParameters: { ...(change.subresource ? { [change.subresource]: '' } : {}), ...change.body },
          responseElements: null,
          bytesIn: change.body ? JSON.stringify(change.body).length : 0,
          resources: [bucketResource(this.#model, bucket)],
        }),
      ),
    ];
  }

  /**
   * `UpdateFunctionConfiguration20150331v2`, after the change was applied to `fn`. `userAgent` is the caller's (the
   * console's when not given).
   */
  functionConfigurationUpdated(
    fn: SimFunction,
    request: ConfigurationRequest,
    at: Date,
    userAgent?: string,
  ): SimulatedEvent[] {
    return this.#lambdaEvent(
      'UpdateFunctionConfiguration20150331v2',
      at,
      {
        requestParameters: { functionName: fn.name, ...withoutVariables(request) },
        responseElements: this.#trailConfiguration(updatingConfiguration(this.#model, fn)),
      },
      userAgent,
    );
  }

  /**
   * `UpdateFunctionCode20150331v2`, after the change; this event names the function by its ARN. With `published`,
   * the version the update published, which the response describes.
   */
  functionCodeUpdated(
    fn: SimFunction,
    at: Date,
    options: { readonly published?: FunctionVersion; readonly userAgent?: string } = {},
  ): SimulatedEvent[] {
    const model = this.#model;
    const { published } = options;
    return this.#lambdaEvent(
      'UpdateFunctionCode20150331v2',
      at,
      {
        requestParameters: {
          fullyQualifiedArn: {
            arnPrefix: { partition: 'aws', region: model.homeRegion, account: model.accountId },
            relativeId: { functionName: fn.name },
            functionQualifier: {},
          },
          functionName: model.functionArn(fn.name),
          publish: published !== undefined,
          dryRun: false,
        },
        responseElements: this.#trailConfiguration(
          updatingConfiguration(model, fn, published, published?.version),
        ),
      },
      options.userAgent,
    );
  }

  /**
   * `CreateFunction20150331`; `request` names the code as CloudTrail records it (`{}` for a zip, else its S3
   * location), and the record leaves the variables out.
   */
  functionCreated(
    fn: SimFunction,
    request: ConfigurationRequest,
    at: Date,
    userAgent?: string,
  ): SimulatedEvent[] {
    return this.#lambdaEvent(
      'CreateFunction20150331',
      at,
      {
        requestParameters: withoutVariables(request),
        responseElements: this.#trailConfiguration(creatingConfiguration(this.#model, fn)),
      },
      userAgent,
    );
  }

  /** `DeleteFunction20150331`. */
  functionDeleted(name: string, at: Date): SimulatedEvent[] {
    return this.#lambdaEvent('DeleteFunction20150331', at, {
      requestParameters: { functionName: name },
      responseElements: null,
    });
  }

  /** `TagResource20170331v2` (with `tags`) or `UntagResource20170331v2` (with `tagKeys`) of a function. */
  functionTagsChanged(
    fn: SimFunction,
    change: { readonly tags: Readonly<Record<string, string>> } | { readonly tagKeys: readonly string[] },
    at: Date,
    userAgent?: string,
  ): SimulatedEvent[] {
    return this.#lambdaEvent(
      'tags' in change ? 'TagResource20170331v2' : 'UntagResource20170331v2',
      at,
      {
        requestParameters: { resource: this.#model.functionArn(fn.name), ...change },
        responseElements: null,
      },
      userAgent,
    );
  }

  /** `PutFunctionConcurrency20171031`, or `DeleteFunctionConcurrency20171031` when `reserved` is undefined. */
  functionConcurrencyChanged(
    name: string,
    reserved: number | undefined,
    at: Date,
    userAgent?: string,
  ): SimulatedEvent[] {
    const body =
      reserved === undefined
        ? { requestParameters: { functionName: name }, responseElements: null }
        : {
            requestParameters: { functionName: name, reservedConcurrentExecutions: reserved },
            responseElements: { reservedConcurrentExecutions: reserved },
          };
    return this.#lambdaEvent(
      reserved === undefined ? 'DeleteFunctionConcurrency20171031' : 'PutFunctionConcurrency20171031',
      at,
      body,
      userAgent,
    );
  }

  #lambdaEvent(
    eventName: string,
    at: Date,
    body: Pick<RecordSpec, 'requestParameters' | 'responseElements'>,
    userAgent = CONSOLE_AGENT,
  ): SimulatedEvent[] {
    const region = this.#model.homeRegion;
    return [
      this.#envelope(
        this.#record({
          eventSource: 'lambda.amazonaws.com',
          userAgent,
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

  /** A function configuration as a response element: lower camel case, environment values left out. */
  #trailConfiguration(configuration: FunctionConfiguration): Record<string, unknown> {
    const { Environment, ...rest } = configuration;
    return {
      ...(lowerCamelCase(rest) as Record<string, unknown>),
      ...(Environment ? { environment: {} } : {}),
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

  /** A record of an S3 call on `bucket`, as S3 writes them (its host, request id and transfer details). */
  #s3Record(bucket: SimBucket, at: Date, spec: S3RecordSpec): SimulatedCloudTrailRecord {
    const random = this.#model.random;
    const requestId = s3RequestId(random);
    return this.#record({
      eventSource: 's3.amazonaws.com',
      userAgent: spec.userAgent ?? S3_CONSOLE_AGENT,
      eventName: spec.eventName,
      region: bucket.region,
      at,
      requestId,
      management: spec.management,
      host: s3Host(bucket),
      requestParameters: { bucketName: bucket.name, Host: s3Host(bucket), ...spec.requestParameters },
      responseElements: spec.responseElements,
      additionalEventData: s3AdditionalData(random, spec.bytesIn, spec.sse),
      resources: spec.resources,
    });
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

/** A Lambda request as CloudTrail records it: `environment` present but empty, its variables left out. */
function withoutVariables(request: ConfigurationRequest): Record<string, unknown> {
  const { environment, ...rest } = request;
  return { ...rest, ...(environment ? { environment: {} } : {}) };
}

function s3RequestId(random: SeededRandom): string {
  return random.chars(16, '0123456789ABCDEF');
}

function s3Host(bucket: SimBucket): string {
  return `${bucket.name}.s3.${bucket.region}.amazonaws.com`;
}

/** S3's XML namespace, which CloudTrail keeps in the request bodies it records. */
const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An S3 XML request body as CloudTrail records it: `{ [root]: { xmlns, ...content } }`. */
export function s3Xml(root: string, content: Record<string, unknown>): Record<string, unknown> {
  return { [root]: { xmlns: S3_XMLNS, ...content } };
}

/**
 * The version headers of a DeleteObject response (`x-amz-version-id`, `x-amz-delete-marker`), or `null` when it
 * neither named a version nor created a delete marker.
 */
export function deletionHeaders(
  removed: ObjectVersion | undefined,
  requestedVersionId: string | undefined,
): Record<string, string> | null {
  const versionId = requestedVersionId ?? (removed?.deleteMarker ? removed.versionId : undefined);
  if (versionId === undefined) return null;
  return {
    'x-amz-version-id': versionId,
    ...(removed?.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
  };
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
