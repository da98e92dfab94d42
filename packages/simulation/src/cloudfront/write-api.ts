import {
  type DistributionConfig,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
  type UpdateDistributionCommandInput,
} from '@aws-sdk/client-cloudfront';
import { type CallTarget, defineOperation, type Operation } from '../dispatch.js';
import { fault } from '../errors.js';
import type { SimulationContext } from '../service-simulator.js';
import type { CloudFrontState, SimDistribution } from './model.js';
import { emitCloudFrontCall, taggingTrail, updateDistributionTrail } from './trail.js';
import { distributionView } from './views.js';

/** A rule an `UpdateDistribution` must pass, with the error CloudFront answers when it does not. */
interface UpdateRule {
  readonly broken: (
    input: UpdateDistributionCommandInput,
    config: DistributionConfig,
    distribution: SimDistribution,
    state: CloudFrontState,
  ) => boolean;
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/**
 * What CloudFront checks of an `UpdateDistribution`, in order: the `If-Match` ETag first (missing: 400, stale: 412,
 * so a configuration changed since it was read is never overwritten), then the new configuration.
 */
const UPDATE_RULES: readonly UpdateRule[] = [
  {
    broken: ({ IfMatch }) => !IfMatch,
    code: 'InvalidIfMatchVersion',
    status: 400,
    message: 'The If-Match version is missing or not valid for the resource.',
  },
  {
    broken: ({ IfMatch }, _config, distribution) => IfMatch !== distribution.etag,
    code: 'PreconditionFailed',
    status: 412,
    message:
      "The request failed because it didn't meet the preconditions in one or more request-header fields.",
  },
  {
    broken: (_input, config, distribution) => config.CallerReference !== distribution.config.CallerReference,
    code: 'IllegalUpdate',
    status: 400,
    message: 'The CallerReference of a distribution cannot be changed.',
  },
  {
    broken: (_input, config) => !consistentQuantities(config),
    code: 'InconsistentQuantities',
    status: 400,
    message: "The value of Quantity and the size of Items don't match.",
  },
  {
    broken: (_input, config) => missingTargetOrigin(config),
    code: 'NoSuchOrigin',
    status: 404,
    message: 'One or more of your origins or origin groups do not exist.',
  },
  {
    broken: (_input, config, distribution, state) => {
      const elsewhere = state.aliasesElsewhere(distribution.id);
      return (config.Aliases?.Items ?? []).some((alias) => elsewhere.has(alias));
    },
    code: 'CNAMEAlreadyExists',
    status: 409,
    message: 'One or more of the CNAMEs you provided are already associated with a different resource.',
  },
];

/** Whether every `{ Quantity, Items }` list of a configuration, however deep, has as many items as it says. */
function consistentQuantities(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(consistentQuantities);
  if (value === null || typeof value !== 'object') return true;
  const { Quantity, Items } = value as { Quantity?: unknown; Items?: unknown };
  if (typeof Quantity === 'number' && Quantity !== (Array.isArray(Items) ? Items.length : 0)) return false;
  return Object.values(value).every(consistentQuantities);
}

/** Whether a cache behaviour targets an origin or origin group the configuration does not have. */
function missingTargetOrigin(config: DistributionConfig): boolean {
  const targets = new Set([
    ...(config.Origins?.Items ?? []).map((origin) => origin.Id),
    ...(config.OriginGroups?.Items ?? []).map((group) => group.Id),
  ]);
  const behaviours = [config.DefaultCacheBehavior, ...(config.CacheBehaviors?.Items ?? [])];
  return behaviours.some((behaviour) => behaviour !== undefined && !targets.has(behaviour.TargetOriginId));
}

/**
 * The CloudFront calls that change the simulated account, answered as CloudFront answers them: `UpdateDistribution`
 * (the whole configuration replaced, guarded by `IfMatch`: a new ETag on every update), `TagResource` and
 * `UntagResource` on distributions (204, neither ETag nor `LastModifiedTime` moves). Each is recorded in CloudTrail
 * as AWS records it, with the caller's user agent.
 */
export function cloudFrontWriteOperations(state: CloudFrontState, context: SimulationContext): Operation[] {
  const byArn = (input: { Resource?: string | undefined }): CallTarget => ({
    ids: [input.Resource?.split('/').pop() ?? ''],
    arn: input.Resource ?? '*',
  });
  const tagged = (arn: string | undefined): SimDistribution => {
    if (!arn?.startsWith(`arn:aws:cloudfront::${state.accountId}:`))
      throw fault('InvalidArgument', 400, `The specified ARN is not valid: ${arn}`);
    const distribution = state.distributionByArn(arn);
    if (!distribution) throw fault('NoSuchResource', 404, 'The specified resource does not exist.');
    return distribution;
  };
  return [
    defineOperation(UpdateDistributionCommand, {
      action: 'cloudfront:UpdateDistribution',
      target: (input) => ({ ids: [input.Id ?? ''], arn: state.arn('distribution', input.Id ?? '') }),
      answer: (input, call) => {
        const distribution = state.distributions.get(input.Id ?? '');
        if (!distribution)
          throw fault('NoSuchDistribution', 404, 'The specified distribution does not exist.');
        const config = input.DistributionConfig;
        if (!config)
          throw fault(
            'MissingBody',
            400,
            'This operation requires a body. Ensure that the body is present and the Content-Type header is set.',
          );
        const broken = UPDATE_RULES.find((rule) => rule.broken(input, config, distribution, state));
        if (broken) throw fault(broken.code, broken.status, broken.message);
        const ifMatch = distribution.etag;
        state.reconfigure(distribution, structuredClone(config), context.now());
        emitCloudFrontCall(
          context,
          'UpdateDistribution',
          updateDistributionTrail(state, distribution, ifMatch),
          call.userAgent,
        );
        return {
          Distribution: distributionView(state, distribution, context.now()),
          ETag: distribution.etag,
        };
      },
    }),
    defineOperation(TagResourceCommand, {
      action: 'cloudfront:TagResource',
      target: byArn,
      answer: (input, call) => {
        const distribution = tagged(input.Resource);
        const tags = input.Tags?.Items ?? [];
        state.tag(distribution, tags);
        emitCloudFrontCall(
          context,
          'TagResource',
          taggingTrail(context.now(), distribution.arn, { tags }),
          call.userAgent,
        );
        call.status = 204;
        return {};
      },
    }),
    defineOperation(UntagResourceCommand, {
      action: 'cloudfront:UntagResource',
      target: byArn,
      answer: (input, call) => {
        const distribution = tagged(input.Resource);
        const keys = input.TagKeys?.Items ?? [];
        state.untag(distribution, keys);
        emitCloudFrontCall(
          context,
          'UntagResource',
          taggingTrail(context.now(), distribution.arn, { keys }),
          call.userAgent,
        );
        call.status = 204;
        return {};
      },
    }),
  ];
}
