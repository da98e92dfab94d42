import {
  type GetGroupCommandOutput,
  GetGroupPolicyCommand,
  paginateGetGroup,
  paginateListAttachedGroupPolicies,
  paginateListGroupPolicies,
  paginateListGroups,
} from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { iamGroupRestore } from './iam-group-restore.js';
import {
  found,
  IAM_EVENT_SOURCE,
  normalisedPolicies,
  notRead,
  readPrincipalPolicies,
  sortedStrings,
  stringsAt,
} from './iam-shared.js';
import { iamService } from './services.js';
import { collectPages, limitedPages, pick } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::IAM::Group';

/**
 * The groups a call names: `requestParameters.groupName` (and `newGroupName` of a rename), or a new group's
 * `responseElements.group.groupName`.
 */
export const groupFromRecord: IdExtractor = (record) =>
  stringsAt(record, [
    ['requestParameters', 'groupName'],
    ['requestParameters', 'newGroupName'],
    ['responseElements', 'group', 'groupName'],
  ]);

/** CloudTrail events that create, delete or change a group (its policies and members). */
const GROUP_EVENTS = [
  'CreateGroup',
  'DeleteGroup',
  'UpdateGroup',
  'PutGroupPolicy',
  'DeleteGroupPolicy',
  'AttachGroupPolicy',
  'DetachGroupPolicy',
  'AddUserToGroup',
  'RemoveUserFromGroup',
] as const;

const GROUP_FIELDS = ['Path', 'GroupName', 'GroupId', 'Arn', 'CreateDate'] as const;

async function* listGroups(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(iamService, region);
  for await (const page of limitedPages(ctx.limit(iamService), paginateListGroups({ client }, {}))) {
    for (const group of page.Groups ?? []) if (group.GroupName) yield { id: group.GroupName };
  }
}

async function describeGroup(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(iamService, region);
  const limit = ctx.limit(iamService);
  const GroupName = name;

  // GetGroup pages through the members; every page repeats the group itself.
  const pages = await readPart({ ...spec, operation: 'iam:GetGroup' }, () =>
    collectPages(limit, paginateGetGroup({ client }, { GroupName }), (page): GetGroupCommandOutput[] => [
      page,
    ]),
  );
  if (pages.state !== 'ok') return notRead(pages);

  const policies = await readPrincipalPolicies(spec, {
    listInline: {
      operation: 'iam:ListGroupPolicies',
      call: () =>
        collectPages(limit, paginateListGroupPolicies({ client }, { GroupName }), (page) => page.PolicyNames),
    },
    getInline: {
      operation: 'iam:GetGroupPolicy',
      call: async (PolicyName) =>
        (await limit(() => client.send(new GetGroupPolicyCommand({ GroupName, PolicyName })))).PolicyDocument,
    },
    listAttached: {
      operation: 'iam:ListAttachedGroupPolicies',
      call: () =>
        collectPages(
          limit,
          paginateListAttachedGroupPolicies({ client }, { GroupName }),
          (page) => page.AttachedPolicies,
        ),
    },
  });
  if (policies.notFound) return { status: 'not-found' };

  const raw: JsonObject = {
    Group: pick(pages.value[0]?.Group, GROUP_FIELDS),
    Members: pages.value.flatMap((page) => (page.Users ?? []).map((user) => user.UserName ?? null)),
    InlinePolicies: policies.InlinePolicies,
    AttachedPolicies: policies.AttachedPolicies,
  };
  return found(raw, policies.gaps);
}

/**
 * `AWS::IAM::Group`: a group with its members (user names, sorted), inline policies (documents parsed, keyed by
 * name) and attached managed policies (keyed by ARN). Identifier: the group name.
 */
export const iamGroup: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:ListGroups',
  permissions: [
    'iam:ListGroups',
    'iam:GetGroup',
    'iam:ListGroupPolicies',
    'iam:GetGroupPolicy',
    'iam:ListAttachedGroupPolicies',
  ],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(GROUP_EVENTS.map((name) => [name, groupFromRecord])),
  list: listGroups,
  describe: (ctx, id, region) => describeGroup(ctx, id, region),
  restore: iamGroupRestore,
  normalise(raw) {
    const normalised: JsonObject = { ...raw, ...normalisedPolicies(raw) };
    const members = sortedStrings(raw.Members);
    if (members !== undefined) normalised.Members = members;
    return normalised;
  },
};
