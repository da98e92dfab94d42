import { lowerCamelCase } from '../events.js';
import type { SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import { iamEndpointRegion } from './api.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** A date as IAM's CloudTrail records write `createDate` in responses: `Jun 2, 2024, 8:16:32 PM` (UTC). */
export function cloudTrailIamDate(date: Date): string {
  const hours = date.getUTCHours();
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${time} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** One IAM call to record: event name, request parameters, response elements. */
export type IamCall = readonly [string, Record<string, unknown>, Record<string, unknown> | null];

/**
 * An entity IAM returns (`Role`, `User`, `Group`, `Policy`, `PolicyVersion`) as its CloudTrail records show it in
 * `responseElements`: lower-camel-case names, `createDate` in IAM's own format.
 */
export function trailEntity<T extends { readonly CreateDate?: Date | undefined }>(
  entity: T,
): Record<string, unknown> {
  const { CreateDate, ...rest } = entity;
  return {
    ...(lowerCamelCase(rest) as Record<string, unknown>),
    ...(CreateDate === undefined ? {} : { createDate: cloudTrailIamDate(CreateDate) }),
  };
}

/**
 * Records IAM calls as CloudTrail does: event source `iam.amazonaws.com`, in the region of IAM's global endpoint,
 * with the caller's user agent (the console's when the change was made through a change method), one event each.
 */
export function recordIamCalls(
  context: SimulationContext,
  calls: readonly IamCall[],
  userAgent?: string,
): SimulatedEvent[] {
  const { events, model } = context;
  const at = context.now();
  return context.emit(
    calls.map(([eventName, requestParameters, responseElements]) =>
      events.apiCall({
        eventSource: 'iam.amazonaws.com',
        eventName,
        region: iamEndpointRegion(model.homeRegion),
        at,
        requestParameters,
        responseElements,
        ...(userAgent === undefined ? {} : { userAgent }),
      }),
    ),
  );
}
