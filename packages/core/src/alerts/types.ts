import type { FieldChange } from '../query/changes.js';
import type { ChangeKind } from '../query/changes-between.js';
import type { VersionCause } from '../store/records.js';
import type { ResourceRef } from '../types/resource.js';

/** How serious a rule says its alerts are, most serious first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * One rule fired on one captured change: stored once in the store (`alerts/…`), delivered to the rule's
 * destinations. Secrets are never in it: a sealed field is listed as changed, without values. Stable shape
 * (`tidemark alerts list --json`, the JSON lines destination).
 */
export interface Alert {
  /** The dedup key: the same rule on the same change (or within the rule's dedup window) has the same key. */
  readonly key: string;
  readonly rule: string;
  readonly severity: Severity;
  /** The rule's description, else its name. */
  readonly title: string;
  readonly resource: ResourceRef;
  readonly kind: ChangeKind;
  /** The version that fired it. */
  readonly seq: number;
  readonly version: string;
  readonly capturedAt: string;
  readonly cause: VersionCause;
  /** When the change was made, as the event says (else when it was captured). */
  readonly changedAt: string;
  /** The principal's ARN (or the service) that made the change, when an event says. */
  readonly principal?: string;
  /** The human behind the principal (session name, source identity, Identity Center user, IAM user), when known. */
  readonly actor?: string;
  /** The field changes that made the rule fire (every change when it names no field), at most 20, masked. */
  readonly changes: readonly FieldChange[];
  /** How many field changes of the version are not listed in `changes`. */
  readonly moreChanges: number;
  /** The command that shows the version (`tidemark show 'AWS::S3::Bucket:site' --at 2026-12-05T10:00:00.000Z`). */
  readonly show: string;
  readonly firedAt: string;
  /** The names of the destinations it is delivered to. */
  readonly destinations: readonly string[];
}

/** What delivering an alert to one destination came to, after its retries. Stable shape. */
export interface DeliveryOutcome {
  readonly destination: string;
  readonly status: 'delivered' | 'failed';
  readonly attempts: number;
  /** When the last attempt ended. */
  readonly at: string;
  /** Why the last attempt failed: never a webhook URL, a credential or a secret value. */
  readonly error?: string;
}
