import {
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventBridgeApiCallEnvelope, SimulatedAccount, type SimulatedEvent } from '../src/index.js';
import { failure } from './support/failure.js';

const ACCOUNT = '123456789012';
const SITE_PUBLISH = `arn:aws:iam::${ACCOUNT}:policy/site-publish`;

function records(events: SimulatedEvent[]) {
  return events.map((event) => (event as EventBridgeApiCallEnvelope).detail);
}

describe('simulated IAM', () => {
  let account: SimulatedAccount;
  const iam = new IAMClient({ region: 'us-east-1', maxAttempts: 1 });
  const clock = new Date('2024-06-03T09:15:42.000Z');

  beforeAll(async () => {
    account = await SimulatedAccount.start({ scale: { iamRoles: 3 }, now: () => clock });
  });

  afterAll(() => account.stop());

  it('pages ListRoles with Marker and IsTruncated, the Marker given only while truncated', async () => {
    // Act
    const first = await iam.send(new ListRolesCommand({ MaxItems: 5 }));
    const second = await iam.send(new ListRolesCommand({ MaxItems: 5, Marker: first.Marker }));

    // Assert
    expect(first.Roles?.map((role) => role.RoleName)).toEqual([
      'AWSServiceRoleForSupport',
      'TidemarkCapture',
      'app-role-0001',
      'app-role-0002',
      'app-role-0003',
    ]);
    expect(first.IsTruncated).toBe(true);
    expect(second.Roles?.map((role) => role.RoleName)).toEqual([
      'booking-handler-role',
      'email-sender-role',
      'github-deploy',
      'image-resizer-role',
    ]);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
    expect(first.Roles?.[1]).not.toHaveProperty('RoleLastUsed');
  });

  it('rejects MaxItems out of range and a Marker it did not issue with ValidationError', async () => {
    // Act
    const tooMany = await failure(iam.send(new ListRolesCommand({ MaxItems: 1001 })));
    const badMarker = await failure(iam.send(new ListRolesCommand({ Marker: 'not-a-marker' })));

    // Assert
    expect([tooMany.name, tooMany.$metadata.httpStatusCode]).toEqual(['ValidationError', 400]);
    expect(badMarker.message).toBe('Invalid Marker.');
  });

  it('returns trust and inline policy documents URL-encoded, as IAM does', async () => {
    // Act
    const role = await iam.send(new GetRoleCommand({ RoleName: 'email-sender-role' }));
    const inline = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'email-sender-role', PolicyName: 'data-access' }),
    );

    // Assert
    expect(role.Role?.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22%3A%222012-10-17%22/);
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? ''))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/queenofsandiego.com`,
        },
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:DescribeStream',
            'dynamodb:ListStreams',
          ],
          Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/bookings/stream/2024-02-11T09:15:42.137`,
        },
      ],
    });
  });

  it("holds the role each Lambda function runs as, and the caller's own role", async () => {
    // Arrange
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'booking-handler' }));

    // Act
    const role = await iam.send(new GetRoleCommand({ RoleName: 'booking-handler-role' }));
    const capture = await iam.send(new GetRoleCommand({ RoleName: 'TidemarkCapture' }));

    // Assert
    expect(role.Role?.Arn).toBe(fn.Role);
    expect(capture.Role?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/TidemarkCapture`);
  });

  it('counts every call by service and IAM action, and every fault by code', async () => {
    // Arrange
    account.resetCallCounts();

    // Act
    await failure(iam.send(new GetLoginProfileCommand({ UserName: 'deploy-bot' })));
    await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }));

    // Assert
    expect(account.callCountsByService()).toEqual({ iam: 2 });
    expect(account.callCountsByAction()).toEqual({ 'iam:GetLoginProfile': 2 });
    expect(account.faultCounts()).toEqual({ 'iam:NoSuchEntity': 1 });
  });

  it('answers a missing entity with NoSuchEntityException, HTTP 404', async () => {
    // Act
    const error = await failure(iam.send(new GetLoginProfileCommand({ UserName: 'deploy-bot' })));

    // Assert
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe('Login Profile for User deploy-bot cannot be found.');
  });

  it('asks for a user name when the caller is a role', async () => {
    const error = await failure(iam.send(new GetUserCommand({})));

    expect([error.name, error.message]).toEqual([
      'ValidationError',
      'Must specify userName when calling with non-User credentials',
    ]);
  });

  it('lists policy versions newest first and returns each document URL-encoded', async () => {
    // Act
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: SITE_PUBLISH }));
    const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: SITE_PUBLISH, VersionId: 'v1' }));

    // Assert
    expect(versions.Versions?.map((version) => [version.VersionId, version.IsDefaultVersion])).toEqual([
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ]);
    expect(decodeURIComponent(v1.PolicyVersion?.Document ?? '')).toContain('"Action":"s3:PutObject"');
  });

  it('fails loudly for a listing of AWS managed policies, which it does not hold', async () => {
    await expect(iam.send(new ListPoliciesCommand({ Scope: 'AWS' }))).rejects.toThrow(
      "lists customer managed policies only (Scope 'Local'), received AWS",
    );
  });

  it('answers only at the global endpoint (us-east-1)', async () => {
    // Arrange
    const west = new IAMClient({ region: 'eu-west-1', maxAttempts: 1 });

    // Act
    const error = await failure(west.send(new GetAccountPasswordPolicyCommand({})));

    // Assert
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
  });

  it('answers a denied call with AccessDenied, HTTP 403, and a throttled one with Throttling, HTTP 400', async () => {
    // Arrange
    account.deny('iam:GetRole', 'github-deploy');
    account.throttle('iam:GetRolePolicy', 1);

    // Act
    const denied = await failure(iam.send(new GetRoleCommand({ RoleName: 'github-deploy' })));
    const throttled = await failure(
      iam.send(new GetRolePolicyCommand({ RoleName: 'TidemarkCapture', PolicyName: 'capture-read' })),
    );

    // Assert
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain('is not authorized to perform: iam:GetRole');
    expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(['Throttling', 400]);
  });

  it('records CreateUser as IAM does: us-east-1, the new user in responseElements', () => {
    // Act
    const [record] = records(account.iam.createUser('carol'));

    // Assert
    expect(record).toMatchObject({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      requestParameters: { userName: 'carol' },
      responseElements: {
        user: {
          path: '/',
          userName: 'carol',
          arn: `arn:aws:iam::${ACCOUNT}:user/carol`,
          createDate: 'Jun 3, 2024, 9:15:42 AM',
        },
      },
    });
  });

  it('keeps at most five policy versions, and never lets the console delete a service-linked role', () => {
    // Act
    account.iam.createPolicyVersion(SITE_PUBLISH, { Version: '2012-10-17', Statement: [] }, false);
    account.iam.createPolicyVersion(SITE_PUBLISH, { Version: '2012-10-17', Statement: [] }, false);

    // Assert
    expect(() => account.iam.createPolicyVersion(SITE_PUBLISH, '{}', true)).toThrow('already has 5 versions');
    expect(() => account.iam.deleteRole('AWSServiceRoleForSupport')).toThrow('is service-linked');
  });
});
