import {
  DescribeActiveReceiptRuleSetCommand,
  DescribeReceiptRuleSetCommand,
  GetIdentityNotificationAttributesCommand,
  type IdentityNotificationAttributes,
  ListReceiptRuleSetsCommand,
  RuleSetDoesNotExistException,
  SESClient,
  SESServiceException,
} from '@aws-sdk/client-ses';
import { defineOperation, type ServiceProfile } from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, compareKeys, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import type { SesModel, SimRuleSet } from './model.js';

/** `GetIdentityNotificationAttributes` takes up to 100 identities a call. */
const MAX_IDENTITIES = 100;
/** `ListReceiptRuleSets` returns up to 100 rule sets a page. */
const RULE_SETS_PAGE = 100;

/**
 * The SES v1 API (query protocol) of the simulated account, answered from the same model as the v2 API. As SES v1
 * does, identity attribute calls leave out the identities they do not know rather than failing; a missing rule set
 * is `RuleSetDoesNotExist` (400).
 */
export function sesProfile(model: AccountModel, ses: SesModel): ServiceProfile {
  const ruleSetArn = (region: string, name: string) =>
    `arn:aws:ses:${region}:${model.accountId}:receipt-rule-set/${name}`;

  return {
    service: 'ses',
    exceptions: {
      base: SESServiceException,
      // The wire code SES sends, and the class the SDK builds for it.
      modeled: { RuleSetDoesNotExist: RuleSetDoesNotExistException },
    },
    client: SESClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDenied', status: 403 },
    }),
    operations: [
      defineOperation(GetIdentityNotificationAttributesCommand, {
        action: 'ses:GetIdentityNotificationAttributes',
        target: (input, call) => ({
          ids: [...(input.Identities ?? [])],
          ...optional(
            'arn',
            input.Identities?.length === 1
              ? `arn:aws:ses:${call.region}:${model.accountId}:identity/${input.Identities[0]}`
              : undefined,
          ),
        }),
        answer: (input, call) => {
          const names = input.Identities ?? [];
          if (names.length > MAX_IDENTITIES) {
            throw fault(
              'InvalidParameterValue',
              400,
              `Identities must hold at most ${MAX_IDENTITIES} identities, received ${names.length}`,
            );
          }
          const identities = ses.region(call.region).identities;
          const attributes: Record<string, IdentityNotificationAttributes> = {};
          for (const name of names) {
            const identity = identities.get(name);
            if (!identity) continue;
            const n = identity.notifications;
            attributes[name] = {
              BounceTopic: n.bounceTopic,
              ComplaintTopic: n.complaintTopic,
              DeliveryTopic: n.deliveryTopic,
              ForwardingEnabled: identity.detail.FeedbackForwardingStatus ?? true,
              HeadersInBounceNotificationsEnabled: n.headersInBounce,
              HeadersInComplaintNotificationsEnabled: n.headersInComplaint,
              HeadersInDeliveryNotificationsEnabled: n.headersInDelivery,
            };
          }
          return { NotificationAttributes: attributes };
        },
      }),
      defineOperation(ListReceiptRuleSetsCommand, {
        action: 'ses:ListReceiptRuleSets',
        answer: (input, call) => {
          let after: string | undefined;
          if (input.NextToken !== undefined) {
            after = decodeMarker(input.NextToken);
            if (after === undefined) throw fault('InvalidParameterValue', 400, 'Invalid NextToken.');
          }
          const sets = [...ses.region(call.region).ruleSets.values()].sort((a, b) =>
            compareKeys(a.name, b.name),
          );
          const { page, nextKey } = pageAfter(sets, (set) => set.name, after, RULE_SETS_PAGE);
          return {
            RuleSets: page.map((set) => ({ Name: set.name, CreatedTimestamp: set.createdAt })),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(DescribeReceiptRuleSetCommand, {
        action: 'ses:DescribeReceiptRuleSet',
        target: (input, call) => ({
          ids: [input.RuleSetName ?? ''],
          arn: ruleSetArn(call.region, input.RuleSetName ?? ''),
        }),
        answer: (input, call) => {
          const name = input.RuleSetName ?? '';
          const set = ses.region(call.region).ruleSets.get(name);
          if (!set)
            throw fault('RuleSetDoesNotExist', 400, `Rule set does not exist: ${name}`, { Name: name });
          return describe(set);
        },
      }),
      defineOperation(DescribeActiveReceiptRuleSetCommand, {
        action: 'ses:DescribeActiveReceiptRuleSet',
        answer: (_input, call) => {
          const state = ses.region(call.region);
          const active =
            state.activeRuleSet === undefined ? undefined : state.ruleSets.get(state.activeRuleSet);
          return active ? describe(active) : {};
        },
      }),
    ],
  };
}

/** `DescribeReceiptRuleSet`'s answer for a rule set: its metadata and its rules, in order. */
function describe(set: SimRuleSet) {
  return { Metadata: { Name: set.name, CreatedTimestamp: set.createdAt }, Rules: structuredClone(set.rules) };
}
