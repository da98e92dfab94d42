import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, JsonObject, ListedResource } from '../types/resource.js';
import {
  anyNotFound,
  callerUserName,
  found,
  gapsOf,
  IAM_EVENT_SOURCE,
  markerPages,
  NO_SUCH_ENTITY,
  normalisedPolicies,
  notRead,
  readPrincipalPolicies,
  sortedStrings,
  stringsAt,
} from './iam-shared.js';
import { iamUserRestore } from './iam-user-restore.js';
import { iamService } from './services.js';
import { collectPages, keyedBy, limitedPages, pick, tagsAsMap, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::IAM::User';

/**
 * The users a call names: `requestParameters.userName` (and `newUserName` of a rename), or the user in
 * `responseElements` (`user.userName`, `accessKey.userName`).
 */
export const userFromRecord: IdExtractor = (record) =>
  stringsAt(record, [
    ['requestParameters', 'userName'],
    ['requestParameters', 'newUserName'],
    ['responseElements', 'user', 'userName'],
    ['responseElements', 'accessKey', 'userName'],
  ]);

/** Access key calls without a `userName` act on the caller's own user, named by `userIdentity.userName`. */
const ownUserFromRecord: IdExtractor = (record) => {
  const named = userFromRecord(record);
  if (named.length > 0) return named;
  const caller = callerUserName(record);
  return caller ? [caller] : [];
};

/** CloudTrail events that create, delete or change a user (policies, groups, credentials' metadata, tags). */
const USER_EVENTS = [
  'CreateUser',
  'DeleteUser',
  'UpdateUser',
  'PutUserPolicy',
  'DeleteUserPolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AddUserToGroup',
  'RemoveUserFromGroup',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'TagUser',
  'UntagUser',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
] as const;

/** Events whose `userName` is optional: without it they act on the caller's own user. */
const OWN_USER_EVENTS = ['CreateAccessKey', 'DeleteAccessKey', 'UpdateAccessKey'] as const;

/** What `GetUser` answers, tags apart (kept as their own map). */
const USER_FIELDS = [
  'Path',
  'UserName',
  'UserId',
  'Arn',
  'CreateDate',
  'PasswordLastUsed',
  'PermissionsBoundary',
] as const;

async function* listUsers(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(iamService, region);
  for await (const page of limitedPages(ctx.limit(iamService), paginateListUsers({ client }, {}))) {
    for (const user of page.Users ?? []) if (user.UserName) yield { id: user.UserName };
  }
}

async function describeUser(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(iamService, region);
  const limit = ctx.limit(iamService);
  const UserName = name;

  const user = await readPart({ ...spec, operation: 'iam:GetUser' }, () =>
    limit(() => client.send(new GetUserCommand({ UserName }))),
  );
  if (user.state !== 'ok') return notRead(user);

  const [policies, groups, keys, login, mfa, sshKeys, credentials] = await Promise.all([
    readPrincipalPolicies(spec, {
      listInline: {
        operation: 'iam:ListUserPolicies',
        call: () =>
          collectPages(limit, paginateListUserPolicies({ client }, { UserName }), (page) => page.PolicyNames),
      },
      getInline: {
        operation: 'iam:GetUserPolicy',
        call: async (PolicyName) =>
          (await limit(() => client.send(new GetUserPolicyCommand({ UserName, PolicyName })))).PolicyDocument,
      },
      listAttached: {
        operation: 'iam:ListAttachedUserPolicies',
        call: () =>
          collectPages(
            limit,
            paginateListAttachedUserPolicies({ client }, { UserName }),
            (page) => page.AttachedPolicies,
          ),
      },
    }),
    readPart({ ...spec, operation: 'iam:ListGroupsForUser' }, () =>
      collectPages(limit, paginateListGroupsForUser({ client }, { UserName }), (page) => page.Groups),
    ),
    readPart({ ...spec, operation: 'iam:ListAccessKeys' }, () =>
      collectPages(limit, paginateListAccessKeys({ client }, { UserName }), (page) => page.AccessKeyMetadata),
    ),
    readPart({ ...spec, operation: 'iam:GetLoginProfile', absentCodes: NO_SUCH_ENTITY }, () =>
      limit(() => client.send(new GetLoginProfileCommand({ UserName }))),
    ),
    readPart({ ...spec, operation: 'iam:ListMFADevices' }, () =>
      collectPages(limit, paginateListMFADevices({ client }, { UserName }), (page) => page.MFADevices),
    ),
    readPart({ ...spec, operation: 'iam:ListSSHPublicKeys' }, () =>
      collectPages(limit, paginateListSSHPublicKeys({ client }, { UserName }), (page) => page.SSHPublicKeys),
    ),
    readPart({ ...spec, operation: 'iam:ListServiceSpecificCredentials' }, () =>
      collectPages(
        limit,
        markerPages((Marker) =>
          client.send(new ListServiceSpecificCredentialsCommand({ UserName, ...(Marker ? { Marker } : {}) })),
        ),
        (page) => page.ServiceSpecificCredentials,
      ),
    ),
  ]);
  const parts = [groups, keys, mfa, sshKeys, credentials];
  if (policies.notFound || anyNotFound(parts)) return { status: 'not-found' };

  // Each key's last use, by its own call: volatile, and a gap for that key alone when it cannot be read.
  const keyList = keys.state === 'ok' ? keys.value : [];
  const lastUsed = await Promise.all(
    keyList.map((key) =>
      readPart({ ...spec, operation: 'iam:GetAccessKeyLastUsed' }, () =>
        limit(() => client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }))),
      ),
    ),
  );

  const raw: JsonObject = {
    User: pick(user.value.User, USER_FIELDS),
    Tags: toJson(user.value.User?.Tags ?? []) ?? [],
    InlinePolicies: policies.InlinePolicies,
    AttachedPolicies: policies.AttachedPolicies,
    Groups: partValue(groups, (list) => list.map((group) => group.GroupName ?? null)),
    AccessKeys: partValue(keys, (list) =>
      list.map((key, index) => ({
        ...pick(key, ['AccessKeyId', 'Status', 'CreateDate']),
        LastUsed: partValue(lastUsed[index] as (typeof lastUsed)[number], (output) =>
          pick(output.AccessKeyLastUsed, ['LastUsedDate', 'ServiceName', 'Region']),
        ),
      })),
    ),
    LoginProfile: partValue(login, (output) =>
      pick(output.LoginProfile, ['CreateDate', 'PasswordResetRequired']),
    ),
    MFADevices: partValue(mfa, (list) => list.map((device) => pick(device, ['SerialNumber', 'EnableDate']))),
    SSHPublicKeys: partValue(sshKeys, (list) =>
      list.map((key) => pick(key, ['SSHPublicKeyId', 'Status', 'UploadDate'])),
    ),
    ServiceSpecificCredentials: partValue(credentials, (list) =>
      list.map((credential) =>
        pick(credential, [
          'ServiceSpecificCredentialId',
          'ServiceName',
          'ServiceUserName',
          'ServiceCredentialAlias',
          'Status',
          'CreateDate',
          'ExpirationDate',
        ]),
      ),
    ),
  };
  const gaps: Gap[] = [...policies.gaps, ...gapsOf([...parts, login, ...lastUsed])];
  return found(raw, gaps);
}

/**
 * `AWS::IAM::User`: a user with its permissions boundary, tags, inline policies (documents parsed, keyed by name),
 * attached managed policies (keyed by ARN), groups, access keys (id, status, creation and last use, keyed by id:
 * never a secret), console access (`LoginProfile`, `null` when the user has none), MFA devices, SSH public key ids
 * and service-specific credential ids. Identifier: the user name. `User.PasswordLastUsed` and
 * `AccessKeys.*.LastUsed` are volatile.
 */
export const iamUser: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:ListUsers',
  permissions: [
    'iam:ListUsers',
    'iam:GetUser',
    'iam:ListUserPolicies',
    'iam:GetUserPolicy',
    'iam:ListAttachedUserPolicies',
    'iam:ListGroupsForUser',
    'iam:ListAccessKeys',
    'iam:GetAccessKeyLastUsed',
    'iam:GetLoginProfile',
    'iam:ListMFADevices',
    'iam:ListSSHPublicKeys',
    'iam:ListServiceSpecificCredentials',
  ],
  volatile: ['User.PasswordLastUsed', 'AccessKeys.*.LastUsed'],
  secrets: [],
  events: {
    ...Object.fromEntries(USER_EVENTS.map((name) => [name, userFromRecord])),
    ...Object.fromEntries(OWN_USER_EVENTS.map((name) => [name, ownUserFromRecord])),
  },
  list: listUsers,
  describe: (ctx, id, region) => describeUser(ctx, id, region),
  restore: iamUserRestore,
  normalise(raw) {
    const normalised: JsonObject = { ...raw, ...normalisedPolicies(raw) };
    const keyed: Array<[string, string]> = [
      ['AccessKeys', 'AccessKeyId'],
      ['MFADevices', 'SerialNumber'],
      ['SSHPublicKeys', 'SSHPublicKeyId'],
      ['ServiceSpecificCredentials', 'ServiceSpecificCredentialId'],
    ];
    for (const [name, key] of keyed) {
      const value = keyedBy(raw[name], key);
      if (value !== undefined) normalised[name] = value;
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    const groups = sortedStrings(raw.Groups);
    if (groups !== undefined) normalised.Groups = groups;
    return normalised;
  },
};
