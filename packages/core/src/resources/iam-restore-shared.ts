import {
  keyedDifference,
  type PartPlan,
  pathsContaining,
  type StepOf,
  unread,
  unreadPart,
} from '../restore/parts.js';
import type { RestoreStep } from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { isJsonObject } from './support.js';

/** How a kind of principal is named in IAM's operations (`PutRolePolicy`) and inputs (`RoleName`). */
export type PrincipalLabel = 'Role' | 'User' | 'Group';

/** The principals with a permissions boundary and tags. */
export type BoundedLabel = Exclude<PrincipalLabel, 'Group'>;

/** What names a principal in IAM's inputs: `{ RoleName: name }`. */
export function principalInput(label: PrincipalLabel, name: string): JsonObject {
  return { [`${label}Name`]: name };
}

/**
 * The steps that make a principal's inline policies (documents keyed by name) and attached managed policies (keyed
 * by ARN) the captured ones, against `live` (an empty principal when it is created again): inline policies added
 * since deleted, the others put back; managed policies attached since detached, the others attached. Removals come
 * first, so the size and count quotas never refuse what is put back.
 */
export function policySteps(
  label: PrincipalLabel,
  name: string,
  captured: JsonObject,
  live: JsonObject | undefined,
  step: StepOf,
): PartPlan {
  const principal = principalInput(label, name);
  const kind = label.toLowerCase();
  const notes: string[] = [];
  const steps: RestoreStep[] = [];
  const inlineNote = unreadPart('its inline policies', captured.InlinePolicies, live?.InlinePolicies);
  if (inlineNote) notes.push(inlineNote);
  else {
    const before = captured.InlinePolicies as JsonObject | undefined;
    const { put, added } = keyedDifference(before, live?.InlinePolicies);
    for (const PolicyName of added)
      steps.push(
        step(
          `Delete${label}Policy`,
          { ...principal, PolicyName },
          `delete the inline policy ${PolicyName} added since`,
        ),
      );
    for (const PolicyName of put) {
      const document = before?.[PolicyName];
      if (unread(document) || document === undefined || document === null)
        notes.push(
          `the inline policy ${PolicyName} was not captured at that moment (see its gaps): not restored`,
        );
      else
        steps.push(
          step(
            `Put${label}Policy`,
            { ...principal, PolicyName, PolicyDocument: policyText(document) },
            `put back the inline policy ${PolicyName} as it was`,
          ),
        );
    }
  }
  const attachedNote = unreadPart('its managed policies', captured.AttachedPolicies, live?.AttachedPolicies);
  if (attachedNote) notes.push(attachedNote);
  else {
    const { put, added } = keyedDifference(captured.AttachedPolicies, live?.AttachedPolicies);
    for (const PolicyArn of added)
      steps.push(
        step(
          `Detach${label}Policy`,
          { ...principal, PolicyArn },
          `detach ${PolicyArn}, attached to the ${kind} since`,
        ),
      );
    for (const PolicyArn of put)
      steps.push(step(`Attach${label}Policy`, { ...principal, PolicyArn }, `attach ${PolicyArn} again`));
  }
  return { steps, notes };
}

/**
 * The step that makes a role's or user's permissions boundary (`{ PermissionsBoundaryArn }`) the captured one:
 * put back, or removed when it had none.
 */
export function boundarySteps(
  label: BoundedLabel,
  name: string,
  before: Json | undefined,
  now: Json | undefined,
  step: StepOf,
): PartPlan {
  const then = boundaryArn(before);
  const current = boundaryArn(now);
  if (then === current) return { steps: [], notes: [] };
  const principal = principalInput(label, name);
  return {
    steps: [
      then === undefined
        ? step(`Delete${label}PermissionsBoundary`, principal, 'remove the permissions boundary set since')
        : step(
            `Put${label}PermissionsBoundary`,
            { ...principal, PermissionsBoundary: then },
            `put back the permissions boundary ${then}`,
          ),
    ],
    notes: [],
  };
}

/** The ARN of a permissions boundary as `GetRole` / `GetUser` report it, if any. */
export function boundaryArn(boundary: Json | undefined): string | undefined {
  const arn = isJsonObject(boundary) ? boundary.PermissionsBoundaryArn : undefined;
  return typeof arn === 'string' ? arn : undefined;
}

/** A policy document as IAM takes it: JSON text (the stored document is parsed; one kept as text is sent as is). */
export function policyText(document: Json): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/**
 * The steps that make group memberships (sorted name lists: a user's `Groups`, a group's `Members`) the captured
 * ones: `AddUserToGroup` for each one lost, `RemoveUserFromGroup` for each one gained since. `pair` names the group
 * and user of a membership from the other side's name.
 */
export function membershipSteps(
  before: Json | undefined,
  now: Json | undefined,
  pair: (other: string) => { GroupName: string; UserName: string },
  step: StepOf,
): PartPlan {
  const note = unreadPart('its group memberships', before, now);
  if (note) return { steps: [], notes: [note] };
  const then = names(before);
  const current = names(now);
  const removed = current.filter((name) => !then.includes(name)).map(pair);
  const added = then.filter((name) => !current.includes(name)).map(pair);
  return {
    steps: [
      ...removed.map((members) =>
        step(
          'RemoveUserFromGroup',
          members,
          `remove ${members.UserName} from ${members.GroupName}, joined since`,
        ),
      ),
      ...added.map((members) =>
        step('AddUserToGroup', members, `add ${members.UserName} to ${members.GroupName} again`),
      ),
    ],
    notes: [],
  };
}

/**
 * What the plan says of a role or user created again: its new unique id (at `idPath` in the captured document),
 * where its own captured document named the old one, and that other resources' policies were not searched.
 */
export function newIdNote(kind: 'role' | 'user', document: JsonObject, idPath: string): string {
  const [entity, field] = idPath.split('.') as [string, string];
  const id = String((isJsonObject(document[entity]) ? document[entity][field] : undefined) ?? '');
  const named = pathsContaining(document, id).filter((path) => path !== idPath);
  const where =
    named.length > 0
      ? `its captured document names the old id at ${named.join(', ')}`
      : 'its captured document names the old id nowhere else';
  return `the ${kind} created again gets a new unique id: policies naming the old one (${id}) no longer apply to it; ${where}. Only this document was searched: check the trust and resource policies of other resources that named the ${kind} (IAM shows the old id in them in place of its ARN once a ${kind} is deleted)`;
}

function names(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
}
