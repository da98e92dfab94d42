import { describe, expect, it } from 'vitest';
import { GLOBAL_REGION } from '../src/constants.js';
import { iamManagedPolicy } from '../src/resources/iam-managed-policy.js';
import { iamRole } from '../src/resources/iam-role.js';
import { iamUser } from '../src/resources/iam-user.js';
import { registry } from '../src/resources/registry.js';
import type { PlanInput } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig, UNPACED } from './support/restore-rig.js';

const ACCOUNT = '123456789012';
const SITE_PUBLISH = `arn:aws:iam::${ACCOUNT}:policy/site-publish`;
const BOOKING_DATA = `arn:aws:iam::${ACCOUNT}:policy/booking-data`;
const LAMBDA_BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const REFUNDS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }],
};

const ref = (type: string, id: string) => ({ account: ACCOUNT, region: GLOBAL_REGION, type, id });

describe('restoring IAM against the simulated account', () => {
  const rig = restoreRig({
    definitions: registry.filter((definition) => definition.service.name === 'iam'),
    rateLimits: { iam: UNPACED },
  });
  const plan = (type: string, id: string) => rig.plan({ resources: [ref(type, id)] });

  it('puts a changed role back as it was: trust, settings, boundary, policies and tags', async () => {
    // Arrange
    const role = 'booking-handler-role';
    rig.account.iam.updateAssumeRolePolicy(role, EC2_TRUST);
    rig.account.iam.updateRole(role, { description: 'temporary', maxSessionDuration: 7200 });
    rig.account.iam.putRolePermissionsBoundary(role, SITE_PUBLISH);
    rig.account.iam.putRolePolicy(role, 'refunds', REFUNDS);
    rig.account.iam.deleteRolePolicy(role, 'data-access');
    rig.account.iam.detachRolePolicy(role, LAMBDA_BASIC);
    rig.account.iam.attachRolePolicy(role, BOOKING_DATA);
    rig.account.iam.tagRole(role, { app: 'bookings' });

    // Act
    const planned = await plan('AWS::IAM::Role', role);
    const report = await rig.apply(planned);
    const again = await plan('AWS::IAM::Role', role);

    // Assert
    expect(planned.resources[0]?.action).toBe('update');
    expect(
      planned.resources[0]?.steps.map((step) => [
        step.operation,
        step.input.PolicyName ?? step.input.PolicyArn,
      ]),
    ).toEqual([
      ['UpdateAssumeRolePolicy', undefined],
      ['UpdateRole', undefined],
      ['DeleteRolePermissionsBoundary', undefined],
      ['DeleteRolePolicy', 'refunds'],
      ['PutRolePolicy', 'data-access'],
      ['DetachRolePolicy', BOOKING_DATA],
      ['AttachRolePolicy', LAMBDA_BASIC],
      ['UntagRole', undefined],
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('creates a deleted role again, with a note on its new unique id', async () => {
    // Arrange
    rig.account.iam.deleteRole('github-deploy');

    // Act
    const planned = await plan('AWS::IAM::Role', 'github-deploy');
    const report = await rig.apply(planned);
    const again = await plan('AWS::IAM::Role', 'github-deploy');

    // Assert
    const [resource] = planned.resources;
    expect(resource?.action).toBe('re-create');
    expect(resource?.steps.map((step) => step.operation)).toEqual(['CreateRole', 'AttachRolePolicy']);
    expect(resource?.steps[0]?.input).toMatchObject({
      RoleName: 'github-deploy',
      Path: '/',
      Description: 'GitHub Actions deploys of the three websites',
      MaxSessionDuration: 3600,
      PermissionsBoundary: SITE_PUBLISH,
      Tags: [{ Key: 'purpose', Value: 'ci' }],
    });
    expect(resource?.notes?.[0]).toMatch(
      /^the role created again gets a new unique id: policies naming the old one \(AROA[0-9A-Z]{17}\)/,
    );
    expect(report.resources[0]).toMatchObject({
      status: 'restored-with-differences',
      differs: ['Role.CreateDate', 'Role.RoleId'],
    });
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('puts back a user’s policies, groups and tags', async () => {
    // Arrange
    rig.account.iam.attachUserPolicy('alice', BOOKING_DATA);
    rig.account.iam.putUserPolicy('alice', 'refunds', REFUNDS);
    rig.account.iam.removeUserFromGroup('alice', 'admins');
    rig.account.iam.addUserToGroup('alice', 'developers');
    rig.account.iam.tagUser('alice', { role: 'admin', team: 'bookings' });

    // Act
    const planned = await plan('AWS::IAM::User', 'alice');
    const report = await rig.apply(planned);
    const again = await plan('AWS::IAM::User', 'alice');

    // Assert
    expect(planned.resources[0]?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['DeleteUserPolicy', { UserName: 'alice', PolicyName: 'refunds' }],
      ['DetachUserPolicy', { UserName: 'alice', PolicyArn: BOOKING_DATA }],
      ['RemoveUserFromGroup', { GroupName: 'developers', UserName: 'alice' }],
      ['AddUserToGroup', { GroupName: 'admins', UserName: 'alice' }],
      ['TagUser', { UserName: 'alice', Tags: [{ Key: 'role', Value: 'owner' }] }],
      ['UntagUser', { UserName: 'alice', TagKeys: ['team'] }],
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('puts back a group’s policies and members', async () => {
    // Arrange
    rig.account.iam.detachGroupPolicy('developers', BOOKING_DATA);
    rig.account.iam.putGroupPolicy('developers', 'refunds', REFUNDS);
    rig.account.iam.addUserToGroup('alice', 'developers');

    // Act
    const planned = await plan('AWS::IAM::Group', 'developers');
    const report = await rig.apply(planned);
    const again = await plan('AWS::IAM::Group', 'developers');

    // Assert
    expect(planned.resources[0]?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['DeleteGroupPolicy', { GroupName: 'developers', PolicyName: 'refunds' }],
      ['AttachGroupPolicy', { GroupName: 'developers', PolicyArn: BOOKING_DATA }],
      ['RemoveUserFromGroup', { GroupName: 'developers', UserName: 'alice' }],
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('makes the version that holds a managed policy’s document the default again, and its tags', async () => {
    // Arrange
    rig.account.iam.createPolicyVersion(BOOKING_DATA, REFUNDS, true);
    rig.account.iam.tagPolicy(BOOKING_DATA, { app: 'refunds' });

    // Act
    const planned = await plan('AWS::IAM::ManagedPolicy', BOOKING_DATA);
    const report = await rig.apply(planned);
    const again = await plan('AWS::IAM::ManagedPolicy', BOOKING_DATA);

    // Assert
    expect(planned.resources[0]?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['SetDefaultPolicyVersion', { PolicyArn: BOOKING_DATA, VersionId: 'v1' }],
      ['TagPolicy', { PolicyArn: BOOKING_DATA, Tags: [{ Key: 'app', Value: 'queenofsandiego' }] }],
    ]);
    // IAM keeps the version created since: the history is not rewound.
    expect(report.resources[0]).toMatchObject({
      status: 'restored-with-differences',
      differs: ['Policy.UpdateDate', 'Versions.v2'],
    });
    expect(again.resources[0]?.action).toBe('nothing');
  });
});

describe('IAM role restore plans', () => {
  const OLD_ID = 'AROAOLDROLEID0000001';
  const role = (fields: JsonObject = {}): JsonObject => ({
    Role: {
      Path: '/',
      RoleName: 'reports',
      RoleId: OLD_ID,
      Arn: `arn:aws:iam::${ACCOUNT}:role/reports`,
      AssumeRolePolicyDocument: EC2_TRUST,
      MaxSessionDuration: 3600,
      ...fields,
    },
    Tags: { team: 'ops' },
    InlinePolicies: { refunds: REFUNDS },
    AttachedPolicies: { [BOOKING_DATA]: { PolicyName: 'booking-data', PolicyArn: BOOKING_DATA } },
    InstanceProfiles: {},
  });
  const input = (captured: JsonObject | undefined, live: JsonObject | undefined): PlanInput => ({
    resource: ref('AWS::IAM::Role', 'reports'),
    target: ref('AWS::IAM::Role', 'reports'),
    ...(captured ? { captured: { document: captured, blobs: {} } } : {}),
    ...(live ? { live: { document: live, blobs: {} } } : {}),
    prune: false,
  });

  it('sends the exact calls that make a changed role the captured one', () => {
    // Arrange
    const live = {
      ...role({ Description: 'changed', PermissionsBoundary: { PermissionsBoundaryArn: SITE_PUBLISH } }),
      Tags: { team: 'finance', extra: 'x' },
      InlinePolicies: {},
    };

    // Act
    const change = iamRole.restore?.plan(input(role(), live));

    // Assert
    expect(change).toEqual({
      action: 'update',
      steps: [
        {
          service: 'iam',
          operation: 'UpdateRole',
          region: 'global',
          input: { RoleName: 'reports', Description: '', MaxSessionDuration: 3600 },
          summary: 'put back its description and maximum session duration',
        },
        {
          service: 'iam',
          operation: 'DeleteRolePermissionsBoundary',
          region: 'global',
          input: { RoleName: 'reports' },
          summary: 'remove the permissions boundary set since',
        },
        {
          service: 'iam',
          operation: 'PutRolePolicy',
          region: 'global',
          input: {
            RoleName: 'reports',
            PolicyName: 'refunds',
            PolicyDocument:
              '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*"}]}',
          },
          summary: 'put back the inline policy refunds as it was',
        },
        {
          service: 'iam',
          operation: 'TagRole',
          region: 'global',
          input: { RoleName: 'reports', Tags: [{ Key: 'team', Value: 'ops' }] },
          summary: 'put back the tags team',
        },
        {
          service: 'iam',
          operation: 'UntagRole',
          region: 'global',
          input: { RoleName: 'reports', TagKeys: ['extra'] },
          summary: 'remove the tags added since: extra',
        },
      ],
    });
  });

  it('names where the deleted role’s own trust policy named its old unique id', () => {
    // Arrange
    const captured = role({
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 'sts:AssumeRole',
            Condition: { StringLike: { 'aws:userid': `${OLD_ID}:*` } },
          },
        ],
      },
    });

    // Act
    const change = iamRole.restore?.plan(input(captured, undefined));

    // Assert
    expect(change?.action).toBe('re-create');
    expect(change?.steps.map((step) => step.operation)).toEqual([
      'CreateRole',
      'PutRolePolicy',
      'AttachRolePolicy',
    ]);
    expect(change?.notes).toEqual([
      `the role created again gets a new unique id: policies naming the old one (${OLD_ID}) no longer apply to it; its captured document names the old id at Role.AssumeRolePolicyDocument.Statement.0.Condition.StringLike.aws:userid. Only this document was searched: check the trust and resource policies of other resources that named the role (IAM shows the old id in them in place of its ARN once a role is deleted)`,
    ]);
  });

  it('leaves a service-linked role to its service', () => {
    // Arrange
    const captured = role({ Path: '/aws-service-role/support.amazonaws.com/' });

    // Act
    const change = iamRole.restore?.plan(input(captured, { ...captured, AttachedPolicies: {} }));

    // Assert
    expect(change).toEqual({
      action: 'cannot',
      reason: 'a service-linked role: only its service creates and changes it',
      steps: [],
    });
  });

  it('keeps a role created after the moment restored to', () => {
    expect(iamRole.restore?.plan(input(undefined, role()))).toEqual({
      action: 'keep',
      reason: 'created after the moment restored to: kept (delete it by hand)',
      steps: [],
    });
  });
});

describe('IAM user and managed policy restore plans', () => {
  const input = (type: string, id: string, captured: JsonObject, live?: JsonObject): PlanInput => ({
    resource: ref(type, id),
    target: ref(type, id),
    captured: { document: captured, blobs: {} },
    ...(live ? { live: { document: live, blobs: {} } } : {}),
    prune: false,
  });

  it('creates a deleted user again without its credentials, and says secrets are never restored', () => {
    // Arrange
    const captured = {
      User: {
        Path: '/staff/',
        UserName: 'carol',
        UserId: 'AIDACAROL000000000001',
        Arn: `arn:aws:iam::${ACCOUNT}:user/staff/carol`,
      },
      Tags: { team: 'ops' },
      InlinePolicies: {},
      AttachedPolicies: { [BOOKING_DATA]: { PolicyName: 'booking-data', PolicyArn: BOOKING_DATA } },
      Groups: ['developers'],
      AccessKeys: { 'carol-key-1': { AccessKeyId: 'carol-key-1', Status: 'Active' } },
      LoginProfile: { PasswordResetRequired: false },
      MFADevices: {},
      SSHPublicKeys: {},
      ServiceSpecificCredentials: {},
    };

    // Act
    const change = iamUser.restore?.plan(input('AWS::IAM::User', 'carol', captured));

    // Assert
    expect(change?.action).toBe('re-create');
    expect(change?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['CreateUser', { UserName: 'carol', Path: '/staff/', Tags: [{ Key: 'team', Value: 'ops' }] }],
      ['AttachUserPolicy', { UserName: 'carol', PolicyArn: BOOKING_DATA }],
      ['AddUserToGroup', { GroupName: 'developers', UserName: 'carol' }],
    ]);
    expect(change?.notes?.[1]).toBe(
      'secrets are never restored: its console password (login profile) and access keys differ from the moment restored to; create or remove them by hand',
    );
  });

  it('deletes the oldest non-default version first when a policy holds five and none has the document it had', () => {
    // Arrange
    const version = (n: number, document: JsonObject, isDefault = false) => ({
      VersionId: `v${n}`,
      IsDefaultVersion: isDefault,
      Document: document,
    });
    const policy = (defaultVersion: string) => ({
      PolicyName: 'site-publish',
      Arn: SITE_PUBLISH,
      Path: '/',
      DefaultVersionId: defaultVersion,
    });
    const captured = { Policy: policy('v2'), Tags: {}, Versions: { v2: version(2, REFUNDS, true) } };
    const live = {
      Policy: policy('v7'),
      Tags: {},
      Versions: {
        v3: version(3, EC2_TRUST),
        v4: version(4, EC2_TRUST),
        v5: version(5, EC2_TRUST),
        v6: version(6, EC2_TRUST),
        v7: version(7, EC2_TRUST, true),
      },
    };

    // Act
    const change = iamManagedPolicy.restore?.plan(
      input('AWS::IAM::ManagedPolicy', SITE_PUBLISH, captured, live),
    );

    // Assert
    expect(change?.steps.map((step) => [step.operation, step.input])).toEqual([
      ['DeletePolicyVersion', { PolicyArn: SITE_PUBLISH, VersionId: 'v3' }],
      [
        'CreatePolicyVersion',
        {
          PolicyArn: SITE_PUBLISH,
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*"}]}',
          SetAsDefault: true,
        },
      ],
    ]);
    expect(change?.notes).toEqual([
      'the document it had becomes a new default version: its version history is not rewound',
    ]);
  });
});
