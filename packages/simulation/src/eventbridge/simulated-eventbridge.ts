import type { Target } from '@aws-sdk/client-eventbridge';
import type { ServiceProfile } from '../dispatch.js';
import { type ApiCallSpec, lowerCamelCase } from '../events.js';
import { optional } from '../model.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { eventBridgeProfile } from './api.js';
import { EventBridgeModel, type EventBridgeSeed, plainBusName, type RuleSpec } from './model.js';

const EVENT_SOURCE = 'events.amazonaws.com';

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

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#events = new EventBridgeModel(context.model, scale.eventRules ?? 0);
    this.seed = this.#events.seed;
    this.profiles = [eventBridgeProfile(context.model, this.#events)];
  }

  /** Creates a rule or replaces an existing one's pattern, schedule, state and description (`PutRule`). */
  putRule(change: RuleSpec): SimulatedEvent[] {
    const rule = this.#events.putRule({ ...change, bus: plainBusName(change.bus) });
    return this.#apiCall('PutRule', {
      requestParameters: {
        name: change.name,
        ...optional('eventPattern', change.eventPattern),
        ...optional('scheduleExpression', change.scheduleExpression),
        state: rule.state,
        ...optional('description', change.description),
        ...optional('roleArn', change.roleArn),
        ...optional('eventBusName', change.bus),
      },
      responseElements: { ruleArn: rule.arn },
    });
  }

  /** Disables a rule (`DisableRule`); `bus` is a bus name or ARN, the default bus when left out. */
  disableRule(name: string, bus?: string): SimulatedEvent[] {
    this.#events.requireRule(name, plainBusName(bus)).state = 'DISABLED';
    return this.#apiCall('DisableRule', {
      requestParameters: { name, ...optional('eventBusName', bus) },
      responseElements: null,
    });
  }

  /** Adds targets to a rule, replacing those with the same `Id` (`PutTargets`). */
  putTargets(rule: string, targets: readonly Target[], bus?: string): SimulatedEvent[] {
    const target = this.#events.requireRule(rule, plainBusName(bus));
    for (const added of targets) {
      if (!added.Id) throw new Error('every target needs an Id');
      target.targets.set(added.Id, structuredClone(added));
    }
    return this.#apiCall('PutTargets', {
      requestParameters: {
        rule,
        ...optional('eventBusName', bus),
        targets: targets.map((added) => lowerCamelCase(added)),
      },
      responseElements: { failedEntryCount: 0, failedEntries: [] },
    });
  }

  /** Deletes a rule as the console does: `RemoveTargets` of its targets first, then `DeleteRule`. */
  deleteRule(name: string, bus?: string): SimulatedEvent[] {
    const owner = this.#events.requireBus(plainBusName(bus));
    const rule = this.#events.requireRule(name, owner.name);
    const ids = [...rule.targets.keys()];
    owner.rules.delete(name);
    const busParameter = optional('eventBusName', bus);
    return [
      ...(ids.length > 0
        ? this.#apiCall('RemoveTargets', {
            requestParameters: { rule: name, ...busParameter, ids, force: false },
            responseElements: { failedEntryCount: 0, failedEntries: [] },
          })
        : []),
      ...this.#apiCall('DeleteRule', {
        requestParameters: { name, ...busParameter, force: false },
        responseElements: null,
      }),
    ];
  }

  #apiCall(
    eventName: string,
    body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    return emitApiCall(this.#context, 'events', {
      eventSource: EVENT_SOURCE,
      eventName,
      region: this.#context.model.homeRegion,
      at: this.#context.now(),
      ...body,
    });
  }
}
