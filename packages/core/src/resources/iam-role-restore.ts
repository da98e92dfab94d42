import { isDeepStrictEqual } from 'node:util';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import {
  createdSince,
  fromParts,
  hasEntries,
  type PartPlan,
  type StepOf,
  stepsOf,
  type Tagging,
  tagList,
  tagSteps,
  unread,
  unreadPart,
} from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import { type PlanInput, type PlannedChange, RestoreAction, type RestoreSpec } from '../restore/types.js';
import type { JsonObject } from '../types/json.js';
import {
  boundaryArn,
  boundarySteps,
  newIdNote,
  policySteps,
  policyText,
  principalInput,
} from './iam-restore-shared.js';
import { iamService } from './services.js';
import { isJsonObject } from './support.js';

/** IAM's default maximum session duration of a role, in seconds. */
const DEFAULT_SESSION_SECONDS = 3600;

/**
 * How a role is restored: its trust policy (`UpdateAssumeRolePolicy`), description and maximum session duration
 * (`UpdateRole`), permissions boundary, inline and attached policies and tags, each put back or removed. A deleted
 * role is created again with the same name, path, trust policy, description, boundary and tags, then its policies;
 * it gets a new unique id, which the plan's notes say. A service-linked role is its service's to restore; instance
 * profiles are named in the notes, not restored.
 */
export const iamRoleRestore: RestoreSpec = {
  plan: planRole,
  apply: commandApplier(iamService, {
    CreateRole: CreateRoleCommand,
    UpdateRole: UpdateRoleCommand,
    UpdateAssumeRolePolicy: UpdateAssumeRolePolicyCommand,
    PutRolePermissionsBoundary: PutRolePermissionsBoundaryCommand,
    DeleteRolePermissionsBoundary: DeleteRolePermissionsBoundaryCommand,
    PutRolePolicy: PutRolePolicyCommand,
    DeleteRolePolicy: DeleteRolePolicyCommand,
    AttachRolePolicy: AttachRolePolicyCommand,
    DetachRolePolicy: DetachRolePolicyCommand,
    TagRole: TagRoleCommand,
    UntagRole: UntagRoleCommand,
  }),
};

function planRole({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live);
  const role = roleOf(captured.document);
  if (String(role.Path ?? '').startsWith('/aws-service-role/'))
    return {
      action: RestoreAction.CANNOT,
      reason: 'a service-linked role: only its service creates and changes it',
      steps: [],
    };
  const step = stepsOf('iam', target.region);
  const name = target.id;
  if (!live) return recreateRole(captured.document, name, step);
  const now = roleOf(live.document);
  return fromParts(RestoreAction.UPDATE, [
    settingSteps(role, now, name, step),
    boundarySteps('Role', name, role.PermissionsBoundary, now.PermissionsBoundary, step),
    policySteps('Role', name, captured.document, live.document, step),
    tagSteps(tagging(name), captured.document.Tags, live.document.Tags, step),
    instanceProfileNote(captured.document, live.document),
  ]);
}

/** The trust policy, description and session duration, each call sent only when its part differs. */
function settingSteps(role: JsonObject, now: JsonObject, name: string, step: StepOf): PartPlan {
  const steps = [];
  if (!isDeepStrictEqual(role.AssumeRolePolicyDocument, now.AssumeRolePolicyDocument))
    steps.push(
      step(
        'UpdateAssumeRolePolicy',
        { RoleName: name, PolicyDocument: policyText(role.AssumeRolePolicyDocument ?? null) },
        'put back the trust policy it had',
      ),
    );
  if (role.Description !== now.Description || role.MaxSessionDuration !== now.MaxSessionDuration)
    steps.push(
      step(
        'UpdateRole',
        {
          RoleName: name,
          // An empty description removes one set since.
          Description: role.Description ?? '',
          MaxSessionDuration: role.MaxSessionDuration ?? DEFAULT_SESSION_SECONDS,
        },
        'put back its description and maximum session duration',
      ),
    );
  return { steps, notes: [] };
}

/** `CreateRole` with what it had, then its policies; notes on the new unique id and what is not re-created. */
function recreateRole(document: JsonObject, name: string, step: StepOf): PlannedChange {
  const role = roleOf(document);
  const boundary = boundaryArn(role.PermissionsBoundary);
  const create = step(
    'CreateRole',
    {
      RoleName: name,
      Path: role.Path ?? '/',
      AssumeRolePolicyDocument: policyText(role.AssumeRolePolicyDocument ?? null),
      ...(typeof role.Description === 'string' ? { Description: role.Description } : {}),
      MaxSessionDuration: role.MaxSessionDuration ?? DEFAULT_SESSION_SECONDS,
      ...(boundary === undefined ? {} : { PermissionsBoundary: boundary }),
      ...(hasEntries(document.Tags) && !unread(document.Tags) ? { Tags: tagList(document.Tags) } : {}),
    },
    'create the role again with its trust policy, description, boundary and tags',
  );
  const tagsNote = unreadPart('its tags', document.Tags, undefined);
  return fromParts(RestoreAction.RECREATE, [
    { steps: [create], notes: [newIdNote('role', document, 'Role.RoleId'), ...(tagsNote ? [tagsNote] : [])] },
    policySteps('Role', name, document, undefined, step),
    instanceProfileNote(document, undefined),
  ]);
}

/** Instance profiles the role was in and no longer is (or the reverse): not restored. */
function instanceProfileNote(document: JsonObject, live: JsonObject | undefined): PartPlan {
  const before = document.InstanceProfiles;
  const now = live?.InstanceProfiles;
  if (isDeepStrictEqual(before ?? {}, now ?? {}) || (!hasEntries(before) && !hasEntries(now)))
    return { steps: [], notes: [] };
  return {
    steps: [],
    notes: [
      'its instance profiles differ and are not restored: add the role back with AddRoleToInstanceProfile',
    ],
  };
}

function tagging(name: string): Tagging {
  return { tag: 'TagRole', untag: 'UntagRole', resource: principalInput('Role', name) };
}

function roleOf(document: JsonObject): JsonObject {
  return isJsonObject(document.Role) ? document.Role : {};
}
