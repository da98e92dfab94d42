import { stringField } from './support.js';
import type { IdExtractor } from './types.js';

/** CloudTrail `eventSource` of every EventBridge call. */
export const EVENTS_EVENT_SOURCE = 'events.amazonaws.com';

/** The event bus every account has in every region, and the one calls without `EventBusName` address. */
export const DEFAULT_BUS = 'default';

const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/(.+)$/;
const RULE_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/(.+)$/;

/**
 * The name of an event bus from its name or ARN (`arn:aws:events:us-east-1:123456789012:event-bus/bookings`), the
 * two forms every `EventBusName` parameter accepts; `undefined` when the value is missing, empty or another ARN.
 *
 * @example
 * busName('arn:aws:events:us-east-1:123456789012:event-bus/bookings'); // 'bookings'
 */
export function busName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const name = value.trim();
  if (name.startsWith('arn:')) return BUS_ARN.exec(name)?.[1];
  return name;
}

/**
 * The Tidemark id of a rule: its name on the default bus, `<bus>/<name>` on any other, as its ARN ends
 * (`…:rule/cttest2`, `…:rule/bookings/booking-confirmed`).
 */
export function ruleId(bus: string, name: string): string {
  return bus === DEFAULT_BUS ? name : `${bus}/${name}`;
}

/**
 * The bus and name of a rule id. Rule names never hold a `/`, bus names may (partner buses, `aws.partner/…`), so
 * the name is what follows the last one.
 */
export function ruleParts(id: string): { readonly bus: string; readonly name: string } {
  const slash = id.lastIndexOf('/');
  return slash === -1
    ? { bus: DEFAULT_BUS, name: id }
    : { bus: id.slice(0, slash), name: id.slice(slash + 1) };
}

/** The rule id a rule ARN ends with, or `undefined` for anything else. */
export function ruleIdFromArn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const tail = RULE_ARN.exec(value.trim())?.[1];
  if (tail === undefined) return undefined;
  const { bus, name } = ruleParts(tail);
  return name === '' ? undefined : ruleId(bus, name);
}

/** The bus name an event bus ARN ends with, or `undefined` for anything else. */
export function busNameFromArn(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().startsWith('arn:') ? busName(value) : undefined;
}

/** The resource a `TagResource` / `UntagResource` call names in `requestParameters.resourceARN`, when `parse` reads it. */
export function taggedResource(parse: (arn: unknown) => string | undefined): IdExtractor {
  return (record) => {
    const id = parse(stringField(record.requestParameters, 'resourceARN'));
    return id === undefined ? [] : [id];
  };
}

/** The token the page after an EventBridge page is asked with: its SDK client has no paginators. */
export function nextToken(page: { readonly NextToken?: string | undefined }): string | undefined {
  return page.NextToken;
}
