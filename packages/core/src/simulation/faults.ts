/** A fault the simulation injects into one call. */
export type InjectedFault = 'denied' | 'throttled';

interface DenyRule {
  readonly action: RegExp;
  readonly resourceId?: string;
}

interface ThrottleRule {
  readonly action: RegExp;
  remaining: number;
}

/** What one call is, for fault matching. */
export interface CallIdentity {
  /** Names the call answers to: its IAM action (`s3:ListAllMyBuckets`) and `service:Operation` (`s3:ListBuckets`). */
  readonly actions: readonly string[];
  /** Resource ids the call touches (`bucket`, `bucket/key`, function name); empty for account-wide calls. */
  readonly resourceIds: readonly string[];
}

/**
 * Fault injection: explicit denies (permanent) and throttling (for the next N calls). Actions match
 * case-insensitively and may use `*` wildcards (`s3:GetBucket*`).
 */
export class FaultInjector {
  readonly #denies: DenyRule[] = [];
  readonly #throttles: ThrottleRule[] = [];

  /** Every call of `action`, or only those touching `resourceId`, is denied from now on. */
  deny(action: string, resourceId?: string): void {
    this.#denies.push({ action: actionPattern(action), ...(resourceId === undefined ? {} : { resourceId }) });
  }

  /** The next `times` calls of `action` are throttled. */
  throttle(action: string, times: number): void {
    if (!Number.isInteger(times) || times < 0) {
      throw new RangeError(`throttle times must be a non-negative integer, received ${times}`);
    }
    this.#throttles.push({ action: actionPattern(action), remaining: times });
  }

  /** The fault to inject into this call, if any; a throttled call uses up one of its rule's remaining calls. */
  check(call: CallIdentity): InjectedFault | undefined {
    const throttle = this.#throttles.find((rule) => rule.remaining > 0 && matches(rule.action, call.actions));
    if (throttle) {
      throttle.remaining--;
      return 'throttled';
    }
    const denied = this.#denies.some(
      (rule) =>
        matches(rule.action, call.actions) &&
        (rule.resourceId === undefined || call.resourceIds.includes(rule.resourceId)),
    );
    return denied ? 'denied' : undefined;
  }
}

function actionPattern(action: string): RegExp {
  const escaped = action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function matches(pattern: RegExp, actions: readonly string[]): boolean {
  return actions.some((action) => pattern.test(action));
}
