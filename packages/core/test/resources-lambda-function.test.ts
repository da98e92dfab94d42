import {
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { codeHash, functionFromRecord, lambdaFunction } from '../src/resources/lambda-function.js';
import { collect, createCaptureContext } from './support/capture-context.js';
import {
  type CodeServer,
  codeSha256,
  FUNCTION_POLICY,
  lambdaError,
  mockBareFunctionParts,
  mockFullFunction,
  sha256Hex,
  startCodeServer,
} from './support/resource-mocks.js';

const lambda = mockClient(LambdaClient);
const LATEST_ZIP = Buffer.from('PK\u0003\u0004 latest code');
const VERSION_ZIP = Buffer.from('PK\u0003\u0004 version one code');
let server: CodeServer;

beforeAll(async () => {
  server = await startCodeServer({ '/latest.zip': LATEST_ZIP, '/v1.zip': VERSION_ZIP });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  lambda.reset();
  server.requests.length = 0;
});

function arrangeFunction(): void {
  mockFullFunction(lambda, { baseUrl: server.url, latestZip: LATEST_ZIP, versionZip: VERSION_ZIP });
}

describe('lambdaFunction.list', () => {
  it('pages through ListFunctions and yields function names', async () => {
    // Arrange
    lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({ Functions: [{ FunctionName: 'a' }], NextMarker: 'm2' })
      .resolves({ Functions: [{ FunctionName: 'b' }] });
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(lambdaFunction.list(ctx, 'eu-west-1'));

    // Assert
    expect(listed).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(lambda).toHaveReceivedCommandWith(ListFunctionsCommand, { Marker: 'm2' });
  });
});

describe('lambdaFunction.describe', () => {
  it('assembles configuration, aliases, versions, policy, mappings, URL, concurrency and tags', async () => {
    // Arrange
    arrangeFunction();
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');

    // Assert
    expect(described.status).toBe('found');
    if (described.status !== 'found') return;
    expect(described.gaps).toBeUndefined();
    expect(described.raw).toMatchObject({
      Configuration: {
        FunctionName: 'thumbnails',
        Runtime: 'nodejs20.x',
        Environment: { Variables: { DB_PASSWORD: 'hunter2', STAGE: 'prod' } },
      },
      Code: { RepositoryType: 'S3' },
      Tags: { team: 'media' },
      Concurrency: { ReservedConcurrentExecutions: 5 },
      Aliases: [{ Name: 'live', FunctionVersion: '1' }],
      Policy: FUNCTION_POLICY,
      EventSourceMappings: [
        { UUID: '14e0db71-5d35-4eb5-b481-8945cf9d10c2', LastModified: '2024-05-01T10:00:00.000Z' },
      ],
      FunctionUrlConfig: { AuthType: 'AWS_IAM', InvokeMode: 'BUFFERED' },
    });
    const versions = described.raw.Versions as Array<Record<string, unknown>>;
    expect(versions.map((version) => version.Version)).toEqual(['1']);
    expect(versions[0]).not.toHaveProperty('Environment');
    expect(versions[0]).toMatchObject({ CodeSha256: codeSha256(VERSION_ZIP) });
  });

  it('never returns the presigned code URL', async () => {
    // Arrange
    arrangeFunction();
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');
    if (described.status !== 'found') throw new Error('expected found');
    const normalised = lambdaFunction.normalise(described.raw);

    // Assert
    for (const document of [described.raw, normalised]) {
      const text = JSON.stringify(document);
      expect(text).not.toContain('X-Amz-Signature');
      expect(text).not.toContain(server.url);
      expect(text).not.toContain('"Location"');
    }
  });

  it('stores $LATEST and version code zips, named code and code:<version>', async () => {
    // Arrange
    arrangeFunction();
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({
      status: 'found',
      blobs: { code: sha256Hex(LATEST_ZIP), 'code:1': sha256Hex(VERSION_ZIP) },
    });
    expect(ctx.content.blobs.get(sha256Hex(LATEST_ZIP))).toEqual(LATEST_ZIP);
    expect(server.requests.sort()).toEqual(['/latest.zip', '/v1.zip']);
    expect(ctx.counters.bytesDownloaded).toBe(LATEST_ZIP.length + VERSION_ZIP.length);
  });

  it('does not download code already stored (deduplicated by CodeSha256)', async () => {
    // Arrange
    arrangeFunction();
    const ctx = createCaptureContext();
    ctx.content.seed(LATEST_ZIP);
    ctx.content.seed(VERSION_ZIP);

    // Act
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({
      status: 'found',
      blobs: { code: sha256Hex(LATEST_ZIP), 'code:1': sha256Hex(VERSION_ZIP) },
    });
    expect(server.requests).toEqual([]);
    expect(lambda).toHaveReceivedCommandTimes(GetFunctionCommand, 1);
    expect(ctx.counters.bytesDownloaded).toBe(0);
  });

  it('normalises the policy and keys versions, aliases and mappings by their ids', async () => {
    // Arrange
    arrangeFunction();
    const ctx = createCaptureContext();
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');
    if (described.status !== 'found') throw new Error('expected found');

    // Act
    const normalised = lambdaFunction.normalise(described.raw);

    // Assert
    expect(normalised.Policy).toEqual(JSON.parse(FUNCTION_POLICY));
    expect(Object.keys(normalised.Versions as object)).toEqual(['1']);
    expect(Object.keys(normalised.Aliases as object)).toEqual(['live']);
    expect(Object.keys(normalised.EventSourceMappings as object)).toEqual([
      '14e0db71-5d35-4eb5-b481-8945cf9d10c2',
    ]);
  });

  it('declares the environment variables as secrets', () => {
    // Arrange
    const secretPaths = lambdaFunction.secrets;

    // Act
    const declared = secretPaths.includes('Configuration.Environment.Variables.*');

    // Assert
    expect(declared).toBe(true);
  });

  it('records an image function without a code blob', async () => {
    // Arrange
    mockBareFunctionParts(lambda);
    lambda.on(GetFunctionCommand).resolves({
      Configuration: {
        FunctionName: 'container',
        PackageType: 'Image',
        CodeSha256: codeSha256(Buffer.from('x')),
      },
      Code: { RepositoryType: 'ECR', ImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1' },
    });
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'container', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({
      status: 'found',
      raw: { Code: { ImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1' } },
    });
    expect(described.status === 'found' && described.blobs).toBeFalsy();
  });

  it('records an absent policy and function URL as null', async () => {
    // Arrange
    arrangeFunction();
    lambda.on(GetPolicyCommand).rejects(lambdaError('ResourceNotFoundException', 404));
    lambda.on(GetFunctionUrlConfigCommand).rejects(lambdaError('ResourceNotFoundException', 404));
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({ status: 'found', raw: { Policy: null, FunctionUrlConfig: null } });
    expect(described.status === 'found' && described.gaps).toBeFalsy();
  });

  it('says not-found when the function was deleted', async () => {
    // Arrange
    lambda.on(GetFunctionCommand).rejects(lambdaError('ResourceNotFoundException', 404));
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'gone', 'eu-west-1');

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });

  it('is a gap when GetFunction is denied', async () => {
    // Arrange
    lambda.on(GetFunctionCommand).rejects(lambdaError('AccessDeniedException', 403));
    const ctx = createCaptureContext();

    // Act
    const described = await lambdaFunction.describe(ctx, 'locked', 'eu-west-1');

    // Assert
    expect(described).toEqual({
      status: 'gap',
      gap: expect.objectContaining({
        kind: 'denied',
        operation: 'lambda:GetFunction',
        code: 'AccessDeniedException',
      }),
    });
  });

  it('marks tags unknown when GetFunction could not list them', async () => {
    // Arrange
    arrangeFunction();
    const ctx = createCaptureContext();
    ctx.content.seed(LATEST_ZIP);
    ctx.content.seed(VERSION_ZIP);
    lambda.on(GetFunctionCommand, { FunctionName: 'thumbnails' }).resolves({
      Configuration: { FunctionName: 'thumbnails', PackageType: 'Zip', CodeSha256: codeSha256(LATEST_ZIP) },
      TagsError: { ErrorCode: 'AccessDeniedException', Message: 'not allowed to lambda:ListTags' },
    });

    // Act
    const described = await lambdaFunction.describe(ctx, 'thumbnails', 'eu-west-1');

    // Assert
    expect(described).toMatchObject({
      status: 'found',
      raw: { Tags: { [UNKNOWN_MARKER]: 'AccessDeniedException' } },
      gaps: [expect.objectContaining({ kind: 'denied', operation: 'lambda:ListTags' })],
    });
  });

  it('records a gap when the code cannot be downloaded or does not match CodeSha256', async () => {
    // Arrange
    mockBareFunctionParts(lambda);
    lambda.on(GetFunctionCommand).resolves({
      Configuration: {
        FunctionName: 'broken',
        PackageType: 'Zip',
        CodeSha256: codeSha256(Buffer.from('other')),
      },
      Code: { Location: `${server.url}/latest.zip?X-Amz-Signature=secret` },
    });
    lambda.on(GetFunctionCommand, { FunctionName: 'missing' }).resolves({
      Configuration: {
        FunctionName: 'missing',
        PackageType: 'Zip',
        CodeSha256: codeSha256(Buffer.from('x')),
      },
      Code: { Location: `${server.url}/nothing.zip?X-Amz-Signature=secret` },
    });
    const ctx = createCaptureContext();

    // Act
    const mismatched = await lambdaFunction.describe(ctx, 'broken', 'eu-west-1');
    const missing = await lambdaFunction.describe(ctx, 'missing', 'eu-west-1');

    // Assert
    expect(mismatched).toMatchObject({
      status: 'found',
      gaps: [expect.objectContaining({ code: 'ContentMismatchError' })],
    });
    expect(missing).toMatchObject({ status: 'found', gaps: [expect.objectContaining({ code: 'HTTP403' })] });
    expect(mismatched.status === 'found' && mismatched.blobs).toBeFalsy();
    expect(JSON.stringify([mismatched, missing])).not.toContain('X-Amz-Signature');
    expect(ctx.content.blobs.size).toBe(0);
  });
});

describe('codeHash', () => {
  it('turns a base64 CodeSha256 into the hex sha256 of the zip', () => {
    // Arrange
    const zip = Buffer.from('zip bytes');

    // Act
    const hash = codeHash(codeSha256(zip));

    // Assert
    expect(hash).toBe(sha256Hex(zip));
  });
});

describe('functionFromRecord', () => {
  it('accepts names, qualified names, full and partial ARNs, and response elements', () => {
    // Arrange
    const records = [
      { requestParameters: { functionName: 'thumbnails' } },
      { requestParameters: { functionName: 'thumbnails:live' } },
      { requestParameters: { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails:3' } },
      { requestParameters: { functionName: '123456789012:function:thumbnails' } },
      {
        requestParameters: { uUID: 'x' },
        responseElements: { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails' },
      },
      { requestParameters: { resource: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails' } },
      {
        responseElements: {
          functionName: 'thumbnails',
          functionArn: 'arn:aws:lambda:eu-west-1:1:function:thumbnails',
        },
      },
    ];

    // Act
    const ids = records.map((record) => functionFromRecord(record));

    // Assert
    expect(ids).toEqual(records.map(() => ['thumbnails']));
  });

  it('names nothing for another resource ARN or an empty name', () => {
    // Arrange
    const records = [
      { requestParameters: { resource: 'arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:abc' } },
      { requestParameters: { functionName: '' } },
      { requestParameters: null },
    ];

    // Act
    const ids = records.map((record) => functionFromRecord(record));

    // Assert
    expect(ids).toEqual([[], [], []]);
  });
});
