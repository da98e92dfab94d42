import { SimulatedAcm } from './acm/simulated-acm.js';
import { SimulatedApiGateway } from './apigateway/simulated-apigateway.js';
import { SimulatedCloudFront } from './cloudfront/simulated-cloudfront.js';
import { cloudTrailProfile } from './cloudtrail-api.js';
import { CodeServer } from './code-server.js';
import { buildZip, utf8 } from './content.js';
import { CallCounter, ServiceDispatcher } from './dispatch.js';
import { SimulatedDynamoDb } from './dynamodb/simulated-dynamodb.js';
import { SimulatedEventBridge } from './eventbridge/simulated-eventbridge.js';
import { EventFactory } from './events.js';
import { FaultInjector, type InjectedError } from './faults.js';
import { SimulatedIam } from './iam/simulated-iam.js';
import { lambdaProfile } from './lambda-api.js';
import { lambdaWriteOperations, updateLatest } from './lambda-write-api.js';
import { SimulatedLightsail } from './lightsail/simulated-lightsail.js';
import { AccountModel, optional } from './model.js';
import { SeededRandom } from './random.js';
import { SimulatedRoute53 } from './route53/simulated-route53.js';
import { s3Profile } from './s3-api.js';
import { s3WriteOperations } from './s3-write-api.js';
import { seedAccount } from './seed.js';
import type { SimulatedServiceModule, SimulationContext } from './service-simulator.js';
import { SimulatedSes } from './ses/simulated-ses.js';
import { stsProfile } from './sts-api.js';
import type { SimulatedAccountOptions, SimulatedEvent, SimulatedScale } from './types.js';

/** Options of {@link SimulatedAccount.putObject}. */
export interface PutObjectOptions {
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly metadata?: Record<string, string>;
  readonly storageClass?: string;
}

/** What {@link SimulatedAccount.updateFunctionConfiguration} may change. */
export interface FunctionConfigurationChanges {
  /** Replaces the whole variables map. */
  readonly environment?: Record<string, string>;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly description?: string;
}

/** Rules a configuration change must follow, as Lambda validates them. */
const CONFIGURATION_RULES: ReadonlyArray<{
  readonly invalid: (changes: FunctionConfigurationChanges) => boolean;
  readonly message: (changes: FunctionConfigurationChanges) => string;
}> = [
  {
    invalid: ({ memorySize }) =>
      memorySize !== undefined && (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240),
    message: ({ memorySize }) => `memorySize must be an integer from 128 to 10240, received ${memorySize}`,
  },
  {
    invalid: ({ timeout }) =>
      timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 900),
    message: ({ timeout }) => `timeout must be an integer from 1 to 900 seconds, received ${timeout}`,
  },
];

/** The simulation currently answering the SDK clients: only one can, as it patches their classes process-wide. */
let running: SimulatedAccount | undefined;

/**
 * A simulated AWS account shaped like a small business (three websites, a media bucket, access logs, three Lambda
 * functions), answering the AWS SDK v3 in-process: every `S3Client`, `LambdaClient`, `STSClient` and
 * `CloudTrailClient` (save those given their own `endpoint`) is answered inside its middleware stack, below its
 * retry middleware, so the client's own retry strategy handles throttling and faults (see {@link ServiceDispatcher}).
 * Responses and errors have AWS's exact shapes, and changes made through the methods below emit the events AWS
 * would (S3 EventBridge notifications, CloudTrail records in EventBridge envelopes).
 *
 * @example
 * const account = await SimulatedAccount.start({ scale: { objects: 2000 } });
 * try {
 *   const events = account.putObject('sailjada.com', 'index.html', '<h1>New</h1>', { contentType: 'text/html' });
 *   await new S3Client({ region: 'us-east-1' }).send(new GetObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html' }));
 * } finally {
 *   await account.stop();
 * }
 */
export class SimulatedAccount {
  readonly accountId: string;
  /** The home region. */
  readonly region: string;
  /** ACM: the certificates (site certificates in us-east-1) and their changes. */
  readonly acm: SimulatedAcm;
  /** Route 53: the site domains' hosted zones, the API health check, and their changes. */
  readonly route53: SimulatedRoute53;
  /** CloudFront: the sites' distributions, policies, functions and signing keys, and their changes. */
  readonly cloudFront: SimulatedCloudFront;
  /** IAM: the functions' execution roles, deploy and capture roles, users, groups, policies and their changes. */
  readonly iam: SimulatedIam;
  /** API Gateway: the booking REST API, its usage plan and key, the contact HTTP API, the custom domain. */
  readonly apiGateway: SimulatedApiGateway;
  /** EventBridge: the default and `bookings` buses, their rules and targets, and their changes. */
  readonly eventBridge: SimulatedEventBridge;
  /** SES (v1 and v2 APIs): the sites' identities, the `transactional` configuration set, templates, receipt rules. */
  readonly ses: SimulatedSes;
  /** Lightsail: the WordPress and staging instances, static IPs, the `salejada.com` DNS zone, and their changes. */
  readonly lightsail: SimulatedLightsail;
  /** DynamoDB and Application Auto Scaling: the bookings, users and events tables, their items and changes. */
  readonly dynamoDb: SimulatedDynamoDb;
  readonly #model: AccountModel;
  readonly #now: () => Date;
  readonly #events: EventFactory;
  readonly #faults = new FaultInjector();
  readonly #counter = new CallCounter();
  readonly #dispatcher: ServiceDispatcher;
  readonly #codeServer: CodeServer;
  readonly #restoreEnvironment: () => void;
  #stopped = false;

  private constructor(model: AccountModel, now: () => Date, codeServer: CodeServer, scale: SimulatedScale) {
    this.accountId = model.accountId;
    this.region = model.homeRegion;
    this.#model = model;
    this.#now = now;
    this.#codeServer = codeServer;
    this.#events = new EventFactory(model, now());
    this.#dispatcher = new ServiceDispatcher(this.#faults, this.#counter, model.homeRegion);
    const context: SimulationContext = {
      model,
      events: this.#events,
      now,
      emit: (events) => this.#emit(events),
    };
    const modules: SimulatedServiceModule[] = [];
    // The sites' edge refers across services: distributions present certificates, zones point at distributions.
    this.cloudFront = new SimulatedCloudFront(context, scale);
    modules.push(this.cloudFront);
    this.acm = new SimulatedAcm(context, scale, (domain) => this.cloudFront.edge(domain));
    modules.push(this.acm);
    this.route53 = new SimulatedRoute53(context, scale, (domain) => ({
      distributionDomain: this.cloudFront.edge(domain).distributionDomain,
      validationRecords: this.acm.validationRecords(this.cloudFront.edge(domain).certificateArn),
    }));
    modules.push(this.route53);
    this.iam = new SimulatedIam(context, scale);
    modules.push(this.iam);
    this.apiGateway = new SimulatedApiGateway(context, scale);
    modules.push(this.apiGateway);
    this.eventBridge = new SimulatedEventBridge(context, scale);
    modules.push(this.eventBridge);
    this.ses = new SimulatedSes(context, scale);
    modules.push(this.ses);
    this.lightsail = new SimulatedLightsail(context, scale);
    modules.push(this.lightsail);
    this.dynamoDb = new SimulatedDynamoDb(context, scale);
    modules.push(this.dynamoDb);
    for (const profile of [
      s3Profile(model, s3WriteOperations(context)),
      lambdaProfile(model, codeServer, lambdaWriteOperations(context)),
      stsProfile(model),
      cloudTrailProfile(model),
      ...modules.flatMap((module) => module.profiles),
    ]) {
      this.#dispatcher.install(profile);
    }
    // Simulated clients sign with simulated keys (see ServiceDispatcher); code that resolves credentials or a region
    // itself must not fail either.
    this.#restoreEnvironment = setUnsetEnvironment({
      AWS_ACCESS_KEY_ID: 'SIMULATED',
      AWS_SECRET_ACCESS_KEY: 'SIMULATED',
      AWS_REGION: model.homeRegion,
    });
  }

  /**
   * Builds the account, starts answering the SDK clients and starts the code server. Only one simulated account can
   * run at a time; {@link stop} it before starting another.
   */
  static async start(options: SimulatedAccountOptions = {}): Promise<SimulatedAccount> {
    if (running) throw new Error('a simulated account is already running: stop it before starting another');
    const accountId = options.accountId ?? '123456789012';
    if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, received ${accountId}`);
    const region = options.region ?? 'us-east-1';
    const now = options.now ?? (() => new Date());
    const model = new AccountModel(accountId, region, new SeededRandom(seedOf(`${accountId}/${region}`)));
    seedAccount(model, {
      objects: options.scale?.objects ?? 0,
      functions: options.scale?.functions ?? 0,
      buckets: options.scale?.buckets ?? 0,
    });
    const codeServer = await CodeServer.start({ accountId, region, now });
    running = new SimulatedAccount(model, now, codeServer, options.scale ?? {});
    return running;
  }

  /** Uploads an object as a console user would; returns the events AWS emits for it. */
  putObject(
    bucket: string,
    key: string,
    body: string | Uint8Array,
    options: PutObjectOptions = {},
  ): SimulatedEvent[] {
    const target = this.#model.bucket(bucket);
    const at = this.#now();
    const version = target.put(
      key,
      {
        body: typeof body === 'string' ? utf8(body) : Uint8Array.from(body),
        ...optional('contentType', options.contentType),
        ...optional('cacheControl', options.cacheControl),
        ...optional('metadata', options.metadata),
        ...optional('storageClass', options.storageClass),
        checksumAlgorithm: 'CRC64NVME',
      },
      at,
      this.#model.random,
    );
    return this.#emit(this.#events.objectCreated(target, key, version, at));
  }

  /** Deletes an object (a delete marker in a versioned bucket); throws when there is no current object. */
  deleteObject(bucket: string, key: string): SimulatedEvent[] {
    const target = this.#model.bucket(bucket);
    const at = this.#now();
    const removed = target.delete(key, at, this.#model.random);
    return this.#emit(this.#events.objectDeleted(target, key, removed, at));
  }

  /** Replaces a bucket's policy. */
  putBucketPolicy(bucket: string, policy: object): SimulatedEvent[] {
    const target = this.#model.bucket(bucket);
    target.config.policy = JSON.stringify(policy);
    return this.#emit(this.#events.bucketPolicyPut(target, structuredClone(policy), this.#now()));
  }

  /** Deletes a bucket; throws unless it holds no object versions and no delete markers, as S3's `BucketNotEmpty`. */
  deleteBucket(bucket: string): SimulatedEvent[] {
    const target = this.#model.bucket(bucket);
    if (!target.isEmpty()) {
      throw new Error(`bucket ${bucket} is not empty: delete every object version and delete marker first`);
    }
    this.#model.buckets.delete(bucket);
    return this.#emit(this.#events.bucketDeleted(target, this.#now()));
  }

  /** Changes `$LATEST`'s configuration; `environment` replaces the whole variables map. */
  updateFunctionConfiguration(name: string, changes: FunctionConfigurationChanges): SimulatedEvent[] {
    const fn = this.#model.function(name);
    const broken = CONFIGURATION_RULES.find((rule) => rule.invalid(changes));
    if (broken) throw new RangeError(broken.message(changes));
    const at = this.#now();
    const settings = {
      ...fn.latest.settings,
      ...optional('environment', changes.environment && { ...changes.environment }),
      ...optional('memorySize', changes.memorySize),
      ...optional('timeout', changes.timeout),
      ...optional('description', changes.description),
    };
    updateLatest(this.#model, fn, { settings }, at);
    return this.#emit(this.#events.functionConfigurationUpdated(fn, changes, at));
  }

  /** Deploys new code to `$LATEST`: a zip of `files` (same files, same bytes, same `CodeSha256`). */
  updateFunctionCode(name: string, files: Record<string, string>): SimulatedEvent[] {
    const fn = this.#model.function(name);
    const at = this.#now();
    updateLatest(this.#model, fn, { code: this.#model.codePackage(buildZip(files)) }, at);
    return this.#emit(this.#events.functionCodeUpdated(fn, at));
  }

  /** Deletes a function with all its versions and aliases (its event source mappings stay, as in AWS). */
  deleteFunction(name: string): SimulatedEvent[] {
    this.#model.function(name);
    this.#model.functions.delete(name);
    return this.#emit(this.#events.functionDeleted(name, this.#now()));
  }

  /** The environment variables of a function's `$LATEST` (a copy; empty when it has none), e.g. to change one. */
  functionEnvironment(name: string): Record<string, string> {
    return { ...this.#model.function(name).latest.settings.environment };
  }

  /** All events emitted so far, oldest first. */
  events(): SimulatedEvent[] {
    return [...this.#model.events];
  }

  /**
   * Every call of `action` (an IAM action such as `s3:GetBucketPolicy` or `lambda:ListFunctions`, or
   * `service:Operation`; `*` wildcards allowed), or only those touching `resourceId` (bucket name, `bucket/key`,
   * function name; a bucket name also covers its objects), fails with the service's access-denied error.
   */
  deny(action: string, resourceId?: string): void {
    this.#faults.deny(action, resourceId);
  }

  /** The next `times` calls of `action` fail with the service's throttling error. */
  throttle(action: string, times: number): void {
    this.#faults.throttle(action, times);
  }

  /**
   * Every call of `action` (IAM action or `service:Operation`, `*` wildcards allowed), or only those touching
   * `resourceId` (as for {@link deny}), fails with `error`: an AWS error code, its HTTP status and message, e.g.
   * `{ code: 'InvalidObjectState', status: 403, message: "The operation is not valid for the object's storage class" }`.
   */
  fail(action: string, error: InjectedError, resourceId?: string): void {
    this.#faults.fail(action, error, resourceId);
  }

  /**
   * The next `times` downloads of a function's code (from the `Code.Location` URL `GetFunction` returns, for any of
   * its versions) fail with S3's `InternalError` (HTTP 500).
   */
  failCodeDownloads(name: string, times = 1): void {
    this.#model.function(name);
    this.#codeServer.failDownloads(name, times);
  }

  /** SDK commands answered so far (failed ones included), by operation name, and their total. */
  callCounts(): Record<string, number> & { total: number } {
    return this.#counter.snapshot();
  }

  /** SDK commands answered so far (every attempt), by service (`iam`, `route53`…). */
  callCountsByService(): Record<string, number> {
    return this.#counter.byService();
  }

  /** SDK commands answered so far (every attempt), by the IAM action each needed (`iam:GetRole`). */
  callCountsByAction(): Record<string, number> {
    return this.#counter.byAction();
  }

  /** Faults answered so far (throttling, denials, not-found…), by `service:Code` (`route53:Throttling`). */
  faultCounts(): Record<string, number> {
    return this.#counter.faults();
  }

  /**
   * The IAM actions (`s3:GetBucketPolicy`, `lambda:ListFunctions`) of every command answered so far, denied ones
   * included: what the caller's policy must allow. {@link resetCallCounts} forgets them too.
   */
  actionsCalled(): ReadonlySet<string> {
    return this.#counter.actions();
  }

  /** Starts counting calls from zero. */
  resetCallCounts(): void {
    this.#counter.reset();
  }

  /**
   * Stops answering the SDK clients (those created before go back to sending for real), closes the code server and
   * restores the environment.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#dispatcher.restore();
    this.#restoreEnvironment();
    if (running === this) running = undefined;
    await this.#codeServer.close();
  }

  #emit(events: SimulatedEvent[]): SimulatedEvent[] {
    this.#model.events.push(...events);
    return events;
  }
}

/** Sets environment variables that are unset; returns a function that removes the ones it set. */
function setUnsetEnvironment(values: Record<string, string>): () => void {
  const set = Object.entries(values).filter(([name]) => process.env[name] === undefined);
  for (const [name, value] of set) process.env[name] = value;
  return () => {
    for (const [name, value] of set) if (process.env[name] === value) delete process.env[name];
  };
}

/** A 32-bit seed from a string (FNV-1a). */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
