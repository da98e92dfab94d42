import { createHash } from 'node:crypto';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  paginateListFunctions,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import {
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchBucket,
  NoSuchKey,
  paginateListBuckets,
  paginateListObjectsV2,
  RestoreObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type EventBridgeApiCallEnvelope,
  LOGS_REPLICA_BUCKET,
  MEDIA_BUCKET,
  type S3ObjectNotification,
  SIMULATED_SMTP_PASSWORD,
  SIMULATED_STRIPE_SECRET_KEY,
  SimulatedAccount,
  type SimulatedEvent,
} from '../src/index.js';
import { failure } from './support/failure.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function apiCalls(events: SimulatedEvent[]): EventBridgeApiCallEnvelope[] {
  return events.filter(
    (e): e is EventBridgeApiCallEnvelope => e['detail-type'] === 'AWS API Call via CloudTrail',
  );
}

function notifications(events: SimulatedEvent[]): S3ObjectNotification[] {
  return events.filter((e): e is S3ObjectNotification => e['detail-type'] !== 'AWS API Call via CloudTrail');
}

describe('SimulatedAccount', () => {
  let account: SimulatedAccount;
  let clock = new Date('2024-06-01T12:00:00.000Z');
  let startMs = 0;
  const s3 = new S3Client({ region: REGION });
  const s3West = new S3Client({ region: 'us-west-2' });
  const lambda = new LambdaClient({ region: REGION });

  beforeAll(async () => {
    const started = performance.now();
    account = await SimulatedAccount.start({ now: () => clock });
    startMs = performance.now() - started;
  });

  afterAll(async () => {
    await account.stop();
  });

  describe('start', () => {
    it('starts quickly and refuses a second simulation', async () => {
      expect(startMs).toBeLessThan(1500);
      await expect(SimulatedAccount.start()).rejects.toThrow(/already running/);
    });

    it('answers STS with the caller identity', async () => {
      const identity = await new STSClient({ region: REGION }).send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe(ACCOUNT);
      expect(identity.Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\//);
      expect(identity.UserId).toMatch(/^AROA/);
      expect(identity.$metadata.httpStatusCode).toBe(200);
    });

    it('fails loudly for a command it does not implement', async () => {
      const error = await failure(
        s3.send(new RestoreObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'archive/2019-raw.tar' })),
      );
      expect(error.message).toMatch(/does not implement s3 RestoreObjectCommand/);
    });
  });

  describe('S3 buckets', () => {
    it('lists every bucket with its region, page by page', async () => {
      const names: string[] = [];
      for await (const page of paginateListBuckets({ client: s3, pageSize: 2 }, {})) {
        expect(page.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
        for (const bucket of page.Buckets ?? []) names.push(`${bucket.Name}@${bucket.BucketRegion}`);
      }
      expect(names).toEqual([
        'queenofsandiego-logs@us-east-1',
        'queenofsandiego-logs-west@us-west-2',
        'queenofsandiego.com@us-east-1',
        'sailjada-media@us-east-1',
        'sailjada.com@us-east-1',
        'salejada.com@us-east-1',
      ]);
    });

    it('reports bucket locations and redirects calls from the wrong region', async () => {
      expect(
        (await s3.send(new GetBucketLocationCommand({ Bucket: 'sailjada.com' }))).LocationConstraint,
      ).toBeUndefined();
      const west = await s3.send(new GetBucketLocationCommand({ Bucket: LOGS_REPLICA_BUCKET }));
      expect(west.LocationConstraint).toBe('us-west-2');

      const redirect = await failure(s3.send(new ListObjectsV2Command({ Bucket: LOGS_REPLICA_BUCKET })));
      expect(redirect.name).toBe('PermanentRedirect');
      expect(redirect.$metadata.httpStatusCode).toBe(301);
      const listed = await s3West.send(new ListObjectsV2Command({ Bucket: LOGS_REPLICA_BUCKET }));
      expect(listed.KeyCount).toBe(9);
      expect((await s3West.send(new HeadBucketCommand({ Bucket: LOGS_REPLICA_BUCKET }))).BucketRegion).toBe(
        'us-west-2',
      );
    });

    it("follows a redirect to the bucket's region when the client is told to, as with AWS", async () => {
      const following = new S3Client({ region: REGION, followRegionRedirects: true });
      account.resetCallCounts();

      const listed = await following.send(new ListObjectsV2Command({ Bucket: LOGS_REPLICA_BUCKET }));

      expect(listed.KeyCount).toBe(9);
      // The redirect (with its x-amz-bucket-region header), then the call the SDK sends to us-west-2.
      expect(account.callCounts()).toEqual({ ListObjectsV2: 2, total: 2 });
    });

    it('answers configuration reads with AWS shapes and not-configured errors', async () => {
      const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: 'sailjada.com' }));
      expect(JSON.parse(policy.Policy ?? '').Statement[0].Action).toBe('s3:GetObject');
      const noPolicy = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: MEDIA_BUCKET })));
      expect([noPolicy.name, noPolicy.$metadata.httpStatusCode]).toEqual(['NoSuchBucketPolicy', 404]);

      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: MEDIA_BUCKET }))).Status).toBe(
        'Enabled',
      );
      expect(
        (await s3.send(new GetBucketVersioningCommand({ Bucket: 'sailjada.com' }))).Status,
      ).toBeUndefined();
      const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: MEDIA_BUCKET }));
      expect(
        encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault,
      ).toEqual({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\//),
      });
      expect((await s3.send(new GetBucketCorsCommand({ Bucket: 'sailjada.com' }))).CORSRules).toHaveLength(1);
      const noCors = await failure(s3.send(new GetBucketCorsCommand({ Bucket: 'queenofsandiego.com' })));
      expect(noCors.name).toBe('NoSuchCORSConfiguration');
      const notification = await s3.send(
        new GetBucketNotificationConfigurationCommand({ Bucket: 'salejada.com' }),
      );
      expect(notification.EventBridgeConfiguration).toEqual({});
      const ownership = await s3.send(
        new GetBucketOwnershipControlsCommand({ Bucket: 'queenofsandiego-logs' }),
      );
      expect(ownership.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerPreferred' }]);
      const replication = await s3.send(new GetBucketReplicationCommand({ Bucket: 'queenofsandiego-logs' }));
      expect(replication.ReplicationConfiguration?.Rules?.[0]?.Destination?.Bucket).toBe(
        `arn:aws:s3:::${LOGS_REPLICA_BUCKET}`,
      );
      const lock = await failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket: MEDIA_BUCKET })));
      expect(lock.name).toBe('ObjectLockConfigurationNotFoundError');
      const tags = await failure(s3.send(new GetBucketTaggingCommand({ Bucket: 'salejada.com' })));
      expect(tags.name).toBe('NoSuchTagSet');
    });

    it('answers NoSuchBucket for an unknown bucket', async () => {
      const error = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: 'not-a-bucket' })));
      expect(error).toBeInstanceOf(NoSuchBucket);
      expect(error.$metadata.httpStatusCode).toBe(404);
      const head = await failure(s3.send(new HeadBucketCommand({ Bucket: 'not-a-bucket' })));
      expect([head.name, head.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
    });
  });

  describe('S3 objects', () => {
    it('lists a prefix with common prefixes', async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sailjada.com', Delimiter: '/' }));
      expect(listed.CommonPrefixes).toEqual([{ Prefix: 'css/' }, { Prefix: 'images/' }]);
      expect(listed.Contents?.map((object) => object.Key)).toEqual(['404.html', 'about.html', 'index.html']);
      expect(listed.KeyCount).toBe(5);
      const index = listed.Contents?.find((object) => object.Key === 'index.html');
      expect(index?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(index).toMatchObject({ StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC64NVME'] });
    });

    it('pages through common prefixes and honours StartAfter', async () => {
      const prefixes: string[] = [];
      for await (const page of paginateListObjectsV2(
        { client: s3, pageSize: 1 },
        { Bucket: MEDIA_BUCKET, Delimiter: '/' },
      )) {
        expect(page.KeyCount).toBe(1);
        prefixes.push(...(page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix ?? ''));
      }
      // drafts/ holds only a deleted object, so S3 lists no prefix for it
      expect(prefixes).toEqual(['archive/', 'documents/', 'photos/']);
      const after = await s3.send(
        new ListObjectsV2Command({
          Bucket: MEDIA_BUCKET,
          Prefix: 'photos/',
          StartAfter: 'photos/2023/regatta-03.jpg',
        }),
      );
      expect(after.Contents?.map((object) => object.Key)).toEqual([
        'photos/2023/regatta-04.jpg',
        'photos/2023/regatta-05.jpg',
      ]);
      expect(after.StartAfter).toBe('photos/2023/regatta-03.jpg');
      const badToken = await failure(
        s3.send(new ListObjectsV2Command({ Bucket: MEDIA_BUCKET, ContinuationToken: 'x' })),
      );
      expect([badToken.name, badToken.$metadata.httpStatusCode]).toEqual(['InvalidArgument', 400]);
    });

    it('heads objects with only the headers AWS sends', async () => {
      const page = await s3.send(new HeadObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html' }));
      expect(page).toMatchObject({
        ContentType: 'text/html; charset=utf-8',
        CacheControl: 'max-age=300',
        Metadata: {},
      });
      expect(page.VersionId).toBeUndefined();
      expect(page.StorageClass).toBeUndefined();
      expect(page.ServerSideEncryption).toBe('AES256');

      const waiver = await s3.send(
        new HeadObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'documents/charter-waiver.pdf' }),
      );
      expect(waiver).toMatchObject({
        Metadata: { author: 'jada', reviewed: '2024-03-01' },
        ServerSideEncryption: 'aws:kms',
        BucketKeyEnabled: true,
        TagCount: 2,
      });
      expect(waiver.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);

      const archived = await s3.send(
        new HeadObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'archive/2019-raw.tar' }),
      );
      expect(archived.StorageClass).toBe('DEEP_ARCHIVE');
      expect(archived.Restore).toBeUndefined();

      const missing = await failure(
        s3.send(new HeadObjectCommand({ Bucket: 'sailjada.com', Key: 'nope.html' })),
      );
      expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
    });

    it('reads whole objects, ranges, and honours If-Match', async () => {
      const whole = await s3.send(
        new GetObjectCommand({ Bucket: 'queenofsandiego.com', Key: 'images/hero.jpg' }),
      );
      const bytes = (await whole.Body?.transformToByteArray()) ?? new Uint8Array();
      expect(bytes.length).toBe(whole.ContentLength);
      expect(`"${createHash('md5').update(bytes).digest('hex')}"`).toBe(whole.ETag);

      const part = await s3.send(
        new GetObjectCommand({
          Bucket: 'queenofsandiego.com',
          Key: 'images/hero.jpg',
          Range: 'bytes=100-199',
        }),
      );
      expect(part.$metadata.httpStatusCode).toBe(206);
      expect(part.ContentRange).toBe(`bytes 100-199/${bytes.length}`);
      expect(part.ContentLength).toBe(100);
      expect(await part.Body?.transformToByteArray()).toEqual(bytes.subarray(100, 200));

      const tail = await s3.send(
        new GetObjectCommand({ Bucket: 'queenofsandiego.com', Key: 'images/hero.jpg', Range: 'bytes=-10' }),
      );
      expect(await tail.Body?.transformToByteArray()).toEqual(bytes.subarray(bytes.length - 10));

      const stale = await failure(
        s3.send(
          new GetObjectCommand({ Bucket: 'queenofsandiego.com', Key: 'images/hero.jpg', IfMatch: '"0000"' }),
        ),
      );
      expect([stale.name, stale.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
      const matching = await s3.send(
        new GetObjectCommand({ Bucket: 'queenofsandiego.com', Key: 'images/hero.jpg', IfMatch: whole.ETag }),
      );
      expect(matching.ContentLength).toBe(bytes.length);
    });

    it('refuses to read archived objects and unknown keys', async () => {
      const frozen = await failure(
        s3.send(new GetObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'archive/2020-raw.tar' })),
      );
      expect([frozen.name, frozen.$metadata.httpStatusCode]).toEqual(['InvalidObjectState', 403]);
      const missing = await failure(s3.send(new GetObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'missing' })));
      expect(missing).toBeInstanceOf(NoSuchKey);
    });

    it('reads object tags with the version id of a versioned bucket', async () => {
      const tagging = await s3.send(
        new GetObjectTaggingCommand({ Bucket: MEDIA_BUCKET, Key: 'documents/charter-waiver.pdf' }),
      );
      expect(tagging.TagSet).toEqual([
        { Key: 'classification', Value: 'internal' },
        { Key: 'retention', Value: '7y' },
      ]);
      expect(tagging.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    });

    it('lists versions and delete markers page by page', async () => {
      const seen: string[] = [];
      let markers = 0;
      let position: { KeyMarker?: string; VersionIdMarker?: string } = {};
      for (let more = true; more; ) {
        const page = await s3.send(
          new ListObjectVersionsCommand({ Bucket: MEDIA_BUCKET, MaxKeys: 1, ...position }),
        );
        more = page.IsTruncated === true;
        position = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
        expect((page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0)).toBe(1);
        for (const version of page.Versions ?? []) seen.push(`${version.Key}#${version.VersionId}`);
        for (const marker of page.DeleteMarkers ?? []) {
          seen.push(`${marker.Key}#${marker.VersionId}`);
          markers++;
          expect(marker).toMatchObject({ Key: 'drafts/old-flyer.pdf', IsLatest: true });
        }
      }
      expect(new Set(seen).size).toBe(seen.length);
      // 5 photos, the waiver, 2 price lists, the flyer and its delete marker, 2 archives
      expect(seen).toHaveLength(12);
      expect(seen.filter((entry) => entry.startsWith('documents/price-list.pdf#'))).toHaveLength(2);
      expect(markers).toBe(1);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: MEDIA_BUCKET, Prefix: 'drafts/' }));
      expect(listed.KeyCount).toBe(0);
      expect(listed.Contents).toBeUndefined();
    });
  });

  describe('Lambda', () => {
    it('lists functions with the configuration fields ListFunctions returns', async () => {
      const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
      expect(Functions.map((fn) => fn.FunctionName)).toEqual([
        'booking-handler',
        'email-sender',
        'image-resizer',
      ]);
      const booking = Functions[0];
      expect(booking).toMatchObject({
        FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:booking-handler`,
        Runtime: 'nodejs20.x',
        Version: '$LATEST',
        PackageType: 'Zip',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
        DeadLetterConfig: { TargetArn: expect.stringContaining(':sqs:') },
        Environment: {
          Variables: { STRIPE_SECRET_KEY: SIMULATED_STRIPE_SECRET_KEY, TABLE_NAME: expect.any(String) },
        },
      });
      expect(booking?.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      expect(booking?.State).toBeUndefined();
      expect(Functions[1]?.Environment?.Variables?.SMTP_PASSWORD).toBe(SIMULATED_SMTP_PASSWORD);
      expect(Functions[2]?.Layers).toHaveLength(1);
      expect(
        (await new LambdaClient({ region: 'us-west-2' }).send(new ListFunctionsCommand({}))).Functions,
      ).toEqual([]);
    });

    it('resolves names, ARNs, partial ARNs and qualifiers', async () => {
      const byName = await lambda.send(new GetFunctionCommand({ FunctionName: 'booking-handler' }));
      expect(byName.Configuration).toMatchObject({
        State: 'Active',
        LastUpdateStatus: 'Successful',
        Version: '$LATEST',
      });
      expect(byName.Tags).toEqual({ app: 'queenofsandiego', env: 'prod', owner: 'jada' });
      expect(byName.Concurrency).toEqual({ ReservedConcurrentExecutions: 20 });
      const arn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:booking-handler`;
      const byArn = await lambda.send(new GetFunctionCommand({ FunctionName: arn }));
      const byPartial = await lambda.send(
        new GetFunctionCommand({ FunctionName: `${ACCOUNT}:function:booking-handler` }),
      );
      expect(byArn.Configuration?.CodeSha256).toBe(byName.Configuration?.CodeSha256);
      expect(byPartial.Configuration?.RevisionId).toBe(byName.Configuration?.RevisionId);

      const live = await lambda.send(
        new GetFunctionCommand({ FunctionName: 'booking-handler', Qualifier: 'live' }),
      );
      expect(live.Configuration).toMatchObject({ Version: '2', FunctionArn: `${arn}:live` });
      const first = await lambda.send(new GetFunctionCommand({ FunctionName: `${arn}:1` }));
      expect(first.Configuration?.Version).toBe('1');
      expect(first.Configuration?.CodeSha256).not.toBe(live.Configuration?.CodeSha256);

      const missing = await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })));
      expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
      expect(missing.message).toBe(`Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:nope`);
    });

    it('serves the code zip at Code.Location, and only with a valid signature', async () => {
      const { Code, Configuration } = await lambda.send(
        new GetFunctionCommand({ FunctionName: 'email-sender' }),
      );
      const location = Code?.Location ?? '';
      expect(Code?.RepositoryType).toBe('S3');
      expect(location).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/snapshots\/123456789012\/email-sender-[0-9a-f-]{36}\?versionId=/,
      );
      expect(location).toMatch(/X-Amz-Signature=[0-9a-f]{64}$/);
      const response = await fetch(location);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      const zip = new Uint8Array(await response.arrayBuffer());
      expect(zip.length).toBe(Configuration?.CodeSize);
      expect(sha256Base64(zip)).toBe(Configuration?.CodeSha256);

      const forged = await fetch(
        location.replace(/X-Amz-Signature=[0-9a-f]{64}/, `X-Amz-Signature=${'0'.repeat(64)}`),
      );
      expect(forged.status).toBe(403);
      expect(
        (await fetch(location.replace(/email-sender-[0-9a-f-]{36}/, 'email-sender-unknown'))).status,
      ).toBe(404);
    });

    it('answers versions, aliases, policies, URLs, concurrency, mappings and tags', async () => {
      const versions = await lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: 'booking-handler' }),
      );
      expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
      expect(versions.Versions?.[0]?.FunctionArn).toMatch(/:booking-handler:\$LATEST$/);
      const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: 'booking-handler' }));
      expect(aliases.Aliases).toMatchObject([{ Name: 'live', FunctionVersion: '2' }]);

      const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'booking-handler' }));
      expect(JSON.parse(policy.Policy ?? '').Statement).toHaveLength(2);
      expect(policy.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
      const noPolicy = await failure(lambda.send(new GetPolicyCommand({ FunctionName: 'email-sender' })));
      expect([noPolicy.name, noPolicy.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);

      const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'booking-handler' }));
      expect(url).toMatchObject({ AuthType: 'NONE', InvokeMode: 'BUFFERED' });
      expect(url.FunctionUrl).toMatch(/^https:\/\/[a-z2-7]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
      expect(
        await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'email-sender' })),
      ).not.toHaveProperty('ReservedConcurrentExecutions');

      const mappings = await lambda.send(
        new ListEventSourceMappingsCommand({ FunctionName: 'image-resizer' }),
      );
      expect(mappings.EventSourceMappings).toMatchObject([
        {
          EventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:image-resize-jobs`,
          State: 'Enabled',
          BatchSize: 10,
        },
      ]);
      const stream = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'email-sender' }));
      expect(stream.EventSourceMappings).toMatchObject([
        {
          EventSourceArn: expect.stringMatching(/:table\/bookings\/stream\//),
          StartingPosition: 'LATEST',
          LastProcessingResult: 'No records processed',
        },
      ]);
      const none = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'booking-handler' }));
      expect(none.EventSourceMappings).toEqual([]);
      const tags = await lambda.send(
        new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:image-resizer` }),
      );
      expect(tags.Tags).toEqual({ app: 'sailjada' });
    });
  });

  describe('fault injection', () => {
    it('denies an action everywhere or for one resource, with AWS error codes', async () => {
      account.deny('s3:GetBucketPolicy', 'queenofsandiego.com');
      const denied = await failure(s3.send(new GetBucketPolicyCommand({ Bucket: 'queenofsandiego.com' })));
      expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
      expect(denied.message).toContain('s3:GetBucketPolicy');
      await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'sailjada.com' }))).resolves.toBeDefined();

      account.deny('lambda:GetPolicy');
      const lambdaDenied = await failure(
        lambda.send(new GetPolicyCommand({ FunctionName: 'booking-handler' })),
      );
      expect([lambdaDenied.name, lambdaDenied.$metadata.httpStatusCode]).toEqual([
        'AccessDeniedException',
        403,
      ]);
      expect(lambdaDenied.message).toMatch(
        /not authorized to perform: lambda:GetPolicy on resource: arn:aws:lambda:/,
      );

      account.deny('s3:GetObject', 'salejada.com');
      const headDenied = await failure(
        s3.send(new HeadObjectCommand({ Bucket: 'salejada.com', Key: 'index.html' })),
      );
      expect([headDenied.name, headDenied.$metadata.httpStatusCode]).toEqual(['Unknown', 403]);
    });

    it('throttles the next calls of an action with the service throttling exception', async () => {
      const once = new LambdaClient({ region: REGION, maxAttempts: 1 });
      account.throttle('lambda:GetFunction', 2);
      account.resetCallCounts();

      const throttled = await failure(once.send(new GetFunctionCommand({ FunctionName: 'booking-handler' })));
      const next = await failure(once.send(new GetFunctionCommand({ FunctionName: 'booking-handler' })));
      const after = await once.send(new GetFunctionCommand({ FunctionName: 'booking-handler' }));

      expect(throttled).toBeInstanceOf(TooManyRequestsException);
      expect(throttled).toMatchObject({ Reason: 'CallerRateLimitExceeded' });
      expect(throttled.$metadata).toMatchObject({ httpStatusCode: 429, attempts: 1, totalRetryDelay: 0 });
      expect(next).toBeInstanceOf(TooManyRequestsException);
      expect(after.Configuration?.FunctionName).toBe('booking-handler');
      expect(account.callCounts()).toEqual({ GetFunction: 3, total: 3 });
    });

    it("retries a throttled call with the client's own adaptive strategy, which really waits", async () => {
      const adaptive = new LambdaClient({ region: REGION, retryMode: 'adaptive' });
      account.throttle('lambda:GetFunction', 2);
      account.resetCallCounts();

      const started = performance.now();
      const retried = await adaptive.send(new GetFunctionCommand({ FunctionName: 'booking-handler' }));
      const elapsedMs = performance.now() - started;

      expect(retried.Configuration?.FunctionName).toBe('booking-handler');
      expect(retried.$metadata.attempts).toBe(3);
      expect(retried.$metadata.totalRetryDelay).toBeGreaterThan(0);
      // Timers may fire a millisecond early.
      expect(elapsedMs).toBeGreaterThanOrEqual((retried.$metadata.totalRetryDelay ?? 0) - 5);
      expect(account.callCounts()).toEqual({ GetFunction: 3, total: 3 });
    });

    it('gives up on throttling after the attempts the client allows', async () => {
      const twice = new S3Client({ region: REGION, maxAttempts: 2 });
      account.throttle('s3:GetObject', 2);
      account.resetCallCounts();

      const slowDown = await failure(
        twice.send(new GetObjectCommand({ Bucket: 'sailjada.com', Key: 'index.html' })),
      );

      expect(slowDown.name).toBe('SlowDown');
      expect(slowDown.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 2 });
      expect(account.callCounts()).toEqual({ GetObject: 2, total: 2 });
    });

    it('is answered below the finalizeRequest step: a middleware there sees every attempt, signed', async () => {
      const client = new S3Client({ region: REGION });
      const attempts: Array<{ attempt: unknown; host: unknown; signed: boolean }> = [];
      client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { hostname?: string; headers: Record<string, string> };
          attempts.push({
            attempt: request.headers['amz-sdk-request'],
            host: request.hostname,
            signed: /^AWS4-HMAC-SHA256 Credential=SIMULATED\//.test(request.headers.authorization ?? ''),
          });
          return next(args);
        },
        { step: 'finalizeRequest', name: 'recordAttempts' },
      );
      const internalError = {
        code: 'InternalError',
        status: 500,
        message: 'We encountered an internal error.',
      };
      account.fail('s3:GetBucketVersioning', internalError, 'queenofsandiego-logs');

      const failed = await failure(
        client.send(new GetBucketVersioningCommand({ Bucket: 'queenofsandiego-logs' })),
      );

      expect([failed.name, failed.$metadata]).toMatchObject([
        'InternalError',
        { httpStatusCode: 500, attempts: 3 },
      ]);
      // Signed with the simulation's keys, for AWS's endpoint: the test environment's profile and endpoint are ignored.
      expect(attempts).toEqual(
        [1, 2, 3].map((n) => ({
          attempt: `attempt=${n}; max=3`,
          host: 'queenofsandiego-logs.s3.us-east-1.amazonaws.com',
          signed: true,
        })),
      );
    });

    it('counts calls by operation name', async () => {
      account.resetCallCounts();
      await s3.send(new ListBucketsCommand({}));
      await s3.send(new ListBucketsCommand({}));
      await lambda.send(new ListFunctionsCommand({}));
      expect(account.callCounts()).toEqual({ ListBuckets: 2, ListFunctions: 1, total: 3 });
      account.resetCallCounts();
      expect(account.callCounts()).toEqual({ total: 0 });
    });
  });

  describe('changes', () => {
    it('puts an object: new state, an Object Created notification and a data event', async () => {
      clock = new Date('2024-06-02T08:30:15.250Z');
      const events = account.putObject('sailjada.com', 'specials.html', '<h1>Summer specials</h1>', {
        contentType: 'text/html',
        metadata: { campaign: 'summer' },
      });
      const [notification] = notifications(events);
      const [call] = apiCalls(events);
      expect(notification).toMatchObject({
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: ACCOUNT,
        time: '2024-06-02T08:30:15Z',
        region: 'us-east-1',
        resources: ['arn:aws:s3:::sailjada.com'],
        detail: {
          bucket: { name: 'sailjada.com' },
          object: { key: 'specials.html', size: 24 },
          reason: 'PutObject',
        },
      });
      expect(notification?.detail.object).not.toHaveProperty('version-id');
      expect(call?.detail).toMatchObject({
        eventSource: 's3.amazonaws.com',
        eventName: 'PutObject',
        eventTime: '2024-06-02T08:30:15Z',
        recipientAccountId: ACCOUNT,
        requestParameters: { bucketName: 'sailjada.com', key: 'specials.html' },
        readOnly: false,
        managementEvent: false,
        eventCategory: 'Data',
        resources: [
          { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::sailjada.com/specials.html' },
          { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::sailjada.com', accountId: ACCOUNT },
        ],
      });
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'sailjada.com', Key: 'specials.html' }));
      expect(head.ETag).toBe(`"${notification?.detail.object.etag}"`);
      expect(head.LastModified).toEqual(new Date('2024-06-02T08:30:15.000Z'));
      expect(head.Metadata).toEqual({ campaign: 'summer' });
    });

    it('deletes objects as delete markers in versioned buckets and for good elsewhere', async () => {
      const versioned = notifications(account.deleteObject(MEDIA_BUCKET, 'photos/2023/regatta-01.jpg'));
      expect(versioned[0]?.detail).toMatchObject({
        reason: 'DeleteObject',
        'deletion-type': 'Delete Marker Created',
        object: { etag: 'd41d8cd98f00b204e9800998ecf8427e', 'version-id': expect.any(String) },
      });
      const gone = await failure(
        s3.send(new HeadObjectCommand({ Bucket: MEDIA_BUCKET, Key: 'photos/2023/regatta-01.jpg' })),
      );
      expect(gone.name).toBe('NotFound');
      const versions = await s3.send(
        new ListObjectVersionsCommand({ Bucket: MEDIA_BUCKET, Prefix: 'photos/2023/regatta-01.jpg' }),
      );
      expect(versions.DeleteMarkers?.[0]?.VersionId).toBe(versioned[0]?.detail.object['version-id']);
      expect(versions.Versions).toHaveLength(1);

      const permanent = notifications(account.deleteObject('sailjada.com', 'specials.html'));
      expect(permanent[0]?.detail['deletion-type']).toBe('Permanently Deleted');
      expect(() => account.deleteObject('sailjada.com', 'specials.html')).toThrow(/no object/);
    });

    it('puts a bucket policy and deletes only empty buckets', async () => {
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }],
      };
      const [event] = apiCalls(account.putBucketPolicy('salejada.com', policy));
      expect(event?.detail).toMatchObject({
        eventName: 'PutBucketPolicy',
        managementEvent: true,
        requestParameters: { bucketName: 'salejada.com', bucketPolicy: policy, Host: expect.any(String) },
      });
      const stored = await s3.send(new GetBucketPolicyCommand({ Bucket: 'salejada.com' }));
      expect(JSON.parse(stored.Policy ?? '')).toEqual(policy);

      expect(() => account.deleteBucket('salejada.com')).toThrow(/not empty/);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'salejada.com' }));
      for (const object of listed.Contents ?? []) account.deleteObject('salejada.com', object.Key ?? '');
      const [deleted] = apiCalls(account.deleteBucket('salejada.com'));
      expect(deleted?.detail.requestParameters).toMatchObject({ bucketName: 'salejada.com' });
      expect(await failure(s3.send(new HeadBucketCommand({ Bucket: 'salejada.com' })))).toHaveProperty(
        'name',
        'NotFound',
      );
    });

    it('updates a function configuration without leaking secrets into events', async () => {
      const before = await lambda.send(new GetFunctionCommand({ FunctionName: 'booking-handler' }));
      expect(account.functionEnvironment('booking-handler')).toEqual(
        before.Configuration?.Environment?.Variables,
      );
      clock = new Date('2024-06-03T09:00:00.000Z');
      const events = account.updateFunctionConfiguration('booking-handler', {
        memorySize: 512,
        environment: { STRIPE_SECRET_KEY: 'sk_test_rotated', TABLE_NAME: 'bookings-v2' },
      });
      const [event] = apiCalls(events);
      expect(event).toMatchObject({
        source: 'aws.lambda',
        'detail-type': 'AWS API Call via CloudTrail',
        resources: [],
      });
      expect(event?.detail).toMatchObject({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionConfiguration20150331v2',
        eventTime: '2024-06-03T09:00:00Z',
        awsRegion: 'us-east-1',
        recipientAccountId: ACCOUNT,
        requestParameters: { functionName: 'booking-handler', memorySize: 512, environment: {} },
        responseElements: {
          functionName: 'booking-handler',
          memorySize: 512,
          environment: {},
          version: '$LATEST',
        },
      });
      expect(JSON.stringify(account.events())).not.toMatch(
        /sk_test_rotated|SimulatedSecretValue|SimulatedSmtpPassword/,
      );

      const after = await lambda.send(new GetFunctionCommand({ FunctionName: 'booking-handler' }));
      expect(after.Configuration).toMatchObject({
        MemorySize: 512,
        LastModified: '2024-06-03T09:00:00.000+0000',
        Environment: { Variables: { STRIPE_SECRET_KEY: 'sk_test_rotated', TABLE_NAME: 'bookings-v2' } },
      });
      expect(after.Configuration?.RevisionId).not.toBe(before.Configuration?.RevisionId);
      expect(() => account.updateFunctionConfiguration('booking-handler', { memorySize: 64 })).toThrow(
        /memorySize/,
      );
    });

    it('updates function code deterministically and names the function by ARN in the event', async () => {
      const files = { 'index.mjs': 'export const handler = async () => "v3";\n' };
      const [event] = apiCalls(account.updateFunctionCode('image-resizer', files));
      expect(event?.detail).toMatchObject({
        eventName: 'UpdateFunctionCode20150331v2',
        requestParameters: { functionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:image-resizer` },
      });
      const first = await lambda.send(new GetFunctionCommand({ FunctionName: 'image-resizer' }));
      account.updateFunctionCode('image-resizer', files);
      const second = await lambda.send(new GetFunctionCommand({ FunctionName: 'image-resizer' }));
      expect(second.Configuration?.CodeSha256).toBe(first.Configuration?.CodeSha256);
      expect(event?.detail.responseElements).toMatchObject({ codeSha256: first.Configuration?.CodeSha256 });
      const zip = new Uint8Array(await (await fetch(second.Code?.Location ?? '')).arrayBuffer());
      expect(sha256Base64(zip)).toBe(second.Configuration?.CodeSha256);
    });

    it('deletes a function', async () => {
      const [event] = apiCalls(account.deleteFunction('email-sender'));
      expect(event?.detail).toMatchObject({
        eventName: 'DeleteFunction20150331',
        requestParameters: { functionName: 'email-sender' },
        responseElements: null,
      });
      const missing = await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'email-sender' })));
      expect(missing.name).toBe('ResourceNotFoundException');
    });

    it('looks up the management events, newest first, page by page', async () => {
      const cloudtrail = new CloudTrailClient({ region: REGION });
      const all = await cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }],
        }),
      );
      const names = all.Events?.map((event) => event.EventName);
      expect(names?.[0]).toBe('DeleteFunction20150331');
      expect(names).toContain('PutBucketPolicy');
      expect(names).not.toContain('PutObject');
      const first = all.Events?.[0];
      expect(first).toMatchObject({
        ReadOnly: 'false',
        Username: 'alice',
        EventSource: 'lambda.amazonaws.com',
      });
      expect(first?.EventTime).toBeInstanceOf(Date);
      expect(JSON.parse(first?.CloudTrailEvent ?? '{}').eventID).toBe(first?.EventId);

      const paged: string[] = [];
      let token: string | undefined;
      do {
        const page = await cloudtrail.send(new LookupEventsCommand({ MaxResults: 2, NextToken: token }));
        paged.push(...(page.Events ?? []).map((event) => event.EventId ?? ''));
        token = page.NextToken;
      } while (token);
      expect(paged).toEqual(all.Events?.map((event) => event.EventId));
      const lambdaOnly = await cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }],
        }),
      );
      expect(lambdaOnly.Events?.every((event) => event.EventSource === 's3.amazonaws.com')).toBe(true);
    });
  });
});

describe('SimulatedAccount at scale', () => {
  it('pages thousands of objects and functions exactly once, and restores the SDK on stop', async () => {
    const realSend = S3Client.prototype.send;
    const started = performance.now();
    const account = await SimulatedAccount.start({ scale: { objects: 2000, functions: 50 } });
    const startMs = performance.now() - started;
    try {
      expect(startMs).toBeLessThan(5000);
      const s3 = new S3Client({ region: REGION });
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2(
        { client: s3, pageSize: 333 },
        { Bucket: MEDIA_BUCKET },
      )) {
        expect(page.KeyCount).toBe(page.Contents?.length);
        for (const object of page.Contents ?? []) keys.push(object.Key ?? '');
      }
      expect(keys.filter((key) => key.startsWith('generated/'))).toHaveLength(2000);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual(keys);

      const defaultPages = await s3.send(new ListObjectsV2Command({ Bucket: MEDIA_BUCKET }));
      expect(defaultPages).toMatchObject({ KeyCount: 1000, MaxKeys: 1000, IsTruncated: true });

      const lambda = new LambdaClient({ region: REGION });
      const names: string[] = [];
      let pages = 0;
      for await (const page of paginateListFunctions({ client: lambda }, {})) {
        pages++;
        for (const fn of page.Functions ?? []) names.push(fn.FunctionName ?? '');
      }
      expect(pages).toBe(2);
      expect(names).toHaveLength(53);
      expect(new Set(names).size).toBe(53);
      const shas = new Set<string>();
      for (const name of names.filter((n) => n.startsWith('fn-'))) {
        const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
        shas.add(fn.Configuration?.CodeSha256 ?? '');
      }
      expect(shas.size).toBe(5);
    } finally {
      await account.stop();
    }
    expect(S3Client.prototype.send).toBe(realSend);
  });

  it('builds the same content on every run', async () => {
    const snapshot = async () => {
      const account = await SimulatedAccount.start({ now: () => new Date('2024-06-01T00:00:00Z') });
      try {
        const listed = await new S3Client({ region: REGION }).send(
          new ListObjectsV2Command({ Bucket: MEDIA_BUCKET }),
        );
        const fn = await new LambdaClient({ region: REGION }).send(
          new GetFunctionCommand({ FunctionName: 'booking-handler' }),
        );
        const events = account.putObject(MEDIA_BUCKET, 'a.txt', 'a');
        return { etags: listed.Contents?.map((o) => o.ETag), sha: fn.Configuration?.CodeSha256, events };
      } finally {
        await account.stop();
      }
    };
    expect(await snapshot()).toEqual(await snapshot());
  });
});

describe('SimulatedAccount.stop', () => {
  it('leaves the clients it answered sending for real, until another account answers them', async () => {
    // Nothing listens on port 9, and the profile does not exist (as in the whole suite: see vitest.config.ts).
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_PROFILE', 'tidemark-test-no-such-profile');
    const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };
    const withKeys = new LambdaClient({ region: REGION, maxAttempts: 1, credentials: keys });
    const withChain = new LambdaClient({ region: REGION, maxAttempts: 1 });
    try {
      const first = await SimulatedAccount.start();
      const answered = await Promise.all([
        withKeys.send(new ListFunctionsCommand({})),
        withChain.send(new ListFunctionsCommand({})),
      ]).finally(() => first.stop());

      const unreachable = await failure(withKeys.send(new ListFunctionsCommand({})));
      const noCredentials = await failure(withChain.send(new ListFunctionsCommand({})));
      const second = await SimulatedAccount.start();
      const again = await withChain.send(new ListFunctionsCommand({})).finally(() => second.stop());

      expect(answered.map((listed) => listed.Functions?.length)).toEqual([3, 3]);
      // Sent for real: to the endpoint of the environment, and signed with the client's own credential chain.
      expect(unreachable).toMatchObject({ code: 'ECONNREFUSED' });
      expect(noCredentials.name).toBe('CredentialsProviderError');
      expect(first.callCounts()).toEqual({ ListFunctions: 2, total: 2 });
      expect(again.Functions).toHaveLength(3);
      expect(second.callCounts()).toEqual({ ListFunctions: 1, total: 1 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
