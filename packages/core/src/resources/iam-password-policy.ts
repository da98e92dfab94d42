import { GetAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, ListedResource } from '../types/resource.js';
import { found, IAM_EVENT_SOURCE, NO_SUCH_ENTITY, notRead } from './iam-shared.js';
import { iamService } from './services.js';
import { stringField, toJsonObject } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

/**
 * CloudFormation has no type for the account password policy, so Tidemark names its own, in its own `Tidemark::`
 * namespace so that it can never collide with an AWS type.
 */
const TYPE = 'Tidemark::IAM::AccountPasswordPolicy';

const ACCOUNT_ID = /^\d{12}$/;

/** The account whose password policy a call changed: `recipientAccountId`, else `userIdentity.accountId`. */
export const accountFromRecord: IdExtractor = (record) => {
  const account = [
    stringField(record, 'recipientAccountId'),
    stringField(record.userIdentity, 'accountId'),
  ].find((candidate) => candidate !== undefined && ACCOUNT_ID.test(candidate));
  return account ? [account] : [];
};

/** The account has exactly one password policy, set or not: its id is the account id, listed without a call. */
async function* listPolicy(ctx: CaptureContext): AsyncGenerator<ListedResource> {
  yield { id: ctx.account };
}

async function describePolicy(ctx: CaptureContext, account: string, region: string): Promise<Described> {
  const client = ctx.client(iamService, region);
  const policy = await readPart(
    {
      type: TYPE,
      region,
      id: account,
      operation: 'iam:GetAccountPasswordPolicy',
      absentCodes: NO_SUCH_ENTITY,
    },
    () => ctx.limit(iamService)(() => client.send(new GetAccountPasswordPolicyCommand({}))),
  );
  if (policy.state === 'gap' || policy.state === 'not-found') return notRead(policy);
  // No policy set (NoSuchEntity) is a fact about the account, recorded as `PasswordPolicy: null`.
  const value = policy.state === 'ok' ? toJsonObject(policy.value.PasswordPolicy ?? {}) : null;
  return found({ PasswordPolicy: value }, []);
}

/**
 * `Tidemark::IAM::AccountPasswordPolicy`: the account's IAM password policy (length, character classes, expiry,
 * reuse), `PasswordPolicy: null` when none is set. A singleton: its identifier is the account id. A denied read
 * leaves a gap for this resource alone.
 */
export const iamPasswordPolicy: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:GetAccountPasswordPolicy',
  permissions: ['iam:GetAccountPasswordPolicy'],
  volatile: [],
  secrets: [],
  events: {
    UpdateAccountPasswordPolicy: accountFromRecord,
    DeleteAccountPasswordPolicy: accountFromRecord,
  },
  list: listPolicy,
  describe: (ctx, id, region) => describePolicy(ctx, id, region),
  normalise: (raw) => ({ ...raw }),
};
