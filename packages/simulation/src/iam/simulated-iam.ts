import type { ServiceProfile } from '../dispatch.js';
import { wholeSeconds } from '../model.js';
import type { SimulatedServiceModule, SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { iamEndpointRegion, iamProfile } from './api.js';
import { IamState, type SimUser } from './model.js';
import { seedIam } from './seed.js';

/** IAM keeps at most five versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A date as IAM's CloudTrail records write `createDate` in responses: `Jun 2, 2024, 8:16:32 PM` (UTC). */
export function cloudTrailIamDate(date: Date): string {
  const hours = date.getUTCHours();
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${time} ${hours < 12 ? 'AM' : 'PM'}`;
}

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

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#state = new IamState(context.model.accountId);
    seedIam(this.#state, context.model, { roles: scale.iamRoles ?? 0, users: scale.iamUsers ?? 0 });
    this.profiles = [iamProfile(this.#state, context.model)];
  }

  /** Adds or replaces an inline policy of a role (`PutRolePolicy`). */
  putRolePolicy(role: string, policyName: string, document: string | object): SimulatedEvent[] {
    const target = this.#state.role(role);
    const policyDocument = documentText(document);
    target.inline.set(policyName, policyDocument);
    return this.#emit([['PutRolePolicy', { roleName: target.name, policyName, policyDocument }, null]]);
  }

  /** Attaches a managed policy (customer or AWS managed) to a role (`AttachRolePolicy`); attaching twice is a no-op. */
  attachRolePolicy(role: string, policyArn: string): SimulatedEvent[] {
    const target = this.#state.role(role);
    if (!this.#state.attachable(policyArn)) throw new Error(`no managed policy ${policyArn} to attach`);
    if (!target.attached.includes(policyArn)) target.attached.push(policyArn);
    return this.#emit([['AttachRolePolicy', { roleName: target.name, policyArn }, null]]);
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
    const calls: EventSpec[] = [
      ...role.attached.map((policyArn): EventSpec => ['DetachRolePolicy', { roleName, policyArn }, null]),
      ...[...role.inline.keys()].map(
        (policyName): EventSpec => ['DeleteRolePolicy', { roleName, policyName }, null],
      ),
      ['DeleteRole', { roleName }, null],
    ];
    this.#state.roles.delete(name);
    return this.#emit(calls);
  }

  /** Creates a user at path `/`, without console access or keys (`CreateUser`). */
  createUser(name: string): SimulatedEvent[] {
    if (this.#state.users.has(name)) throw new Error(`user ${name} already exists`);
    const createDate = wholeSeconds(this.#context.now());
    const user: SimUser = {
      name,
      id: `AIDA${this.#context.model.random.upperAlnum(17)}`,
      path: '/',
      createDate,
      tags: [],
      inline: new Map<string, string>(),
      attached: [],
      accessKeys: [],
      mfaDevices: [],
    };
    this.#state.users.set(name, user);
    const response = {
      user: {
        path: user.path,
        userName: name,
        userId: user.id,
        arn: this.#state.arn('user', user.path, name),
        createDate: cloudTrailIamDate(createDate),
      },
    };
    return this.#emit([['CreateUser', { userName: name }, response]]);
  }

  /** Adds a user to a group (`AddUserToGroup`); adding a member again is a no-op. */
  addUserToGroup(user: string, group: string): SimulatedEvent[] {
    const member = this.#state.user(user);
    const target = this.#state.group(group);
    if (!target.members.includes(member.name)) target.members.push(member.name);
    return this.#emit([['AddUserToGroup', { groupName: target.name, userName: member.name }, null]]);
  }

  /** Adds a version to a customer managed policy, as its default when `setAsDefault` (`CreatePolicyVersion`). */
  createPolicyVersion(policyArn: string, document: string | object, setAsDefault: boolean): SimulatedEvent[] {
    const policy = this.#state.policy(policyArn);
    if (policy.versions.length >= MAX_POLICY_VERSIONS) {
      throw new Error(`policy ${policy.name} already has ${MAX_POLICY_VERSIONS} versions: delete one first`);
    }
    const createDate = wholeSeconds(this.#context.now());
    const policyDocument = documentText(document);
    const version = { id: `v${policy.nextVersion}`, document: policyDocument, createDate };
    policy.nextVersion++;
    policy.versions.push(version);
    // `UpdateDate` is when the newest version was created, default or not.
    policy.updateDate = createDate;
    if (setAsDefault) policy.defaultVersion = version.id;
    const response = {
      policyVersion: {
        versionId: version.id,
        isDefaultVersion: setAsDefault,
        createDate: cloudTrailIamDate(createDate),
      },
    };
    return this.#emit([['CreatePolicyVersion', { policyArn, policyDocument, setAsDefault }, response]]);
  }

  #emit(calls: readonly EventSpec[]): SimulatedEvent[] {
    const { events, model } = this.#context;
    const at = this.#context.now();
    return this.#context.emit(
      calls.map(([eventName, requestParameters, responseElements]) =>
        events.apiCall({
          eventSource: 'iam.amazonaws.com',
          eventName,
          // IAM records its events where its global endpoint is.
          region: iamEndpointRegion(model.homeRegion),
          at,
          requestParameters,
          responseElements,
        }),
      ),
    );
  }
}

/** One IAM call to record: event name, request parameters, response elements. */
type EventSpec = readonly [string, Record<string, unknown>, Record<string, unknown> | null];
