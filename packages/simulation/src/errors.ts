import type { InjectedFault } from './faults.js';

/** The name of a service the simulation answers for, as in IAM actions (`s3`, `cloudfront`, `route53`). */
export type SimulatedService = string;

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

/** Why AWS denied a call, as its access-denied messages end. */
export const DENIED_BY = {
  serviceControlPolicy: 'with an explicit deny in a service control policy',
  noIdentityPolicy: (action: string) => `because no identity-based policy allows the ${action} action`,
} as const;

/**
 * AWS's access-denied message: `User: <caller> is not authorized to perform: <action> on resource: <arn> <reason>`.
 *
 * @example
 * notAuthorized(caller, 'acm:DescribeCertificate', arn); // '… with an explicit deny in a service control policy'
 */
export function notAuthorized(
  caller: string,
  action: string,
  resourceArn = '*',
  reason: string = DENIED_BY.serviceControlPolicy,
): string {
  return `User: ${caller} is not authorized to perform: ${action} on resource: ${resourceArn} ${reason}`;
}

/** An error a service answers with: its AWS error code, HTTP status and the body fields it adds. */
export interface FaultShape {
  readonly code: string;
  readonly status: number;
  readonly fields?: Record<string, unknown>;
}

/** How a service answers the calls a test throttles or denies: see {@link injectedFaults}. */
export interface InjectedFaultShapes {
  /** The throttling error, with its message (`Rate exceeded`). */
  readonly throttled: FaultShape & { readonly message: string };
  /** The access-denied error, whose message is AWS's own ({@link notAuthorized}). */
  readonly denied: FaultShape & {
    /**
     * Whether the message names the call's resource (`… on resource: <arn>`); services without resource-level
     * permissions leave it out. @default true
     */
    readonly namesResource?: boolean;
  };
}

/**
 * The `injectedFault` of a service profile: `throttled` for a throttled call; for a denied one `denied`, saying that
 * the caller (read when the call is denied) is not authorized to perform the action on the call's resource, denied
 * by a service control policy.
 *
 * @example
 * injectedFault: injectedFaults(model.caller, {
 *   throttled: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
 *   denied: { code: 'AccessDeniedException', status: 400 },
 * }),
 */
export function injectedFaults(
  caller: { readonly arn: string },
  { throttled, denied }: InjectedFaultShapes,
): (kind: InjectedFault, action: string, target: { readonly arn?: string }) => SimulatedFault {
  return (kind, action, target) => {
    if (kind === 'throttled')
      return fault(throttled.code, throttled.status, throttled.message, throttled.fields);
    const message =
      denied.namesResource === false
        ? `User: ${caller.arn} is not authorized to perform: ${action} ${DENIED_BY.serviceControlPolicy}`
        : notAuthorized(caller.arn, action, target.arn);
    return fault(denied.code, denied.status, message, denied.fields);
  };
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

/**
 * What the SDK reports about the call that failed or succeeded: the simulation sets the status and request ids of
 * each attempt, the SDK's retry middleware then writes `attempts` and `totalRetryDelay` into it.
 */
export interface ResponseMetadata {
  httpStatusCode: number;
  requestId: string;
  extendedRequestId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

/** An SDK exception class: a service's base exception or one of its modeled errors. */
export type ExceptionClass = new (options: {
  name?: string;
  $fault?: 'client' | 'server';
  $metadata: ResponseMetadata;
  message: string;
}) => Error;

/**
 * The exception classes the SDK itself picks for a service's error codes: in SDK v3 a code found in the service's
 * error registry gets its modeled class (`NoSuchKey`), any other code the service's base exception with `name` set
 * to the code.
 */
export interface ServiceExceptions {
  /** The service's base exception (`S3ServiceException`). */
  readonly base: unknown;
  /** Modeled exception classes by error code (`{ NoSuchKey }`). */
  readonly modeled: Readonly<Record<string, unknown>>;
}

/** Where a fault happened, to build the SDK error as a real response would. */
export interface FaultContext {
  readonly service: SimulatedService;
  readonly exceptions: ServiceExceptions;
  readonly metadata: ResponseMetadata;
  /** A HEAD request: the response has no body, so the SDK knows only the status (`NotFound` or `Unknown`). */
  readonly head: boolean;
  /** Headers of the error response (`x-amz-bucket-region`…), exposed like the SDK's `$response`. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Builds the exception the AWS SDK v3 would throw for this fault: same class, `name`, `message`, `$fault`,
 * `$metadata` and body fields (S3's `Code`, `RequestId`, `HostId`; Lambda's `Type`), and the hidden `$response`
 * (status and headers) that the SDK's middleware reads: its retry strategy classifies the error by name and status,
 * S3's region redirect follows `x-amz-bucket-region`.
 */
export function toSdkError(simulated: SimulatedFault, context: FaultContext): Error {
  const { service, metadata, head } = context;
  const code = head ? (simulated.status === 404 ? 'NotFound' : 'Unknown') : simulated.code;
  const message = head ? 'UnknownError' : simulated.message;
  const $fault = simulated.status >= 500 ? 'server' : 'client';
  const modeled = context.exceptions.modeled[code] as ExceptionClass | undefined;
  const Base = context.exceptions.base as ExceptionClass;
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
