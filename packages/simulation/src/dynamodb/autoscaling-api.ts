import {
  ApplicationAutoScalingClient,
  ApplicationAutoScalingServiceException,
  ConcurrentUpdateException,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  InternalServiceException,
  InvalidNextTokenException,
  type ScalableTarget,
  type ScalingPolicy,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import { type CallTarget, defineOperation, type ServiceProfile } from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, compareKeys, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import type { DynamoDbModel } from './model.js';

/** `MaxResults`: 1 to 50 scalable targets (default 50), 1 to 10 scaling policies (default 10). */
const MAX_TARGETS = 50;
const MAX_POLICIES = 10;

/** The table a resource id (`table/<name>` or `table/<name>/index/<index>`) belongs to. */
const TABLE_RESOURCE = /^table\/([^/]+)/;

/**
 * Application Auto Scaling of the simulated account (JSON 1.1 protocol), for the `dynamodb` namespace: the scalable
 * targets and target-tracking policies of the provisioned tables and indexes of the caller's region. A call's
 * target is the tables its `ResourceIds`/`ResourceId` name.
 */
export function applicationAutoScalingProfile(model: AccountModel, dynamo: DynamoDbModel): ServiceProfile {
  return {
    service: 'application-autoscaling',
    exceptions: {
      base: ApplicationAutoScalingServiceException,
      modeled: {
        ConcurrentUpdateException,
        InternalServiceException,
        InvalidNextTokenException,
        ValidationException,
      },
    },
    client: ApplicationAutoScalingClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDeniedException', status: 400, namesResource: false },
    }),
    operations: [
      defineOperation(DescribeScalableTargetsCommand, {
        action: 'application-autoscaling:DescribeScalableTargets',
        target: (input) => tablesOf(input.ResourceIds ?? []),
        answer: (input, call) => {
          const limit = maxResults(input.MaxResults, MAX_TARGETS);
          const selected = dynamo.scalableTargets.filter(
            (target) =>
              target.region === call.region &&
              target.ServiceNamespace === input.ServiceNamespace &&
              (input.ResourceIds === undefined ||
                input.ResourceIds.length === 0 ||
                input.ResourceIds.includes(target.ResourceId ?? '')) &&
              (input.ScalableDimension === undefined || input.ScalableDimension === target.ScalableDimension),
          );
          const { page, nextKey } = pageAfter(
            sortedBy(selected, targetKey),
            targetKey,
            after(input.NextToken),
            limit,
          );
          return {
            ScalableTargets: page.map(({ region: _, ...target }) => structuredClone(target)),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(DescribeScalingPoliciesCommand, {
        action: 'application-autoscaling:DescribeScalingPolicies',
        target: (input) => tablesOf(input.ResourceId ? [input.ResourceId] : []),
        answer: (input, call) => {
          const limit = maxResults(input.MaxResults, MAX_POLICIES);
          const selected = dynamo.scalingPolicies.filter(
            (policy) =>
              policy.region === call.region &&
              policy.ServiceNamespace === input.ServiceNamespace &&
              (input.ResourceId === undefined || input.ResourceId === policy.ResourceId) &&
              (input.ScalableDimension === undefined ||
                input.ScalableDimension === policy.ScalableDimension) &&
              (input.PolicyNames === undefined ||
                input.PolicyNames.length === 0 ||
                input.PolicyNames.includes(policy.PolicyName ?? '')),
          );
          const { page, nextKey } = pageAfter(
            sortedBy(selected, policyKey),
            policyKey,
            after(input.NextToken),
            limit,
          );
          return {
            ScalingPolicies: page.map(({ region: _, ...policy }) => structuredClone(policy)),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
    ],
  };
}

/** Listings are ordered by these keys, so that a `NextToken` names a position. */
const targetKey = (target: ScalableTarget) => `${target.ResourceId} ${target.ScalableDimension}`;
const policyKey = (policy: ScalingPolicy) => policy.PolicyARN ?? '';

function sortedBy<T>(values: readonly T[], keyOf: (value: T) => string): T[] {
  return [...values].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
}

function tablesOf(resourceIds: readonly string[]): CallTarget {
  return { ids: resourceIds.map((id) => TABLE_RESOURCE.exec(id)?.[1] ?? id) };
}

function maxResults(value: number | undefined, max: number): number {
  const limit = value ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw fault(
      'ValidationException',
      400,
      `1 validation error detected: Value '${limit}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return limit;
}

function after(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const position = decodeMarker(token);
  if (position === undefined) throw fault('InvalidNextTokenException', 400, 'Invalid token');
  return position;
}
