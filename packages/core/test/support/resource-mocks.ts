import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  type FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaServiceException,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import {
  type BucketLocationConstraint,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { AwsStub } from 'aws-sdk-client-mock';

// biome-ignore lint/suspicious/noExplicitAny: a stub of any client
type AnyStub = AwsStub<any, any, any>;

/** An S3 service error as the SDK throws it (`error.name` is the code). */
export function s3Error(code: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${code} (test)`,
  });
}

/** A Lambda service error as the SDK throws it. */
export function lambdaError(code: string, status: number): LambdaServiceException {
  return new LambdaServiceException({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${code} (test)`,
  });
}

/** A `GetObject` body as the SDK returns it in Node: a Readable with the SDK stream mixin. */
export function streamBody(bytes: Uint8Array, chunkSize = 3) {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    chunks.push(Buffer.from(bytes.subarray(offset, offset + chunkSize)));
  }
  return sdkStreamMixin(Readable.from(chunks));
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Lambda's `CodeSha256`: base64 of the zip's sha256. */
export function codeSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

export const BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::media/*' },
  ],
});

/** A bucket with every configuration set, shaped like the S3 API reference's responses. */
export function mockFullBucket(s3: AnyStub, location = 'eu-west-1'): void {
  s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: location as BucketLocationConstraint });
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled', MFADelete: 'Disabled' });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: BUCKET_POLICY });
  s3.on(GetBucketOwnershipControlsCommand).resolves({
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  });
  s3.on(GetBucketAclCommand).resolves({
    Owner: { ID: 'owner-canonical-id', DisplayName: 'ops' },
    Grants: [
      {
        Grantee: { Type: 'CanonicalUser', ID: 'owner-canonical-id', DisplayName: 'ops' },
        Permission: 'FULL_CONTROL',
      },
    ],
  });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/media' },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
  s3.on(GetBucketWebsiteCommand).resolves({
    IndexDocument: { Suffix: 'index.html' },
    ErrorDocument: { Key: 'error.html' },
  });
  s3.on(GetBucketCorsCommand).resolves({
    CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://example.com'], MaxAgeSeconds: 3000 }],
  });
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({
    Rules: [{ ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }],
    TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
  });
  s3.on(GetBucketLoggingCommand).resolves({
    LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'media/' },
  });
  s3.on(GetBucketNotificationConfigurationCommand).resolves({
    EventBridgeConfiguration: {},
    QueueConfigurations: [
      { Id: 'q', QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:uploads', Events: ['s3:ObjectCreated:*'] },
    ],
  });
  s3.on(GetBucketReplicationCommand).resolves({
    ReplicationConfiguration: {
      Role: 'arn:aws:iam::123456789012:role/replication',
      Rules: [
        {
          ID: 'all',
          Status: 'Enabled',
          Priority: 1,
          Filter: {},
          Destination: { Bucket: 'arn:aws:s3:::media-dr' },
          DeleteMarkerReplication: { Status: 'Disabled' },
        },
      ],
    },
  });
  s3.on(GetObjectLockConfigurationCommand).resolves({
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' },
  });
  s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'team', Value: 'media' }] });
}

/** An object with metadata, checksums and tags, whose GETs serve `bytes` (ranges honoured). */
export function mockFullObject(s3: AnyStub, bytes: Uint8Array, head: Record<string, unknown> = {}): void {
  s3.on(HeadObjectCommand).resolves({
    ContentLength: bytes.length,
    ContentType: 'image/jpeg',
    ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
    LastModified: new Date('2024-05-01T10:00:00.000Z'),
    VersionId: 'v1',
    Metadata: { origin: 'camera' },
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
    ChecksumSHA256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
    SSECustomerAlgorithm: 'AES256',
    SSECustomerKeyMD5: 'c2VjcmV0LWtleS1tZDU=',
    ...head,
  });
  s3.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'album', Value: 'summer' }], VersionId: 'v1' });
  s3.on(GetObjectCommand).callsFake((input: { Range?: string }) => {
    const match = input.Range ? /^bytes=(\d+)-(\d+)$/.exec(input.Range) : null;
    const part = match ? bytes.subarray(Number(match[1]), Number(match[2]) + 1) : bytes;
    return { Body: streamBody(part), ContentLength: part.length };
  });
}

/** A local HTTP server standing in for a presigned `Code.Location` URL. */
export interface CodeServer {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startCodeServer(files: Record<string, Uint8Array>): Promise<CodeServer> {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const file = files[url.pathname];
    if (!file) {
      response.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': file.length });
    response.end(Buffer.from(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export const FUNCTION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'default',
  Statement: [
    {
      Sid: 'apigw',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails',
    },
  ],
});

/** A function without aliases, versions, policy, mappings, URL or reserved concurrency. */
export function mockBareFunctionParts(lambda: AnyStub): void {
  lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
  lambda.on(GetPolicyCommand).rejects(lambdaError('ResourceNotFoundException', 404));
  lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
  lambda.on(GetFunctionUrlConfigCommand).rejects(lambdaError('ResourceNotFoundException', 404));
  lambda.on(GetFunctionConcurrencyCommand).resolves({});
}

/**
 * A zip function `thumbnails` with a published version, an alias, a policy, an event source mapping, a
 * function URL, reserved concurrency and tags. `$LATEST` code is served at `/latest.zip`, version 1 at
 * `/v1.zip` on `baseUrl`.
 */
export function mockFullFunction(
  lambda: AnyStub,
  options: { baseUrl: string; latestZip: Uint8Array; versionZip: Uint8Array },
): void {
  const configuration: FunctionConfiguration = {
    FunctionName: 'thumbnails',
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails',
    Runtime: 'nodejs20.x',
    Role: 'arn:aws:iam::123456789012:role/thumbnails',
    Handler: 'index.handler',
    CodeSize: options.latestZip.length,
    Description: 'makes thumbnails',
    Timeout: 30,
    MemorySize: 512,
    LastModified: '2024-05-01T10:00:00.000+0000',
    CodeSha256: codeSha256(options.latestZip),
    Version: '$LATEST',
    Environment: { Variables: { DB_PASSWORD: 'hunter2', STAGE: 'prod' } },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: 'rev-latest',
    State: 'Active',
    StateReason: 'ok',
    StateReasonCode: 'Idle',
    LastUpdateStatus: 'Successful',
    LastUpdateStatusReason: 'done',
    LastUpdateStatusReasonCode: 'EniLimitExceeded',
    PackageType: 'Zip',
    Architectures: ['arm64'],
    EphemeralStorage: { Size: 512 },
  };
  const version1: FunctionConfiguration = {
    ...configuration,
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails:1',
    Version: '1',
    CodeSha256: codeSha256(options.versionZip),
    CodeSize: options.versionZip.length,
    RevisionId: 'rev-1',
  };
  lambda.on(GetFunctionCommand, { FunctionName: 'thumbnails' }).resolves({
    Configuration: configuration,
    Code: { RepositoryType: 'S3', Location: `${options.baseUrl}/latest.zip?X-Amz-Signature=secret` },
    Tags: { team: 'media' },
    Concurrency: { ReservedConcurrentExecutions: 5 },
  });
  // More specific stubs last: aws-sdk-client-mock uses the last matching one.
  lambda.on(GetFunctionCommand, { FunctionName: 'thumbnails', Qualifier: '1' }).resolves({
    Configuration: version1,
    Code: { RepositoryType: 'S3', Location: `${options.baseUrl}/v1.zip?X-Amz-Signature=secret` },
  });
  lambda
    .on(ListVersionsByFunctionCommand)
    .resolvesOnce({ Versions: [configuration], NextMarker: 'page-2' })
    .resolves({ Versions: [version1] });
  lambda.on(ListAliasesCommand).resolves({
    Aliases: [
      {
        AliasArn: `${configuration.FunctionArn}:live`,
        Name: 'live',
        FunctionVersion: '1',
        Description: 'live traffic',
        RevisionId: 'rev-alias',
      },
    ],
  });
  lambda.on(GetPolicyCommand).resolves({ Policy: FUNCTION_POLICY, RevisionId: 'rev-policy' });
  lambda.on(ListEventSourceMappingsCommand).resolves({
    EventSourceMappings: [
      {
        UUID: '14e0db71-5d35-4eb5-b481-8945cf9d10c2',
        BatchSize: 10,
        EventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:uploads',
        FunctionArn: configuration.FunctionArn,
        LastModified: new Date('2024-05-01T10:00:00.000Z'),
        LastProcessingResult: 'OK',
        State: 'Enabled',
        StateTransitionReason: 'USER_INITIATED',
      },
    ],
  });
  lambda.on(GetFunctionUrlConfigCommand).resolves({
    FunctionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
    FunctionArn: configuration.FunctionArn,
    AuthType: 'AWS_IAM',
    CreationTime: '2024-05-01T10:00:00.000Z',
    LastModifiedTime: '2024-05-01T10:00:00.000Z',
    InvokeMode: 'BUFFERED',
  });
  lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 5 });
}
