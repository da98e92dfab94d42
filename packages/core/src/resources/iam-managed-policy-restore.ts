import { isDeepStrictEqual } from 'node:util';
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
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
} from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import { type PlanInput, type PlannedChange, RestoreAction, type RestoreSpec } from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { policyText } from './iam-restore-shared.js';
import { iamService } from './services.js';
import { isJsonObject } from './support.js';

/** IAM keeps at most five versions of a managed policy. */
const MAX_VERSIONS = 5;

/**
 * How a customer managed policy is restored: the document of the default version it had becomes the default again
 * (the version that still holds it made default, else a new version, deleting the oldest non-default one first when
 * five exist), and its tags. IAM never rewinds a version history, so the policy's versions still differ afterwards;
 * its description cannot change after creation. A deleted policy is created again from its default version alone.
 */
export const iamManagedPolicyRestore: RestoreSpec = {
  plan: planPolicy,
  apply: commandApplier(iamService, {
    CreatePolicy: CreatePolicyCommand,
    CreatePolicyVersion: CreatePolicyVersionCommand,
    DeletePolicyVersion: DeletePolicyVersionCommand,
    SetDefaultPolicyVersion: SetDefaultPolicyVersionCommand,
    TagPolicy: TagPolicyCommand,
    UntagPolicy: UntagPolicyCommand,
  }),
};

function planPolicy({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live);
  const document = defaultDocument(captured.document);
  if (document === undefined)
    return {
      action: RestoreAction.CANNOT,
      reason: 'its default version was not captured at that moment (see its gaps)',
      steps: [],
    };
  const step = stepsOf('iam', target.region);
  const PolicyArn = target.id;
  if (!live) return recreatePolicy(captured.document, document, step);
  return fromParts(RestoreAction.UPDATE, [
    versionSteps(PolicyArn, document, live.document, step),
    tagSteps(
      { tag: 'TagPolicy', untag: 'UntagPolicy', resource: { PolicyArn } },
      captured.document.Tags,
      live.document.Tags,
      step,
    ),
    descriptionNote(captured.document, live.document),
  ]);
}

/**
 * The steps that make `document` the default version again: `SetDefaultPolicyVersion` to a version that still holds
 * it, else `CreatePolicyVersion` (after `DeletePolicyVersion` of the oldest non-default version when five exist).
 */
function versionSteps(PolicyArn: string, document: Json, live: JsonObject, step: StepOf): PartPlan {
  const now = defaultDocument(live);
  if (now !== undefined && isDeepStrictEqual(document, now)) return { steps: [], notes: [] };
  if (unread(live.Versions))
    return {
      steps: [],
      notes: ['its versions cannot be read now (see the gaps of the live read): not restored'],
    };
  const versions = versionsOf(live);
  const holding = versions.find((version) => isDeepStrictEqual(version.Document, document));
  if (holding)
    return {
      steps: [
        step(
          'SetDefaultPolicyVersion',
          { PolicyArn, VersionId: String(holding.VersionId) },
          `make ${String(holding.VersionId)}, which holds the document it had, the default version again`,
        ),
      ],
      notes: [],
    };
  const oldest = versions
    .filter((version) => version.IsDefaultVersion !== true)
    .sort((a, b) => versionNumber(a) - versionNumber(b))[0];
  const steps = [];
  if (versions.length >= MAX_VERSIONS && oldest)
    steps.push(
      step(
        'DeletePolicyVersion',
        { PolicyArn, VersionId: String(oldest.VersionId) },
        `delete ${String(oldest.VersionId)}, its oldest non-default version, to make room (IAM keeps five)`,
      ),
    );
  steps.push(
    step(
      'CreatePolicyVersion',
      { PolicyArn, PolicyDocument: policyText(document), SetAsDefault: true },
      'make the document it had the default version, as a new version',
    ),
  );
  return {
    steps,
    notes: ['the document it had becomes a new default version: its version history is not rewound'],
  };
}

/** `CreatePolicy` with its name, path, description, tags and the default document it had. */
function recreatePolicy(captured: JsonObject, document: Json, step: StepOf): PlannedChange {
  const policy = isJsonObject(captured.Policy) ? captured.Policy : {};
  const create = step(
    'CreatePolicy',
    {
      PolicyName: String(policy.PolicyName ?? ''),
      Path: policy.Path ?? '/',
      PolicyDocument: policyText(document),
      ...(typeof policy.Description === 'string' ? { Description: policy.Description } : {}),
      ...(hasEntries(captured.Tags) && !unread(captured.Tags) ? { Tags: tagList(captured.Tags) } : {}),
    },
    `create the policy again with the document of its default version ${String(policy.DefaultVersionId)}`,
  );
  return {
    action: RestoreAction.RECREATE,
    steps: [create],
    notes: [
      'the policy created again has only one version, v1, and a new id; the roles, users and groups it was attached to get it back when they are restored',
    ],
  };
}

function descriptionNote(captured: JsonObject, live: JsonObject): PartPlan {
  const before = isJsonObject(captured.Policy) ? captured.Policy.Description : undefined;
  const now = isJsonObject(live.Policy) ? live.Policy.Description : undefined;
  if (before === now) return { steps: [], notes: [] };
  return { steps: [], notes: ['its description differs and cannot be changed once a policy is created'] };
}

/** The document of the default version, parsed; `undefined` when it was not read. */
function defaultDocument(document: JsonObject): Json | undefined {
  const id = isJsonObject(document.Policy) ? document.Policy.DefaultVersionId : undefined;
  const version = versionsOf(document).find((candidate) => candidate.VersionId === id);
  const value = version?.Document;
  return value === undefined || value === null || unread(value) ? undefined : value;
}

function versionsOf(document: JsonObject): JsonObject[] {
  const versions = document.Versions;
  if (!isJsonObject(versions) || unread(versions)) return [];
  return Object.values(versions).filter(isJsonObject);
}

/** `v3` → 3: IAM numbers versions in the order they were created and never reuses a number. */
function versionNumber(version: JsonObject): number {
  return Number(String(version.VersionId ?? '').slice(1));
}
