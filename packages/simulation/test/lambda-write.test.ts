import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEDIA_BUCKET, SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

/** A stored (uncompressed) zip of one file with a fixed time: the same 192 bytes on every run. */
const RESTORED_ZIP = zipSync(
  {
    'index.mjs': [
      strToU8('export const handler = async () => ({ statusCode: 200, body: "restored" });\n'),
      { mtime: new Date('2024-06-01T00:00:00Z') },
    ],
  },
  { level: 0, mtime: new Date('2024-06-01T00:00:00Z') },
);
const RESTORED_SHA256 = 's4z3ImhQCB72kas4WzZyZ9y2Hdmwi/nO2ibO3YYxplc=';

let account: SimulatedAccount;
let lambda: LambdaClient;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  lambda = new LambdaClient({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

describe('simulated Lambda UpdateFunctionCode', () => {
  it('deploys the zip: GetFunction reports its CodeSha256 and its Code.Location serves its bytes', async () => {
    // Act
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'image-resizer', ZipFile: RESTORED_ZIP }),
    );
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'image-resizer' }));
    const download = await fetch(fn.Code?.Location ?? '');

    // Assert
    expect(updated).toMatchObject({
      CodeSha256: RESTORED_SHA256,
      CodeSize: 192,
      LastUpdateStatus: 'InProgress',
      Version: '$LATEST',
    });
    expect(fn.Configuration).toMatchObject({
      CodeSha256: RESTORED_SHA256,
      CodeSize: 192,
      LastUpdateStatus: 'Successful',
    });
    expect(fn.Configuration?.LastUpdateStatusReasonCode).toBeUndefined();
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(RESTORED_ZIP);
  });

  it('deploys a package stored in S3, and relays S3’s NoSuchKey for a missing one', async () => {
    // Arrange
    account.putObject(MEDIA_BUCKET, 'deploy/image-resizer.zip', RESTORED_ZIP);

    // Act
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'image-resizer',
        S3Bucket: MEDIA_BUCKET,
        S3Key: 'deploy/image-resizer.zip',
      }),
    );
    const missing = await failure(
      lambda.send(
        new UpdateFunctionCodeCommand({
          FunctionName: 'image-resizer',
          S3Bucket: MEDIA_BUCKET,
          S3Key: 'deploy/missing.zip',
        }),
      ),
    );

    // Assert
    expect(updated.CodeSha256).toBe(RESTORED_SHA256);
    expect(missing).toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    });
  });

  it('publishes the next version when asked, leaving the earlier ones as they were', async () => {
    // Act
    const published = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'booking-handler',
        ZipFile: RESTORED_ZIP,
        Publish: true,
      }),
    );
    const versions = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'booking-handler' }),
    );

    // Assert
    expect(published).toMatchObject({
      Version: '3',
      FunctionArn: `${FUNCTION_ARN}:booking-handler:3`,
      CodeSha256: RESTORED_SHA256,
    });
    expect(
      versions.Versions?.map((version) => [version.Version, version.CodeSha256 === RESTORED_SHA256]),
    ).toEqual([
      ['$LATEST', true],
      ['1', false],
      ['2', false],
      ['3', true],
    ]);
  });

  it('refuses bytes that are not a zip, and changes nothing', async () => {
    // Arrange
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'image-resizer' }));

    // Act
    const error = await failure(
      lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'image-resizer', ZipFile: strToU8('not a zip') }),
      ),
    );
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'image-resizer' }));

    // Assert
    expect(error).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(after.CodeSha256).toBe(before.CodeSha256);
    expect(after.RevisionId).toBe(before.RevisionId);
  });

  it('records the update in CloudTrail with the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'image-resizer', ZipFile: RESTORED_ZIP }),
    );

    // Assert
    const [record] = cloudTrailRecordsSince(account, before);
    expect(record).toMatchObject({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionCode20150331v2',
      requestParameters: { functionName: `${FUNCTION_ARN}:image-resizer`, publish: false },
      responseElements: { codeSha256: RESTORED_SHA256 },
    });
    expect(record?.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });

  it('answers AccessDeniedException when the caller may not update code', async () => {
    // Arrange
    account.deny('lambda:UpdateFunctionCode');

    // Act
    const error = await failure(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'image-resizer', ZipFile: RESTORED_ZIP })),
    );

    // Assert
    expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });
});

describe('simulated Lambda UpdateFunctionConfiguration', () => {
  it('sets what it is given, so that GetFunctionConfiguration reads it back, the variables map replaced whole', async () => {
    // Act
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'email-sender',
        Description: 'Sends booking confirmations (restored)',
        Handler: 'app.handler',
        MemorySize: 256,
        Timeout: 20,
        Runtime: 'python3.13',
        Role: 'arn:aws:iam::123456789012:role/email-sender-restored',
        Environment: { Variables: { SES_FROM: 'hello@queenofsandiego.com' } },
        EphemeralStorage: { Size: 1024 },
        TracingConfig: { Mode: 'Active' },
        KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/2f1c3d7e-0b9a-4c1e-9d5f-6a7b8c9d0e1f',
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO' },
      }),
    );
    const read = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'email-sender' }));

    // Assert
    expect(updated).toMatchObject({ LastUpdateStatus: 'InProgress', RevisionId: read.RevisionId });
    expect(read).toMatchObject({
      Description: 'Sends booking confirmations (restored)',
      Handler: 'app.handler',
      MemorySize: 256,
      Timeout: 20,
      Runtime: 'python3.13',
      Role: 'arn:aws:iam::123456789012:role/email-sender-restored',
      Environment: { Variables: { SES_FROM: 'hello@queenofsandiego.com' } },
      EphemeralStorage: { Size: 1024 },
      TracingConfig: { Mode: 'Active' },
      KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/2f1c3d7e-0b9a-4c1e-9d5f-6a7b8c9d0e1f',
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'WARN',
        SystemLogLevel: 'INFO',
        LogGroup: '/aws/lambda/email-sender',
      },
    });
    expect(Object.keys(read.Environment?.Variables ?? {})).toEqual(['SES_FROM']);
  });

  it('takes layers the account has and removes the environment given an empty map', async () => {
    // Arrange
    const layer = 'arn:aws:lambda:us-east-1:123456789012:layer:sharp-nodejs20:4';

    // Act
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'booking-handler',
        Layers: [layer],
        Environment: { Variables: {} },
      }),
    );
    const read = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'booking-handler' }));

    // Assert
    expect(read.Layers).toEqual([{ Arn: layer, CodeSize: 9_876_543 }]);
    expect(read.Environment).toBeUndefined();
  });

  it('refuses a stale RevisionId with PreconditionFailedException and keeps the configuration', async () => {
    // Arrange
    const { RevisionId: stale } = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'booking-handler' }),
    );
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'booking-handler',
        MemorySize: 512,
        RevisionId: stale,
      }),
    );

    // Act
    const error = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'booking-handler',
          MemorySize: 1024,
          RevisionId: stale,
        }),
      ),
    );
    const read = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'booking-handler' }));

    // Assert
    expect(error).toMatchObject({
      name: 'PreconditionFailedException',
      message:
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      $metadata: { httpStatusCode: 412 },
    });
    expect(read.MemorySize).toBe(512);
  });

  it('answers ValidationException naming every value out of range', async () => {
    // Act
    const error = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'booking-handler',
          MemorySize: 64,
          Timeout: 901,
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128; Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers InvalidParameterValueException for reserved variables and unknown layers', async () => {
    // Act
    const reserved = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'booking-handler',
          Environment: { Variables: { TABLE_NAME: 'bookings', AWS_REGION: 'us-west-2' } },
        }),
      ),
    );
    const layer = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'booking-handler',
          Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:missing:1'],
        }),
      ),
    );

    // Assert
    expect(reserved).toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION',
      $metadata: { httpStatusCode: 400 },
    });
    expect(layer).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Layer version arn:aws:lambda:us-east-1:123456789012:layer:missing:1 does not exist.',
    });
  });

  it('records the change with the caller’s user agent and without the variables’ values', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'email-sender',
        Timeout: 30,
        Environment: { Variables: { SMTP_PASSWORD: 'do-not-record-me' } },
      }),
    );

    // Assert
    const [record] = cloudTrailRecordsSince(account, before);
    expect(record).toMatchObject({
      eventName: 'UpdateFunctionConfiguration20150331v2',
      requestParameters: { functionName: 'email-sender', timeout: 30, environment: {} },
      responseElements: { timeout: 30, environment: {} },
    });
    expect(record?.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
    expect(JSON.stringify(record)).not.toContain('do-not-record-me');
  });
});

describe('simulated Lambda CreateFunction', () => {
  it('re-creates a deleted function, which GetFunction then describes', async () => {
    // Arrange
    account.deleteFunction('email-sender');
    const before = account.events().length;

    // Act
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'email-sender',
        Runtime: 'python3.12',
        Role: 'arn:aws:iam::123456789012:role/email-sender-role',
        Handler: 'app.lambda_handler',
        Code: { ZipFile: RESTORED_ZIP },
        Timeout: 10,
        Environment: { Variables: { SES_FROM: 'bookings@queenofsandiego.com' } },
        Tags: { app: 'queenofsandiego' },
      }),
    );
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'email-sender' }));

    // Assert
    expect(created).toMatchObject({
      $metadata: { httpStatusCode: 201 },
      FunctionArn: `${FUNCTION_ARN}:email-sender`,
      State: 'Pending',
      StateReasonCode: 'Creating',
      CodeSha256: RESTORED_SHA256,
      MemorySize: 128,
    });
    expect(fn.Configuration).toMatchObject({
      Runtime: 'python3.12',
      Handler: 'app.lambda_handler',
      Timeout: 10,
      State: 'Active',
      Environment: { Variables: { SES_FROM: 'bookings@queenofsandiego.com' } },
    });
    expect(fn.Tags).toEqual({ app: 'queenofsandiego' });
    const [record] = cloudTrailRecordsSince(account, before);
    expect(record).toMatchObject({
      eventName: 'CreateFunction20150331',
      requestParameters: { functionName: 'email-sender', code: {}, environment: {} },
    });
    expect(record?.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });

  it('answers ResourceConflictException for a function that exists', async () => {
    // Act
    const error = await failure(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'image-resizer',
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::123456789012:role/image-resizer-role',
          Handler: 'index.handler',
          Code: { ZipFile: RESTORED_ZIP },
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'ResourceConflictException',
      message: 'Function already exist: image-resizer',
      $metadata: { httpStatusCode: 409 },
    });
  });
});

describe('simulated Lambda tags and concurrency', () => {
  it('tags and untags a function named by its ARN', async () => {
    // Arrange
    const Resource = `${FUNCTION_ARN}:image-resizer`;

    // Act
    const tagged = await lambda.send(
      new TagResourceCommand({ Resource, Tags: { env: 'prod', owner: 'jada' } }),
    );
    await lambda.send(new UntagResourceCommand({ Resource, TagKeys: ['app'] }));
    const { Tags } = await lambda.send(new ListTagsCommand({ Resource }));

    // Assert
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect(Tags).toEqual({ env: 'prod', owner: 'jada' });
  });

  it('reserves and frees concurrency, refusing to leave under 100 unreserved', async () => {
    // Act
    const put = await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'email-sender', ReservedConcurrentExecutions: 5 }),
    );
    const reserved = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'email-sender' }));
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'email-sender' }));
    const freed = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'email-sender' }));
    // booking-handler reserves 20 of the account's 1000.
    const tooMuch = await failure(
      lambda.send(
        new PutFunctionConcurrencyCommand({
          FunctionName: 'email-sender',
          ReservedConcurrentExecutions: 881,
        }),
      ),
    );

    // Assert
    expect(put.ReservedConcurrentExecutions).toBe(5);
    expect(reserved.ReservedConcurrentExecutions).toBe(5);
    expect(freed.ReservedConcurrentExecutions).toBeUndefined();
    expect(tooMuch).toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
  });
});
