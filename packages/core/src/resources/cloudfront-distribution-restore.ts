import { isDeepStrictEqual } from 'node:util';
import {
  GetDistributionConfigCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { mapPath } from '../canonical/paths.js';
import { UNKNOWN_MARKER } from '../constants.js';
import { createdSince, stepsOf } from '../restore/parts.js';
import { commandApplier, sendCommand } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreContext,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { cloudFrontService } from './services.js';
import { isJsonObject } from './support.js';

/** Lists of the configuration the stored document keys by id (see the definition's `normalise`). */
const KEYED_LISTS = ['Origins.Items', 'OriginGroups.Items'] as const;

const applyTagging = commandApplier(cloudFrontService, {
  TagResource: TagResourceCommand,
  UntagResource: UntagResourceCommand,
});

/**
 * How a distribution is restored: its whole captured `DistributionConfig` sent back with `UpdateDistribution`,
 * guarded by the ETag read just before (`GetDistributionConfig`), so a configuration someone changes in between is
 * never overwritten (CloudFront answers `PreconditionFailed`, reported as the step's failure and never retried); its
 * tags with `TagResource` and `UntagResource`. A deleted distribution is not created again: a new one gets a new id
 * and domain name.
 */
export const cloudFrontDistributionRestore: RestoreSpec = {
  plan: planDistribution,
  apply: (ctx, step) =>
    step.operation === 'UpdateDistribution' ? updateDistribution(ctx, step) : applyTagging(ctx, step),
};

function planDistribution({ captured, live, target }: PlanInput): PlannedChange {
  if (!captured) return createdSince(live, { byHand: 'disable it, then delete it' });
  if (!live)
    return {
      action: RestoreAction.CANNOT,
      reason:
        'the distribution was deleted: one created again (CreateDistributionWithTags) gets a new id and a new domain name, so DNS aliases must be pointed at it, and its alternate domain names may now belong to another distribution (CNAMEAlreadyExists); create it by hand from the captured configuration',
      steps: [],
    };
  const step = stepsOf('cloudfront', target.region);
  const config = (captured.document.DistributionConfig ?? {}) as JsonObject;
  const liveConfig = (live.document.DistributionConfig ?? {}) as JsonObject;
  const steps: RestoreStep[] = [];
  const changed = Object.keys({ ...config, ...liveConfig }).filter(
    (name) => !isDeepStrictEqual(config[name], liveConfig[name]),
  );
  if (changed.length > 0)
    steps.push(
      step(
        'UpdateDistribution',
        {
          Id: target.id,
          // The ETag of the configuration the plan was made against: a change made since is refused, not overwritten.
          ...(live.fingerprint === undefined ? {} : { IfMatch: live.fingerprint }),
          DistributionConfig: { ...sdkConfig(config), CallerReference: liveConfig.CallerReference ?? null },
        },
        `set ${changed.sort().join(', ')} as they were (IfMatch: the ETag the plan read)`,
      ),
    );
  const arn = String(live.document.ARN ?? captured.document.ARN);
  const tags = tagChanges(captured.document.Tags, live.document.Tags);
  if (tags === undefined)
    return withSteps(steps, [
      'the tags were not read at one of the two moments (see its gaps): they are not restored',
    ]);
  if (tags.put.length > 0)
    steps.push(step('TagResource', { Resource: arn, Tags: { Items: tags.put } }, 'put back the tags it had'));
  if (tags.removed.length > 0)
    steps.push(
      step(
        'UntagResource',
        { Resource: arn, TagKeys: { Items: tags.removed } },
        'remove the tags added since',
      ),
    );
  return withSteps(steps, []);
}

function withSteps(steps: RestoreStep[], notes: string[]): PlannedChange {
  const noted = notes.length > 0 ? { notes } : {};
  if (steps.length > 0) return { action: RestoreAction.UPDATE, steps, ...noted };
  return {
    action: RestoreAction.NOTHING,
    reason:
      'nothing a restore can set differs: only what CloudFront derives (the active key groups, the status)',
    steps,
    ...noted,
  };
}

/** The stored configuration as CloudFront takes it: origins and origin groups as arrays again. */
function sdkConfig(config: JsonObject): JsonObject {
  return KEYED_LISTS.reduce<JsonObject>(
    (document, path) =>
      mapPath(document, path, (items) => (isJsonObject(items) ? Object.values(items) : items)),
    config,
  );
}

/** The tags to put back and the keys to remove; `undefined` when either side's tags were not read. */
function tagChanges(
  captured: Json | undefined,
  live: Json | undefined,
): { readonly put: JsonObject[]; readonly removed: string[] } | undefined {
  const before = captured ?? {};
  const now = live ?? {};
  if (!isJsonObject(before) || !isJsonObject(now) || UNKNOWN_MARKER in before || UNKNOWN_MARKER in now)
    return undefined;
  return {
    put: Object.entries(before)
      .filter(([key, value]) => now[key] !== value)
      .map(([Key, Value]) => ({ Key, Value })),
    removed: Object.keys(now).filter((key) => !(key in before)),
  };
}

/**
 * Sends the captured configuration with the ETag the plan read as `IfMatch` (the live `CallerReference` kept:
 * CloudFront refuses to change it). A `PreconditionFailed` (someone changed it since the plan) is thrown as the step's
 * failure: sending it again with a fresh ETag would overwrite their change. Without a planned ETag, the one read
 * just before is used.
 */
async function updateDistribution(ctx: RestoreContext, step: RestoreStep): Promise<void> {
  if (typeof step.input.IfMatch === 'string') {
    await sendCommand(ctx, cloudFrontService, UpdateDistributionCommand, step);
    return;
  }
  const Id = String(step.input.Id);
  const client = ctx.client(cloudFrontService, step.region);
  const current = await ctx.limited(cloudFrontService, () =>
    client.send(new GetDistributionConfigCommand({ Id })),
  );
  await sendCommand(ctx, cloudFrontService, UpdateDistributionCommand, step, {
    ...step.input,
    ...(current.ETag === undefined ? {} : { IfMatch: current.ETag }),
  });
}
