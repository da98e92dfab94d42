/**
 * An API-version suffix after the operation name: `20150331`, `20150331v2`, `2014_01_31`. It must follow a
 * letter, so a stripped name (which ends in a letter) is never stripped again.
 */
const VERSION_SUFFIX = /^(.*[A-Za-z])(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/s;

/**
 * The operation name of a CloudTrail `eventName` without its API-version suffix.
 *
 * @example
 * baseEventName('UpdateFunctionCode20150331v2'); // 'UpdateFunctionCode'
 * baseEventName('CreateInvalidation2014_01_31'); // 'CreateInvalidation'
 */
export function baseEventName(eventName: string): string {
  return VERSION_SUFFIX.exec(eventName)?.[1] ?? eventName;
}

/** Operation-name prefixes of calls that only read. */
const READ_PREFIX = /^(?:Get|List|Describe|Head|Lookup|BatchGet)(?:[A-Z0-9_]|$)/;

/** Whether an operation name (without suffix) reads only, by the AWS naming convention. */
export function isReadOnlyName(eventName: string): boolean {
  return READ_PREFIX.test(eventName);
}
