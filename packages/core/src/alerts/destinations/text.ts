import type { FieldChange } from '../../query/changes.js';
import type { Json } from '../../types/json.js';
import type { Alert } from '../types.js';

/** How long a field value shown in an alert may be, in characters, before it is cut. */
export const VALUE_LIMIT = 200;

/** Shown in place of a sealed field's values. */
export const SEALED_TEXT = 'secret changed (value not shown)';

/** Shown for the side of a change where the field does not exist. */
const ABSENT = '(absent)';

/**
 * A field value as compact JSON, cut to {@link VALUE_LIMIT} characters with `…`.
 *
 * @example
 * shortValue({ Service: 'cloudfront.amazonaws.com' }); // '{"Service":"cloudfront.amazonaws.com"}'
 */
export function shortValue(value: Json | undefined): string {
  if (value === undefined) return ABSENT;
  const json = JSON.stringify(value);
  return json.length > VALUE_LIMIT ? `${json.slice(0, VALUE_LIMIT - 1)}…` : json;
}

/**
 * Who made the change: the human behind it, else the principal; for silent drift, that no event says; else
 * `(unknown)`.
 */
export function changedBy(alert: Alert): string {
  const drift = alert.cause.kind === 'reconcile' || alert.cause.kind === 'drift-check';
  return alert.actor ?? alert.principal ?? (drift ? 'no event (silent drift)' : '(unknown)');
}

/**
 * The alert on one line: `[critical] Bucket made public: AWS::S3::Bucket site changed by alice at 2026-…`.
 */
export function alertHeadline(alert: Alert): string {
  const { resource } = alert;
  return `[${alert.severity}] ${alert.title}: ${resource.type} ${resource.id} ${alert.kind} by ${changedBy(alert)} at ${alert.changedAt}`;
}

/** One field change as `path: before → after`, or `path: secret changed (value not shown)`. */
export function fieldChangeText(change: FieldChange): string {
  if (change.sealed) return `${change.path}: ${SEALED_TEXT}`;
  return `${change.path}: ${shortValue(change.before)} → ${shortValue(change.after)}`;
}

/** `… and 3 more field changes`, or undefined when every change is listed. */
export function moreChangesText(count: number): string | undefined {
  if (count <= 0) return undefined;
  return `… and ${count} more field change${count === 1 ? '' : 's'}`;
}

/**
 * The alert as plain text lines: the headline, each changed field indented, then the show command indented.
 * What the stdout destination prints and the body of SNS messages and emails.
 */
export function alertTextLines(alert: Alert): string[] {
  const more = moreChangesText(alert.moreChanges);
  return [
    alertHeadline(alert),
    ...alert.changes.map((change) => `  ${fieldChangeText(change)}`),
    ...(more ? [`  ${more}`] : []),
    `  ${alert.show}`,
  ];
}

/** {@link alertTextLines} as one string: the body of SNS messages and emails. */
export function alertText(alert: Alert): string {
  return alertTextLines(alert).join('\n');
}
