import { SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_REGION } from '../src/constants.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { iamGroup } from '../src/resources/iam-group.js';
import { iamManagedPolicy } from '../src/resources/iam-managed-policy.js';
import { iamOidcProvider } from '../src/resources/iam-oidc-provider.js';
import { iamPasswordPolicy } from '../src/resources/iam-password-policy.js';
import { iamRole } from '../src/resources/iam-role.js';
import { iamSamlProvider } from '../src/resources/iam-saml-provider.js';
import { iamUser } from '../src/resources/iam-user.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { Described, Gap, JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext } from './support/capture-context.js';

const ACCOUNT = '123456789012';
const SITE_PUBLISH = `arn:aws:iam::${ACCOUNT}:policy/site-publish`;
const BOOKING_DATA = `arn:aws:iam::${ACCOUNT}:policy/booking-data`;
const LAMBDA_BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/**
 * Each block runs against its own simulated account (one at a time), so the denies and changes it makes stay in
 * it. Returns a getter for the running account.
 */
function withAccount(): () => SimulatedAccount {
  let account: SimulatedAccount | undefined;
  beforeAll(async () => {
    account = await SimulatedAccount.start();
  });
  afterAll(() => account?.stop());
  return () => {
    if (!account) throw new Error('the simulated account is not running');
    return account;
  };
}

function describeIn(definition: ResourceDefinition, id: string): Promise<Described> {
  return definition.describe(createCaptureContext(), id, GLOBAL_REGION);
}

/** A found resource's normalised document and gaps; fails the test for any other outcome. */
async function capture(
  definition: ResourceDefinition,
  id: string,
): Promise<{ document: JsonObject; raw: JsonObject; gaps: readonly Gap[] }> {
  const described = await describeIn(definition, id);
  if (described.status !== 'found') throw new Error(`${definition.type} ${id} was ${described.status}`);
  return { document: definition.normalise(described.raw), raw: described.raw, gaps: described.gaps ?? [] };
}

async function listIds(definition: ResourceDefinition): Promise<string[]> {
  return (await collect(definition.list(createCaptureContext(), GLOBAL_REGION))).map((listed) => listed.id);
}

/** The resources simulated events map to, as `<type>:<id>@<region>`. */
function mappedResources(events: readonly SimulatedEvent[]): string[][] {
  return events.map((event) => {
    const [parsed] = parseEventInput(JSON.stringify(event), 'simulated');
    if (!parsed) throw new Error('the event did not parse');
    return mapEvent(parsed).resources.map((resource) => `${resource.type}:${resource.id}@${resource.region}`);
  });
}

describe('AWS::IAM::Role', () => {
  const account = withAccount();

  it('lists every role, service-linked ones included', async () => {
    // Act
    const ids = await listIds(iamRole);

    // Assert
    expect(ids.sort()).toEqual([
      'AWSServiceRoleForSupport',
      'TidemarkCapture',
      'booking-handler-role',
      'email-sender-role',
      'github-deploy',
      'image-resizer-role',
    ]);
  });

  it("captures a function's execution role: trust policy, attached and inline policies parsed", async () => {
    // Act
    const { document, gaps } = await capture(iamRole, 'booking-handler-role');

    // Assert
    expect(gaps).toEqual([]);
    expect(document.Role).toMatchObject({
      RoleName: 'booking-handler-role',
      Arn: `arn:aws:iam::${ACCOUNT}:role/booking-handler-role`,
      Path: '/',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      RoleLastUsed: { Region: 'us-east-1' },
    });
    expect(document.AttachedPolicies).toEqual({
      [LAMBDA_BASIC]: { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: LAMBDA_BASIC },
    });
    expect(document.InlinePolicies).toEqual({
      'data-access': {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
            Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/queenofsandiego-bookings`,
          },
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:booking-handler-dlq`,
          },
        ],
      },
    });
    expect(document.InstanceProfiles).toEqual({});
    expect(document.Tags).toEqual({});
  });

  it('captures the deploy role trusted through the GitHub OIDC provider, with its permissions boundary and tags', async () => {
    // Act
    const { document } = await capture(iamRole, 'github-deploy');

    // Assert
    expect(document.Role).toMatchObject({
      Description: 'GitHub Actions deploys of the three websites',
      PermissionsBoundary: {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: SITE_PUBLISH,
      },
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: {
              Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: {
                'token.actions.githubusercontent.com:sub': 'repo:jada-sails/websites:ref:refs/heads/main',
              },
            },
          },
        ],
      },
    });
    expect(Object.keys(document.AttachedPolicies as JsonObject)).toEqual([SITE_PUBLISH]);
    expect(document.Tags).toEqual({ purpose: 'ci' });
  });

  it('captures a service-linked role under its /aws-service-role/ path', async () => {
    // Act
    const { document } = await capture(iamRole, 'AWSServiceRoleForSupport');

    // Assert
    expect(document.Role).toMatchObject({
      Path: '/aws-service-role/support.amazonaws.com/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      RoleLastUsed: {},
    });
  });

  it('declares the last use volatile', () => {
    expect(iamRole.volatile).toEqual(['Role.RoleLastUsed']);
  });

  it('keeps the rest of the role when one inline policy may not be read', async () => {
    // Arrange
    account().deny('iam:GetRolePolicy', 'image-resizer-role');

    // Act
    const { document, gaps } = await capture(iamRole, 'image-resizer-role');

    // Assert
    expect(document.InlinePolicies).toEqual({ 'data-access': { $unknown: 'AccessDenied' } });
    expect(Object.keys(document.AttachedPolicies as JsonObject)).toEqual([LAMBDA_BASIC]);
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        type: 'AWS::IAM::Role',
        region: 'global',
        id: 'image-resizer-role',
        operation: 'iam:GetRolePolicy',
        code: 'AccessDenied',
      }),
    ]);
  });

  it('is a gap as a whole when GetRole is denied', async () => {
    // Arrange
    account().deny('iam:GetRole', 'email-sender-role');

    // Act
    const described = await describeIn(iamRole, 'email-sender-role');

    // Assert
    expect(described).toMatchObject({
      status: 'gap',
      gap: { kind: 'denied', operation: 'iam:GetRole', id: 'email-sender-role', code: 'AccessDenied' },
    });
  });

  it('sees an inline policy put on a role, and maps its PutRolePolicy event to that role alone', async () => {
    // Arrange
    const refunds = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }],
    };

    // Act
    const events = account().iam.putRolePolicy('booking-handler-role', 'refunds', refunds);
    const { document } = await capture(iamRole, 'booking-handler-role');

    // Assert
    expect((document.InlinePolicies as JsonObject).refunds).toEqual(refunds);
    expect(
      events.map((event) => event['detail-type'] === 'AWS API Call via CloudTrail' && event.detail),
    ).toEqual([
      expect.objectContaining({
        eventSource: 'iam.amazonaws.com',
        eventName: 'PutRolePolicy',
        awsRegion: 'us-east-1',
        requestParameters: {
          roleName: 'booking-handler-role',
          policyName: 'refunds',
          policyDocument: JSON.stringify(refunds),
        },
      }),
    ]);
    expect(mappedResources(events)).toEqual([['AWS::IAM::Role:booking-handler-role@global']]);
  });

  it('maps attaching a customer managed policy to the role only, while the policy counts one more attachment', async () => {
    // Act
    const events = account().iam.attachRolePolicy('TidemarkCapture', BOOKING_DATA);
    const role = await capture(iamRole, 'TidemarkCapture');
    const policy = await capture(iamManagedPolicy, BOOKING_DATA);

    // Assert
    expect(mappedResources(events)).toEqual([['AWS::IAM::Role:TidemarkCapture@global']]);
    expect(Object.keys(role.document.AttachedPolicies as JsonObject)).toEqual([BOOKING_DATA]);
    expect(policy.document.Policy).toMatchObject({ AttachmentCount: 2 });
    expect(iamManagedPolicy.volatile).toContain('Policy.AttachmentCount');
  });

  it('is not found once deleted, each call of the deletion mapping to the role', async () => {
    // Act
    const events = account().iam.deleteRole('image-resizer-role');
    const described = await describeIn(iamRole, 'image-resizer-role');

    // Assert
    expect(described).toEqual({ status: 'not-found' });
    expect(
      events.map((event) => event['detail-type'] === 'AWS API Call via CloudTrail' && event.detail.eventName),
    ).toEqual(['DetachRolePolicy', 'DeleteRolePolicy', 'DeleteRole']);
    expect(mappedResources(events)).toEqual([
      ['AWS::IAM::Role:image-resizer-role@global'],
      ['AWS::IAM::Role:image-resizer-role@global'],
      ['AWS::IAM::Role:image-resizer-role@global'],
    ]);
  });
});

describe('AWS::IAM::User', () => {
  const account = withAccount();

  it('lists the people and the deploy user', async () => {
    expect((await listIds(iamUser)).sort()).toEqual(['alice', 'bob', 'deploy-bot']);
  });

  it("captures the deploy user's access key metadata and last use, never a secret, and no console access", async () => {
    // Act
    const { document, raw, gaps } = await capture(iamUser, 'deploy-bot');

    // Assert
    expect(gaps).toEqual([]);
    const keys = document.AccessKeys as JsonObject;
    const [keyId] = Object.keys(keys);
    expect(keyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(keys[keyId as string]).toEqual({
      AccessKeyId: keyId,
      Status: 'Active',
      CreateDate: '2022-01-10T16:03:27.000Z',
      LastUsed: { LastUsedDate: '2024-05-31T23:10:00.000Z', ServiceName: 's3', Region: 'us-east-1' },
    });
    expect(document.LoginProfile).toBeNull();
    expect(document.MFADevices).toEqual({});
    expect(Object.keys(document.AttachedPolicies as JsonObject)).toEqual([SITE_PUBLISH]);
    expect(document.Tags).toEqual({ purpose: 'ci' });
    expect(JSON.stringify(raw)).not.toMatch(/Secret/i);
  });

  it('captures console access, MFA and group membership of the people', async () => {
    // Act
    const alice = await capture(iamUser, 'alice');
    const bob = await capture(iamUser, 'bob');

    // Assert
    expect(alice.document.LoginProfile).toEqual({
      CreateDate: '2021-03-14T16:58:02.000Z',
      PasswordResetRequired: false,
    });
    expect(alice.document.MFADevices).toEqual({
      [`arn:aws:iam::${ACCOUNT}:mfa/alice`]: {
        SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice`,
        EnableDate: '2021-03-14T17:05:19.000Z',
      },
    });
    expect(alice.document.Groups).toEqual(['admins']);
    expect(alice.document.User).toMatchObject({
      UserName: 'alice',
      PasswordLastUsed: '2024-06-02T19:58:41.000Z',
    });
    expect(bob.document.MFADevices).toEqual({});
    expect(bob.document.Groups).toEqual(['admins', 'developers']);
  });

  it('declares the password and key last uses volatile', () => {
    expect(iamUser.volatile).toEqual(['User.PasswordLastUsed', 'AccessKeys.*.LastUsed']);
  });

  it('leaves a gap for console access alone when GetLoginProfile is denied', async () => {
    // Arrange
    account().deny('iam:GetLoginProfile', 'bob');

    // Act
    const { document, gaps } = await capture(iamUser, 'bob');

    // Assert
    expect(document.LoginProfile).toEqual({ $unknown: 'AccessDenied' });
    expect(document.Groups).toEqual(['admins', 'developers']);
    expect(gaps.map((gap) => [gap.operation, gap.code])).toEqual([['iam:GetLoginProfile', 'AccessDenied']]);
  });

  it('leaves a gap for the access keys alone when ListAccessKeys is denied', async () => {
    // Arrange
    account().deny('iam:ListAccessKeys', 'alice');

    // Act
    const { document, gaps } = await capture(iamUser, 'alice');

    // Assert
    expect(document.AccessKeys).toEqual({ $unknown: 'AccessDenied' });
    expect(document.LoginProfile).toMatchObject({ PasswordResetRequired: false });
    expect(gaps.map((gap) => gap.operation)).toEqual(['iam:ListAccessKeys']);
  });

  it('is not found for a user that does not exist', async () => {
    expect(await describeIn(iamUser, 'mallory')).toEqual({ status: 'not-found' });
  });

  it('captures a new user, whose CreateUser event maps to it', async () => {
    // Act
    const events = account().iam.createUser('carol');
    const { document } = await capture(iamUser, 'carol');

    // Assert
    expect(mappedResources(events)).toEqual([['AWS::IAM::User:carol@global']]);
    expect(document.User).toMatchObject({
      UserName: 'carol',
      Arn: `arn:aws:iam::${ACCOUNT}:user/carol`,
      Path: '/',
    });
    expect(document.LoginProfile).toBeNull();
    expect(document.Groups).toEqual([]);
  });

  it('sees a user added to a group on both, and maps AddUserToGroup to the group and the user', async () => {
    // Act
    const events = account().iam.addUserToGroup('carol', 'developers');
    const user = await capture(iamUser, 'carol');
    const group = await capture(iamGroup, 'developers');

    // Assert
    expect(user.document.Groups).toEqual(['developers']);
    expect(group.document.Members).toEqual(['bob', 'carol']);
    expect(mappedResources(events).map((resources) => resources.sort())).toEqual([
      ['AWS::IAM::Group:developers@global', 'AWS::IAM::User:carol@global'],
    ]);
  });
});

describe('AWS::IAM::Group', () => {
  withAccount();

  it('lists both groups', async () => {
    expect((await listIds(iamGroup)).sort()).toEqual(['admins', 'developers']);
  });

  it('captures members, attached and inline policies', async () => {
    // Act
    const admins = await capture(iamGroup, 'admins');
    const developers = await capture(iamGroup, 'developers');

    // Assert
    expect(admins.document.Members).toEqual(['alice', 'bob']);
    expect(Object.keys(admins.document.AttachedPolicies as JsonObject)).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    expect(developers.document.Group).toMatchObject({ GroupName: 'developers', Path: '/' });
    expect(Object.keys(developers.document.AttachedPolicies as JsonObject).sort()).toEqual([
      'arn:aws:iam::123456789012:policy/booking-data',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
    expect(developers.document.InlinePolicies).toEqual({
      'deploy-functions': {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['lambda:UpdateFunctionCode', 'lambda:PublishVersion', 'lambda:UpdateAlias'],
            Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:*`,
          },
        ],
      },
    });
  });

  it('is not found for a group that does not exist', async () => {
    expect(await describeIn(iamGroup, 'contractors')).toEqual({ status: 'not-found' });
  });
});

describe('AWS::IAM::ManagedPolicy', () => {
  const account = withAccount();

  it('lists the customer managed policies by ARN', async () => {
    expect((await listIds(iamManagedPolicy)).sort()).toEqual([BOOKING_DATA, SITE_PUBLISH]);
  });

  it('captures every version, parsed and keyed by version id, with the default marked', async () => {
    // Act
    const { document, gaps } = await capture(iamManagedPolicy, SITE_PUBLISH);

    // Assert
    expect(gaps).toEqual([]);
    expect(document.Policy).toMatchObject({
      PolicyName: 'site-publish',
      Description: 'Publish queenofsandiego.com, sailjada.com and salejada.com from CI',
      DefaultVersionId: 'v3',
      AttachmentCount: 2,
      PermissionsBoundaryUsageCount: 1,
    });
    expect(document.Tags).toEqual({ app: 'websites' });
    const versions = document.Versions as Record<string, JsonObject>;
    expect(Object.keys(versions).sort()).toEqual(['v1', 'v2', 'v3']);
    expect([
      versions.v1?.IsDefaultVersion,
      versions.v2?.IsDefaultVersion,
      versions.v3?.IsDefaultVersion,
    ]).toEqual([false, false, true]);
    expect(versions.v1?.Document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublishSites',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: [
            'arn:aws:s3:::queenofsandiego.com/*',
            'arn:aws:s3:::sailjada.com/*',
            'arn:aws:s3:::salejada.com/*',
          ],
        },
      ],
    });
    expect(versions.v3?.Document).toMatchObject({
      Statement: expect.arrayContaining([
        { Sid: 'InvalidateCaches', Effect: 'Allow', Action: 'cloudfront:CreateInvalidation', Resource: '*' },
      ]),
    });
  });

  it('sees a new default version, and maps CreatePolicyVersion to the policy alone', async () => {
    // Arrange
    const document = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublishSites',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::sailjada.com/*',
        },
      ],
    };

    // Act
    const events = account().iam.createPolicyVersion(SITE_PUBLISH, document, true);
    const captured = await capture(iamManagedPolicy, SITE_PUBLISH);

    // Assert
    expect(mappedResources(events)).toEqual([[`AWS::IAM::ManagedPolicy:${SITE_PUBLISH}@global`]]);
    expect(captured.document.Policy).toMatchObject({ DefaultVersionId: 'v4' });
    expect((captured.document.Versions as Record<string, JsonObject>).v4).toMatchObject({
      IsDefaultVersion: true,
      Document: document,
    });
  });

  it('leaves a gap for a version document that may not be read', async () => {
    // Arrange
    account().deny('iam:GetPolicyVersion', BOOKING_DATA);

    // Act
    const { document, gaps } = await capture(iamManagedPolicy, BOOKING_DATA);

    // Assert
    expect(document.Versions).toMatchObject({
      v1: { IsDefaultVersion: true, Document: { $unknown: 'AccessDenied' } },
    });
    expect(document.Policy).toMatchObject({ PolicyName: 'booking-data', DefaultVersionId: 'v1' });
    expect(gaps.map((gap) => gap.operation)).toEqual(['iam:GetPolicyVersion']);
  });

  it('is not found for a policy that does not exist', async () => {
    expect(await describeIn(iamManagedPolicy, `arn:aws:iam::${ACCOUNT}:policy/retired`)).toEqual({
      status: 'not-found',
    });
  });
});

describe('AWS::IAM::OIDCProvider and AWS::IAM::SAMLProvider', () => {
  const account = withAccount();
  const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const GOOGLE = `arn:aws:iam::${ACCOUNT}:saml-provider/GoogleWorkspace`;

  it("captures GitHub's OIDC provider: URL, audience and thumbprints", async () => {
    // Act
    const ids = await listIds(iamOidcProvider);
    const { document } = await capture(iamOidcProvider, GITHUB);

    // Assert
    expect(ids).toEqual([GITHUB]);
    expect(document).toEqual({
      Arn: GITHUB,
      Url: 'token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: [
        '1c58a3a8518e8759bf075b76b750d4f2df264fcd',
        '6938fd4d98bab03faadb97b34396831e3780aea1',
      ],
      CreateDate: '2024-02-18T09:18:40.000Z',
      Tags: {},
    });
  });

  it('captures the SAML provider with its public metadata document', async () => {
    // Act
    const ids = await listIds(iamSamlProvider);
    const { document } = await capture(iamSamlProvider, GOOGLE);

    // Assert
    expect(ids).toEqual([GOOGLE]);
    expect(document).toMatchObject({
      Arn: GOOGLE,
      ValidUntil: '2028-04-30T17:31:09.000Z',
      AssertionEncryptionMode: 'Allowed',
      Tags: { idp: 'google-workspace' },
    });
    expect(document.SAMLMetadataDocument).toContain(
      'entityID="https://accounts.google.com/o/saml2?idpid=C03xk8q2n"',
    );
    expect(document.SAMLMetadataDocument).toContain('<ds:X509Certificate>MIID');
  });

  it('is a gap for the provider alone when its read is denied', async () => {
    // Arrange
    account().deny('iam:GetSAMLProvider');

    // Act
    const described = await describeIn(iamSamlProvider, GOOGLE);

    // Assert
    expect(described).toMatchObject({
      status: 'gap',
      gap: { operation: 'iam:GetSAMLProvider', code: 'AccessDenied' },
    });
  });

  it('is not found for a provider that does not exist', async () => {
    // Act
    const described = await describeIn(iamOidcProvider, `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('Tidemark::IAM::AccountPasswordPolicy', () => {
  const account = withAccount();

  it('is one resource per account, identified by the account id', async () => {
    expect(await listIds(iamPasswordPolicy)).toEqual([ACCOUNT]);
  });

  it('captures the policy that is set', async () => {
    // Act
    const { document } = await capture(iamPasswordPolicy, ACCOUNT);

    // Assert
    expect(document).toEqual({
      PasswordPolicy: {
        MinimumPasswordLength: 14,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
        ExpirePasswords: false,
        PasswordReusePrevention: 24,
        HardExpiry: false,
      },
    });
  });

  it('records an account without a policy (NoSuchEntity) as found, with no policy', async () => {
    // Arrange
    account().fail('iam:GetAccountPasswordPolicy', {
      code: 'NoSuchEntity',
      status: 404,
      message: `The Password Policy with domain name ${ACCOUNT} cannot be found.`,
    });

    // Act
    const described = await describeIn(iamPasswordPolicy, ACCOUNT);

    // Assert
    expect(described).toEqual({ status: 'found', raw: { PasswordPolicy: null } });
  });

  it('is a gap for this resource alone when the read is denied', async () => {
    // Arrange
    account().deny('iam:GetAccountPasswordPolicy');

    // Act
    const described = await describeIn(iamPasswordPolicy, ACCOUNT);

    // Assert
    expect(described).toMatchObject({
      status: 'gap',
      gap: {
        kind: 'denied',
        type: 'Tidemark::IAM::AccountPasswordPolicy',
        region: 'global',
        id: ACCOUNT,
        operation: 'iam:GetAccountPasswordPolicy',
        code: 'AccessDenied',
      },
    });
  });
});
