import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type { ResourceRef } from '../types/resource.js';

/** Why an input event leads to no capture. */
export const SkipReason = {
  /** A read-only call (`readOnly: true`, or a Get/List/Describe/Head call). */
  READ_ONLY: 'read-only',
  /** The call failed (`errorCode` present and non-empty). */
  FAILED_CALL: 'failed-call',
  /** A service, event or resource type Tidemark does not capture. */
  UNSUPPORTED: 'unsupported',
  /** The event names a supported change, but not which resource (a redacted bucket name). */
  UNRESOLVABLE: 'unresolvable',
  /** Not an API call or object notification (an ACM expiry warning, a scheduled event). */
  NOT_A_CHANGE: 'not-a-change',
  /** Input that is not JSON, or JSON in none of the accepted shapes. */
  MALFORMED: 'malformed',
  /** The resource belongs to an account other than the one being captured. */
  OTHER_ACCOUNT: 'other-account',
  /** The resource is outside the user's selection (an S3 object not in `ctx.objects`). */
  NOT_SELECTED: 'not-selected',
} as const;

export type SkipReasonCode = (typeof SkipReason)[keyof typeof SkipReason];

/** One change notification, whatever shape it arrived in. */
export type ChangeEvent =
  | {
      readonly kind: 'cloudtrail';
      readonly record: CloudTrailRecord;
      /** `account` of the EventBridge envelope the record arrived in, if any. */
      readonly account?: string;
      /** `region` of the EventBridge envelope the record arrived in, if any. */
      readonly region?: string;
      readonly source: string;
    }
  | ServiceNotification
  /** Input that parsed as JSON but is not a change event, or did not parse at all. */
  | {
      readonly kind: 'other';
      readonly reason: SkipReasonCode;
      /** What is wrong, and where inside its document (`Records[2] body: not valid JSON at column 7: …`). */
      readonly detail: string;
      /** For input that is not an event (`malformed`): the 1-based line of the input where it starts. */
      readonly line?: number;
      readonly source: string;
    };

/**
 * A service's own EventBridge event that is not a CloudTrail record: S3's "Object Created", ACM's "ACM Certificate
 * Approaching Expiration". Native S3 event notifications (S3 to SQS) arrive in this shape too. The definition that
 * declares its source and detail type (`notifications`) says which resources it names.
 */
export interface ServiceNotification {
  readonly kind: 'notification';
  /** EventBridge `source`, e.g. `aws.s3`. */
  readonly eventBridgeSource: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** The envelope's `resources` (ARNs). */
  readonly resources: readonly string[];
  readonly account?: string;
  readonly region?: string;
  readonly time?: string;
  readonly id?: string;
  readonly source: string;
}

/** Who made a change and when, as recorded with the versions it causes. */
export interface EventCause {
  readonly kind: 'event';
  readonly eventId?: string;
  readonly eventName: string;
  readonly eventTime?: string;
  /** ARN (or service name) of the principal who made the call. */
  readonly principal?: string;
  /** The human behind the principal, when the event says (session name, source identity, user name, `root`). */
  readonly actor?: string;
  /** Set when Tidemark itself made the call (its user agent): such changes are captured, never alerted on. */
  readonly ownWrite?: true;
  /** The id of the `tidemark restore` that made the call (its user agent carries it). */
  readonly restore?: string;
  /** The principals of the other events coalesced into this capture, when they differ from `principal`. */
  readonly alsoBy?: readonly string[];
  /** How many events were coalesced into this capture. */
  readonly coalesced?: number;
}

/** A resource of which an event changed only the named parts. */
export interface PartialResource {
  readonly type: string;
  readonly id: string;
  readonly parts: readonly string[];
}

/** What one input event maps to. */
export interface MappedEvent {
  /** Where the event came from: `file.json#3` (zero-based position in that input). */
  readonly source: string;
  /** The cause to record with the resulting versions; absent when skipped before it could be read. */
  readonly cause?: EventCause;
  /** Resources to capture again; empty when skipped. */
  readonly resources: readonly ResourceRef[];
  /**
   * Resources among `resources` of which the event changed only some parts (the items of a DynamoDB table), with
   * those parts. A resource not listed here changed as a whole.
   */
  readonly partial?: readonly PartialResource[];
  /** Set when the event maps to nothing, with the reason; the detail of a `malformed` one starts `line N: `. */
  readonly skipped?: { readonly reason: SkipReasonCode; readonly detail: string };
}
