import { isDeepStrictEqual } from 'node:util';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import {
  createdSince,
  fromParts,
  hasEntries,
  type PartPlan,
  type StepOf,
  stepsOf,
  tagList,
  tagSteps,
  unread,
  unreadPart,
} from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import { type PlanInput, type PlannedChange, RestoreAction, type RestoreSpec } from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import {
  boundaryArn,
  boundarySteps,
  membershipSteps,
  newIdNote,
  policySteps,
  principalInput,
} from './iam-restore-shared.js';
import { iamService } from './services.js';
import { isJsonObject } from './support.js';

/** A user's credentials, by document field: never restored, as their secrets are never captured. */
const CREDENTIALS: ReadonlyArray<readonly [string, string]> = [
  ['LoginProfile', 'console password (login profile)'],
  ['AccessKeys', 'access keys'],
  ['SSHPublicKeys', 'SSH public keys'],
  ['ServiceSpecificCredentials', 'service-specific credentials'],
  ['MFADevices', 'MFA devices'],
];

/**
 * How a user is restored: its permissions boundary, inline and attached policies, group memberships and tags, each
 * put back or removed. A deleted user is created again (name, path, boundary, tags), then given its policies and
 * groups; it gets a new unique id. Credentials are never restored: a console password, access keys, SSH keys,
 * service-specific credentials and MFA devices hold secrets Tidemark never captures, so the plan names those that
 * differ.
 */
export const iamUserRestore: RestoreSpec = {
  plan: planUser,
  apply: commandApplier(iamService, {
    CreateUser: CreateUserCommand,
    PutUserPermissionsBoundary: PutUserPermissionsBoundaryCommand,
    DeleteUserPermissionsBoundary: DeleteUserPermissionsBoundaryCommand,
    PutUserPolicy: PutUserPolicyCommand,
    DeleteUserPolicy: DeleteUserPolicyCommand,
    AttachUserPolicy: AttachUserPolicyCommand,
    DetachUserPolicy: DetachUserPolicyCommand,
    AddUserToGroup: AddUserToGroupCommand,
    RemoveUserFromGroup: RemoveUserFromGroupCommand,
    TagUser: TagUserCommand,
    UntagUser: UntagUserCommand,
  }),
};

function planUser({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live);
  const step = stepsOf('iam', target.region);
  const name = target.id;
  const document = captured.document;
  const membership = (group: string) => ({ GroupName: group, UserName: name });
  if (!live) return recreateUser(document, name, step);
  return fromParts(RestoreAction.UPDATE, [
    boundarySteps(
      'User',
      name,
      userOf(document).PermissionsBoundary,
      userOf(live.document).PermissionsBoundary,
      step,
    ),
    policySteps('User', name, document, live.document, step),
    membershipSteps(document.Groups, live.document.Groups, membership, step),
    tagSteps(
      { tag: 'TagUser', untag: 'UntagUser', resource: principalInput('User', name) },
      document.Tags,
      live.document.Tags,
      step,
    ),
    credentialsNote(document, live.document),
  ]);
}

/** `CreateUser` with what it had, then its policies and groups; notes on its new id and its credentials. */
function recreateUser(document: JsonObject, name: string, step: StepOf): PlannedChange {
  const boundary = boundaryArn(userOf(document).PermissionsBoundary);
  const create = step(
    'CreateUser',
    {
      UserName: name,
      Path: userOf(document).Path ?? '/',
      ...(boundary === undefined ? {} : { PermissionsBoundary: boundary }),
      ...(hasEntries(document.Tags) && !unread(document.Tags) ? { Tags: tagList(document.Tags) } : {}),
    },
    'create the user again with its path, boundary and tags',
  );
  const tagsNote = unreadPart('its tags', document.Tags, undefined);
  return fromParts(RestoreAction.RECREATE, [
    { steps: [create], notes: [newIdNote('user', document, 'User.UserId'), ...(tagsNote ? [tagsNote] : [])] },
    policySteps('User', name, document, undefined, step),
    membershipSteps(document.Groups, [], (group) => ({ GroupName: group, UserName: name }), step),
    credentialsNote(document, undefined),
  ]);
}

/** The credentials that differ from the captured ones: named, never restored. */
function credentialsNote(document: JsonObject, live: JsonObject | undefined): PartPlan {
  const differ = CREDENTIALS.filter(
    ([field]) =>
      (held(document[field]) || held(live?.[field])) && !isDeepStrictEqual(document[field], live?.[field]),
  ).map(([, what]) => what);
  if (differ.length === 0) return { steps: [], notes: [] };
  return {
    steps: [],
    notes: [
      `secrets are never restored: its ${listed(differ)} differ from the moment restored to; create or remove them by hand`,
    ],
  };
}

/** `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Whether a credential part holds anything: a login profile, or a non-empty map of keys or devices. */
function held(value: Json | undefined): boolean {
  return value !== undefined && value !== null && (!isJsonObject(value) || Object.keys(value).length > 0);
}

function userOf(document: JsonObject): JsonObject {
  return isJsonObject(document.User) ? document.User : {};
}
