import type { EventBridgeApiCallEnvelope, SimulatedAccount } from '../../src/index.js';

/** The CloudTrail records of the calls the account answered since it had emitted `before` events, oldest first. */
export function cloudTrailRecordsSince(account: SimulatedAccount, before: number) {
  return account
    .events()
    .slice(before)
    .filter(
      (event): event is EventBridgeApiCallEnvelope => event['detail-type'] === 'AWS API Call via CloudTrail',
    )
    .map((event) => event.detail);
}
