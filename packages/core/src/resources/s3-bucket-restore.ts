import { isDeepStrictEqual } from 'node:util';
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { createdSince, type StepOf, stepsOf, unread } from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { s3Service } from './services.js';

/** One bucket setting a restore puts back: the document field, and the calls that set and remove it. */
interface BucketSetting {
  readonly field: string;
  readonly put: string;
  readonly remove?: string;
  /** The `Put…` input for the captured value. */
  input(value: Json): JsonObject;
}

/** In the order they are sent: the public access block before a policy it may refuse. */
const SETTINGS: readonly BucketSetting[] = [
  {
    field: 'PublicAccessBlock',
    put: 'PutPublicAccessBlock',
    remove: 'DeletePublicAccessBlock',
    input: (value) => ({ PublicAccessBlockConfiguration: value }),
  },
  {
    field: 'Policy',
    put: 'PutBucketPolicy',
    remove: 'DeleteBucketPolicy',
    input: (value) => ({ Policy: JSON.stringify(value) }),
  },
  {
    field: 'Tags',
    put: 'PutBucketTagging',
    remove: 'DeleteBucketTagging',
    input: (value) => ({
      Tagging: { TagSet: Object.entries(value as JsonObject).map(([Key, Value]) => ({ Key, Value })) },
    }),
  },
  {
    field: 'Cors',
    put: 'PutBucketCors',
    remove: 'DeleteBucketCors',
    input: (value) => ({ CORSConfiguration: { CORSRules: value } }),
  },
  {
    field: 'Website',
    put: 'PutBucketWebsite',
    remove: 'DeleteBucketWebsite',
    input: (value) => ({ WebsiteConfiguration: value }),
  },
  {
    field: 'Encryption',
    put: 'PutBucketEncryption',
    remove: 'DeleteBucketEncryption',
    input: (value) => ({ ServerSideEncryptionConfiguration: value }),
  },
  {
    field: 'Lifecycle',
    put: 'PutBucketLifecycleConfiguration',
    remove: 'DeleteBucketLifecycle',
    input: (value) => ({ LifecycleConfiguration: value }),
  },
  {
    field: 'Versioning',
    put: 'PutBucketVersioning',
    // Versioning once enabled can only be suspended.
    input: (value) => ({ VersioningConfiguration: { Status: (value as JsonObject).Status ?? 'Suspended' } }),
  },
];

/** Bucket fields a restore does not send, named in the plan when they differ. */
const PLANNED_ONLY = ['Acl', 'Logging', 'Notification', 'ObjectLock', 'OwnershipControls', 'Replication'];

/**
 * How a bucket's settings are restored: public access block, policy, tags, CORS, website, encryption, lifecycle and
 * versioning, each put back or removed; a deleted bucket is created again first. Its objects are their own resources.
 */
export const s3BucketRestore: RestoreSpec = {
  plan: planBucket,
  apply: commandApplier(s3Service, {
    CreateBucket: CreateBucketCommand,
    PutPublicAccessBlock: PutPublicAccessBlockCommand,
    DeletePublicAccessBlock: DeletePublicAccessBlockCommand,
    PutBucketPolicy: PutBucketPolicyCommand,
    DeleteBucketPolicy: DeleteBucketPolicyCommand,
    PutBucketTagging: PutBucketTaggingCommand,
    DeleteBucketTagging: DeleteBucketTaggingCommand,
    PutBucketCors: PutBucketCorsCommand,
    DeleteBucketCors: DeleteBucketCorsCommand,
    PutBucketWebsite: PutBucketWebsiteCommand,
    DeleteBucketWebsite: DeleteBucketWebsiteCommand,
    PutBucketEncryption: PutBucketEncryptionCommand,
    DeleteBucketEncryption: DeleteBucketEncryptionCommand,
    PutBucketLifecycleConfiguration: PutBucketLifecycleConfigurationCommand,
    DeleteBucketLifecycle: DeleteBucketLifecycleCommand,
    PutBucketVersioning: PutBucketVersioningCommand,
  }),
};

function planBucket({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live);
  const bucket = target.id;
  const serviceStep = stepsOf('s3', target.region);
  const step: StepOf = (operation, input, summary) =>
    serviceStep(operation, { Bucket: bucket, ...input }, summary);
  const steps: RestoreStep[] = [];
  if (!live)
    steps.push(
      step(
        'CreateBucket',
        target.region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: target.region } },
        `create the bucket again in ${target.region}`,
      ),
    );
  const unreadParts: string[] = [];
  for (const setting of SETTINGS) {
    const value = captured.document[setting.field];
    const current = live?.document[setting.field];
    if (isDeepStrictEqual(value ?? null, current ?? null)) continue;
    // A setting not read at one of the two moments is neither put back nor removed: its value is unknown.
    if (unread(value) || unread(current)) {
      unreadParts.push(setting.field);
      continue;
    }
    if (isEmpty(value)) {
      if (setting.remove && !isEmpty(current))
        steps.push(step(setting.remove, {}, `remove the ${setting.field} set since`));
      else if (setting.field === 'Versioning' && !isEmpty(current))
        steps.push(
          step(setting.put, setting.input({}), 'suspend versioning (it cannot be turned off once on)'),
        );
      continue;
    }
    steps.push(step(setting.put, setting.input(value as Json), `put back the ${setting.field} it had`));
  }
  const notes = [
    ...PLANNED_ONLY.filter(
      (field) => !isDeepStrictEqual(captured.document[field] ?? null, live?.document[field] ?? null),
    ).map((field) => `${field} differs and is not restored: set it by hand`),
    ...unreadParts.map(
      (field) => `${field} was not read at one of the two moments (see its gaps): not restored`,
    ),
  ];
  if (steps.length === 0)
    return { action: RestoreAction.NOTHING, steps: [], ...(notes.length > 0 ? { notes } : {}) };
  return {
    action: live ? RestoreAction.UPDATE : RestoreAction.RECREATE,
    steps,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

function isEmpty(value: Json | undefined): boolean {
  return (
    value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)
  );
}
