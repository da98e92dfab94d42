import type { SeededRandom } from '../random.js';

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

/**
 * The `changeInfo` response element of a mutating call, as CloudTrail records it: a new `/change/C0…` id, `PENDING`,
 * submitted now.
 */
export function trailChangeInfo(random: SeededRandom, at: Date, comment?: string): Record<string, string> {
  return {
    ...(comment === undefined ? {} : { comment }),
    id: `/change/C0${random.chars(19, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
    status: 'PENDING',
    submittedAt: trailTime(at),
  };
}

/** The `location` header of a new hosted zone or health check, as CloudTrail records it. */
export function locationOf(kind: 'hostedzone' | 'healthcheck', id: string): string {
  return `${API_URL}/${kind}/${id}`;
}
