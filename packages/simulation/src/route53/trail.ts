import { type ApiCallSpec, lowerCamelCase } from '../events.js';
import type { SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import type { RecordChange, SimChange } from './model.js';

/** Where Route 53's API lives, as `location` in creation responses names new resources. */
const API_URL = 'https://route53.amazonaws.com/2013-04-01';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time as Route 53's CloudTrail records write `submittedAt`: `Jan 16, 2018 12:41:43 AM` (UTC). */
export function trailTime(at: Date): string {
  const hours = at.getUTCHours();
  const clock = [hours % 12 === 0 ? 12 : hours % 12, at.getUTCMinutes(), at.getUTCSeconds()]
    .map((part, index) => (index === 0 ? String(part) : String(part).padStart(2, '0')))
    .join(':');
  return `${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} ${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** The `changeInfo` response element of a mutating call, as CloudTrail records it: the change, `PENDING`. */
export function trailChangeInfo(change: SimChange): Record<string, string> {
  return {
    ...(change.comment === undefined ? {} : { comment: change.comment }),
    id: `/change/${change.id}`,
    status: 'PENDING',
    submittedAt: trailTime(change.submittedAt),
  };
}

/**
 * Records one successful Route 53 call as CloudTrail does (in `us-east-1`, as for every global service), made with
 * `userAgent` (the console's when not given), and returns its events.
 */
export function emitRoute53Call(
  context: SimulationContext,
  eventName: string,
  at: Date,
  body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  userAgent?: string,
): SimulatedEvent[] {
  return context.emit([
    context.events.apiCall({
      eventSource: 'route53.amazonaws.com',
      eventName,
      region: 'us-east-1',
      at,
      ...body,
      ...(userAgent === undefined ? {} : { userAgent }),
    }),
  ]);
}

/** What CloudTrail records of a `ChangeResourceRecordSets` call: the batch as sent, the change it became. */
export function changeBatchTrail(
  zoneId: string,
  changes: readonly RecordChange[],
  change: SimChange,
): Pick<ApiCallSpec, 'requestParameters' | 'responseElements'> {
  return {
    requestParameters: {
      changeBatch: {
        changes: changes.map(({ action, record }) => ({
          action,
          resourceRecordSet: lowerCamelCase(record),
        })),
        ...(change.comment === undefined ? {} : { comment: change.comment }),
      },
      hostedZoneId: zoneId,
    },
    responseElements: { changeInfo: trailChangeInfo(change) },
  };
}

/** The `location` header of a new hosted zone or health check, as CloudTrail records it. */
export function locationOf(kind: 'hostedzone' | 'healthcheck', id: string): string {
  return `${API_URL}/${kind}/${id}`;
}
