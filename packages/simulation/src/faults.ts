/** A fault the simulation injects into one call. */
export type InjectedFault = 'denied' | 'throttled';

/** An error a call is answered with, as AWS sends it: its code, HTTP status and message. */
export interface InjectedError {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** Which calls a rule applies to: those of an action, optionally only those touching one resource. */
interface CallRule {
  readonly action: RegExp;
  readonly resourceId?: string;
}

interface ErrorRule extends CallRule {
  readonly error: InjectedError;
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
 * Fault injection: explicit denies and errors (permanent) and throttling (for the next N calls). Actions match
 * case-insensitively and may use `*` wildcards (`s3:GetBucket*`).
 */
export class FaultInjector {
  readonly #denies: CallRule[] = [];
  readonly #errors: ErrorRule[] = [];
  readonly #throttles: ThrottleRule[] = [];

  /** Every call of `action`, or only those touching `resourceId`, is denied from now on. */
  deny(action: string, resourceId?: string): void {
    this.#denies.push(rule(action, resourceId));
  }

  /** Every call of `action`, or only those touching `resourceId`, fails with `error` from now on. */
  fail(action: string, error: InjectedError, resourceId?: string): void {
    this.#errors.push({ ...rule(action, resourceId), error });
  }

  /** The next `times` calls of `action` are throttled. */
  throttle(action: string, times: number): void {
    if (!Number.isInteger(times) || times < 0) {
      throw new RangeError(`throttle times must be a non-negative integer, received ${times}`);
    }
    this.#throttles.push({ action: actionPattern(action), remaining: times });
  }

  /**
   * The fault to inject into this call, if any: throttling, else an explicit deny, else an error. A throttled
   * call uses up one of its rule's remaining calls.
   */
  check(call: CallIdentity): InjectedFault | InjectedError | undefined {
    const throttle = this.#throttles.find((rule) => rule.remaining > 0 && matches(rule.action, call.actions));
    if (throttle) {
      throttle.remaining--;
      return 'throttled';
    }
    if (this.#denies.some((rule) => applies(rule, call))) return 'denied';
    return this.#errors.find((rule) => applies(rule, call))?.error;
  }
}

function rule(action: string, resourceId: string | undefined): CallRule {
  return { action: actionPattern(action), ...(resourceId === undefined ? {} : { resourceId }) };
}

function applies(rule: CallRule, call: CallIdentity): boolean {
  return (
    matches(rule.action, call.actions) &&
    (rule.resourceId === undefined || call.resourceIds.includes(rule.resourceId))
  );
}

function actionPattern(action: string): RegExp {
  const escaped = action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function matches(pattern: RegExp, actions: readonly string[]): boolean {
  return actions.some((action) => pattern.test(action));
}
