/** CloudTrail `eventSource` of every DynamoDB call. */
export const DYNAMODB_EVENT_SOURCE = 'dynamodb.amazonaws.com';

/**
 * A value as CloudTrail writes DynamoDB's responses in `responseElements`: keys in lower camel case by lowering
 * their first letter (`SSEDescription` becomes `sSEDescription`), dates as `May 3, 2015 11:34:14 PM` (UTC),
 * binaries in base64, `undefined` fields left out.
 */
export function trailCase(value: unknown): unknown {
  if (value instanceof Date) return trailDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(trailCase);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([name, field]) => [name.charAt(0).toLowerCase() + name.slice(1), trailCase(field)]),
    );
  }
  return value;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function trailDate(date: Date): string {
  const hours = date.getUTCHours();
  const clock = [date.getUTCMinutes(), date.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${hours % 12 || 12}:${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}
