/**
 * A CloudTrail record, as in a log file's `Records[]`, `LookupEvents`' `CloudTrailEvent`, or the `detail` of an
 * EventBridge "AWS API Call via CloudTrail" event. Real records are loose: fields may be absent or null,
 * `errorCode` may be the empty string on success, `readOnly` is missing from older records.
 */
export interface CloudTrailRecord {
  readonly eventVersion?: string;
  readonly eventID?: string;
  readonly eventTime?: string;
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly awsRegion?: string;
  readonly recipientAccountId?: string;
  readonly readOnly?: boolean | string | null;
  readonly errorCode?: string | null;
  readonly errorMessage?: string | null;
  readonly userIdentity?: Record<string, unknown> | null;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly responseElements?: Record<string, unknown> | null;
  readonly resources?: ReadonlyArray<{ ARN?: string; type?: string; accountId?: string }> | null;
  readonly [field: string]: unknown;
}
