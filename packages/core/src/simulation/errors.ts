import {
  AccessDeniedException,
  CloudTrailServiceException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import {
  InvalidParameterValueException,
  LambdaServiceException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import {
  AccessDenied,
  InvalidObjectState,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { STSServiceException } from '@aws-sdk/client-sts';

/** The services the simulation answers for. */
export type SimulatedService = 's3' | 'lambda' | 'sts' | 'cloudtrail';

/**
 * An error an operation handler raises: the AWS error code, HTTP status, message and the extra body fields AWS
 * sends (`Key`, `BucketName`, `Reason`…). The dispatcher turns it into the SDK's own exception class.
 */
export class SimulatedFault extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Response headers that matter to callers (`x-amz-bucket-region` on a redirect). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    status: number,
    message: string,
    fields: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SimulatedFault';
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.headers = headers;
  }
}

/** Shorthand for `new SimulatedFault(...)`, to `throw` from handlers. */
export function fault(
  code: string,
  status: number,
  message: string,
  fields?: Record<string, unknown>,
  headers?: Record<string, string>,
): SimulatedFault {
  return new SimulatedFault(code, status, message, fields, headers);
}

/** Error codes the SDK's retry strategy treats as throttling (those the simulation can answer). */
const THROTTLING_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);

/**
 * Whether the SDK's retry strategy would retry this fault, and with which base delay: throttling (its codes or
 * HTTP 429) waits from 500 ms, other transient faults (HTTP 500, 502, 503, 504) from 100 ms.
 */
export function retryBase(simulated: SimulatedFault): number | undefined {
  if (THROTTLING_CODES.has(simulated.code) || simulated.status === 429) return 500;
  if ([500, 502, 503, 504].includes(simulated.status)) return 100;
  return undefined;
}

/** What the SDK reports about the call that failed or succeeded. */
export interface ResponseMetadata {
  readonly httpStatusCode: number;
  readonly requestId: string;
  readonly extendedRequestId?: string;
  readonly attempts: number;
  readonly totalRetryDelay: number;
}

type ExceptionCtor = new (options: {
  name?: string;
  $fault?: 'client' | 'server';
  $metadata: ResponseMetadata;
  message: string;
}) => Error;

/**
 * Exception classes the SDK itself picks for a code: in SDK v3 an error code found in the service's error registry
 * gets its modeled class (`NoSuchKey`), any other code the service's base exception with `name` set to the code.
 */
const MODELED: Readonly<Record<SimulatedService, Readonly<Record<string, unknown>>>> = {
  s3: { AccessDenied, InvalidObjectState, NoSuchBucket, NoSuchKey, NotFound },
  lambda: { InvalidParameterValueException, ResourceNotFoundException, TooManyRequestsException },
  sts: {},
  cloudtrail: {
    AccessDeniedException,
    InvalidLookupAttributesException,
    InvalidMaxResultsException,
    InvalidNextTokenException,
    InvalidTimeRangeException,
    ThrottlingException,
  },
};

const BASE: Readonly<Record<SimulatedService, unknown>> = {
  s3: S3ServiceException,
  lambda: LambdaServiceException,
  sts: STSServiceException,
  cloudtrail: CloudTrailServiceException,
};

/** Where a fault happened, to build the SDK error as a real response would. */
export interface FaultContext {
  readonly service: SimulatedService;
  readonly metadata: ResponseMetadata;
  /** A HEAD request: the response has no body, so the SDK knows only the status (`NotFound` or `Unknown`). */
  readonly head: boolean;
  /** Headers of the error response (`x-amz-bucket-region`…), exposed like the SDK's `$response`. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Builds the exception the AWS SDK v3 would throw for this fault: same class, `name`, `message`, `$fault`,
 * `$metadata` and body fields (S3's `Code`, `RequestId`, `HostId`; Lambda's `Type`).
 */
export function toSdkError(simulated: SimulatedFault, context: FaultContext): Error {
  const { service, metadata, head } = context;
  const code = head ? (simulated.status === 404 ? 'NotFound' : 'Unknown') : simulated.code;
  const message = head ? 'UnknownError' : simulated.message;
  const $fault = simulated.status >= 500 ? 'server' : 'client';
  const modeled = MODELED[service][code] as ExceptionCtor | undefined;
  const Base = BASE[service] as ExceptionCtor;
  const error = modeled
    ? new modeled({ $metadata: metadata, message })
    : new Base({ name: code, $fault, $metadata: metadata, message });
  Object.assign(error, { $fault }, head ? {} : bodyFields(service, simulated, metadata));
  Object.defineProperty(error, '$response', {
    value: { statusCode: simulated.status, headers: { ...context.headers }, body: undefined },
    enumerable: false,
  });
  return error;
}

/** S3's XML error body carries `Code`, `RequestId` and `HostId`; JSON services only the fields they model. */
function bodyFields(service: SimulatedService, simulated: SimulatedFault, metadata: ResponseMetadata) {
  if (service !== 's3') return { ...simulated.fields };
  return {
    Code: simulated.code,
    ...simulated.fields,
    RequestId: metadata.requestId,
    HostId: metadata.extendedRequestId,
  };
}
