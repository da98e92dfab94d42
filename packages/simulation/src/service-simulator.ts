import type { ServiceProfile } from './dispatch.js';
import type { ApiCallSpec, EventFactory } from './events.js';
import type { AccountModel } from './model.js';
import type { SimulatedEvent } from './types.js';

/**
 * What a simulated service gets from the account: the shared model (account id, home region, seeded random, the
 * buckets and functions other services refer to), the factory of CloudTrail events, the clock, and `emit`, which
 * records events in the account's history (what `LookupEvents` answers from) and returns them.
 */
export interface SimulationContext {
  readonly model: AccountModel;
  readonly events: EventFactory;
  readonly now: () => Date;
  emit(events: SimulatedEvent[]): SimulatedEvent[];
}

/**
 * Records one call a service answered at its regional endpoint, `<endpoint>.<region>.amazonaws.com` (the host
 * header CloudTrail keeps), and returns its events.
 *
 * @example
 * emitApiCall(context, 'email', { eventSource: 'ses.amazonaws.com', eventName: 'DeleteIdentity', region, at, requestParameters, responseElements: null });
 */
export function emitApiCall(
  context: SimulationContext,
  endpoint: string,
  spec: Omit<ApiCallSpec, 'host'>,
): SimulatedEvent[] {
  return context.emit([
    context.events.apiCall({ ...spec, host: `${endpoint}.${spec.region}.amazonaws.com` }),
  ]);
}

/** A service of the simulated account: its state, the SDK commands it answers and the changes a test can make. */
export interface SimulatedServiceModule {
  /** The SDK client classes it answers for, with their operations. */
  readonly profiles: readonly ServiceProfile[];
}

/**
 * How one website's edge resources name each other (its CloudFront distribution, the ACM certificate it serves, the
 * DNS records pointing at it), so that each simulated service refers to the others' real ids, as in an account.
 */
export interface SiteEdge {
  readonly distributionArn: string;
  /** `d111111abcdef8.cloudfront.net`, where the site's DNS aliases point. */
  readonly distributionDomain: string;
  readonly certificateArn: string;
  /** The certificate's DNS validation records, which the site's zone holds. */
  readonly validationRecords: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}
