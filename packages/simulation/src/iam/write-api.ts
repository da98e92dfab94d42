import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import type { Operation } from '../dispatch.js';
import {
  arnTarget,
  boundaryOf,
  groupShape,
  type IamOperation,
  policyShape,
  principalTarget,
  roleShape,
  tagsOf,
  userShape,
} from './api.js';
import type { IamState } from './model.js';
import type { IamWrites } from './writes.js';

/**
 * The IAM calls that change the simulated account, each answered through {@link IamWrites} with the caller's user
 * agent in its CloudTrail record: roles (create, update, trust policy, boundary, tags), users (create, boundary,
 * tags, groups), groups (create), the inline and attached policies of all three, and customer managed policies
 * (create, versions, default version, tags).
 */
export function iamWriteOperations(state: IamState, writes: IamWrites, op: IamOperation): Operation[] {
  const role = (name: string | undefined) => principalTarget(state, 'role', name);
  const user = (name: string | undefined) => principalTarget(state, 'user', name);
  const group = (name: string | undefined) => principalTarget(state, 'group', name);
  const policy = arnTarget;

  return [
    op(CreateRoleCommand, {
      action: 'iam:CreateRole',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        const created = writes.createRole(
          {
            name: input.RoleName ?? '',
            path: input.Path,
            trustPolicy: input.AssumeRolePolicyDocument ?? '',
            description: input.Description,
            maxSessionDuration: input.MaxSessionDuration,
            permissionsBoundary: input.PermissionsBoundary,
            tags: input.Tags,
          },
          call.userAgent,
        );
        const { entity } = created;
        return {
          Role: {
            ...roleShape(state, entity, false),
            ...boundaryOf(entity.permissionsBoundary),
            ...tagsOf(entity.tags),
          },
        };
      },
    }),
    op(UpdateRoleCommand, {
      action: 'iam:UpdateRole',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        const changes = { description: input.Description, maxSessionDuration: input.MaxSessionDuration };
        writes.updateRole(input.RoleName, changes, call.userAgent);
        return {};
      },
    }),
    op(UpdateAssumeRolePolicyCommand, {
      action: 'iam:UpdateAssumeRolePolicy',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.updateTrustPolicy(input.RoleName, input.PolicyDocument, call.userAgent);
        return {};
      },
    }),
    op(PutRolePolicyCommand, {
      action: 'iam:PutRolePolicy',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.putInlinePolicy(
          'role',
          input.RoleName,
          input.PolicyName,
          input.PolicyDocument,
          call.userAgent,
        );
        return {};
      },
    }),
    op(DeleteRolePolicyCommand, {
      action: 'iam:DeleteRolePolicy',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.deleteInlinePolicy('role', input.RoleName, input.PolicyName, call.userAgent);
        return {};
      },
    }),
    op(AttachRolePolicyCommand, {
      action: 'iam:AttachRolePolicy',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.attachPolicy('role', input.RoleName, input.PolicyArn, call.userAgent);
        return {};
      },
    }),
    op(DetachRolePolicyCommand, {
      action: 'iam:DetachRolePolicy',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.detachPolicy('role', input.RoleName, input.PolicyArn, call.userAgent);
        return {};
      },
    }),
    op(PutRolePermissionsBoundaryCommand, {
      action: 'iam:PutRolePermissionsBoundary',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.putBoundary('role', input.RoleName, input.PermissionsBoundary, call.userAgent);
        return {};
      },
    }),
    op(DeleteRolePermissionsBoundaryCommand, {
      action: 'iam:DeleteRolePermissionsBoundary',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.deleteBoundary('role', input.RoleName, call.userAgent);
        return {};
      },
    }),
    op(TagRoleCommand, {
      action: 'iam:TagRole',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.tag('role', input.RoleName, input.Tags, call.userAgent);
        return {};
      },
    }),
    op(UntagRoleCommand, {
      action: 'iam:UntagRole',
      target: (input) => role(input.RoleName),
      answer: (input, call) => {
        writes.untag('role', input.RoleName, input.TagKeys, call.userAgent);
        return {};
      },
    }),
    op(CreateUserCommand, {
      action: 'iam:CreateUser',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        const { entity } = writes.createUser(
          {
            name: input.UserName ?? '',
            path: input.Path,
            permissionsBoundary: input.PermissionsBoundary,
            tags: input.Tags,
          },
          call.userAgent,
        );
        return {
          User: {
            ...userShape(state, entity, false),
            ...boundaryOf(entity.permissionsBoundary),
            ...tagsOf(entity.tags),
          },
        };
      },
    }),
    op(PutUserPolicyCommand, {
      action: 'iam:PutUserPolicy',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.putInlinePolicy(
          'user',
          input.UserName,
          input.PolicyName,
          input.PolicyDocument,
          call.userAgent,
        );
        return {};
      },
    }),
    op(DeleteUserPolicyCommand, {
      action: 'iam:DeleteUserPolicy',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.deleteInlinePolicy('user', input.UserName, input.PolicyName, call.userAgent);
        return {};
      },
    }),
    op(AttachUserPolicyCommand, {
      action: 'iam:AttachUserPolicy',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.attachPolicy('user', input.UserName, input.PolicyArn, call.userAgent);
        return {};
      },
    }),
    op(DetachUserPolicyCommand, {
      action: 'iam:DetachUserPolicy',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.detachPolicy('user', input.UserName, input.PolicyArn, call.userAgent);
        return {};
      },
    }),
    op(PutUserPermissionsBoundaryCommand, {
      action: 'iam:PutUserPermissionsBoundary',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.putBoundary('user', input.UserName, input.PermissionsBoundary, call.userAgent);
        return {};
      },
    }),
    op(DeleteUserPermissionsBoundaryCommand, {
      action: 'iam:DeleteUserPermissionsBoundary',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.deleteBoundary('user', input.UserName, call.userAgent);
        return {};
      },
    }),
    op(TagUserCommand, {
      action: 'iam:TagUser',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.tag('user', input.UserName, input.Tags, call.userAgent);
        return {};
      },
    }),
    op(UntagUserCommand, {
      action: 'iam:UntagUser',
      target: (input) => user(input.UserName),
      answer: (input, call) => {
        writes.untag('user', input.UserName, input.TagKeys, call.userAgent);
        return {};
      },
    }),
    op(CreateGroupCommand, {
      action: 'iam:CreateGroup',
      target: (input) => group(input.GroupName),
      answer: (input, call) => ({
        Group: groupShape(
          state,
          writes.createGroup(input.GroupName ?? '', input.Path, call.userAgent).entity,
        ),
      }),
    }),
    op(PutGroupPolicyCommand, {
      action: 'iam:PutGroupPolicy',
      target: (input) => group(input.GroupName),
      answer: (input, call) => {
        writes.putInlinePolicy(
          'group',
          input.GroupName,
          input.PolicyName,
          input.PolicyDocument,
          call.userAgent,
        );
        return {};
      },
    }),
    op(DeleteGroupPolicyCommand, {
      action: 'iam:DeleteGroupPolicy',
      target: (input) => group(input.GroupName),
      answer: (input, call) => {
        writes.deleteInlinePolicy('group', input.GroupName, input.PolicyName, call.userAgent);
        return {};
      },
    }),
    op(AttachGroupPolicyCommand, {
      action: 'iam:AttachGroupPolicy',
      target: (input) => group(input.GroupName),
      answer: (input, call) => {
        writes.attachPolicy('group', input.GroupName, input.PolicyArn, call.userAgent);
        return {};
      },
    }),
    op(DetachGroupPolicyCommand, {
      action: 'iam:DetachGroupPolicy',
      target: (input) => group(input.GroupName),
      answer: (input, call) => {
        writes.detachPolicy('group', input.GroupName, input.PolicyArn, call.userAgent);
        return {};
      },
    }),
    op(AddUserToGroupCommand, {
      action: 'iam:AddUserToGroup',
      target: (input) => group(input.GroupName),
      answer: (input, call) => {
        writes.addUserToGroup(input.GroupName, input.UserName, call.userAgent);
        return {};
      },
    }),
    op(RemoveUserFromGroupCommand, {
      action: 'iam:RemoveUserFromGroup',
      target: (input) => group(input.GroupName),
      answer: (input, call) => {
        writes.removeUserFromGroup(input.GroupName, input.UserName, call.userAgent);
        return {};
      },
    }),
    op(CreatePolicyCommand, {
      action: 'iam:CreatePolicy',
      answer: (input, call) => {
        const { entity } = writes.createPolicy(
          {
            name: input.PolicyName ?? '',
            path: input.Path,
            document: input.PolicyDocument ?? '',
            description: input.Description,
            tags: input.Tags,
          },
          call.userAgent,
        );
        return { Policy: { ...policyShape(state, entity, false), ...tagsOf(entity.tags) } };
      },
    }),
    op(CreatePolicyVersionCommand, {
      action: 'iam:CreatePolicyVersion',
      target: (input) => policy(input.PolicyArn),
      answer: (input, call) => {
        const setAsDefault = input.SetAsDefault === true;
        const { entity } = writes.createPolicyVersion(
          input.PolicyArn,
          input.PolicyDocument,
          setAsDefault,
          call.userAgent,
        );
        return {
          PolicyVersion: {
            VersionId: entity.id,
            IsDefaultVersion: setAsDefault,
            CreateDate: entity.createDate,
          },
        };
      },
    }),
    op(DeletePolicyVersionCommand, {
      action: 'iam:DeletePolicyVersion',
      target: (input) => policy(input.PolicyArn),
      answer: (input, call) => {
        writes.deletePolicyVersion(input.PolicyArn, input.VersionId, call.userAgent);
        return {};
      },
    }),
    op(SetDefaultPolicyVersionCommand, {
      action: 'iam:SetDefaultPolicyVersion',
      target: (input) => policy(input.PolicyArn),
      answer: (input, call) => {
        writes.setDefaultPolicyVersion(input.PolicyArn, input.VersionId, call.userAgent);
        return {};
      },
    }),
    op(TagPolicyCommand, {
      action: 'iam:TagPolicy',
      target: (input) => policy(input.PolicyArn),
      answer: (input, call) => {
        writes.tagPolicy(input.PolicyArn, input.Tags, call.userAgent);
        return {};
      },
    }),
    op(UntagPolicyCommand, {
      action: 'iam:UntagPolicy',
      target: (input) => policy(input.PolicyArn),
      answer: (input, call) => {
        writes.untagPolicy(input.PolicyArn, input.TagKeys, call.userAgent);
        return {};
      },
    }),
  ];
}
