import type { Operation, OperationType, ResourceType } from '@aws-sdk/client-lightsail';
import type { ServiceProfile } from '../dispatch.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { lightsailProfile, operationOf } from './api.js';
import { LightsailModel, type LightsailSeed, type SimInstance } from './model.js';

const EVENT_SOURCE = 'lightsail.amazonaws.com';

/** One resource a change touched, as Lightsail's `operations` name it. */
interface Touched {
  /** Lightsail's name of the operation on this resource (`CreateInstances` creates each by `CreateInstance`). */
  readonly operationType: OperationType;
  readonly resourceType: ResourceType;
  readonly resourceName: string;
  readonly details: string;
}

/**
 * Lightsail in the simulated account: the WordPress instance `jada-wordpress` (small_3_0, SSH from the office only,
 * HTTP and HTTPS open, automatic snapshots at 06:00, static IP `jada-wordpress-ip`), the stopped `staging-box`, a
 * spare static IP, and the `salejada.com` DNS zone in us-east-1; plus `scale.lightsailInstances` generated
 * instances. The change methods return the CloudTrail events Lightsail emits; `CreateInstanceSnapshot` calls are
 * answered and their snapshots shown by `GetInstanceSnapshot`.
 *
 * @example
 * const [event] = account.lightsail.openInstancePublicPorts('jada-wordpress', 8080);
 */
export class SimulatedLightsail implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  /** The seeded resources' names. */
  readonly seed: LightsailSeed;
  readonly #context: SimulationContext;
  readonly #lightsail: LightsailModel;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#lightsail = new LightsailModel(context.model, scale.lightsailInstances ?? 0);
    this.seed = this.#lightsail.seed;
    this.profiles = [lightsailProfile(context.model, this.#lightsail, context.now)];
  }

  /** The names of the instance snapshots taken so far (by Tidemark's captures, for instance). */
  snapshotNames(): string[] {
    return [...this.#lightsail.snapshots.keys()];
  }

  /** Opens a TCP port to every IPv4 and IPv6 address (`OpenInstancePublicPorts`). */
  openInstancePublicPorts(name: string, port: number): SimulatedEvent[] {
    const instance = this.#lightsail.instance(name);
    const rule = {
      fromPort: port,
      toPort: port,
      protocol: 'tcp' as const,
      cidrs: ['0.0.0.0/0'],
      ipv6Cidrs: ['::/0'],
      cidrListAliases: [],
    };
    instance.ports = [
      ...instance.ports.filter((existing) => existing.fromPort !== port || existing.toPort !== port),
      rule,
    ];
    return this.#apiCall(
      'OpenInstancePublicPorts',
      instance,
      {
        portInfo: {
          fromPort: port,
          toPort: port,
          protocol: 'tcp',
          cidrs: rule.cidrs,
          ipv6Cidrs: rule.ipv6Cidrs,
        },
        instanceName: name,
      },
      [
        {
          operationType: 'OpenInstancePublicPorts',
          resourceType: 'Instance',
          resourceName: name,
          details: `${port}/tcp`,
        },
      ],
    );
  }

  /** Creates running Ubuntu instances (micro_3_0) in one call, as the console does for "number of instances". */
  createInstances(names: readonly string[]): SimulatedEvent[] {
    const at = this.#context.now();
    const created = names.map((name) => this.#lightsail.create(name, at));
    const [first] = created;
    if (!first) throw new Error('createInstances needs at least one name');
    return this.#apiCall(
      'CreateInstances',
      first,
      {
        instanceNames: [...names],
        availabilityZone: first.availabilityZone,
        blueprintId: first.blueprintId,
        bundleId: first.bundleId,
        keyPairName: first.sshKeyName,
        ipAddressType: first.ipAddressType,
      },
      created.map((instance) => ({
        operationType: 'CreateInstance',
        resourceType: 'Instance',
        resourceName: instance.name,
        details: '',
      })),
    );
  }

  /** Stops an instance: it loses its dynamic public address (a static IP stays attached). */
  stopInstance(name: string): SimulatedEvent[] {
    const instance = this.#lightsail.instance(name);
    instance.state = 'stopped';
    delete instance.publicIpAddress;
    return this.#apiCall('StopInstance', instance, { instanceName: name, force: false }, [
      { operationType: 'StopInstance', resourceType: 'Instance', resourceName: name, details: '' },
    ]);
  }

  /** Deletes an instance; a static IP attached to it is detached, as Lightsail does. */
  deleteInstance(name: string): SimulatedEvent[] {
    const instance = this.#lightsail.instance(name);
    this.#lightsail.instances.delete(name);
    for (const staticIp of this.#lightsail.staticIps.values()) {
      if (staticIp.attachedTo === name) delete staticIp.attachedTo;
    }
    return this.#apiCall('DeleteInstance', instance, { instanceName: name, forceDeleteAddOns: false }, [
      { operationType: 'DeleteInstance', resourceType: 'Instance', resourceName: name, details: '' },
    ]);
  }

  #apiCall(
    eventName: string,
    instance: SimInstance,
    requestParameters: Record<string, unknown>,
    touched: readonly Touched[],
  ): SimulatedEvent[] {
    const at = this.#context.now();
    const operations = touched.map((resource) =>
      cloudTrailOperation(
        operationOf(
          this.#context.model,
          resource.operationType,
          instance.availabilityZone,
          at,
        )(resource.resourceType, resource.resourceName, resource.details),
      ),
    );
    return emitApiCall(this.#context, 'lightsail', {
      eventSource: EVENT_SOURCE,
      eventName,
      region: instance.region,
      at,
      requestParameters,
      responseElements: { operations },
    });
  }
}

/** An operation as CloudTrail writes it into `responseElements`: dates in its `Dec 1, 2026, 4:20:05 PM` form. */
function cloudTrailOperation(operation: Operation): Record<string, unknown> {
  const format = (date: Date | undefined) =>
    date?.toLocaleString('en-US', {
      timeZone: 'UTC',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      second: '2-digit',
    });
  return {
    ...operation,
    createdAt: format(operation.createdAt),
    statusChangedAt: format(operation.statusChangedAt),
  };
}
