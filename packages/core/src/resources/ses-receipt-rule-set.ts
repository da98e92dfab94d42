import {
  DescribeActiveReceiptRuleSetCommand,
  DescribeReceiptRuleSetCommand,
  ListReceiptRuleSetsCommand,
} from '@aws-sdk/client-ses';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { sesService } from './services.js';
import { SES_EVENT_SOURCE, sesExtractor } from './ses-shared.js';
import { toJson, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::SES::ReceiptRuleSet';

/** What SES (v1) answers for a rule set that does not exist: the SDK names `RuleSetDoesNotExist` so. */
const RULE_SET_NOT_FOUND = ['RuleSetDoesNotExistException'];

/**
 * The rule set a receiving call changes: `ruleSetName` (for `CloneReceiptRuleSet` the new copy; the original is
 * unchanged). `SetActiveReceiptRuleSet` without a name deactivates whichever set was active, which the record does
 * not name: it maps to nothing.
 */
export const ruleSetFromRecord = sesExtractor(['ruleSetName']);

/** CloudTrail events (v1 API only: receiving has no v2 API) that change a receipt rule set or its rules. */
const RULE_SET_EVENTS = [
  'CreateReceiptRuleSet',
  'DeleteReceiptRuleSet',
  'CloneReceiptRuleSet',
  'SetActiveReceiptRuleSet',
  'ReorderReceiptRuleSet',
  'CreateReceiptRule',
  'UpdateReceiptRule',
  'DeleteReceiptRule',
  'SetReceiptRulePosition',
] as const;

/**
 * Rule sets of a region. `ListReceiptRuleSets` has no SDK paginator: it is followed by `NextToken`. A region where
 * SES does not receive email is not special-cased: whatever it answers becomes the listing's gap.
 */
async function* listRuleSets(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(sesService, region);
  let token: string | undefined;
  do {
    const input = token === undefined ? {} : { NextToken: token };
    const page = await ctx.limit(sesService)(() => client.send(new ListReceiptRuleSetsCommand(input)));
    for (const ruleSet of page.RuleSets ?? []) if (ruleSet.Name) yield { id: ruleSet.Name };
    token = page.NextToken;
  } while (token);
}

async function describeRuleSet(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(sesService, region);
  const limit = ctx.limit(sesService);

  const described = await readPart(
    { ...spec, operation: 'ses:DescribeReceiptRuleSet', absentCodes: RULE_SET_NOT_FOUND },
    () => limit(() => client.send(new DescribeReceiptRuleSetCommand({ RuleSetName: name }))),
  );
  if (described.state === 'not-found' || described.state === 'absent') return { status: 'not-found' };
  if (described.state === 'gap') return { status: 'gap', gap: described.gap };
  const active = await readPart({ ...spec, operation: 'ses:DescribeActiveReceiptRuleSet' }, () =>
    limit(() => client.send(new DescribeActiveReceiptRuleSetCommand({}))),
  );

  const raw: JsonObject = {
    Metadata: toJsonObject(described.value.Metadata ?? {}),
    // Rules apply in this order: it is kept as it is.
    Rules: toJson(described.value.Rules ?? []) ?? [],
    Active: partValue(active, (output) => output.Metadata?.Name === name),
  };
  return { status: 'found', raw, ...(active.state === 'gap' ? { gaps: [active.gap] } : {}) };
}

/**
 * `AWS::SES::ReceiptRuleSet`: a set of email receiving rules (v1 API only), with its rules in the order SES applies
 * them (recipients, TLS policy, spam scanning, actions: S3, Lambda, SNS, bounce, WorkMail, stop, add header) and
 * whether it is the region's active set. Identifier: the rule set name.
 *
 * Activating one set deactivates the one active before, whose event names only the new set: the other set's
 * `Active` is corrected by the next baseline.
 */
export const sesReceiptRuleSet: ResourceDefinition = {
  type: TYPE,
  service: sesService,
  eventSource: SES_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'ses:ListReceiptRuleSets',
  permissions: ['ses:ListReceiptRuleSets', 'ses:DescribeReceiptRuleSet', 'ses:DescribeActiveReceiptRuleSet'],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(RULE_SET_EVENTS.map((name) => [name, ruleSetFromRecord])),
  list: listRuleSets,
  describe: (ctx, id, region) => describeRuleSet(ctx, id, region),
  normalise: (raw) => ({ ...raw }),
};
