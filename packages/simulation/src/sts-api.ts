import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { defineOperation, type ServiceProfile } from './dispatch.js';
import { fault } from './errors.js';
import type { AccountModel } from './model.js';

/** The STS API of the simulated account: who the caller is. */
export function stsProfile(model: AccountModel): ServiceProfile {
  return {
    service: 'sts',
    exceptions: { base: STSServiceException, modeled: {} },
    client: STSClient,
    injectedFault(kind, action) {
      if (kind === 'throttled') return fault('Throttling', 400, 'Rate exceeded');
      return fault('AccessDenied', 403, `User: ${model.caller.arn} is not authorized to perform: ${action}`);
    },
    operations: [
      defineOperation(GetCallerIdentityCommand, {
        action: 'sts:GetCallerIdentity',
        // AWS answers GetCallerIdentity even when a policy explicitly denies it.
        undeniable: true,
        answer: () => ({ UserId: model.caller.userId, Account: model.accountId, Arn: model.caller.arn }),
      }),
    ],
  };
}
