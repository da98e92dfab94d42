import type { Tag } from '@aws-sdk/client-iam';
import type { ServiceProfile } from '../dispatch.js';
import type { SimulatedServiceModule, SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { iamOperation, iamProfile } from './api.js';
import { IamState } from './model.js';
import { seedIam } from './seed.js';
import { type IamCall, recordIamCalls } from './trail.js';
import { iamWriteOperations } from './write-api.js';
import { IamWrites, MAX_POLICY_VERSIONS } from './writes.js';

/** A policy document as the caller sent it: text as is, an object as compact JSON. */
function documentText(document: string | object): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/**
 * The IAM of the simulated account: the business's roles, users, groups, customer managed policies, identity
 * providers and password policy (see `seedIam`), the read API Tidemark calls, and changes a test can make, each
 * returning the CloudTrail event IAM records (in `us-east-1`, event source `iam.amazonaws.com`).
 *
 * @example
 * const [event] = account.iam.putRolePolicy('booking-handler-role', 'refunds', { Version: '2012-10-17', Statement: [] });
 */
export class SimulatedIam implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  readonly #state: IamState;
  readonly #context: SimulationContext;
  readonly #writes: IamWrites;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#state = new IamState(context.model.accountId);
    seedIam(this.#state, context.model, { roles: scale.iamRoles ?? 0, users: scale.iamUsers ?? 0 });
    this.#writes = new IamWrites(this.#state, context);
    const writeOperations = iamWriteOperations(this.#state, this.#writes, iamOperation(context.model));
    this.profiles = [iamProfile(this.#state, context.model, writeOperations)];
  }

  /** Adds or replaces an inline policy of a role (`PutRolePolicy`). */
  putRolePolicy(role: string, policyName: string, document: string | object): SimulatedEvent[] {
    return this.#writes.putInlinePolicy('role', role, policyName, documentText(document));
  }

  /** Removes an inline policy of a role (`DeleteRolePolicy`). */
  deleteRolePolicy(role: string, policyName: string): SimulatedEvent[] {
    return this.#writes.deleteInlinePolicy('role', role, policyName);
  }

  /** Attaches a managed policy (customer or AWS managed) to a role (`AttachRolePolicy`); attaching twice is a no-op. */
  attachRolePolicy(role: string, policyArn: string): SimulatedEvent[] {
    return this.#writes.attachPolicy('role', role, policyArn);
  }

  /** Detaches a managed policy from a role (`DetachRolePolicy`). */
  detachRolePolicy(role: string, policyArn: string): SimulatedEvent[] {
    return this.#writes.detachPolicy('role', role, policyArn);
  }

  /** Replaces a role's trust policy (`UpdateAssumeRolePolicy`). */
  updateAssumeRolePolicy(role: string, document: string | object): SimulatedEvent[] {
    return this.#writes.updateTrustPolicy(role, documentText(document));
  }

  /** Changes a role's description (an empty one removes it) or maximum session duration (`UpdateRole`). */
  updateRole(role: string, changes: { description?: string; maxSessionDuration?: number }): SimulatedEvent[] {
    return this.#writes.updateRole(role, changes);
  }

  /** Sets a role's permissions boundary (`PutRolePermissionsBoundary`). */
  putRolePermissionsBoundary(role: string, policyArn: string): SimulatedEvent[] {
    return this.#writes.putBoundary('role', role, policyArn);
  }

  /** Adds or replaces tags of a role (`TagRole`). */
  tagRole(role: string, tags: Record<string, string>): SimulatedEvent[] {
    return this.#writes.tag('role', role, tagList(tags));
  }

  /** Removes tags of a role by key (`UntagRole`). */
  untagRole(role: string, keys: readonly string[]): SimulatedEvent[] {
    return this.#writes.untag('role', role, keys);
  }

  /**
   * Deletes a role as the console does: detaches its managed policies, deletes its inline policies, then the role,
   * one event per call. Service-linked roles cannot be deleted this way.
   */
  deleteRole(name: string): SimulatedEvent[] {
    const role = this.#state.role(name);
    if (role.path.startsWith('/aws-service-role/')) {
      throw new Error(`role ${name} is service-linked: its service deletes it (DeleteServiceLinkedRole)`);
    }
    const roleName = role.name;
    const calls: IamCall[] = [
      ...role.attached.map((policyArn): IamCall => ['DetachRolePolicy', { roleName, policyArn }, null]),
      ...[...role.inline.keys()].map(
        (policyName): IamCall => ['DeleteRolePolicy', { roleName, policyName }, null],
      ),
      ['DeleteRole', { roleName }, null],
    ];
    this.#state.roles.delete(name);
    return recordIamCalls(this.#context, calls);
  }

  /** Creates a user at path `/`, without console access or keys (`CreateUser`). */
  createUser(name: string): SimulatedEvent[] {
    return this.#writes.createUser({ name }).events;
  }

  /** Adds or replaces an inline policy of a user (`PutUserPolicy`). */
  putUserPolicy(user: string, policyName: string, document: string | object): SimulatedEvent[] {
    return this.#writes.putInlinePolicy('user', user, policyName, documentText(document));
  }

  /** Attaches a managed policy to a user (`AttachUserPolicy`). */
  attachUserPolicy(user: string, policyArn: string): SimulatedEvent[] {
    return this.#writes.attachPolicy('user', user, policyArn);
  }

  /** Adds or replaces tags of a user (`TagUser`). */
  tagUser(user: string, tags: Record<string, string>): SimulatedEvent[] {
    return this.#writes.tag('user', user, tagList(tags));
  }

  /** Adds a user to a group (`AddUserToGroup`); adding a member again is a no-op. */
  addUserToGroup(user: string, group: string): SimulatedEvent[] {
    return this.#writes.addUserToGroup(group, user);
  }

  /** Removes a user from a group (`RemoveUserFromGroup`). */
  removeUserFromGroup(user: string, group: string): SimulatedEvent[] {
    return this.#writes.removeUserFromGroup(group, user);
  }

  /** Detaches a managed policy from a group (`DetachGroupPolicy`). */
  detachGroupPolicy(group: string, policyArn: string): SimulatedEvent[] {
    return this.#writes.detachPolicy('group', group, policyArn);
  }

  /** Adds or replaces an inline policy of a group (`PutGroupPolicy`). */
  putGroupPolicy(group: string, policyName: string, document: string | object): SimulatedEvent[] {
    return this.#writes.putInlinePolicy('group', group, policyName, documentText(document));
  }

  /** Adds a version to a customer managed policy, as its default when `setAsDefault` (`CreatePolicyVersion`). */
  createPolicyVersion(policyArn: string, document: string | object, setAsDefault: boolean): SimulatedEvent[] {
    const policy = this.#state.policy(policyArn);
    if (policy.versions.length >= MAX_POLICY_VERSIONS) {
      throw new Error(`policy ${policy.name} already has ${MAX_POLICY_VERSIONS} versions: delete one first`);
    }
    return this.#writes.createPolicyVersion(policyArn, documentText(document), setAsDefault).events;
  }

  /** Adds or replaces tags of a customer managed policy (`TagPolicy`). */
  tagPolicy(policyArn: string, tags: Record<string, string>): SimulatedEvent[] {
    return this.#writes.tagPolicy(policyArn, tagList(tags));
  }
}

/** A tag map as IAM's tag list. */
function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
