import { GapKind } from '../constants.js';
import type { Gap } from '../types/resource.js';

/** What an AWS error means for a capture. */
export type ErrorClass =
  /** The caller may not make this call: IAM, SCP, permission boundary, resource policy, explicit deny. */
  | 'denied'
  /** The object is in an archive storage class: the call is refused until it is restored. */
  | 'needs-restore'
  /** The resource does not exist (any more). */
  | 'not-found'
  /** Throttled even after the SDK's adaptive retries. */
  | 'throttled'
  /** Anything else. */
  | 'other';

const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'NotAuthorized',
  'Forbidden',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** S3 answers these with HTTP 403, which is no denial: the object must be restored first. */
const NEEDS_RESTORE_CODES = new Set(['InvalidObjectState']);

/** Not-found codes besides the `NoSuch…` family (S3's `NoSuchKey`, IAM's `NoSuchEntityException`, CloudFront's
 * `NoSuchDistribution`, Route 53's `NoSuchHostedZone`). */
const NOT_FOUND_CODES = new Set(['NotFound', 'ResourceNotFoundException']);

const THROTTLED_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  /** Route 53: a change to the same zone is still being applied. */
  'PriorRequestNotComplete',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);

/** The error code of an AWS SDK v3 error (`error.name`), or `Error` for anything else. */
export function errorCode(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  return 'Error';
}

/** The HTTP status of an AWS SDK v3 error, when it has one. */
function httpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return metadata?.httpStatusCode;
}

/**
 * Classifies an AWS SDK v3 error by its code (`error.name`), falling back to the HTTP status
 * (a HEAD request's 403 or 404 has no code).
 */
export function classifyAwsError(error: unknown): ErrorClass {
  const code = errorCode(error);
  if (DENIED_CODES.has(code)) return 'denied';
  if (NEEDS_RESTORE_CODES.has(code)) return 'needs-restore';
  if (NOT_FOUND_CODES.has(code) || code.startsWith('NoSuch')) return 'not-found';
  if (THROTTLED_CODES.has(code)) return 'throttled';
  const status = httpStatus(error);
  if (status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  return 'other';
}

/** The kind of gap an AWS error leaves: denied, needs a restore, or another error. */
export function gapKindOf(error: unknown): Gap['kind'] {
  const errorClass = classifyAwsError(error);
  if (errorClass === 'denied') return GapKind.DENIED;
  if (errorClass === 'needs-restore') return GapKind.NEEDS_RESTORE;
  return GapKind.ERROR;
}

/** A short, secret-free description of an AWS error: its message, without request ids or URLs. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 500);
}
