import { isDeepStrictEqual } from 'node:util';
import {
  createdSince,
  fromParts,
  keyedDifference,
  type PartPlan,
  type StepOf,
  stepsOf,
  unreadPart,
} from '../restore/parts.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { isJsonObject } from './support.js';

/** The key pair Lightsail uses when none is named: left out of a request rather than named. */
const DEFAULT_KEY_PAIR = 'LightsailDefaultKeyPair';

/** What `PutInstancePublicPorts` takes of a firewall rule. */
const PORT_FIELDS = ['fromPort', 'toPort', 'protocol', 'cidrs', 'ipv6Cidrs', 'cidrListAliases'] as const;

/**
 * How a Lightsail instance is restored, by the user: Tidemark plans the calls and sends none (a disk is put back
 * only by creating an instance from a snapshot). A deleted instance is created from the native snapshot recorded
 * with it (captures taken with `--lightsail-snapshots`), in its zone with its bundle, key pair, tags and automatic
 * snapshots, then given its firewall and static IP. A live one gets back its firewall, tags, state, static IP and
 * automatic snapshots; a bundle cannot change in place.
 */
export const lightsailInstanceRestore: RestoreSpec = { plan: planInstance };

function planInstance({ captured, live, target, prune }: PlanInput): PlannedChange {
  const instanceName = target.id;
  const step = stepsOf('lightsail', target.region);
  if (!captured)
    return createdSince(live, {
      prune,
      removal: () => [
        step('DeleteInstance', { instanceName }, 'delete the instance created after the moment restored to'),
      ],
    });
  const instance = objectAt(captured.document.Instance);
  if (!live) return fromSnapshot(instanceName, instance, captured.document, step);
  const now = objectAt(live.document.Instance);
  return fromParts(RestoreAction.UPDATE, [
    {
      steps: [],
      notes:
        instance.bundleId === now.bundleId
          ? []
          : [
              `its bundle was ${instance.bundleId} and is ${now.bundleId}: Lightsail cannot change a bundle in place; create an instance from a snapshot with bundle ${instance.bundleId}`,
            ],
    },
    portSteps(instanceName, instance, now, step),
    tagSteps(instanceName, instance.tags, now.tags, step),
    stateSteps(instanceName, instance, now, step),
    staticIpSteps(instanceName, captured.document.StaticIpName, live.document.StaticIpName, step),
    autoSnapshotSteps(instanceName, instance.addOns, now.addOns, step),
  ]);
}

/** `CreateInstancesFromSnapshot` from the recorded snapshot, then what a new instance lacks: firewall, static IP. */
function fromSnapshot(
  instanceName: string,
  instance: JsonObject,
  document: JsonObject,
  step: StepOf,
): PlannedChange {
  const snapshot = objectAt(document.NativeSnapshot);
  if (typeof snapshot.Name !== 'string')
    return {
      action: RestoreAction.CANNOT,
      reason: 'no snapshot was recorded: capture with --lightsail-snapshots',
      steps: [],
    };
  const keyPair = instance.sshKeyName;
  const tags = tagPairs(instance.tags);
  const autoSnapshot = autoSnapshotRequest(instance.addOns);
  const created = step(
    'CreateInstancesFromSnapshot',
    {
      instanceNames: [instanceName],
      availabilityZone: String(objectAt(instance.location).availabilityZone ?? ''),
      instanceSnapshotName: snapshot.Name,
      bundleId: String(instance.bundleId ?? ''),
      ...(typeof keyPair === 'string' && keyPair !== DEFAULT_KEY_PAIR ? { keyPairName: keyPair } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(autoSnapshot ? { addOns: [autoSnapshot] } : {}),
      ...(typeof instance.ipAddressType === 'string' ? { ipAddressType: instance.ipAddressType } : {}),
    },
    `create the instance again from the snapshot ${snapshot.Name}`,
  );
  return fromParts(RestoreAction.RECREATE, [
    {
      steps: [created],
      notes: [
        `its disk is as the snapshot ${snapshot.Name} holds it${typeof snapshot.RequestedAt === 'string' ? ` (taken ${snapshot.RequestedAt})` : ''}: what was written after is lost; the new instance gets new private and public addresses`,
      ],
    },
    portSteps(instanceName, instance, {}, step),
    staticIpSteps(instanceName, document.StaticIpName, null, step),
    stateSteps(instanceName, instance, { state: { name: 'running' } }, step),
  ]);
}

/** `PutInstancePublicPorts` with every captured rule, when the firewall differs (it replaces all rules). */
function portSteps(instanceName: string, before: JsonObject, now: JsonObject, step: StepOf): PartPlan {
  const wanted = portInfos(objectAt(before.networking).ports);
  if (isDeepStrictEqual(wanted, portInfos(objectAt(now.networking).ports))) return { steps: [], notes: [] };
  return {
    steps: [
      step(
        'PutInstancePublicPorts',
        { instanceName, portInfos: wanted },
        `put back its firewall: ${wanted.length} rule(s), replacing those it has`,
      ),
    ],
    notes: [],
  };
}

/** Firewall rules (keyed by range) as `PortInfo`s, in key order. */
function portInfos(ports: Json | undefined): JsonObject[] {
  const rules = objectAt(ports);
  return Object.keys(rules)
    .sort()
    .map((key) => {
      const rule = objectAt(rules[key]);
      return Object.fromEntries(
        PORT_FIELDS.filter((field) => rule[field] !== undefined).map((field) => [field, rule[field] ?? null]),
      );
    });
}

/** Tags that differ put back (`TagResource`), tags added since removed (`UntagResource`), in Lightsail's shape. */
function tagSteps(
  resourceName: string,
  before: Json | undefined,
  now: Json | undefined,
  step: StepOf,
): PartPlan {
  const note = unreadPart('its tags', before, now);
  if (note) return { steps: [], notes: [note] };
  const { put, added } = keyedDifference(before, now);
  return {
    steps: [
      ...(put.length > 0
        ? [
            step(
              'TagResource',
              { resourceName, tags: tagPairs(before, put) },
              `put back the tags ${put.join(', ')}`,
            ),
          ]
        : []),
      ...(added.length > 0
        ? [
            step(
              'UntagResource',
              { resourceName, tagKeys: added },
              `remove the tags added since: ${added.join(', ')}`,
            ),
          ]
        : []),
    ],
    notes: [],
  };
}

/** A tag map as Lightsail's `[{ key, value }]`, only `keys` when given. */
function tagPairs(tags: Json | undefined, keys?: readonly string[]): JsonObject[] {
  const map = objectAt(tags);
  return (keys ?? Object.keys(map)).map((key) => ({ key, value: map[key] ?? '' }));
}

/** `StartInstance` or `StopInstance` when it was running or stopped and is not now. */
function stateSteps(instanceName: string, before: JsonObject, now: JsonObject, step: StepOf): PartPlan {
  const wanted = objectAt(before.state).name;
  const current = objectAt(now.state).name;
  if (wanted === current || (wanted !== 'running' && wanted !== 'stopped')) return { steps: [], notes: [] };
  return {
    steps: [
      wanted === 'running'
        ? step('StartInstance', { instanceName }, 'start it: it was running')
        : step('StopInstance', { instanceName }, 'stop it: it was stopped'),
    ],
    notes: [],
  };
}

/** The static IP attached again (`AttachStaticIp`), or the one attached since detached. */
function staticIpSteps(
  instanceName: string,
  before: Json | undefined,
  now: Json | undefined,
  step: StepOf,
): PartPlan {
  const note = unreadPart('its static IP', before, now);
  if (note) return { steps: [], notes: [note] };
  if ((before ?? null) === (now ?? null)) return { steps: [], notes: [] };
  const steps: RestoreStep[] = [];
  if (typeof now === 'string')
    steps.push(step('DetachStaticIp', { staticIpName: now }, `detach the static IP ${now}, attached since`));
  if (typeof before === 'string')
    steps.push(
      step(
        'AttachStaticIp',
        { staticIpName: before, instanceName },
        `attach the static IP ${before} again (if another instance holds it now, detach it there first)`,
      ),
    );
  return { steps, notes: [] };
}

/** Automatic snapshots enabled again at their time of day (`EnableAddOn`), or disabled when enabled since. */
function autoSnapshotSteps(
  resourceName: string,
  before: Json | undefined,
  now: Json | undefined,
  step: StepOf,
): PartPlan {
  const wanted = autoSnapshotRequest(before);
  const current = autoSnapshotRequest(now);
  if (isDeepStrictEqual(wanted, current)) return { steps: [], notes: [] };
  return {
    steps: [
      wanted
        ? step(
            'EnableAddOn',
            { resourceName, addOnRequest: wanted },
            'put back its automatic snapshots and their time of day',
          )
        : step(
            'DisableAddOn',
            { resourceName, addOnType: 'AutoSnapshot' },
            'turn off the automatic snapshots turned on since',
          ),
    ],
    notes: [],
  };
}

/** The `AddOnRequest` of enabled automatic snapshots among add-ons keyed by name, if any. */
function autoSnapshotRequest(addOns: Json | undefined): JsonObject | undefined {
  const addOn = objectAt(objectAt(addOns).AutoSnapshot);
  if (addOn.status !== 'Enabled') return undefined;
  return {
    addOnType: 'AutoSnapshot',
    autoSnapshotAddOnRequest:
      typeof addOn.snapshotTimeOfDay === 'string' ? { snapshotTimeOfDay: addOn.snapshotTimeOfDay } : {},
  };
}

function objectAt(value: Json | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}
