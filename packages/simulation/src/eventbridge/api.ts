import {
  AccessDeniedException,
  ConcurrentModificationException,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  InternalException,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  ManagedRuleException,
  ResourceNotFoundException,
  type Rule,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge';
import {
  type CallContext,
  type CallTarget,
  defineOperation,
  type Operation,
  type ServiceProfile,
} from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import {
  BUS_ARN,
  DEFAULT_BUS,
  type EventBridgeModel,
  plainBusName,
  type SimEventBus,
  type SimRule,
} from './model.js';

/** `Limit` of the listings: 1 to 100; AWS documents no default, the simulation uses the maximum. */
const MAX_LIMIT = 100;

const RULE_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):rule\/(.+)$/;

/**
 * The EventBridge API of the simulated account (JSON 1.1): event buses, rules, targets and tags of the caller's
 * region, with `writes` (see `eventBridgeWriteOperations`) beside these reads. Errors as EventBridge answers them:
 * `ResourceNotFoundException` (400) for a missing bus or rule, `ValidationException` (400) for an invalid limit or
 * token, `AccessDeniedException` and `ThrottlingException` (400).
 */
export function eventBridgeProfile(
  model: AccountModel,
  events: EventBridgeModel,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const findBus = (name: string | undefined, call: CallContext) => busOf(model, events, name, call.region);
  const findRule = (
    input: { Name?: string | undefined; EventBusName?: string | undefined },
    call: CallContext,
  ) => ruleOf(findBus(input.EventBusName, call), input.Name ?? '');
  const ruleTarget = (name: string | undefined, busName: string | undefined, call: CallContext) =>
    ruleCallTarget(model, name, busName, call.region);

  return {
    service: 'events',
    exceptions: {
      base: EventBridgeServiceException,
      modeled: {
        AccessDeniedException,
        ConcurrentModificationException,
        InternalException,
        InvalidEventPatternException,
        LimitExceededException,
        ManagedRuleException,
        ResourceNotFoundException,
        ThrottlingException,
      },
    },
    client: EventBridgeClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDeniedException', status: 400 },
    }),
    operations: [
      defineOperation(ListEventBusesCommand, {
        action: 'events:ListEventBuses',
        answer: (input, call) => {
          const selected = events
            .busesOf(call.region)
            .filter((bus) => input.NamePrefix === undefined || bus.name.startsWith(input.NamePrefix));
          const { page, nextKey } = pageAfter(
            selected,
            (bus) => bus.name,
            position(input.NextToken),
            pageSize(input.Limit),
          );
          return {
            EventBuses: page.map((bus) => ({
              Name: bus.name,
              Arn: bus.arn,
              ...optional('Description', bus.description),
              ...optional('Policy', bus.policy && JSON.stringify(bus.policy)),
              CreationTime: bus.createdAt,
              LastModifiedTime: bus.lastModifiedAt,
            })),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(DescribeEventBusCommand, {
        action: 'events:DescribeEventBus',
        target: (input) => ({ ids: [plainBusName(input.Name)] }),
        answer: (input, call) => {
          const bus = findBus(input.Name, call);
          return {
            Name: bus.name,
            Arn: bus.arn,
            ...optional('Description', bus.description),
            ...optional('KmsKeyIdentifier', bus.kmsKeyIdentifier),
            ...optional(
              'DeadLetterConfig',
              bus.deadLetterArn === undefined ? undefined : { Arn: bus.deadLetterArn },
            ),
            ...optional('Policy', bus.policy && JSON.stringify(bus.policy)),
            ...optional('LogConfig', bus.logConfig && { ...bus.logConfig }),
            CreationTime: bus.createdAt,
            LastModifiedTime: bus.lastModifiedAt,
          };
        },
      }),
      defineOperation(ListRulesCommand, {
        action: 'events:ListRules',
        target: (input) => ({ ids: [plainBusName(input.EventBusName)] }),
        answer: (input, call) => {
          const bus = findBus(input.EventBusName, call);
          const selected = [...bus.rules.values()]
            .filter((rule) => input.NamePrefix === undefined || rule.name.startsWith(input.NamePrefix))
            .sort((a, b) => (a.name < b.name ? -1 : 1));
          const { page, nextKey } = pageAfter(
            selected,
            (rule) => rule.name,
            position(input.NextToken),
            pageSize(input.Limit),
          );
          return {
            Rules: page.map(ruleSummary),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(DescribeRuleCommand, {
        action: 'events:DescribeRule',
        target: (input, call) => ruleTarget(input.Name, input.EventBusName, call),
        answer: (input, call) => {
          const rule = findRule(input, call);
          return { ...ruleSummary(rule), CreatedBy: rule.createdBy };
        },
      }),
      defineOperation(ListTargetsByRuleCommand, {
        action: 'events:ListTargetsByRule',
        target: (input, call) => ruleTarget(input.Rule, input.EventBusName, call),
        answer: (input, call) => {
          const rule = findRule({ Name: input.Rule, EventBusName: input.EventBusName }, call);
          const { page, nextKey } = pageAfter(
            [...rule.targets.values()].sort((a, b) => ((a.Id ?? '') < (b.Id ?? '') ? -1 : 1)),
            (target) => target.Id ?? '',
            position(input.NextToken),
            pageSize(input.Limit),
          );
          return {
            Targets: page.map((target) => structuredClone(target)),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(ListTagsForResourceCommand, {
        action: 'events:ListTagsForResource',
        target: (input) => taggedTarget(input.ResourceARN),
        answer: (input, call) => ({
          Tags: taggedResource(model, events, input.ResourceARN ?? '', call.region).tags.map((tag) => ({
            ...tag,
          })),
        }),
      }),
      ...writes,
    ],
  };
}

/** A rule as `ListRules` reports it (`DescribeRule` adds `CreatedBy`). */
function ruleSummary(rule: SimRule): Rule {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...optional('EventPattern', rule.eventPattern),
    State: rule.state,
    ...optional('Description', rule.description),
    ...optional('ScheduleExpression', rule.scheduleExpression),
    ...optional('RoleArn', rule.roleArn),
    ...optional('ManagedBy', rule.managedBy),
    EventBusName: rule.bus,
  };
}

/** What a call naming a rule touches: the rule's id (`bus/name` off the default bus) and ARN. */
export function ruleCallTarget(
  model: AccountModel,
  name: string | undefined,
  busName: string | undefined,
  region: string,
): CallTarget {
  const bus = plainBusName(busName);
  const id = bus === DEFAULT_BUS ? (name ?? '') : `${bus}/${name ?? ''}`;
  return { ids: [id], arn: `arn:aws:events:${region}:${model.accountId}:rule/${id}` };
}

/** What a call naming a rule or bus by its ARN touches: the rule id (`bus/name` off the default bus) or bus name. */
export function taggedTarget(arn: string | undefined): CallTarget {
  const value = arn ?? '';
  return { ids: [RULE_ARN.exec(value)?.[3] ?? BUS_ARN.exec(value)?.[3] ?? value], arn: value };
}

/** The bus a call names, in the caller's region and account: `ResourceNotFoundException` otherwise. */
export function busOf(
  model: AccountModel,
  events: EventBridgeModel,
  value: string | undefined,
  region: string,
): SimEventBus {
  const name = plainBusName(value);
  const arn = value === undefined ? undefined : BUS_ARN.exec(value);
  const elsewhere = arn !== undefined && arn !== null && (arn[1] !== region || arn[2] !== model.accountId);
  const bus = elsewhere ? undefined : events.bus(region, name);
  if (!bus) throw fault('ResourceNotFoundException', 400, `Event bus ${name} does not exist.`);
  return bus;
}

/** The rule of a bus, or `ResourceNotFoundException`. */
export function ruleOf(bus: SimEventBus, name: string): SimRule {
  const rule = bus.rules.get(name);
  if (!rule)
    throw fault('ResourceNotFoundException', 400, `Rule ${name} does not exist on EventBus ${bus.name}.`);
  return rule;
}

/** The rule or bus a `ResourceARN` names, in the caller's region and account. */
export function taggedResource(
  model: AccountModel,
  events: EventBridgeModel,
  arn: string,
  region: string,
): SimEventBus | SimRule {
  const rule = RULE_ARN.exec(arn);
  if (rule) {
    if (rule[1] !== region || rule[2] !== model.accountId) {
      throw fault('ResourceNotFoundException', 400, `Rule ${rule[3]} does not exist.`);
    }
    const path = rule[3] ?? '';
    const slash = path.lastIndexOf('/');
    const bus = slash === -1 ? DEFAULT_BUS : path.slice(0, slash);
    return ruleOf(busOf(model, events, bus, region), path.slice(slash + 1));
  }
  if (BUS_ARN.test(arn)) return busOf(model, events, arn, region);
  throw fault(
    'ValidationException',
    400,
    `1 validation error detected: Value '${arn}' at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws[\\w-]*:events:[a-z]{2}-[a-z]+-[\\w-]+:[0-9]{12}:.+`,
  );
}

function pageSize(limit: number | undefined): number {
  const size = limit ?? MAX_LIMIT;
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIMIT) {
    throw fault(
      'ValidationException',
      400,
      `1 validation error detected: Value '${size}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIMIT}`,
    );
  }
  return size;
}

function position(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const after = decodeMarker(token);
  if (after === undefined) throw fault('ValidationException', 400, 'The NextToken provided is invalid.');
  return after;
}
