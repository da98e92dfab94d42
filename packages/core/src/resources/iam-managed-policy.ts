import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  paginateListPolicies,
  paginateListPolicyVersions,
} from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, Json, JsonObject, ListedResource } from '../types/resource.js';
import { iamManagedPolicyRestore } from './iam-managed-policy-restore.js';
import {
  anyNotFound,
  found,
  gapsOf,
  IAM_EVENT_SOURCE,
  iamArnsAt,
  NO_SUCH_ENTITY,
  notRead,
  policyDocument,
} from './iam-shared.js';
import { iamService } from './services.js';
import { collectPages, isJsonObject, limitedPages, pick, tagsAsMap, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::IAM::ManagedPolicy';

/**
 * The customer managed policy a call names: `requestParameters.policyArn`, or a new policy's
 * `responseElements.policy.arn`. AWS managed policies (`arn:aws:iam::aws:policy/…`) are not captured.
 */
export const policyFromRecord: IdExtractor = (record) =>
  iamArnsAt(record, 'policy', [
    ['requestParameters', 'policyArn'],
    ['responseElements', 'policy', 'arn'],
  ]);

/**
 * CloudTrail events that create, delete or change a customer managed policy. Attaching it to a principal changes
 * the principal (and only this policy's volatile `AttachmentCount`), so attach events map to the principal alone.
 */
const POLICY_EVENTS = [
  'CreatePolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'DeletePolicyVersion',
  'SetDefaultPolicyVersion',
  'TagPolicy',
  'UntagPolicy',
] as const;

/** What `GetPolicy` answers, tags apart (kept as their own map). */
const POLICY_FIELDS = [
  'PolicyName',
  'PolicyId',
  'Arn',
  'Path',
  'Description',
  'DefaultVersionId',
  'AttachmentCount',
  'PermissionsBoundaryUsageCount',
  'IsAttachable',
  'CreateDate',
  'UpdateDate',
] as const;

async function* listPolicies(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(iamService, region);
  const pages = paginateListPolicies({ client }, { Scope: 'Local' });
  for await (const page of limitedPages(ctx.limit(iamService), pages)) {
    for (const policy of page.Policies ?? []) if (policy.Arn) yield { id: policy.Arn };
  }
}

async function describePolicy(ctx: CaptureContext, arn: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: arn };
  const client = ctx.client(iamService, region);
  const limit = ctx.limit(iamService);
  const PolicyArn = arn;

  const [policy, versions] = await Promise.all([
    readPart({ ...spec, operation: 'iam:GetPolicy' }, () =>
      limit(() => client.send(new GetPolicyCommand({ PolicyArn }))),
    ),
    readPart({ ...spec, operation: 'iam:ListPolicyVersions' }, () =>
      collectPages(limit, paginateListPolicyVersions({ client }, { PolicyArn }), (page) => page.Versions),
    ),
  ]);
  if (policy.state !== 'ok') return notRead(policy);
  if (anyNotFound([versions])) return { status: 'not-found' };

  // Every version's document, each by its own call; a version deleted meanwhile is left out.
  const listed = versions.state === 'ok' ? versions.value : [];
  const documents = await Promise.all(
    listed.map((version) =>
      readPart({ ...spec, operation: 'iam:GetPolicyVersion', absentCodes: NO_SUCH_ENTITY }, () =>
        limit(() => client.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: version.VersionId }))),
      ),
    ),
  );
  const versionValues: Json[] = [];
  listed.forEach((version, index) => {
    const document = documents[index] as (typeof documents)[number];
    if (document.state === 'absent' || document.state === 'not-found') return;
    versionValues.push({
      ...pick(version, ['VersionId', 'IsDefaultVersion', 'CreateDate']),
      Document: partValue(document, (output) => output.PolicyVersion?.Document ?? null),
    });
  });

  const raw: JsonObject = {
    Policy: pick(policy.value.Policy, POLICY_FIELDS),
    Tags: toJson(policy.value.Policy?.Tags ?? []) ?? [],
    Versions: partValue(versions, () => versionValues),
  };
  return found(raw, gapsOf([versions, ...documents]));
}

/**
 * `AWS::IAM::ManagedPolicy`: a customer managed policy (AWS managed policies are not captured) with its
 * description, default version, tags and every version's document (parsed, keyed by version id, with
 * `IsDefaultVersion`). Identifier: the policy ARN, as CloudFormation's physical id of a managed policy.
 * `Policy.AttachmentCount` and `Policy.PermissionsBoundaryUsageCount` are volatile: they change when a principal
 * attaches the policy, a change recorded on that principal.
 */
export const iamManagedPolicy: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:ListPolicies',
  permissions: ['iam:ListPolicies', 'iam:GetPolicy', 'iam:ListPolicyVersions', 'iam:GetPolicyVersion'],
  volatile: ['Policy.AttachmentCount', 'Policy.PermissionsBoundaryUsageCount'],
  secrets: [],
  events: Object.fromEntries(POLICY_EVENTS.map((name) => [name, policyFromRecord])),
  list: listPolicies,
  describe: (ctx, id, region) => describePolicy(ctx, id, region),
  restore: iamManagedPolicyRestore,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    if (Array.isArray(raw.Versions)) {
      const versions: JsonObject = {};
      for (const version of raw.Versions) {
        if (!isJsonObject(version) || typeof version.VersionId !== 'string') continue;
        versions[version.VersionId] = { ...version, Document: policyDocument(version.Document) ?? null };
      }
      normalised.Versions = versions;
    }
    return normalised;
  },
};
