import type {
  PutRuleCommandInput,
  PutTargetsResultEntry,
  RemoveTargetsResultEntry,
  Tag,
  Target,
} from '@aws-sdk/client-eventbridge';
import { fault } from '../errors.js';
import { lowerCamelCase } from '../events.js';
import { optional } from '../model.js';
import { emitApiCall, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import { busOf, ruleOf, taggedResource } from './api.js';
import { DEFAULT_BUS, type EventBridgeModel, type SimRule } from './model.js';

const EVENT_SOURCE = 'events.amazonaws.com';

/** EventBridge takes at most ten targets in one `PutTargets` or `RemoveTargets`, and a rule has at most five. */
const TARGETS_PER_REQUEST = 10;
const TARGETS_PER_RULE = 5;

/** A schedule: `rate(5 minutes)` or `cron(0 7 * * ? *)`. */
const SCHEDULE = /^(rate|cron)\(.+\)$/;

/** Where a call is answered and who sent it. */
export interface WriteCall {
  readonly region: string;
  /** The caller's `user-agent`. @default the console's */
  readonly userAgent?: string;
}

/** The rule a call names: its name and bus (a name or ARN; the default bus when absent). */
export interface RuleName {
  readonly Rule?: string | undefined;
  readonly EventBusName?: string | undefined;
}

/** What a write answered, with the events recorded. */
export interface Answered<T> {
  readonly answer: T;
  readonly events: SimulatedEvent[];
}

/** The answer of `PutTargets` and `RemoveTargets`: entries that failed, none here. */
interface EntriesAnswer<E> {
  readonly FailedEntryCount: number;
  readonly FailedEntries: E[];
}

/**
 * The EventBridge changes of the simulated account, shared by its API (the caller's region and user agent) and
 * its change methods (the home region, the console's user agent): each checks what EventBridge checks, answering
 * with its errors (`ResourceNotFoundException`, `ValidationException`, `InvalidEventPatternException`,
 * `LimitExceededException`, `ManagedRuleException`, all HTTP 400), changes the model so the reads return it and
 * records the CloudTrail event, request parameters in CloudTrail's lower-camel-case names.
 */
export class EventBridgeWrites {
  readonly #events: EventBridgeModel;
  readonly #context: SimulationContext;

  constructor(events: EventBridgeModel, context: SimulationContext) {
    this.#events = events;
    this.#context = context;
  }

  /**
   * `PutRule`: creates a rule, or replaces every setting of an existing one (settings left out are removed, the
   * state is `ENABLED` unless given); tags are set on creation only, targets are kept.
   */
  putRule(input: PutRuleCommandInput, call: WriteCall): Answered<{ RuleArn: string }> {
    const bus = busOf(this.#context.model, this.#events, input.EventBusName, call.region);
    const name = input.Name ?? '';
    const existing = bus.rules.get(name);
    if (existing) unmanaged(existing);
    checkRuleSettings(input, bus.name);
    const rule = this.#events.putRule({
      name,
      bus: bus.name,
      ...optional('eventPattern', input.EventPattern),
      ...optional('scheduleExpression', input.ScheduleExpression),
      ...optional('state', input.State),
      ...optional('description', input.Description),
      ...optional('roleArn', input.RoleArn),
    });
    if (!existing) rule.tags = (input.Tags ?? []).map((tag) => ({ ...tag }));
    return {
      answer: { RuleArn: rule.arn },
      events: this.#record('PutRule', input, { ruleArn: rule.arn }, call),
    };
  }

  /** `PutTargets`: adds targets, replacing those with the same `Id`. */
  putTargets(
    input: RuleName & { readonly Targets?: Target[] | undefined },
    call: WriteCall,
  ): Answered<EntriesAnswer<PutTargetsResultEntry>> {
    const rule = unmanaged(this.#rule(input, call));
    const targets = input.Targets ?? [];
    checkCount('targets', targets.length);
    const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
    if (ids.size > TARGETS_PER_RULE)
      throw fault(
        'LimitExceededException',
        400,
        'The requested resource exceeds the maximum number allowed.',
      );
    for (const target of targets) checkInput(target);
    for (const target of targets) rule.targets.set(target.Id ?? '', structuredClone(target));
    const answer = { FailedEntryCount: 0, FailedEntries: [] };
    return { answer, events: this.#record('PutTargets', input, lowerCamelCase(answer), call) };
  }

  /** `RemoveTargets`: removes targets by id; ids the rule does not have are ignored. */
  removeTargets(
    input: RuleName & { readonly Ids?: string[] | undefined; readonly Force?: boolean | undefined },
    call: WriteCall,
  ): Answered<EntriesAnswer<RemoveTargetsResultEntry>> {
    const rule = this.#rule(input, call);
    if (input.Force !== true) unmanaged(rule);
    const ids = input.Ids ?? [];
    checkCount('ids', ids.length);
    for (const id of ids) rule.targets.delete(id);
    const answer = { FailedEntryCount: 0, FailedEntries: [] };
    return { answer, events: this.#record('RemoveTargets', input, lowerCamelCase(answer), call) };
  }

  /** `DeleteRule`: only a rule without targets; a rule that does not exist is no error. */
  deleteRule(
    input: {
      readonly Name?: string | undefined;
      readonly EventBusName?: string | undefined;
      readonly Force?: boolean;
    },
    call: WriteCall,
  ): SimulatedEvent[] {
    const bus = busOf(this.#context.model, this.#events, input.EventBusName, call.region);
    const rule = bus.rules.get(input.Name ?? '');
    if (rule) {
      if (input.Force !== true) unmanaged(rule);
      if (rule.targets.size > 0)
        throw fault('ValidationException', 400, "Rule can't be deleted since it has targets.");
      bus.rules.delete(rule.name);
    }
    return this.#record('DeleteRule', input, null, call);
  }

  /** `TagResource` of a rule or an event bus: replaces the values of keys it already has. */
  tagResource(arn: string | undefined, tags: readonly Tag[] = [], call: WriteCall): SimulatedEvent[] {
    const tagged = taggedResource(this.#context.model, this.#events, arn ?? '', call.region);
    const byKey = new Map(tagged.tags.map((tag) => [tag.Key, tag]));
    for (const tag of tags) byKey.set(tag.Key, { ...tag });
    tagged.tags = [...byKey.values()];
    return this.#record('TagResource', { ResourceARN: arn, Tags: tags }, null, call);
  }

  /** `UntagResource` of a rule or an event bus: keys it does not have are ignored. */
  untagResource(arn: string | undefined, keys: readonly string[] = [], call: WriteCall): SimulatedEvent[] {
    const tagged = taggedResource(this.#context.model, this.#events, arn ?? '', call.region);
    tagged.tags = tagged.tags.filter((tag) => !keys.includes(tag.Key ?? ''));
    return this.#record('UntagResource', { ResourceARN: arn, TagKeys: keys }, null, call);
  }

  #rule(input: RuleName, call: WriteCall): SimRule {
    return ruleOf(
      busOf(this.#context.model, this.#events, input.EventBusName, call.region),
      input.Rule ?? '',
    );
  }

  #record(eventName: string, input: object, responseElements: unknown, call: WriteCall): SimulatedEvent[] {
    return emitApiCall(this.#context, 'events', {
      eventSource: EVENT_SOURCE,
      eventName,
      region: call.region,
      at: this.#context.now(),
      requestParameters: lowerCamelCase(input) as Record<string, unknown>,
      responseElements: responseElements as Record<string, unknown> | null,
      ...optional('userAgent', call.userAgent),
    });
  }
}

/** The rule, unless an AWS service manages it: then `ManagedRuleException`. */
function unmanaged(rule: SimRule): SimRule {
  if (rule.managedBy === undefined) return rule;
  throw fault(
    'ManagedRuleException',
    400,
    `Rule ${rule.name} is managed by the AWS service ${rule.managedBy}, and cannot be changed.`,
  );
}

/** What `PutRule` checks: a pattern or a schedule, the pattern JSON, the schedule's syntax and bus. */
function checkRuleSettings(input: PutRuleCommandInput, bus: string): void {
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined)
    throw fault(
      'ValidationException',
      400,
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
  if (input.EventPattern !== undefined) {
    try {
      const pattern: unknown = JSON.parse(input.EventPattern);
      if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern))
        throw new Error('the pattern must be a JSON object');
    } catch (error) {
      throw fault(
        'InvalidEventPatternException',
        400,
        `Event pattern is not valid. Reason: ${(error as Error).message}`,
      );
    }
  }
  if (input.ScheduleExpression === undefined) return;
  if (!SCHEDULE.test(input.ScheduleExpression))
    throw fault('ValidationException', 400, 'Parameter ScheduleExpression is not valid.');
  if (bus !== DEFAULT_BUS)
    throw fault('ValidationException', 400, 'ScheduleExpression is supported only on the default event bus.');
}

/** Between one and ten entries, as `PutTargets` and `RemoveTargets` take. */
function checkCount(member: string, count: number): void {
  if (count >= 1 && count <= TARGETS_PER_REQUEST) return;
  const bound =
    count < 1 ? 'length greater than or equal to 1' : `length less than or equal to ${TARGETS_PER_REQUEST}`;
  throw fault(
    'ValidationException',
    400,
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have ${bound}`,
  );
}

/** A target's constant `Input` must be JSON text. */
function checkInput(target: Target): void {
  if (target.Input === undefined) return;
  try {
    JSON.parse(target.Input);
  } catch (error) {
    throw fault(
      'ValidationException',
      400,
      `JSON syntax error in input for target ${target.Id}: ${(error as Error).message}`,
    );
  }
}
