import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

const ACCOUNT = '123456789012';
const SITE_PUBLISH = `arn:aws:iam::${ACCOUNT}:policy/site-publish`;
const BOOKING_DATA = `arn:aws:iam::${ACCOUNT}:policy/booking-data`;
const LAMBDA_BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const REFUNDS =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*"}]}';
const EC2_TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

let account: SimulatedAccount;
let iam: IAMClient;

beforeEach(async () => {
  account = await SimulatedAccount.start({ now: () => new Date('2024-06-03T09:15:42.000Z') });
  iam = new IAMClient({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

async function roleTags(RoleName: string) {
  return (await iam.send(new GetRoleCommand({ RoleName }))).Role?.Tags;
}

describe('simulated IAM role writes', () => {
  it('puts an inline policy that GetRolePolicy then returns URL-encoded, and deletes it', async () => {
    // Act
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'booking-handler-role',
        PolicyName: 'refunds',
        PolicyDocument: REFUNDS,
      }),
    );
    const put = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyName: 'refunds' }),
    );
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyName: 'refunds' }));
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: 'booking-handler-role' }));

    // Assert
    expect(put.PolicyDocument).toBe(encodeURIComponent(REFUNDS));
    expect(names.PolicyNames).toEqual(['data-access']);
  });

  it('answers NoSuchEntity for an inline policy the role does not have, and MalformedPolicyDocument for bad JSON', async () => {
    // Act
    const missing = await failure(
      iam.send(new DeleteRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyName: 'refunds' })),
    );
    const malformed = await failure(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'booking-handler-role',
          PolicyName: 'refunds',
          PolicyDocument: '{"Version":',
        }),
      ),
    );

    // Assert
    expect([missing.name, missing.$metadata.httpStatusCode, missing.message]).toEqual([
      'NoSuchEntityException',
      404,
      'The role policy with name refunds cannot be found.',
    ]);
    expect([malformed.name, malformed.$metadata.httpStatusCode, malformed.message]).toEqual([
      'MalformedPolicyDocumentException',
      400,
      'Syntax errors in policy.',
    ]);
  });

  it('attaches and detaches managed policies, refusing a policy that does not exist or is not attached', async () => {
    // Act
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyArn: BOOKING_DATA }),
    );
    await iam.send(
      new DetachRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyArn: LAMBDA_BASIC }),
    );
    const attached = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'booking-handler-role' }),
    );
    const unknown = await failure(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'booking-handler-role',
          PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/no-such-policy`,
        }),
      ),
    );
    const notAttached = await failure(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyArn: SITE_PUBLISH })),
    );

    // Assert
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'booking-data', PolicyArn: BOOKING_DATA }]);
    expect(unknown.message).toBe(
      `Policy arn:aws:iam::${ACCOUNT}:policy/no-such-policy does not exist or is not attachable.`,
    );
    expect([notAttached.name, notAttached.message]).toEqual([
      'NoSuchEntityException',
      `Policy ${SITE_PUBLISH} was not found.`,
    ]);
  });

  it('refuses an eleventh managed policy with LimitExceeded, HTTP 409', async () => {
    // Arrange
    for (let n = 1; n <= 9; n++)
      await iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'booking-handler-role',
          PolicyArn: `arn:aws:iam::aws:policy/Policy${n}`,
        }),
      );

    // Act
    const error = await failure(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'booking-handler-role', PolicyArn: BOOKING_DATA })),
    );

    // Assert
    expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
      'LimitExceededException',
      409,
      'Cannot exceed quota for PoliciesPerRole: 10.',
    ]);
  });

  it('replaces the trust policy, description and session duration; an empty description removes it', async () => {
    // Act
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'github-deploy', PolicyDocument: EC2_TRUST }),
    );
    await iam.send(
      new UpdateRoleCommand({ RoleName: 'github-deploy', Description: 'Deploys', MaxSessionDuration: 7200 }),
    );
    const updated = (await iam.send(new GetRoleCommand({ RoleName: 'github-deploy' }))).Role;
    await iam.send(new UpdateRoleCommand({ RoleName: 'github-deploy', Description: '' }));
    const cleared = (await iam.send(new GetRoleCommand({ RoleName: 'github-deploy' }))).Role;

    // Assert
    expect(updated).toMatchObject({
      AssumeRolePolicyDocument: encodeURIComponent(EC2_TRUST),
      Description: 'Deploys',
      MaxSessionDuration: 7200,
    });
    expect(cleared).not.toHaveProperty('Description');
    expect(cleared?.MaxSessionDuration).toBe(7200);
  });

  it('refuses a session duration over twelve hours with ValidationError', async () => {
    // Act
    const error = await failure(
      iam.send(new UpdateRoleCommand({ RoleName: 'github-deploy', MaxSessionDuration: 50_000 })),
    );

    // Assert
    expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ]);
  });

  it('removes and puts back a permissions boundary', async () => {
    // Act
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'github-deploy' }));
    const removed = (await iam.send(new GetRoleCommand({ RoleName: 'github-deploy' }))).Role;
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: 'github-deploy', PermissionsBoundary: BOOKING_DATA }),
    );
    const put = (await iam.send(new GetRoleCommand({ RoleName: 'github-deploy' }))).Role;

    // Assert
    expect(removed).not.toHaveProperty('PermissionsBoundary');
    expect(put?.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: BOOKING_DATA,
    });
  });

  it('adds, replaces and removes tags', async () => {
    // Act
    await iam.send(
      new TagRoleCommand({
        RoleName: 'github-deploy',
        Tags: [
          { Key: 'purpose', Value: 'deploys' },
          { Key: 'owner', Value: 'jada' },
        ],
      }),
    );
    const tagged = await roleTags('github-deploy');
    await iam.send(new UntagRoleCommand({ RoleName: 'github-deploy', TagKeys: ['purpose', 'absent'] }));

    // Assert
    expect(tagged).toEqual([
      { Key: 'purpose', Value: 'deploys' },
      { Key: 'owner', Value: 'jada' },
    ]);
    expect(await roleTags('github-deploy')).toEqual([{ Key: 'owner', Value: 'jada' }]);
  });

  it('creates a role with a new AROA id, and refuses a name already taken with EntityAlreadyExists', async () => {
    // Act
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'report-runner',
        Path: '/jobs/',
        AssumeRolePolicyDocument: EC2_TRUST,
        Description: 'Runs the nightly report',
        Tags: [{ Key: 'team', Value: 'operations' }],
      }),
    );
    const read = (await iam.send(new GetRoleCommand({ RoleName: 'report-runner' }))).Role;
    const again = await failure(
      iam.send(new CreateRoleCommand({ RoleName: 'report-runner', AssumeRolePolicyDocument: EC2_TRUST })),
    );

    // Assert
    expect(Role).toMatchObject({
      RoleName: 'report-runner',
      Path: '/jobs/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/jobs/report-runner`,
      CreateDate: new Date('2024-06-03T09:15:42.000Z'),
      Tags: [{ Key: 'team', Value: 'operations' }],
    });
    expect(Role?.RoleId).toMatch(/^AROA[0-9A-Z]{17}$/);
    expect(read).toMatchObject({
      RoleId: Role?.RoleId,
      Description: 'Runs the nightly report',
      MaxSessionDuration: 3600,
    });
    expect([again.name, again.$metadata.httpStatusCode, again.message]).toEqual([
      'EntityAlreadyExistsException',
      409,
      'Role with name report-runner already exists.',
    ]);
  });

  it('refuses to change a service-linked role with UnmodifiableEntity', async () => {
    // Act
    const error = await failure(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'AWSServiceRoleForSupport',
          PolicyName: 'extra',
          PolicyDocument: REFUNDS,
        }),
      ),
    );

    // Assert
    expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
      'UnmodifiableEntityException',
      400,
      "Cannot perform the operation on the protected role 'AWSServiceRoleForSupport' - this role is only modifiable by AWS",
    ]);
  });

  it('answers AccessDenied when the caller may not write, and changes nothing', async () => {
    // Arrange
    account.deny('iam:UpdateAssumeRolePolicy');

    // Act
    const error = await failure(
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'github-deploy', PolicyDocument: EC2_TRUST })),
    );

    // Assert
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(
      (await iam.send(new GetRoleCommand({ RoleName: 'github-deploy' }))).Role?.AssumeRolePolicyDocument,
    ).not.toBe(encodeURIComponent(EC2_TRUST));
  });

  it('records each write in CloudTrail as IAM does, with the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'booking-handler-role',
        PolicyName: 'refunds',
        PolicyDocument: REFUNDS,
      }),
    );
    await iam.send(
      new TagRoleCommand({ RoleName: 'booking-handler-role', Tags: [{ Key: 'app', Value: 'bookings' }] }),
    );
    await iam.send(new CreateRoleCommand({ RoleName: 'report-runner', AssumeRolePolicyDocument: EC2_TRUST }));

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'iam.amazonaws.com',
        eventName: 'PutRolePolicy',
        awsRegion: 'us-east-1',
        requestParameters: {
          roleName: 'booking-handler-role',
          policyName: 'refunds',
          policyDocument: REFUNDS,
        },
        responseElements: null,
      },
      {
        eventName: 'TagRole',
        requestParameters: { roleName: 'booking-handler-role', tags: [{ key: 'app', value: 'bookings' }] },
      },
      {
        eventName: 'CreateRole',
        requestParameters: { roleName: 'report-runner', assumeRolePolicyDocument: EC2_TRUST },
        responseElements: {
          role: {
            path: '/',
            roleName: 'report-runner',
            arn: `arn:aws:iam::${ACCOUNT}:role/report-runner`,
            createDate: 'Jun 3, 2024, 9:15:42 AM',
          },
        },
      },
    ]);
    for (const record of records) expect(record.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });
});

describe('simulated IAM user and group writes', () => {
  it('creates a user with tags, gives it an inline policy and tags it again', async () => {
    // Act
    const { User } = await iam.send(
      new CreateUserCommand({ UserName: 'carol', Path: '/staff/', Tags: [{ Key: 'team', Value: 'ops' }] }),
    );
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'refunds', PolicyDocument: REFUNDS }),
    );
    await iam.send(new TagUserCommand({ UserName: 'carol', Tags: [{ Key: 'team', Value: 'bookings' }] }));
    const read = (await iam.send(new GetUserCommand({ UserName: 'carol' }))).User;
    const policy = await iam.send(new GetUserPolicyCommand({ UserName: 'carol', PolicyName: 'refunds' }));

    // Assert
    expect(User?.UserId).toMatch(/^AIDA[0-9A-Z]{17}$/);
    expect(read).toMatchObject({ Path: '/staff/', Tags: [{ Key: 'team', Value: 'bookings' }] });
    expect(decodeURIComponent(policy.PolicyDocument ?? '')).toBe(REFUNDS);
  });

  it('adds a user to a group and removes it; removing a non-member is NoSuchEntity', async () => {
    // Act
    await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
    const joined = await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
    const left = await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }));
    const error = await failure(
      iam.send(new RemoveUserFromGroupCommand({ GroupName: 'admins', UserName: 'alice' })),
    );

    // Assert
    expect(joined.Groups?.map((group) => group.GroupName)).toEqual(['admins', 'developers']);
    expect(left.Groups?.map((group) => group.GroupName)).toEqual(['developers']);
    expect([error.name, error.message]).toEqual([
      'NoSuchEntityException',
      'The user with name alice cannot be found.',
    ]);
  });

  it('creates a group with policies that its reads return', async () => {
    // Act
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'support' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'support', PolicyArn: BOOKING_DATA }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'support', UserName: 'bob' }));
    const members = await iam.send(new GetGroupCommand({ GroupName: 'support' }));
    const attached = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'support' }));
    const missing = await failure(
      iam.send(new GetGroupPolicyCommand({ GroupName: 'support', PolicyName: 'x' })),
    );

    // Assert
    expect(Group?.GroupId).toMatch(/^AGPA[0-9A-Z]{17}$/);
    expect(members.Users?.map((user) => user.UserName)).toEqual(['bob']);
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'booking-data', PolicyArn: BOOKING_DATA }]);
    expect(missing.name).toBe('NoSuchEntityException');
  });
});

describe('simulated IAM managed policy writes', () => {
  const NEW_DOCUMENT =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}';

  it('creates a default version, keeps at most five and never deletes the default one', async () => {
    // Act
    const { PolicyVersion } = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: SITE_PUBLISH,
        PolicyDocument: NEW_DOCUMENT,
        SetAsDefault: true,
      }),
    );
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: SITE_PUBLISH, PolicyDocument: NEW_DOCUMENT }));
    const sixth = await failure(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: SITE_PUBLISH, PolicyDocument: NEW_DOCUMENT })),
    );
    const defaultDeleted = await failure(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: SITE_PUBLISH, VersionId: 'v4' })),
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: SITE_PUBLISH, VersionId: 'v1' }));
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: SITE_PUBLISH }));
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: SITE_PUBLISH }));

    // Assert
    expect(PolicyVersion).toEqual({
      VersionId: 'v4',
      IsDefaultVersion: true,
      CreateDate: new Date('2024-06-03T09:15:42.000Z'),
    });
    expect([sixth.name, sixth.$metadata.httpStatusCode, sixth.message]).toEqual([
      'LimitExceededException',
      409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    ]);
    expect([defaultDeleted.name, defaultDeleted.$metadata.httpStatusCode, defaultDeleted.message]).toEqual([
      'DeleteConflictException',
      409,
      'Cannot delete the default version of a policy.',
    ]);
    expect(versions.Versions?.map((version) => version.VersionId)).toEqual(['v5', 'v4', 'v3', 'v2']);
    expect(policy.Policy?.DefaultVersionId).toBe('v4');
  });

  it('sets an older version as the default again', async () => {
    // Act
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: SITE_PUBLISH, VersionId: 'v2' }));
    const v2 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: SITE_PUBLISH, VersionId: 'v2' }));
    const missing = await failure(
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: SITE_PUBLISH, VersionId: 'v9' })),
    );

    // Assert
    expect(v2.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(missing.message).toBe(`Policy ${SITE_PUBLISH} version v9 does not exist or is not attachable.`);
  });

  it('creates a policy whose v1 is its default, and tags and untags it', async () => {
    // Act
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'deny-s3', PolicyDocument: NEW_DOCUMENT, Description: 'No S3' }),
    );
    await iam.send(new TagPolicyCommand({ PolicyArn: Policy?.Arn, Tags: [{ Key: 'app', Value: 'x' }] }));
    await iam.send(new UntagPolicyCommand({ PolicyArn: SITE_PUBLISH, TagKeys: ['app'] }));
    const created = await iam.send(new GetPolicyCommand({ PolicyArn: Policy?.Arn }));
    const untagged = await iam.send(new GetPolicyCommand({ PolicyArn: SITE_PUBLISH }));
    const again = await failure(
      iam.send(new CreatePolicyCommand({ PolicyName: 'deny-s3', PolicyDocument: NEW_DOCUMENT })),
    );

    // Assert
    expect(created.Policy).toMatchObject({
      Arn: `arn:aws:iam::${ACCOUNT}:policy/deny-s3`,
      DefaultVersionId: 'v1',
      Description: 'No S3',
      Tags: [{ Key: 'app', Value: 'x' }],
    });
    expect(untagged.Policy).not.toHaveProperty('Tags');
    expect([again.name, again.message]).toEqual([
      'EntityAlreadyExistsException',
      'A policy called deny-s3 already exists. Duplicate names are not allowed.',
    ]);
  });
});
