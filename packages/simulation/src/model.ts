import { createHash } from 'node:crypto';
import type { Cors, Layer } from '@aws-sdk/client-lambda';
import type {
  CORSRule,
  GetBucketWebsiteOutput,
  Grant,
  LifecycleRule,
  LoggingEnabled,
  PublicAccessBlockConfiguration,
  ReplicationConfiguration,
  ServerSideEncryptionConfiguration,
  Tag,
} from '@aws-sdk/client-s3';
import { md5Hex, sha256Base64 } from './content.js';
import type { SeededRandom } from './random.js';
import type { SimulatedEvent } from './types.js';

/** How one stored object version is encrypted at rest. */
export interface ObjectEncryption {
  readonly algorithm: 'AES256' | 'aws:kms';
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
}

/** One version of an S3 object, or a delete marker. */
export interface ObjectVersion {
  /** `null` (the string) for objects written while the bucket was unversioned. */
  readonly versionId: string;
  readonly deleteMarker: boolean;
  /** Whole seconds, as S3 keeps them. */
  readonly lastModified: Date;
  /** Empty for delete markers. */
  readonly body: Uint8Array;
  /** md5 hex of the body, without quotes. */
  readonly etag: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  /** The `Expires` header the uploader set. */
  readonly expires?: Date;
  readonly websiteRedirectLocation?: string;
  /** Keys in lower case, as S3 keeps them. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly storageClass: string;
  readonly tags: readonly Tag[];
  /** Default checksum recorded at upload (`CRC64NVME`); absent on objects uploaded before checksums existed. */
  readonly checksumAlgorithm?: string;
  readonly encryption: ObjectEncryption;
}

/** What a writer supplies for a new object version; the bucket fills in the rest. */
export interface ObjectWrite {
  readonly body: Uint8Array;
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  readonly expires?: Date;
  readonly websiteRedirectLocation?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly storageClass?: string;
  readonly tags?: readonly Tag[];
  readonly checksumAlgorithm?: string;
  /** @default the bucket's default encryption */
  readonly encryption?: ObjectEncryption;
  /** @default the md5 hex of the body (a multipart upload's is `<md5 of the parts' md5s>-<parts>`) */
  readonly etag?: string;
}

/** The configuration of one bucket, in the SDK's own shapes. */
export interface BucketConfiguration {
  readonly region: string;
  readonly creationDate: Date;
  versioning?: 'Enabled' | 'Suspended';
  /** The policy JSON exactly as stored. */
  policy?: string;
  ownership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';
  /** Grants besides the owner's FULL_CONTROL. */
  extraGrants?: Grant[];
  publicAccessBlock?: PublicAccessBlockConfiguration;
  encryption: ServerSideEncryptionConfiguration;
  website?: Omit<GetBucketWebsiteOutput, '$metadata'>;
  cors?: CORSRule[];
  lifecycle?: LifecycleRule[];
  logging?: LoggingEnabled;
  /** Whether S3 sends object notifications to EventBridge. */
  eventBridge: boolean;
  replication?: ReplicationConfiguration;
  tags?: Tag[];
}

/** One S3 bucket: its configuration and every version of every object. */
export class SimBucket {
  readonly name: string;
  readonly config: BucketConfiguration;
  /** Versions of each key, newest first. */
  readonly #objects = new Map<string, ObjectVersion[]>();
  #sortedKeys: string[] | undefined;

  constructor(name: string, config: BucketConfiguration) {
    this.name = name;
    this.config = config;
  }

  get region(): string {
    return this.config.region;
  }

  get versioned(): boolean {
    return this.config.versioning !== undefined;
  }

  /** Every key with at least one version or delete marker, sorted as S3 lists them (UTF-8 binary order). */
  keys(): readonly string[] {
    this.#sortedKeys ??= [...this.#objects.keys()].sort(compareKeys);
    return this.#sortedKeys;
  }

  /** Versions of a key, newest first; empty when the key never existed. */
  versions(key: string): readonly ObjectVersion[] {
    return this.#objects.get(key) ?? [];
  }

  /** The current version of a key, unless it is absent or its latest version is a delete marker. */
  current(key: string): ObjectVersion | undefined {
    const latest = this.#objects.get(key)?.[0];
    return latest && !latest.deleteMarker ? latest : undefined;
  }

  /** Whether the bucket holds nothing at all (no versions, no delete markers): the condition for deleting it. */
  isEmpty(): boolean {
    return this.#objects.size === 0;
  }

  /** Writes a new version of `key` (replacing the `null` version in an unversioned bucket). */
  put(key: string, write: ObjectWrite, lastModified: Date, random: SeededRandom): ObjectVersion {
    const version: ObjectVersion = {
      versionId: this.config.versioning === 'Enabled' ? random.s3VersionId() : 'null',
      deleteMarker: false,
      lastModified: wholeSeconds(lastModified),
      body: write.body,
      etag: write.etag ?? md5Hex(write.body),
      ...optional('contentType', write.contentType ?? 'binary/octet-stream'),
      ...optional('cacheControl', write.cacheControl),
      ...optional('contentDisposition', write.contentDisposition),
      ...optional('contentEncoding', write.contentEncoding),
      ...optional('contentLanguage', write.contentLanguage),
      ...optional('expires', write.expires),
      ...optional('websiteRedirectLocation', write.websiteRedirectLocation),
      metadata: { ...write.metadata },
      storageClass: write.storageClass ?? 'STANDARD',
      tags: write.tags ?? [],
      ...optional('checksumAlgorithm', write.checksumAlgorithm),
      encryption: write.encryption ?? this.defaultEncryption(),
    };
    this.#add(key, version);
    return version;
  }

  /** Deletes `key` as {@link remove} does; throws when there is no current object. */
  delete(key: string, lastModified: Date, random: SeededRandom): ObjectVersion {
    if (!this.current(key)) throw new Error(`no object ${key} in bucket ${this.name}`);
    return this.remove(key, lastModified, random) as ObjectVersion;
  }

  /**
   * Deletes `key` as a DeleteObject without a version id does, whether or not it exists: a new delete marker in a
   * versioned bucket (the `null` one, replacing the `null` version, while versioning is suspended), the `null`
   * version otherwise. Returns the delete marker or the removed version; `undefined` when nothing was removed.
   */
  remove(key: string, lastModified: Date, random: SeededRandom): ObjectVersion | undefined {
    if (this.config.versioning === undefined) return this.removeVersion(key, 'null');
    const marker: ObjectVersion = {
      versionId: this.config.versioning === 'Enabled' ? random.s3VersionId() : 'null',
      deleteMarker: true,
      lastModified: wholeSeconds(lastModified),
      body: new Uint8Array(),
      etag: md5Hex(new Uint8Array()),
      metadata: {},
      storageClass: 'STANDARD',
      tags: [],
      encryption: { algorithm: 'AES256' },
    };
    this.#add(key, marker);
    return marker;
  }

  /** Deletes one version (or delete marker) for good; returns it, or `undefined` when the key has no such version. */
  removeVersion(key: string, versionId: string): ObjectVersion | undefined {
    const removed = this.versions(key).find((version) => version.versionId === versionId);
    if (removed)
      this.#replace(
        key,
        this.versions(key).filter((version) => version !== removed),
      );
    return removed;
  }

  /** Replaces the tags of one version in place (tags are not versioned); returns the retagged version. */
  setTags(key: string, version: ObjectVersion, tags: readonly Tag[]): ObjectVersion {
    const retagged = { ...version, tags };
    this.#replace(
      key,
      this.versions(key).map((candidate) => (candidate === version ? retagged : candidate)),
    );
    return retagged;
  }

  #add(key: string, version: ObjectVersion): void {
    const existing = this.#objects.get(key) ?? [];
    const kept = version.versionId === 'null' ? existing.filter((v) => v.versionId !== 'null') : existing;
    this.#replace(key, [version, ...kept]);
  }

  #replace(key: string, versions: ObjectVersion[]): void {
    const had = this.#objects.has(key);
    if (versions.length === 0) this.#objects.delete(key);
    else this.#objects.set(key, versions);
    if (had !== versions.length > 0) this.#sortedKeys = undefined;
  }

  /** How a new object is encrypted when its writer does not say: the bucket's default encryption. */
  defaultEncryption(): ObjectEncryption {
    const rule = this.config.encryption.Rules?.[0];
    const byDefault = rule?.ApplyServerSideEncryptionByDefault;
    if (byDefault?.SSEAlgorithm === 'aws:kms') {
      return {
        algorithm: 'aws:kms',
        ...optional('kmsKeyId', byDefault.KMSMasterKeyID),
        ...(rule?.BucketKeyEnabled ? { bucketKeyEnabled: true } : {}),
      };
    }
    return { algorithm: 'AES256' };
  }
}

/** A Lambda deployment package. */
export interface CodePackage {
  readonly zip: Uint8Array;
  /** Base64 sha256 of the zip. */
  readonly sha256: string;
  readonly size: number;
  /** Stable id of the stored package, used in its download path. */
  readonly id: string;
  /** S3 version id of the stored package, used in its download URL. */
  readonly versionId: string;
}

/** Settings of one function version that `UpdateFunctionConfiguration` can change. */
export interface FunctionSettings {
  readonly runtime: string;
  readonly handler: string;
  readonly role: string;
  readonly description: string;
  readonly timeout: number;
  readonly memorySize: number;
  readonly architectures: readonly string[];
  readonly ephemeralStorageSize: number;
  readonly tracingMode: 'Active' | 'PassThrough';
  readonly environment?: Readonly<Record<string, string>>;
  readonly layers: readonly Layer[];
  readonly deadLetterTargetArn?: string;
  /** The customer managed key encrypting the environment; absent for Lambda's own key. */
  readonly kmsKeyArn?: string;
  readonly logFormat: 'Text' | 'JSON';
  /** JSON log format only; absent when never set. */
  readonly applicationLogLevel?: string;
  /** JSON log format only; absent when never set. */
  readonly systemLogLevel?: string;
  /** @default `/aws/lambda/<function name>` */
  readonly logGroup?: string;
  readonly runtimeVersionArn: string;
}

/** `$LATEST` or one published version. */
export interface FunctionVersion {
  readonly version: string;
  readonly settings: FunctionSettings;
  readonly code: CodePackage;
  readonly lastModified: Date;
  readonly revisionId: string;
}

/** A function alias. */
export interface FunctionAlias {
  readonly name: string;
  readonly functionVersion: string;
  readonly description: string;
  readonly revisionId: string;
}

/** A function URL. */
export interface FunctionUrl {
  /** The random part of `https://<id>.lambda-url.<region>.on.aws/`. */
  readonly urlId: string;
  readonly authType: 'NONE' | 'AWS_IAM';
  readonly cors?: Cors;
  readonly creationTime: Date;
  readonly lastModifiedTime: Date;
}

/** An event source mapping. */
export interface EventSourceMapping {
  readonly uuid: string;
  readonly functionName: string;
  readonly eventSourceArn: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly lastModified: Date;
  /** Stream sources (DynamoDB, Kinesis) only: where polling starts, and the outcome of the last batch. */
  readonly stream?: {
    readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
    readonly lastProcessingResult: string;
  };
}

/** A function's lifecycle state and the outcome of its last update, as `GetFunction` reports them. */
export interface FunctionStatus {
  readonly state: 'Active' | 'Inactive' | 'Pending' | 'Failed';
  readonly stateReason?: string;
  readonly stateReasonCode?: string;
  readonly lastUpdateStatus: 'Successful' | 'Failed' | 'InProgress';
  readonly lastUpdateStatusReason?: string;
  readonly lastUpdateStatusReasonCode?: string;
}

/** One Lambda function with its versions, aliases and function-level settings. */
export interface SimFunction {
  readonly name: string;
  latest: FunctionVersion;
  readonly published: FunctionVersion[];
  readonly aliases: FunctionAlias[];
  /** The resource-based policy document; `GetPolicy` reports it with the function's revision id. */
  policy?: object;
  url?: FunctionUrl;
  reservedConcurrency?: number;
  readonly tags: Record<string, string>;
  /** @default active, last update successful */
  status?: FunctionStatus;
}

/** The identity Tidemark's calls are made with (what `GetCallerIdentity` answers). */
export interface CallerIdentity {
  readonly userId: string;
  readonly arn: string;
}

/**
 * The whole simulated account: buckets (in any region), functions (in the home region), event source mappings,
 * and the log of emitted events. Deterministic: every id comes from one seeded generator.
 */
export class AccountModel {
  readonly accountId: string;
  readonly homeRegion: string;
  readonly random: SeededRandom;
  /** The account's canonical user id, as S3 reports the owner. */
  readonly canonicalUserId: string;
  readonly caller: CallerIdentity;
  readonly buckets = new Map<string, SimBucket>();
  readonly functions = new Map<string, SimFunction>();
  readonly eventSourceMappings: EventSourceMapping[] = [];
  readonly events: SimulatedEvent[] = [];

  constructor(accountId: string, homeRegion: string, random: SeededRandom) {
    this.accountId = accountId;
    this.homeRegion = homeRegion;
    this.random = random;
    this.canonicalUserId = createHash('sha256').update(`canonical:${accountId}`).digest('hex');
    this.caller = {
      userId: `AROA${random.upperAlnum(17)}:tidemark`,
      arn: `arn:aws:sts::${accountId}:assumed-role/TidemarkCapture/tidemark`,
    };
  }

  /** The bucket, or an error naming it (for the change methods; API handlers answer `NoSuchBucket`). */
  bucket(name: string): SimBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new Error(`no bucket ${name} in the simulated account`);
    return bucket;
  }

  /** The function, or an error naming it (for the change methods; API handlers answer `ResourceNotFoundException`). */
  function(name: string): SimFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`no function ${name} in the simulated account`);
    return fn;
  }

  /** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` */
  functionArn(name: string, qualifier?: string): string {
    const arn = `arn:aws:lambda:${this.homeRegion}:${this.accountId}:function:${name}`;
    return qualifier === undefined ? arn : `${arn}:${qualifier}`;
  }

  /** A deployment package for zip bytes, with fresh storage ids. */
  codePackage(zip: Uint8Array): CodePackage {
    return {
      zip,
      sha256: sha256Base64(zip),
      size: zip.length,
      id: this.random.uuid(),
      versionId: this.random.s3VersionId(),
    };
  }
}

/**
 * S3 lists keys in UTF-8 binary order, which is code-point order. JavaScript compares UTF-16 code units, which
 * agrees unless a surrogate pair meets a character from U+E000 up, so only such strings take the slow path.
 */
export function compareKeys(a: string, b: string): number {
  if (/[\ud800-\uffff]/.test(a) || /[\ud800-\uffff]/.test(b)) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A date truncated to whole seconds, as S3 keeps `LastModified`. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** `{ [key]: value }` when the value is defined, `{}` otherwise: for building AWS shapes without undefined fields. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
