import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  DeleteGroupPolicyCommand,
  DetachGroupPolicyCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { createdSince, fromParts, stepsOf } from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import { type PlanInput, type PlannedChange, RestoreAction, type RestoreSpec } from '../restore/types.js';
import { membershipSteps, policySteps } from './iam-restore-shared.js';
import { iamService } from './services.js';
import { isJsonObject } from './support.js';

/**
 * How a group is restored: its inline and attached policies and its members, each put back or removed. A deleted
 * group is created again (name, path), then given its policies and members. Groups have no tags.
 */
export const iamGroupRestore: RestoreSpec = {
  plan: planGroup,
  apply: commandApplier(iamService, {
    CreateGroup: CreateGroupCommand,
    PutGroupPolicy: PutGroupPolicyCommand,
    DeleteGroupPolicy: DeleteGroupPolicyCommand,
    AttachGroupPolicy: AttachGroupPolicyCommand,
    DetachGroupPolicy: DetachGroupPolicyCommand,
    AddUserToGroup: AddUserToGroupCommand,
    RemoveUserFromGroup: RemoveUserFromGroupCommand,
  }),
};

function planGroup({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live);
  const step = stepsOf('iam', target.region);
  const name = target.id;
  const document = captured.document;
  const membership = (user: string) => ({ GroupName: name, UserName: user });
  if (!live) {
    const group = isJsonObject(document.Group) ? document.Group : {};
    const create = step(
      'CreateGroup',
      { GroupName: name, Path: group.Path ?? '/' },
      'create the group again',
    );
    return fromParts(RestoreAction.RECREATE, [
      { steps: [create], notes: [] },
      policySteps('Group', name, document, undefined, step),
      membershipSteps(document.Members, [], membership, step),
    ]);
  }
  return fromParts(RestoreAction.UPDATE, [
    policySteps('Group', name, document, live.document, step),
    membershipSteps(document.Members, live.document.Members, membership, step),
  ]);
}
