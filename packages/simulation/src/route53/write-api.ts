import {
  type ChangeInfo,
  ChangeResourceRecordSetsCommand,
  type ChangeStatus,
  ChangeTagsForResourceCommand,
  GetChangeCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { Operation } from '../dispatch.js';
import { fault } from '../errors.js';
import { lowerCamelCase } from '../events.js';
import type { SimulationContext } from '../service-simulator.js';
import { findTagged, findZone, ratedOperations, taggedTarget, zoneTarget } from './api.js';
import {
  applyBatch,
  type RecordChange,
  Route53ChangeError,
  type Route53State,
  type SimChange,
} from './model.js';
import type { RequestRateWindow } from './rate.js';
import { changeBatchTrail, emitRoute53Call } from './trail.js';

/**
 * The Route 53 calls that change the simulated account, answered as Route 53 answers them and counted against
 * `rate` like every other call: `ChangeResourceRecordSets` (a batch applied in order, all or nothing),
 * `GetChange` (every change is `INSYNC` once submitted) and `ChangeTagsForResource` (hosted zones and health checks).
 * Each change is recorded in CloudTrail as AWS records it, with the caller's user agent.
 */
export function route53WriteOperations(
  state: Route53State,
  context: SimulationContext,
  rate: RequestRateWindow,
): Operation[] {
  const rated = ratedOperations(rate);
  const { model } = context;
  return [
    rated(ChangeResourceRecordSetsCommand, {
      action: 'route53:ChangeResourceRecordSets',
      target: (input) => zoneTarget(input.HostedZoneId),
      answer: (input, call) => {
        const zone = findZone(state, input.HostedZoneId);
        const changes: RecordChange[] = (input.ChangeBatch?.Changes ?? []).map((change) => ({
          // Both are required members of a change: the SDK's types make its callers send them.
          action: change.Action as RecordChange['action'],
          record: change.ResourceRecordSet as ResourceRecordSet,
        }));
        try {
          applyBatch(zone, changes);
        } catch (error) {
          if (!(error instanceof Route53ChangeError)) throw error;
          throw fault(
            error.code,
            400,
            error.message,
            error.messages ? { messages: [...error.messages] } : {},
          );
        }
        const submitted = state.submitChange(model.random, context.now(), input.ChangeBatch?.Comment);
        emitRoute53Call(
          context,
          'ChangeResourceRecordSets',
          submitted.submittedAt,
          changeBatchTrail(zone.id, changes, submitted),
          call.userAgent,
        );
        return { ChangeInfo: changeInfo(submitted, 'PENDING') };
      },
    }),
    rated(GetChangeCommand, {
      action: 'route53:GetChange',
      target: (input) => {
        const id = bareChangeId(input.Id);
        return { ids: [id], arn: `arn:aws:route53:::change/${id}` };
      },
      answer: (input) => {
        const change = state.changes.get(bareChangeId(input.Id));
        if (!change)
          throw fault('NoSuchChange', 404, 'A change with the specified change ID does not exist.');
        return { ChangeInfo: changeInfo(change, 'INSYNC') };
      },
    }),
    rated(ChangeTagsForResourceCommand, {
      action: 'route53:ChangeTagsForResource',
      target: (input) => taggedTarget(input.ResourceType, input.ResourceId),
      answer: (input, call) => {
        const tagged = findTagged(state, input.ResourceType, input.ResourceId);
        const tags = new Map(tagged.tags.map((tag) => [tag.Key, tag]));
        for (const key of input.RemoveTagKeys ?? []) tags.delete(key);
        for (const tag of input.AddTags ?? []) tags.set(tag.Key, { ...tag });
        tagged.tags = [...tags.values()];
        const { ResourceType, ResourceId, ...change } = input;
        emitRoute53Call(
          context,
          'ChangeTagsForResource',
          context.now(),
          {
            requestParameters: {
              resourceType: ResourceType,
              resourceId: tagged.id,
              ...(lowerCamelCase(change) as Record<string, unknown>),
            },
            responseElements: null,
          },
          call.userAgent,
        );
        return {};
      },
    }),
  ];
}

/** A change as `ChangeResourceRecordSets` and `GetChange` describe it. */
function changeInfo(change: SimChange, status: ChangeStatus): ChangeInfo {
  return {
    Id: `/change/${change.id}`,
    Status: status,
    SubmittedAt: change.submittedAt,
    ...(change.comment === undefined ? {} : { Comment: change.comment }),
  };
}

/** A change id without the `/change/` prefix the API reports it with. */
function bareChangeId(id: string | undefined): string {
  return (id ?? '').replace(/^\/change\//, '');
}
