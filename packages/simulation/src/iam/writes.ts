import type { Tag } from '@aws-sdk/client-iam';
import { fault } from '../errors.js';
import { wholeSeconds } from '../model.js';
import type { SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import {
  customerPolicy,
  findPrincipal,
  found,
  groupShape,
  policyShape,
  roleShape,
  userShape,
} from './api.js';
import type {
  IamState,
  PrincipalKind,
  PrincipalOf,
  SimGroup,
  SimManagedPolicy,
  SimPolicyVersion,
  SimPrincipal,
  SimRole,
  SimUser,
} from './model.js';
import { type IamCall, recordIamCalls, trailEntity } from './trail.js';

/** IAM keeps at most five versions of a managed policy. */
export const MAX_POLICY_VERSIONS = 5;

/** Managed policies a role, user or group may have attached (IAM's default quota). */
const MAX_ATTACHED = 10;

/** The range of a role's `MaxSessionDuration`, in seconds: one to twelve hours. */
const SESSION_DURATION = { min: 3600, max: 43_200, default: 3600 } as const;

/** How each kind of principal is named in IAM's operations and CloudTrail's parameters. */
const LABEL: { readonly [K in PrincipalKind]: string } = { role: 'Role', user: 'User', group: 'Group' };

/** The principals that have a permissions boundary and tags. */
export type BoundedKind = Exclude<PrincipalKind, 'group'>;

/** What `CreateRole` takes. */
export interface RoleCreation {
  readonly name: string;
  /** @default '/' */
  readonly path?: string | undefined;
  /** JSON text. */
  readonly trustPolicy: string;
  readonly description?: string | undefined;
  readonly maxSessionDuration?: number | undefined;
  readonly permissionsBoundary?: string | undefined;
  readonly tags?: readonly Tag[] | undefined;
}

/** What `CreateUser` takes. */
export type UserCreation = Pick<RoleCreation, 'name' | 'path' | 'permissionsBoundary' | 'tags'>;

/** What `CreatePolicy` takes. */
export interface PolicyCreation {
  readonly name: string;
  /** @default '/' */
  readonly path?: string | undefined;
  /** JSON text. */
  readonly document: string;
  readonly description?: string | undefined;
  readonly tags?: readonly Tag[] | undefined;
}

/** An entity a call created, and the events recorded. */
export interface Created<T> {
  readonly entity: T;
  readonly events: SimulatedEvent[];
}

/**
 * The IAM changes of the simulated account, shared by its API (which passes the caller's user agent) and its
 * change methods (the console's): each checks what IAM checks, answering with IAM's errors (`NoSuchEntity`,
 * `EntityAlreadyExists`, `MalformedPolicyDocument`, `UnmodifiableEntity` for a service-linked role, `LimitExceeded`,
 * `DeleteConflict`), changes the state so that the reads return it, and records the CloudTrail event.
 */
export class IamWrites {
  readonly #state: IamState;
  readonly #context: SimulationContext;

  constructor(state: IamState, context: SimulationContext) {
    this.#state = state;
    this.#context = context;
  }

  /** `PutRolePolicy`, `PutUserPolicy`, `PutGroupPolicy`: adds or replaces an inline policy. */
  putInlinePolicy(
    kind: PrincipalKind,
    name: string | undefined,
    policyName: string | undefined,
    document: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = this.#modifiable(kind, name);
    const policyDocument = checkedPolicy(document);
    principal.inline.set(policyName ?? '', policyDocument);
    return this.#record(
      `Put${LABEL[kind]}Policy`,
      kind,
      principal,
      { policyName, policyDocument },
      userAgent,
    );
  }

  /** `DeleteRolePolicy`, `DeleteUserPolicy`, `DeleteGroupPolicy`. */
  deleteInlinePolicy(
    kind: PrincipalKind,
    name: string | undefined,
    policyName: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = this.#modifiable(kind, name);
    found(
      principal.inline.get(policyName ?? ''),
      `The ${kind} policy with name ${policyName} cannot be found.`,
    );
    principal.inline.delete(policyName ?? '');
    return this.#record(`Delete${LABEL[kind]}Policy`, kind, principal, { policyName }, userAgent);
  }

  /** `AttachRolePolicy`, `AttachUserPolicy`, `AttachGroupPolicy`: attaching one already attached changes nothing. */
  attachPolicy(
    kind: PrincipalKind,
    name: string | undefined,
    policyArn: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = this.#modifiable(kind, name);
    const arn = this.#attachable(policyArn);
    if (!principal.attached.includes(arn)) {
      if (principal.attached.length >= MAX_ATTACHED)
        throw fault(
          'LimitExceeded',
          409,
          `Cannot exceed quota for PoliciesPer${LABEL[kind]}: ${MAX_ATTACHED}.`,
        );
      principal.attached.push(arn);
    }
    return this.#record(`Attach${LABEL[kind]}Policy`, kind, principal, { policyArn: arn }, userAgent);
  }

  /** `DetachRolePolicy`, `DetachUserPolicy`, `DetachGroupPolicy`. */
  detachPolicy(
    kind: PrincipalKind,
    name: string | undefined,
    policyArn: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = this.#modifiable(kind, name);
    const index = principal.attached.indexOf(policyArn ?? '');
    if (index === -1) throw fault('NoSuchEntity', 404, `Policy ${policyArn} was not found.`);
    principal.attached.splice(index, 1);
    return this.#record(`Detach${LABEL[kind]}Policy`, kind, principal, { policyArn }, userAgent);
  }

  /** `PutRolePermissionsBoundary`, `PutUserPermissionsBoundary`. */
  putBoundary(
    kind: BoundedKind,
    name: string | undefined,
    policyArn: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = this.#modifiable(kind, name);
    principal.permissionsBoundary = this.#attachable(policyArn);
    return this.#record(
      `Put${LABEL[kind]}PermissionsBoundary`,
      kind,
      principal,
      { permissionsBoundary: principal.permissionsBoundary },
      userAgent,
    );
  }

  /** `DeleteRolePermissionsBoundary`, `DeleteUserPermissionsBoundary`: one without a boundary is left as it is. */
  deleteBoundary(kind: BoundedKind, name: string | undefined, userAgent?: string): SimulatedEvent[] {
    const principal = this.#modifiable(kind, name);
    delete principal.permissionsBoundary;
    return this.#record(`Delete${LABEL[kind]}PermissionsBoundary`, kind, principal, {}, userAgent);
  }

  /** `TagRole`, `TagUser`: adds tags, replacing the values of keys it already has. */
  tag(
    kind: BoundedKind,
    name: string | undefined,
    tags: readonly Tag[] = [],
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = findPrincipal(this.#state, kind, name);
    principal.tags = taggedWith(principal.tags, tags);
    return this.#record(`Tag${LABEL[kind]}`, kind, principal, { tags: trailTags(tags) }, userAgent);
  }

  /** `UntagRole`, `UntagUser`: removes tags by key; keys it does not have are ignored. */
  untag(
    kind: BoundedKind,
    name: string | undefined,
    keys: readonly string[] = [],
    userAgent?: string,
  ): SimulatedEvent[] {
    const principal = findPrincipal(this.#state, kind, name);
    principal.tags = principal.tags.filter((tag) => !keys.includes(tag.Key ?? ''));
    return this.#record(`Untag${LABEL[kind]}`, kind, principal, { tagKeys: [...keys] }, userAgent);
  }

  /** `CreateRole`: a new role with a new unique id (`AROA…`). */
  createRole(spec: RoleCreation, userAgent?: string): Created<SimRole> {
    this.#absent('role', spec.name, `Role with name ${spec.name} already exists.`);
    const role: SimRole = {
      ...this.#newPrincipal('AROA', spec.name, spec.path),
      trustPolicy: checkedPolicy(spec.trustPolicy),
      ...(spec.description ? { description: spec.description } : {}),
      maxSessionDuration: checkedSessionDuration(spec.maxSessionDuration ?? SESSION_DURATION.default),
      ...(spec.permissionsBoundary === undefined
        ? {}
        : { permissionsBoundary: this.#attachable(spec.permissionsBoundary) }),
      tags: taggedWith([], spec.tags ?? []),
    };
    this.#state.roles.set(role.name, role);
    const request = {
      path: role.path,
      roleName: role.name,
      assumeRolePolicyDocument: role.trustPolicy,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      ...(spec.maxSessionDuration === undefined ? {} : { maxSessionDuration: spec.maxSessionDuration }),
      ...(spec.permissionsBoundary === undefined ? {} : { permissionsBoundary: spec.permissionsBoundary }),
      ...(spec.tags === undefined ? {} : { tags: trailTags(spec.tags) }),
    };
    const response = { role: trailEntity(roleShape(this.#state, role, false)) };
    return { entity: role, events: this.#recordCalls([['CreateRole', request, response]], userAgent) };
  }

  /** `UpdateRole`: the description (an empty one removes it) and the maximum session duration, when given. */
  updateRole(
    name: string | undefined,
    changes: { readonly description?: string | undefined; readonly maxSessionDuration?: number | undefined },
    userAgent?: string,
  ): SimulatedEvent[] {
    const role = this.#modifiable('role', name);
    if (changes.maxSessionDuration !== undefined)
      role.maxSessionDuration = checkedSessionDuration(changes.maxSessionDuration);
    if (changes.description === '') delete role.description;
    else if (changes.description !== undefined) role.description = changes.description;
    return this.#record(
      'UpdateRole',
      'role',
      role,
      {
        ...(changes.description === undefined ? {} : { description: changes.description }),
        ...(changes.maxSessionDuration === undefined
          ? {}
          : { maxSessionDuration: changes.maxSessionDuration }),
      },
      userAgent,
    );
  }

  /** `UpdateAssumeRolePolicy`: replaces the trust policy. */
  updateTrustPolicy(
    name: string | undefined,
    document: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const role = this.#modifiable('role', name);
    role.trustPolicy = checkedPolicy(document);
    return this.#record(
      'UpdateAssumeRolePolicy',
      'role',
      role,
      { policyDocument: role.trustPolicy },
      userAgent,
    );
  }

  /** `CreateUser`: a user without console access or keys, with a new unique id (`AIDA…`). */
  createUser(spec: UserCreation, userAgent?: string): Created<SimUser> {
    this.#absent('user', spec.name, `User with name ${spec.name} already exists.`);
    const user: SimUser = {
      ...this.#newPrincipal('AIDA', spec.name, spec.path),
      ...(spec.permissionsBoundary === undefined
        ? {}
        : { permissionsBoundary: this.#attachable(spec.permissionsBoundary) }),
      tags: taggedWith([], spec.tags ?? []),
      accessKeys: [],
      mfaDevices: [],
    };
    this.#state.users.set(user.name, user);
    const request = {
      userName: user.name,
      ...(spec.path === undefined ? {} : { path: spec.path }),
      ...(spec.permissionsBoundary === undefined ? {} : { permissionsBoundary: spec.permissionsBoundary }),
      ...(spec.tags === undefined ? {} : { tags: trailTags(spec.tags) }),
    };
    const response = { user: trailEntity(userShape(this.#state, user, false)) };
    return { entity: user, events: this.#recordCalls([['CreateUser', request, response]], userAgent) };
  }

  /** `CreateGroup`: an empty group with a new unique id (`AGPA…`). */
  createGroup(name: string, path: string | undefined, userAgent?: string): Created<SimGroup> {
    this.#absent('group', name, `Group with name ${name} already exists.`);
    const group: SimGroup = { ...this.#newPrincipal('AGPA', name, path), members: [] };
    this.#state.groups.set(group.name, group);
    const request = { groupName: name, ...(path === undefined ? {} : { path }) };
    const response = { group: trailEntity(groupShape(this.#state, group)) };
    return { entity: group, events: this.#recordCalls([['CreateGroup', request, response]], userAgent) };
  }

  /** `AddUserToGroup`: adding a member again changes nothing. */
  addUserToGroup(group: string | undefined, user: string | undefined, userAgent?: string): SimulatedEvent[] {
    const target = findPrincipal(this.#state, 'group', group);
    const member = findPrincipal(this.#state, 'user', user);
    if (!target.members.includes(member.name)) target.members.push(member.name);
    return this.#record('AddUserToGroup', 'group', target, { userName: member.name }, userAgent);
  }

  /** `RemoveUserFromGroup`: a user who is not a member is `NoSuchEntity`. */
  removeUserFromGroup(
    group: string | undefined,
    user: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const target = findPrincipal(this.#state, 'group', group);
    const index = target.members.indexOf(user ?? '');
    if (index === -1) throw fault('NoSuchEntity', 404, `The user with name ${user} cannot be found.`);
    target.members.splice(index, 1);
    return this.#record('RemoveUserFromGroup', 'group', target, { userName: user }, userAgent);
  }

  /** `CreatePolicy`: a customer managed policy whose first version, `v1`, is the default. */
  createPolicy(spec: PolicyCreation, userAgent?: string): Created<SimManagedPolicy> {
    const path = spec.path ?? '/';
    const arn = this.#state.arn('policy', path, spec.name);
    if (this.#state.policies.has(arn))
      throw fault(
        'EntityAlreadyExists',
        409,
        `A policy called ${spec.name} already exists. Duplicate names are not allowed.`,
      );
    const createDate = wholeSeconds(this.#context.now());
    const policy: SimManagedPolicy = {
      name: spec.name,
      id: `ANPA${this.#context.model.random.upperAlnum(17)}`,
      path,
      arn,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      createDate,
      updateDate: createDate,
      defaultVersion: 'v1',
      versions: [{ id: 'v1', document: checkedPolicy(spec.document), createDate }],
      nextVersion: 2,
      tags: taggedWith([], spec.tags ?? []),
    };
    this.#state.policies.set(arn, policy);
    const request = {
      policyName: spec.name,
      ...(spec.path === undefined ? {} : { path: spec.path }),
      policyDocument: spec.document,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      ...(spec.tags === undefined ? {} : { tags: trailTags(spec.tags) }),
    };
    const response = { policy: trailEntity(policyShape(this.#state, policy, false)) };
    return { entity: policy, events: this.#recordCalls([['CreatePolicy', request, response]], userAgent) };
  }

  /** `CreatePolicyVersion`: at most five versions; the new one becomes the default when `setAsDefault`. */
  createPolicyVersion(
    policyArn: string | undefined,
    document: string | undefined,
    setAsDefault: boolean,
    userAgent?: string,
  ): Created<SimPolicyVersion> {
    const policy = customerPolicy(this.#state, policyArn);
    if (policy.versions.length >= MAX_POLICY_VERSIONS)
      throw fault(
        'LimitExceeded',
        409,
        `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
      );
    const createDate = wholeSeconds(this.#context.now());
    const version = { id: `v${policy.nextVersion}`, document: checkedPolicy(document), createDate };
    policy.nextVersion++;
    policy.versions.push(version);
    // `UpdateDate` is when the newest version was created, default or not.
    policy.updateDate = createDate;
    if (setAsDefault) policy.defaultVersion = version.id;
    const request = { policyArn: policy.arn, policyDocument: version.document, setAsDefault };
    const response = {
      policyVersion: trailEntity({
        VersionId: version.id,
        IsDefaultVersion: setAsDefault,
        CreateDate: createDate,
      }),
    };
    return {
      entity: version,
      events: this.#recordCalls([['CreatePolicyVersion', request, response]], userAgent),
    };
  }

  /** `DeletePolicyVersion`: never the default version. */
  deletePolicyVersion(
    policyArn: string | undefined,
    versionId: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const policy = customerPolicy(this.#state, policyArn);
    const index = policy.versions.indexOf(policyVersion(policy, versionId));
    if (versionId === policy.defaultVersion)
      throw fault('DeleteConflict', 409, 'Cannot delete the default version of a policy.');
    policy.versions.splice(index, 1);
    return this.#recordCalls(
      [['DeletePolicyVersion', { policyArn: policy.arn, versionId }, null]],
      userAgent,
    );
  }

  /** `SetDefaultPolicyVersion`. */
  setDefaultPolicyVersion(
    policyArn: string | undefined,
    versionId: string | undefined,
    userAgent?: string,
  ): SimulatedEvent[] {
    const policy = customerPolicy(this.#state, policyArn);
    policy.defaultVersion = policyVersion(policy, versionId).id;
    return this.#recordCalls(
      [['SetDefaultPolicyVersion', { policyArn: policy.arn, versionId }, null]],
      userAgent,
    );
  }

  /** `TagPolicy`: adds tags to a customer managed policy, replacing the values of keys it already has. */
  tagPolicy(policyArn: string | undefined, tags: readonly Tag[] = [], userAgent?: string): SimulatedEvent[] {
    const policy = customerPolicy(this.#state, policyArn);
    policy.tags = taggedWith(policy.tags, tags);
    return this.#recordCalls(
      [['TagPolicy', { policyArn: policy.arn, tags: trailTags(tags) }, null]],
      userAgent,
    );
  }

  /** `UntagPolicy`: removes tags by key. */
  untagPolicy(
    policyArn: string | undefined,
    keys: readonly string[] = [],
    userAgent?: string,
  ): SimulatedEvent[] {
    const policy = customerPolicy(this.#state, policyArn);
    policy.tags = policy.tags.filter((tag) => !keys.includes(tag.Key ?? ''));
    return this.#recordCalls(
      [['UntagPolicy', { policyArn: policy.arn, tagKeys: [...keys] }, null]],
      userAgent,
    );
  }

  /** A principal a call may change: IAM refuses changes to a service-linked role, which only its service makes. */
  #modifiable<K extends PrincipalKind>(kind: K, name: string | undefined): PrincipalOf[K] {
    const principal = findPrincipal(this.#state, kind, name);
    if (kind === 'role' && principal.path.startsWith('/aws-service-role/'))
      throw fault(
        'UnmodifiableEntity',
        400,
        `Cannot perform the operation on the protected role '${principal.name}' - this role is only modifiable by AWS`,
      );
    return principal;
  }

  /** A managed policy ARN that can be attached or be a boundary: a customer policy that exists, or AWS managed. */
  #attachable(policyArn: string | undefined): string {
    if (policyArn !== undefined && this.#state.attachable(policyArn)) return policyArn;
    throw fault('NoSuchEntity', 404, `Policy ${policyArn} does not exist or is not attachable.`);
  }

  #absent(kind: PrincipalKind, name: string, message: string): void {
    if (this.#state.principals(kind).has(name)) throw fault('EntityAlreadyExists', 409, message);
  }

  #newPrincipal(prefix: string, name: string, path: string | undefined): SimPrincipal {
    return {
      name,
      id: `${prefix}${this.#context.model.random.upperAlnum(17)}`,
      path: path ?? '/',
      createDate: wholeSeconds(this.#context.now()),
      inline: new Map(),
      attached: [],
    };
  }

  /** Records a call on one principal: its name first among the request parameters (`roleName`…). */
  #record(
    eventName: string,
    kind: PrincipalKind,
    principal: SimPrincipal,
    parameters: Record<string, unknown>,
    userAgent: string | undefined,
  ): SimulatedEvent[] {
    return this.#recordCalls(
      [[eventName, { [`${kind}Name`]: principal.name, ...parameters }, null]],
      userAgent,
    );
  }

  #recordCalls(calls: readonly IamCall[], userAgent: string | undefined): SimulatedEvent[] {
    return recordIamCalls(this.#context, calls, userAgent);
  }
}

/** The policy text as sent, or IAM's `MalformedPolicyDocument` when it is not a JSON object. */
function checkedPolicy(document: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(document ?? '');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return document as string;
  } catch {
    // Answered below, as IAM answers any document it cannot parse.
  }
  throw fault('MalformedPolicyDocument', 400, 'Syntax errors in policy.');
}

function checkedSessionDuration(seconds: number): number {
  if (Number.isInteger(seconds) && seconds >= SESSION_DURATION.min && seconds <= SESSION_DURATION.max)
    return seconds;
  const bound =
    seconds < SESSION_DURATION.min
      ? `greater than or equal to ${SESSION_DURATION.min}`
      : `less than or equal to ${SESSION_DURATION.max}`;
  throw fault(
    'ValidationError',
    400,
    `1 validation error detected: Value '${seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${bound}`,
  );
}

/** One version of a policy, or IAM's `NoSuchEntity`. */
function policyVersion(policy: SimManagedPolicy, versionId: string | undefined): SimPolicyVersion {
  return found(
    policy.versions.find((version) => version.id === versionId),
    `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
  );
}

/** `tags` with `added` put in: a key it has gets the new value in place, a new key comes last. */
function taggedWith(tags: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(tags.map((tag) => [tag.Key, { ...tag }]));
  for (const tag of added) byKey.set(tag.Key, { Key: tag.Key, Value: tag.Value });
  return [...byKey.values()];
}

/** Tags as CloudTrail records them in IAM's request parameters. */
function trailTags(tags: readonly Tag[]): Array<{ key: string | undefined; value: string | undefined }> {
  return tags.map((tag) => ({ key: tag.Key, value: tag.Value }));
}
