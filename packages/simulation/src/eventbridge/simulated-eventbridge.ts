import type { Target } from '@aws-sdk/client-eventbridge';
import type { ServiceProfile } from '../dispatch.js';
import { optional } from '../model.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { eventBridgeProfile } from './api.js';
import { EventBridgeModel, type EventBridgeSeed, plainBusName, type RuleSpec } from './model.js';
import { eventBridgeWriteOperations } from './write-api.js';
import { EventBridgeWrites, type WriteCall } from './writes.js';

/**
 * EventBridge in the simulated account's home region: the `default` bus (whose resource policy lets the charter
 * broker's account put events) with two rules, `nightly-report` (a schedule invoking `booking-handler`) and
 * `bucket-object-created` (the media bucket's uploads, sent to an SQS queue through an input transformer); a custom
 * `bookings` bus with its `booking-confirmed` rule invoking `email-sender`; plus `scale.eventRules` generated
 * scheduled rules on the default bus. The change methods return the CloudTrail events EventBridge records.
 *
 * @example
 * const [event] = account.eventBridge.disableRule('nightly-report');
 */
export class SimulatedEventBridge implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  /** The seeded names. */
  readonly seed: EventBridgeSeed;
  readonly #context: SimulationContext;
  readonly #events: EventBridgeModel;
  readonly #writes: EventBridgeWrites;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#events = new EventBridgeModel(context.model, scale.eventRules ?? 0);
    this.seed = this.#events.seed;
    this.#writes = new EventBridgeWrites(this.#events, context);
    this.profiles = [
      eventBridgeProfile(
        context.model,
        this.#events,
        eventBridgeWriteOperations(context.model, this.#writes),
      ),
    ];
  }

  /** Creates a rule or replaces an existing one's pattern, schedule, state, description and role (`PutRule`). */
  putRule(change: RuleSpec): SimulatedEvent[] {
    const input = {
      Name: change.name,
      ...optional('EventBusName', change.bus),
      ...optional('EventPattern', change.eventPattern),
      ...optional('ScheduleExpression', change.scheduleExpression),
      ...optional('State', change.state),
      ...optional('Description', change.description),
      ...optional('RoleArn', change.roleArn),
    };
    return this.#writes.putRule(input, this.#home()).events;
  }

  /** Disables a rule (`DisableRule`); `bus` is a bus name or ARN, the default bus when left out. */
  disableRule(name: string, bus?: string): SimulatedEvent[] {
    this.#events.requireRule(name, plainBusName(bus)).state = 'DISABLED';
    return emitApiCall(this.#context, 'events', {
      eventSource: 'events.amazonaws.com',
      eventName: 'DisableRule',
      region: this.#context.model.homeRegion,
      at: this.#context.now(),
      requestParameters: { name, ...optional('eventBusName', bus) },
      responseElements: null,
    });
  }

  /** Adds targets to a rule, replacing those with the same `Id` (`PutTargets`). */
  putTargets(rule: string, targets: readonly Target[], bus?: string): SimulatedEvent[] {
    const input = { Rule: rule, ...optional('EventBusName', bus), Targets: [...targets] };
    return this.#writes.putTargets(input, this.#home()).events;
  }

  /** Removes targets of a rule by id (`RemoveTargets`). */
  removeTargets(rule: string, ids: readonly string[], bus?: string): SimulatedEvent[] {
    const input = { Rule: rule, ...optional('EventBusName', bus), Ids: [...ids] };
    return this.#writes.removeTargets(input, this.#home()).events;
  }

  /** Adds or replaces tags of a rule (`TagResource`). */
  tagRule(name: string, tags: Record<string, string>, bus?: string): SimulatedEvent[] {
    const arn = this.#events.requireRule(name, plainBusName(bus)).arn;
    const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    return this.#writes.tagResource(arn, list, this.#home());
  }

  /** Deletes a rule as the console does: `RemoveTargets` of its targets first, then `DeleteRule`. */
  deleteRule(name: string, bus?: string): SimulatedEvent[] {
    const ids = [...this.#events.requireRule(name, plainBusName(bus)).targets.keys()];
    const busParameter = optional('EventBusName', bus);
    return [
      ...(ids.length > 0
        ? this.#writes.removeTargets({ Rule: name, ...busParameter, Ids: ids, Force: false }, this.#home())
            .events
        : []),
      ...this.#writes.deleteRule({ Name: name, ...busParameter, Force: false }, this.#home()),
    ];
  }

  /** Changes made through the methods are the console's, in the home region. */
  #home(): WriteCall {
    return { region: this.#context.model.homeRegion };
  }
}
