import {
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { iamRoleCloudFormation } from './iam-role-cloudformation.js';
import { iamRoleRestore } from './iam-role-restore.js';
import {
  found,
  gapsOf,
  IAM_EVENT_SOURCE,
  normalisedPolicies,
  notRead,
  policyDocument,
  readPrincipalPolicies,
  stringsAt,
} from './iam-shared.js';
import { iamService } from './services.js';
import { collectPages, isJsonObject, keyedBy, limitedPages, pick, tagsAsMap, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::IAM::Role';

/** The role a call names: `requestParameters.roleName`, or a new role's `responseElements.role.roleName`. */
export const roleFromRecord: IdExtractor = (record) =>
  stringsAt(record, [
    ['requestParameters', 'roleName'],
    ['responseElements', 'role', 'roleName'],
  ]);

/** CloudTrail events that create, delete or change a role (its policies, boundary, tags, instance profiles). */
const ROLE_EVENTS = [
  'CreateRole',
  'DeleteRole',
  'CreateServiceLinkedRole',
  'DeleteServiceLinkedRole',
  'UpdateRole',
  'UpdateRoleDescription',
  'UpdateAssumeRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'TagRole',
  'UntagRole',
  'AddRoleToInstanceProfile',
  'RemoveRoleFromInstanceProfile',
] as const;

/** What `GetRole` answers, tags apart (kept as their own map). */
const ROLE_FIELDS = [
  'Path',
  'RoleName',
  'RoleId',
  'Arn',
  'CreateDate',
  'AssumeRolePolicyDocument',
  'Description',
  'MaxSessionDuration',
  'PermissionsBoundary',
  'RoleLastUsed',
] as const;

/** What is kept of an instance profile the role is in (not its `Roles`, which repeat this role). */
const INSTANCE_PROFILE_FIELDS = [
  'InstanceProfileName',
  'InstanceProfileId',
  'Arn',
  'Path',
  'CreateDate',
] as const;

async function* listRoles(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(iamService, region);
  for await (const page of limitedPages(ctx.limit(iamService), paginateListRoles({ client }, {}))) {
    for (const role of page.Roles ?? []) if (role.RoleName) yield { id: role.RoleName };
  }
}

async function describeRole(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(iamService, region);
  const limit = ctx.limit(iamService);
  const RoleName = name;

  const role = await readPart({ ...spec, operation: 'iam:GetRole' }, () =>
    limit(() => client.send(new GetRoleCommand({ RoleName }))),
  );
  if (role.state !== 'ok') return notRead(role);

  const [policies, profiles] = await Promise.all([
    readPrincipalPolicies(spec, {
      listInline: {
        operation: 'iam:ListRolePolicies',
        call: () =>
          collectPages(limit, paginateListRolePolicies({ client }, { RoleName }), (page) => page.PolicyNames),
      },
      getInline: {
        operation: 'iam:GetRolePolicy',
        call: async (PolicyName) =>
          (await limit(() => client.send(new GetRolePolicyCommand({ RoleName, PolicyName })))).PolicyDocument,
      },
      listAttached: {
        operation: 'iam:ListAttachedRolePolicies',
        call: () =>
          collectPages(
            limit,
            paginateListAttachedRolePolicies({ client }, { RoleName }),
            (page) => page.AttachedPolicies,
          ),
      },
    }),
    readPart({ ...spec, operation: 'iam:ListInstanceProfilesForRole' }, () =>
      collectPages(
        limit,
        paginateListInstanceProfilesForRole({ client }, { RoleName }),
        (page) => page.InstanceProfiles,
      ),
    ),
  ]);
  if (policies.notFound || profiles.state === 'not-found') return { status: 'not-found' };

  const raw: JsonObject = {
    Role: pick(role.value.Role, ROLE_FIELDS),
    Tags: toJson(role.value.Role?.Tags ?? []) ?? [],
    InlinePolicies: policies.InlinePolicies,
    AttachedPolicies: policies.AttachedPolicies,
    InstanceProfiles: partValue(profiles, (list) =>
      list.map((profile) => pick(profile, INSTANCE_PROFILE_FIELDS)),
    ),
  };
  return found(raw, [...policies.gaps, ...gapsOf([profiles])]);
}

/**
 * `AWS::IAM::Role`: a role (service-linked roles included) with its trust policy, description, session duration,
 * permissions boundary, tags, inline policies (documents parsed, keyed by name), attached managed policies (keyed
 * by ARN) and instance profiles (keyed by name). Identifier: the role name. `Role.RoleLastUsed` is volatile.
 */
export const iamRole: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:ListRoles',
  permissions: [
    'iam:ListRoles',
    'iam:GetRole',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:ListInstanceProfilesForRole',
  ],
  volatile: ['Role.RoleLastUsed'],
  secrets: [],
  events: Object.fromEntries(ROLE_EVENTS.map((name) => [name, roleFromRecord])),
  list: listRoles,
  describe: (ctx, id, region) => describeRole(ctx, id, region),
  cloudFormation: iamRoleCloudFormation,
  restore: iamRoleRestore,
  normalise(raw) {
    const normalised: JsonObject = { ...raw, ...normalisedPolicies(raw) };
    if (isJsonObject(raw.Role) && raw.Role.AssumeRolePolicyDocument !== undefined) {
      normalised.Role = {
        ...raw.Role,
        AssumeRolePolicyDocument: policyDocument(raw.Role.AssumeRolePolicyDocument) ?? null,
      };
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    const profiles = keyedBy(raw.InstanceProfiles, 'InstanceProfileName');
    if (profiles !== undefined) normalised.InstanceProfiles = profiles;
    return normalised;
  },
};
