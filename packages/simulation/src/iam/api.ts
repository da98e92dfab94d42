import {
  DeleteConflictException,
  EntityAlreadyExistsException,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetSAMLProviderCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  type Group,
  IAMClient,
  IAMServiceException,
  InvalidInputException,
  LimitExceededException,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListInstanceProfilesForRoleCommand,
  ListMFADevicesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListSAMLProvidersCommand,
  ListServiceSpecificCredentialsCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  type Policy,
  type Role,
  ServiceFailureException,
  UnmodifiableEntityException,
  type User,
} from '@aws-sdk/client-iam';
import {
  type CallTarget,
  type CommandClass,
  defineOperation,
  type InputOf,
  type Operation,
  type OperationSpec,
  type OutputOf,
  type ServiceProfile,
} from '../dispatch.js';
import { DENIED_BY, fault, notAuthorized } from '../errors.js';
import type { AccountModel } from '../model.js';
import { optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import {
  AWS_MANAGED_POLICY_PREFIX,
  type IamState,
  type PrincipalKind,
  type PrincipalOf,
  policyNameOf,
  type SimGroup,
  type SimManagedPolicy,
  type SimPrincipal,
  type SimRole,
  type SimUser,
} from './model.js';

/** IAM answers at most 1000 items per page, 100 when `MaxItems` is not given. */
const MAX_ITEMS = 1000;
const DEFAULT_MAX_ITEMS = 100;

/** The paging fields of an IAM list request. */
interface PageRequest {
  readonly Marker?: string | undefined;
  readonly MaxItems?: number | undefined;
}

/** The region whose endpoint serves IAM in a home region's partition (IAM's global endpoint). */
export function iamEndpointRegion(homeRegion: string): string {
  if (homeRegion.startsWith('cn-')) return 'cn-north-1';
  if (homeRegion.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** Declares an IAM operation: answered only at IAM's global endpoint, as IAM is (see {@link iamProfile}). */
export type IamOperation = <C extends CommandClass>(
  command: C,
  spec: OperationSpec<InputOf<C>, OutputOf<C>>,
) => Operation;

/**
 * The {@link IamOperation} of an account: a client signing for any region but the one of IAM's global endpoint gets
 * `SignatureDoesNotMatch`, as a request to iam.amazonaws.com scoped to another region does.
 */
export function iamOperation(model: AccountModel): IamOperation {
  const endpoint = iamEndpointRegion(model.homeRegion);
  return (command, spec) =>
    defineOperation(command, {
      ...spec,
      answer: (input, call) => {
        if (call.region !== endpoint) {
          throw fault(
            'SignatureDoesNotMatch',
            403,
            `Credential should be scoped to a valid region, not '${call.region}'.`,
          );
        }
        return spec.answer(input, call);
      },
    });
}

/**
 * The IAM API of the simulated account: every read Tidemark's IAM definitions make, answered as IAM does
 * (`Marker`/`IsTruncated` paging, URL-encoded policy documents, `NoSuchEntity` 404), with `writes` (see
 * `iamWriteOperations`) beside them, all only at IAM's global endpoint (see {@link iamOperation}).
 */
export function iamProfile(
  state: IamState,
  model: AccountModel,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const op = iamOperation(model);
  const roleTarget = (input: { RoleName?: string | undefined }) =>
    principalTarget(state, 'role', input.RoleName);
  const userTarget = (input: { UserName?: string | undefined }) =>
    principalTarget(state, 'user', input.UserName);
  const groupTarget = (input: { GroupName?: string | undefined }) =>
    principalTarget(state, 'group', input.GroupName);
  const findRole = (name: string | undefined) => findPrincipal(state, 'role', name);
  const findUser = (name: string | undefined) => {
    if (name === undefined) throw mustNameUser();
    return findPrincipal(state, 'user', name);
  };
  const findGroup = (name: string | undefined) => findPrincipal(state, 'group', name);
  const findPolicy = (arn: string | undefined) => customerPolicy(state, arn);
  const inlineDocument = (principal: SimPrincipal, kind: string, policyName: string | undefined) =>
    encodeURIComponent(
      found(
        principal.inline.get(policyName ?? ''),
        `The ${kind} policy with name ${policyName} cannot be found.`,
      ),
    );

  return {
    service: 'iam',
    exceptions: {
      base: IAMServiceException,
      modeled: {
        NoSuchEntity: NoSuchEntityException,
        ServiceFailure: ServiceFailureException,
        InvalidInput: InvalidInputException,
        EntityAlreadyExists: EntityAlreadyExistsException,
        MalformedPolicyDocument: MalformedPolicyDocumentException,
        UnmodifiableEntity: UnmodifiableEntityException,
        LimitExceeded: LimitExceededException,
        DeleteConflict: DeleteConflictException,
      },
    },
    client: IAMClient,
    injectedFault(kind, action, target) {
      if (kind === 'throttled') return fault('Throttling', 400, 'Rate exceeded');
      return fault(
        'AccessDenied',
        403,
        notAuthorized(model.caller.arn, action, target.arn, DENIED_BY.noIdentityPolicy(action)),
      );
    },
    operations: [
      op(ListRolesCommand, {
        action: 'iam:ListRoles',
        answer: (input) => {
          const { page, ...rest } = pageOf(byPath(state.roles, input.PathPrefix), (role) => role.name, input);
          return { Roles: page.map((role) => roleShape(state, role, false)), ...rest };
        },
      }),
      op(GetRoleCommand, {
        action: 'iam:GetRole',
        target: roleTarget,
        answer: (input) => ({ Role: roleShape(state, findRole(input.RoleName), true) }),
      }),
      op(ListRolePoliciesCommand, {
        action: 'iam:ListRolePolicies',
        target: roleTarget,
        answer: (input) => inlineNames(findRole(input.RoleName), input),
      }),
      op(GetRolePolicyCommand, {
        action: 'iam:GetRolePolicy',
        target: roleTarget,
        answer: (input) => {
          const role = findRole(input.RoleName);
          const PolicyDocument = inlineDocument(role, 'role', input.PolicyName);
          return { RoleName: role.name, PolicyName: input.PolicyName, PolicyDocument };
        },
      }),
      op(ListAttachedRolePoliciesCommand, {
        action: 'iam:ListAttachedRolePolicies',
        target: roleTarget,
        answer: (input) => attachedPolicies(findRole(input.RoleName), input),
      }),
      op(ListInstanceProfilesForRoleCommand, {
        action: 'iam:ListInstanceProfilesForRole',
        target: roleTarget,
        answer: (input) => {
          findRole(input.RoleName);
          // The business runs no EC2 instances: no role is in an instance profile.
          return { InstanceProfiles: [], IsTruncated: false };
        },
      }),
      op(ListUsersCommand, {
        action: 'iam:ListUsers',
        answer: (input) => {
          const { page, ...rest } = pageOf(byPath(state.users, input.PathPrefix), (user) => user.name, input);
          return { Users: page.map((user) => userShape(state, user, false)), ...rest };
        },
      }),
      op(GetUserCommand, {
        action: 'iam:GetUser',
        target: userTarget,
        answer: (input) => ({ User: userShape(state, findUser(input.UserName), true) }),
      }),
      op(ListUserPoliciesCommand, {
        action: 'iam:ListUserPolicies',
        target: userTarget,
        answer: (input) => inlineNames(findUser(input.UserName), input),
      }),
      op(GetUserPolicyCommand, {
        action: 'iam:GetUserPolicy',
        target: userTarget,
        answer: (input) => {
          const user = findUser(input.UserName);
          const PolicyDocument = inlineDocument(user, 'user', input.PolicyName);
          return { UserName: user.name, PolicyName: input.PolicyName, PolicyDocument };
        },
      }),
      op(ListAttachedUserPoliciesCommand, {
        action: 'iam:ListAttachedUserPolicies',
        target: userTarget,
        answer: (input) => attachedPolicies(findUser(input.UserName), input),
      }),
      op(ListGroupsForUserCommand, {
        action: 'iam:ListGroupsForUser',
        target: userTarget,
        answer: (input) => {
          const user = findUser(input.UserName);
          const { page, ...rest } = pageOf(
            sortedBy(state.groupsOf(user.name), (g) => g.name),
            (g) => g.name,
            input,
          );
          return { Groups: page.map((group) => groupShape(state, group)), ...rest };
        },
      }),
      op(ListAccessKeysCommand, {
        action: 'iam:ListAccessKeys',
        target: userTarget,
        answer: (input) => {
          const user = findUser(input.UserName);
          const keys = sortedBy(user.accessKeys, (key) => key.id);
          const { page, ...rest } = pageOf(keys, (key) => key.id, input);
          return {
            AccessKeyMetadata: page.map((key) => ({
              UserName: user.name,
              AccessKeyId: key.id,
              Status: key.status,
              CreateDate: key.createDate,
            })),
            ...rest,
          };
        },
      }),
      op(GetAccessKeyLastUsedCommand, {
        action: 'iam:GetAccessKeyLastUsed',
        target: (input) => {
          const owner = ownerOf(state, input.AccessKeyId);
          return { ids: [input.AccessKeyId ?? '', ...(owner ? [owner.user.name] : [])] };
        },
        answer: (input) => {
          const owner = found(
            ownerOf(state, input.AccessKeyId),
            `The Access Key with id ${input.AccessKeyId} cannot be found.`,
          );
          const used = owner.key.lastUsed;
          return {
            UserName: owner.user.name,
            AccessKeyLastUsed: used
              ? { LastUsedDate: used.date, ServiceName: used.service, Region: used.region }
              : { ServiceName: 'N/A', Region: 'N/A' },
          };
        },
      }),
      op(GetLoginProfileCommand, {
        action: 'iam:GetLoginProfile',
        target: userTarget,
        answer: (input) => {
          const user = findUser(input.UserName);
          const profile = found(user.loginProfile, `Login Profile for User ${user.name} cannot be found.`);
          return {
            LoginProfile: {
              UserName: user.name,
              CreateDate: profile.createDate,
              PasswordResetRequired: profile.passwordResetRequired,
            },
          };
        },
      }),
      op(ListMFADevicesCommand, {
        action: 'iam:ListMFADevices',
        target: userTarget,
        answer: (input) => {
          const user = findUser(input.UserName);
          const { page, ...rest } = pageOf(user.mfaDevices, (device) => device.serialNumber, input);
          return {
            MFADevices: page.map((device) => ({
              UserName: user.name,
              SerialNumber: device.serialNumber,
              EnableDate: device.enableDate,
            })),
            ...rest,
          };
        },
      }),
      op(ListSSHPublicKeysCommand, {
        action: 'iam:ListSSHPublicKeys',
        target: userTarget,
        answer: (input) => {
          findUser(input.UserName);
          // The business's users keep no SSH keys in IAM (no CodeCommit).
          return { SSHPublicKeys: [], IsTruncated: false };
        },
      }),
      op(ListServiceSpecificCredentialsCommand, {
        action: 'iam:ListServiceSpecificCredentials',
        target: userTarget,
        answer: (input) => {
          findUser(input.UserName);
          // Nor service-specific credentials (CodeCommit, Keyspaces, Bedrock API keys).
          return { ServiceSpecificCredentials: [], IsTruncated: false };
        },
      }),
      op(ListGroupsCommand, {
        action: 'iam:ListGroups',
        answer: (input) => {
          const { page, ...rest } = pageOf(
            byPath(state.groups, input.PathPrefix),
            (group) => group.name,
            input,
          );
          return { Groups: page.map((group) => groupShape(state, group)), ...rest };
        },
      }),
      op(GetGroupCommand, {
        action: 'iam:GetGroup',
        target: groupTarget,
        answer: (input) => {
          const group = findGroup(input.GroupName);
          const members = [...group.members].sort().map((name) => state.user(name));
          const { page, ...rest } = pageOf(members, (user) => user.name, input);
          return {
            Group: groupShape(state, group),
            Users: page.map((user) => userShape(state, user, false)),
            ...rest,
          };
        },
      }),
      op(ListGroupPoliciesCommand, {
        action: 'iam:ListGroupPolicies',
        target: groupTarget,
        answer: (input) => inlineNames(findGroup(input.GroupName), input),
      }),
      op(GetGroupPolicyCommand, {
        action: 'iam:GetGroupPolicy',
        target: groupTarget,
        answer: (input) => {
          const group = findGroup(input.GroupName);
          const PolicyDocument = inlineDocument(group, 'group', input.PolicyName);
          return { GroupName: group.name, PolicyName: input.PolicyName, PolicyDocument };
        },
      }),
      op(ListAttachedGroupPoliciesCommand, {
        action: 'iam:ListAttachedGroupPolicies',
        target: groupTarget,
        answer: (input) => attachedPolicies(findGroup(input.GroupName), input),
      }),
      op(ListPoliciesCommand, {
        action: 'iam:ListPolicies',
        answer: (input) => {
          if (input.Scope !== 'Local') {
            // The simulation holds no catalogue of AWS managed policies: fail loudly rather than answer wrongly.
            throw new Error(
              `the simulated account lists customer managed policies only (Scope 'Local'), received ${input.Scope ?? 'All'}`,
            );
          }
          const policies = sortedBy(
            [...state.policies.values()].filter(
              (policy) =>
                policy.path.startsWith(input.PathPrefix ?? '/') &&
                (!input.OnlyAttached || state.attachmentCount(policy.arn) > 0),
            ),
            (policy) => policy.name,
          );
          const { page, ...rest } = pageOf(policies, (policy) => policy.name, input);
          return { Policies: page.map((policy) => policyShape(state, policy, false)), ...rest };
        },
      }),
      op(GetPolicyCommand, {
        action: 'iam:GetPolicy',
        target: (input) => arnTarget(input.PolicyArn),
        answer: (input) => ({ Policy: policyShape(state, findPolicy(input.PolicyArn), true) }),
      }),
      op(ListPolicyVersionsCommand, {
        action: 'iam:ListPolicyVersions',
        target: (input) => arnTarget(input.PolicyArn),
        answer: (input) => {
          const policy = findPolicy(input.PolicyArn);
          // Newest first, as IAM lists them; the paging key sorts that way.
          const { page, ...rest } = pageOf([...policy.versions].reverse(), newestFirstKey, input);
          return {
            Versions: page.map((version) => ({
              VersionId: version.id,
              IsDefaultVersion: version.id === policy.defaultVersion,
              CreateDate: version.createDate,
            })),
            ...rest,
          };
        },
      }),
      op(GetPolicyVersionCommand, {
        action: 'iam:GetPolicyVersion',
        target: (input) => arnTarget(input.PolicyArn),
        answer: (input) => {
          const policy = findPolicy(input.PolicyArn);
          const version = found(
            policy.versions.find((candidate) => candidate.id === input.VersionId),
            `Policy ${policy.arn} version ${input.VersionId} does not exist or is not attachable.`,
          );
          return {
            PolicyVersion: {
              Document: encodeURIComponent(version.document),
              VersionId: version.id,
              IsDefaultVersion: version.id === policy.defaultVersion,
              CreateDate: version.createDate,
            },
          };
        },
      }),
      op(ListOpenIDConnectProvidersCommand, {
        action: 'iam:ListOpenIDConnectProviders',
        answer: () => ({
          OpenIDConnectProviderList: sortedBy([...state.oidcProviders.keys()], (arn) => arn).map((Arn) => ({
            Arn,
          })),
        }),
      }),
      op(GetOpenIDConnectProviderCommand, {
        action: 'iam:GetOpenIDConnectProvider',
        target: (input) => arnTarget(input.OpenIDConnectProviderArn),
        answer: (input) => {
          const arn = input.OpenIDConnectProviderArn;
          const provider = found(
            state.oidcProviders.get(arn ?? ''),
            `OpenIDConnect Provider not found for arn ${arn}`,
          );
          return {
            Url: provider.url,
            ClientIDList: [...provider.clientIds],
            ThumbprintList: [...provider.thumbprints],
            CreateDate: provider.createDate,
            ...tagsOf(provider.tags),
          };
        },
      }),
      op(ListSAMLProvidersCommand, {
        action: 'iam:ListSAMLProviders',
        answer: () => ({
          SAMLProviderList: sortedBy([...state.samlProviders.values()], (provider) => provider.arn).map(
            (provider) => ({
              Arn: provider.arn,
              ValidUntil: provider.validUntil,
              CreateDate: provider.createDate,
            }),
          ),
        }),
      }),
      op(GetSAMLProviderCommand, {
        action: 'iam:GetSAMLProvider',
        target: (input) => arnTarget(input.SAMLProviderArn),
        answer: (input) => {
          const arn = input.SAMLProviderArn;
          const provider = found(state.samlProviders.get(arn ?? ''), `Manifest not found for arn ${arn}`);
          return {
            SAMLProviderUUID: provider.uuid,
            SAMLMetadataDocument: provider.metadata,
            CreateDate: provider.createDate,
            ValidUntil: provider.validUntil,
            AssertionEncryptionMode: 'Allowed' as const,
            ...tagsOf(provider.tags),
          };
        },
      }),
      op(GetAccountPasswordPolicyCommand, {
        action: 'iam:GetAccountPasswordPolicy',
        answer: () => ({
          PasswordPolicy: {
            ...found(
              state.passwordPolicy,
              `The Password Policy with domain name ${state.accountId} cannot be found.`,
            ),
          },
        }),
      }),
      ...writes,
    ],
  };
}

/** The value, or IAM's `NoSuchEntity` (HTTP 404) with `message`. */
export function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw fault('NoSuchEntity', 404, message);
  return value;
}

/** What a call naming a role, user or group touches: its name, and its ARN. */
export function principalTarget(state: IamState, kind: PrincipalKind, name: string | undefined): CallTarget {
  const path = state.principals(kind).get(name ?? '')?.path ?? '/';
  return { ids: [name ?? ''], arn: state.arn(kind, path, name ?? '') };
}

/** What a call naming a managed policy (or another IAM entity by ARN) touches. */
export function arnTarget(arn: string | undefined): CallTarget {
  return { ids: [arn ?? ''], arn: arn ?? '' };
}

/** The role, user or group a call names, or IAM's `NoSuchEntity`. */
export function findPrincipal<K extends PrincipalKind>(
  state: IamState,
  kind: K,
  name: string | undefined,
): PrincipalOf[K] {
  return found(state.principals(kind).get(name ?? ''), `The ${kind} with name ${name} cannot be found.`);
}

/** IAM's answer to a user call without `UserName` from credentials that are not a user's (the caller is a role). */
function mustNameUser() {
  return fault('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
}

export function customerPolicy(state: IamState, arn: string | undefined): SimManagedPolicy {
  const policy = state.policies.get(arn ?? '');
  if (policy) return policy;
  if (arn?.startsWith(AWS_MANAGED_POLICY_PREFIX)) {
    // The simulation holds no AWS managed policy documents: fail loudly rather than answer wrongly.
    throw new Error(`the simulated account does not model AWS managed policy ${arn}`);
  }
  throw fault('NoSuchEntity', 404, `Policy ${arn} was not found.`);
}

/** One page of a sorted listing and IAM's paging fields: `Marker` only while `IsTruncated`. */
function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: PageRequest,
): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const maxItems = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_ITEMS) {
    throw fault(
      'ValidationError',
      400,
      `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ITEMS}`}`,
    );
  }
  let after: string | undefined;
  if (input.Marker !== undefined) {
    after = decodeMarker(input.Marker);
    if (after === undefined) throw fault('ValidationError', 400, 'Invalid Marker.');
  }
  const { page, nextKey } = pageAfter(items, keyOf, after, maxItems);
  return {
    page,
    IsTruncated: nextKey !== undefined,
    ...optional('Marker', nextKey === undefined ? undefined : encodeMarker(nextKey)),
  };
}

/** A paging key that sorts policy versions newest first (`v3` before `v2`). */
function newestFirstKey(version: { readonly id: string }): string {
  return String(1_000_000 - Number(version.id.slice(1))).padStart(7, '0');
}

function sortedBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** Entities under a path prefix, sorted by name as IAM lists them. */
function byPath<T extends { readonly name: string; readonly path: string }>(
  entities: ReadonlyMap<string, T>,
  prefix: string | undefined,
): T[] {
  return sortedBy(
    [...entities.values()].filter((entity) => entity.path.startsWith(prefix ?? '/')),
    (entity) => entity.name,
  );
}

function inlineNames(principal: SimPrincipal, input: PageRequest) {
  const { page, ...rest } = pageOf([...principal.inline.keys()].sort(), (name) => name, input);
  return { PolicyNames: page, ...rest };
}

function attachedPolicies(principal: SimPrincipal, input: PageRequest) {
  const { page, ...rest } = pageOf(sortedBy(principal.attached, policyNameOf), policyNameOf, input);
  return {
    AttachedPolicies: page.map((arn) => ({ PolicyName: policyNameOf(arn), PolicyArn: arn })),
    ...rest,
  };
}

function ownerOf(state: IamState, accessKeyId: string | undefined) {
  for (const user of state.users.values()) {
    const key = user.accessKeys.find((candidate) => candidate.id === accessKeyId);
    if (key) return { user, key };
  }
  return undefined;
}

/** `Tags` when there are any: IAM leaves the element out otherwise. */
export function tagsOf(tags: SimRole['tags']) {
  return tags.length > 0 ? { Tags: tags.map((tag) => ({ ...tag })) } : {};
}

export function boundaryOf(arn: string | undefined) {
  return arn === undefined
    ? {}
    : {
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const,
          PermissionsBoundaryArn: arn,
        },
      };
}

/** A role as `GetRole` (`full`) or `ListRoles` answers it: the listing has no tags, boundary or last use. */
export function roleShape(state: IamState, role: SimRole, full: boolean): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: state.arn('role', role.path, role.name),
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
    ...optional('Description', role.description),
    MaxSessionDuration: role.maxSessionDuration,
    ...(full
      ? {
          ...boundaryOf(role.permissionsBoundary),
          ...tagsOf(role.tags),
          RoleLastUsed: role.lastUsed
            ? { LastUsedDate: role.lastUsed.date, Region: role.lastUsed.region }
            : {},
        }
      : {}),
  };
}

/** A user as `GetUser` (`full`) or `ListUsers` and `GetGroup` answer it. */
export function userShape(state: IamState, user: SimUser, full: boolean): User {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: state.arn('user', user.path, user.name),
    CreateDate: user.createDate,
    ...optional('PasswordLastUsed', user.passwordLastUsed),
    ...(full ? { ...boundaryOf(user.permissionsBoundary), ...tagsOf(user.tags) } : {}),
  };
}

export function groupShape(state: IamState, group: SimGroup): Group {
  return {
    Path: group.path,
    GroupName: group.name,
    GroupId: group.id,
    Arn: state.arn('group', group.path, group.name),
    CreateDate: group.createDate,
  };
}

/** A customer managed policy as `GetPolicy` (`full`: with description and tags) or `ListPolicies` answers it. */
export function policyShape(state: IamState, policy: SimManagedPolicy, full: boolean): Policy {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersion,
    AttachmentCount: state.attachmentCount(policy.arn),
    PermissionsBoundaryUsageCount: state.boundaryUsageCount(policy.arn),
    IsAttachable: true,
    ...(full ? { ...optional('Description', policy.description), ...tagsOf(policy.tags) } : {}),
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
  };
}
