import {
  DescribeRuleCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, JsonObject, ListedResource } from '../types/resource.js';
import { eventsRuleCloudFormation } from './events-rule-cloudformation.js';
import { eventsRuleRestore } from './events-rule-restore.js';
import {
  busName,
  DEFAULT_BUS,
  EVENTS_EVENT_SOURCE,
  nextToken,
  ruleId,
  ruleIdFromArn,
  ruleParts,
  taggedResource,
} from './events-shared.js';
import { eventBridgeService } from './services.js';
import {
  field,
  isJsonObject,
  keyedBy,
  parsePolicy,
  pick,
  stringField,
  tagsAsMap,
  toJson,
  toJsonObject,
  tokenPages,
} from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::Events::Rule';

/** What `DescribeRule` reports of a rule, all kept. */
const RULE_FIELDS = [
  'Name',
  'Arn',
  'EventBusName',
  'EventPattern',
  'ScheduleExpression',
  'State',
  'Description',
  'RoleArn',
  'ManagedBy',
  'CreatedBy',
] as const;

/**
 * The rule a call names by `requestParameters.<nameField>` on `requestParameters.eventBusName` (a name or an ARN,
 * the default bus when absent), and by `responseElements.ruleArn` (`PutRule`).
 */
function ruleFromRecord(nameField: 'name' | 'rule'): IdExtractor {
  return (record) => {
    const name = stringField(record.requestParameters, nameField);
    const named = field(record.requestParameters, 'eventBusName');
    const bus = named === undefined || named === '' ? DEFAULT_BUS : busName(named);
    const ids = [
      name !== undefined && bus !== undefined ? ruleId(bus, name) : undefined,
      ruleIdFromArn(field(record.responseElements, 'ruleArn')),
    ].filter((id): id is string => id !== undefined);
    return [...new Set(ids)];
  };
}

/** CloudTrail events that create, delete or change a rule, its targets or its tags. */
const RULE_EVENTS: Readonly<Record<string, IdExtractor>> = {
  PutRule: ruleFromRecord('name'),
  DeleteRule: ruleFromRecord('name'),
  EnableRule: ruleFromRecord('name'),
  DisableRule: ruleFromRecord('name'),
  PutTargets: ruleFromRecord('rule'),
  RemoveTargets: ruleFromRecord('rule'),
  TagResource: taggedResource(ruleIdFromArn),
  UntagResource: taggedResource(ruleIdFromArn),
};

/** Every rule of a region: the rules of each event bus (default, custom and partner buses). */
async function* listRules(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(eventBridgeService, region);
  const limit = ctx.limit(eventBridgeService);
  const buses = tokenPages(
    limit,
    (NextToken) => client.send(new ListEventBusesCommand({ NextToken })),
    nextToken,
  );
  for await (const busPage of buses) {
    for (const bus of busPage.EventBuses ?? []) {
      const EventBusName = bus.Name;
      if (!EventBusName) continue;
      const rules = tokenPages(
        limit,
        (NextToken) => client.send(new ListRulesCommand({ EventBusName, NextToken })),
        nextToken,
      );
      for await (const rulePage of rules) {
        for (const rule of rulePage.Rules ?? []) {
          if (rule.Name) yield { id: ruleId(EventBusName, rule.Name) };
        }
      }
    }
  }
}

async function describeRule(ctx: CaptureContext, id: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id };
  const client = ctx.client(eventBridgeService, region);
  const limit = ctx.limit(eventBridgeService);
  const { bus: EventBusName, name: Name } = ruleParts(id);

  const rule = await readPart({ ...spec, operation: 'events:DescribeRule' }, () =>
    limit(() => client.send(new DescribeRuleCommand({ Name, EventBusName }))),
  );
  if (rule.state === 'not-found' || rule.state === 'absent') return { status: 'not-found' };
  if (rule.state === 'gap') return { status: 'gap', gap: rule.gap };

  const [targets, tags] = await Promise.all([
    readPart({ ...spec, operation: 'events:ListTargetsByRule' }, async () => {
      const all: Target[] = [];
      const pages = tokenPages(
        limit,
        (NextToken) => client.send(new ListTargetsByRuleCommand({ Rule: Name, EventBusName, NextToken })),
        nextToken,
      );
      for await (const page of pages) all.push(...(page.Targets ?? []));
      return all;
    }),
    readPart({ ...spec, operation: 'events:ListTagsForResource' }, () =>
      limit(() => client.send(new ListTagsForResourceCommand({ ResourceARN: rule.value.Arn }))),
    ),
  ]);
  if (targets.state === 'not-found' || tags.state === 'not-found') return { status: 'not-found' };

  const gaps: Gap[] = [targets, tags].flatMap((outcome) => (outcome.state === 'gap' ? [outcome.gap] : []));
  const raw: JsonObject = {
    Rule: pick(rule.value, RULE_FIELDS),
    Targets: partValue(targets, (list) => list.map((target) => toJsonObject(target))),
    Tags: partValue(tags, (output) => toJson(output.Tags ?? []) ?? []),
  };
  return { status: 'found', raw, ...(gaps.length > 0 ? { gaps } : {}) };
}

/** A target with its constant `Input` (JSON text) parsed; an input transformer's template is kept as written. */
function normaliseTarget(target: JsonObject): JsonObject {
  const input = parsePolicy(target.Input);
  return input === undefined ? target : { ...target, Input: input };
}

/**
 * `AWS::Events::Rule`: an EventBridge rule as `DescribeRule` reports it (event pattern, schedule expression, state,
 * description, role, event bus, managing service, creator), its targets (`ListTargetsByRule`: input, input path or
 * input transformer, retry policy, dead-letter queue, service parameters) and its tags. Identifier: the rule name on
 * the default bus, `<bus>/<name>` on any other bus, as the rule ARN ends.
 *
 * Nothing is volatile: a rule reports no timestamps. Targets may carry HTTP header values for API destinations, but
 * never credentials: those live in EventBridge connections, which are not captured.
 */
export const eventsRule: ResourceDefinition = {
  type: TYPE,
  service: eventBridgeService,
  eventSource: EVENTS_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'events:ListRules',
  permissions: [
    'events:ListRules',
    'events:ListEventBuses',
    'events:DescribeRule',
    'events:ListTargetsByRule',
    'events:ListTagsForResource',
  ],
  volatile: [],
  secrets: [],
  events: RULE_EVENTS,
  list: listRules,
  describe: (ctx, id, region) => describeRule(ctx, id, region),
  cloudFormation: eventsRuleCloudFormation,
  restore: eventsRuleRestore,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    if (isJsonObject(raw.Rule)) {
      const pattern = parsePolicy(raw.Rule.EventPattern);
      normalised.Rule = pattern === undefined ? raw.Rule : { ...raw.Rule, EventPattern: pattern };
    }
    if (Array.isArray(raw.Targets)) {
      normalised.Targets =
        keyedBy(
          raw.Targets.map((target) => (isJsonObject(target) ? normaliseTarget(target) : target)),
          'Id',
        ) ?? null;
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
};
