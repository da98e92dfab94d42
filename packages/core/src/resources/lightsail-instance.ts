import {
  CreateInstanceSnapshotCommand,
  GetInstanceCommand,
  GetInstancePortStatesCommand,
  GetInstancesCommand,
  GetStaticIpsCommand,
  type StaticIp,
} from '@aws-sdk/client-lightsail';
import type { CaptureContext } from '../capture/context.js';
import { type PartOutcome, partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, Json, JsonObject, ListedResource } from '../types/resource.js';
import { lightsailInstanceRestore } from './lightsail-instance-restore.js';
import {
  LIGHTSAIL_EVENT_SOURCE,
  lightsailItems,
  lightsailNames,
  lightsailTagsAsMap,
} from './lightsail-shared.js';
import { lightsailService } from './services.js';
import { isJsonObject, keyedBy, toJson, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::Lightsail::Instance';

/** CloudTrail events that create, delete or change an instance (its state, firewall, address, add-ons, tags). */
const INSTANCE_EVENTS = [
  'CreateInstances',
  'CreateInstancesFromSnapshot',
  'DeleteInstance',
  'StartInstance',
  'StopInstance',
  'PutInstancePublicPorts',
  'OpenInstancePublicPorts',
  'CloseInstancePublicPorts',
  'AttachStaticIp',
  'DetachStaticIp',
  'EnableAddOn',
  'DisableAddOn',
  'TagResource',
  'UntagResource',
  'UpdateInstanceMetadataOptions',
  'SetIpAddressType',
] as const;

/** The instances a Lightsail call names: `instanceName`, each of `instanceNames`, or the operations it answered. */
const instanceFromRecord = lightsailNames('Instance', ['instanceName', 'instanceNames']);

/**
 * The name of a native snapshot taken now: `tidemark-<instance>-<yyyymmddThhmmssZ>`.
 *
 * @example
 * snapshotName('jada-wordpress', new Date('2026-12-01T16:20:05Z')); // 'tidemark-jada-wordpress-20261201T162005Z'
 */
export function snapshotName(instance: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `tidemark-${instance}-${stamp}`;
}

async function* listInstances(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(lightsailService, region);
  const instances = lightsailItems(ctx, async (pageToken) => {
    const page = await client.send(new GetInstancesCommand({ pageToken }));
    return { items: page.instances, nextPageToken: page.nextPageToken };
  });
  for await (const instance of instances) if (instance.name) yield { id: instance.name };
}

/**
 * Takes a native snapshot (Lightsail keeps the disk bytes) and returns what the document records of it: its name
 * and when it was asked for.
 */
async function takeSnapshot(
  ctx: CaptureContext,
  spec: { type: string; region: string; id: string },
): Promise<PartOutcome<JsonObject>> {
  const client = ctx.client(lightsailService, spec.region);
  const requestedAt = new Date();
  const name = snapshotName(spec.id, requestedAt);
  return readPart({ ...spec, operation: 'lightsail:CreateInstanceSnapshot' }, async () => {
    const { operations } = await ctx.limit(lightsailService)(() =>
      client.send(new CreateInstanceSnapshotCommand({ instanceName: spec.id, instanceSnapshotName: name })),
    );
    const snapshot = operations?.find((operation) => operation.resourceType === 'InstanceSnapshot');
    return {
      Name: name,
      RequestedAt: requestedAt.toISOString(),
      ...(snapshot?.status ? { Status: snapshot.status } : {}),
    };
  });
}

/** The name of the static IP attached to an instance (Lightsail says only whether one is, in `isStaticIp`). */
function attachedStaticIp(staticIps: readonly StaticIp[], instance: string): Json {
  return staticIps.find((staticIp) => staticIp.isAttached && staticIp.attachedTo === instance)?.name ?? null;
}

async function describeInstance(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(lightsailService, region);
  const limit = ctx.limit(lightsailService);

  const got = await readPart({ ...spec, operation: 'lightsail:GetInstance' }, () =>
    limit(() => client.send(new GetInstanceCommand({ instanceName: name }))),
  );
  if (got.state === 'not-found' || got.state === 'absent') return { status: 'not-found' };
  if (got.state === 'gap') return { status: 'gap', gap: got.gap };
  const instance = got.value.instance ?? {};

  const [ports, staticIps] = await Promise.all([
    readPart({ ...spec, operation: 'lightsail:GetInstancePortStates' }, () =>
      limit(() => client.send(new GetInstancePortStatesCommand({ instanceName: name }))),
    ),
    readPart({ ...spec, operation: 'lightsail:GetStaticIps' }, async () => {
      const all: StaticIp[] = [];
      for await (const staticIp of lightsailItems(ctx, async (pageToken) => {
        const page = await client.send(new GetStaticIpsCommand({ pageToken }));
        return { items: page.staticIps, nextPageToken: page.nextPageToken };
      }))
        all.push(staticIp);
      return all;
    }),
  ]);
  if (ports.state === 'not-found') return { status: 'not-found' };
  const snapshot = ctx.lightsailSnapshots ? await takeSnapshot(ctx, spec) : undefined;

  const gaps: Gap[] = [];
  for (const outcome of [ports, staticIps, snapshot]) if (outcome?.state === 'gap') gaps.push(outcome.gap);
  const raw: JsonObject = {
    Instance: toJsonObject(instance),
    PortStates: partValue(ports, (output) => toJson(output.portStates ?? []) ?? []),
    StaticIpName: partValue(staticIps, (list) => attachedStaticIp(list, name)),
    ...(snapshot ? { NativeSnapshot: partValue(snapshot, (recorded) => recorded) } : {}),
  };
  return { status: 'found', raw, ...(gaps.length > 0 ? { gaps } : {}) };
}

/** Port rules keyed by `<protocol>:<fromPort>-<toPort>`: Lightsail keeps one rule per range and protocol. */
function keyedByRange(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const map: JsonObject = {};
  for (const rule of value) {
    if (isJsonObject(rule)) map[`${rule.protocol}:${rule.fromPort}-${rule.toPort}`] = rule;
  }
  return map;
}

function normaliseInstance(instance: JsonObject): JsonObject {
  const normalised: JsonObject = { ...instance };
  const tags = lightsailTagsAsMap(instance.tags);
  if (tags !== undefined) normalised.tags = tags;
  const addOns = keyedBy(instance.addOns, 'name');
  if (addOns !== undefined) normalised.addOns = addOns;
  if (isJsonObject(instance.networking)) {
    const ports = keyedByRange(instance.networking.ports);
    normalised.networking = { ...instance.networking, ...(ports === undefined ? {} : { ports }) };
  }
  if (isJsonObject(instance.hardware)) {
    const disks = keyedBy(instance.hardware.disks, 'name');
    normalised.hardware = { ...instance.hardware, ...(disks === undefined ? {} : { disks }) };
  }
  return normalised;
}

/**
 * `AWS::Lightsail::Instance`: an instance as `GetInstance` reports it (blueprint, bundle, Availability Zone,
 * hardware, firewall rules with their CIDRs, public, private and IPv6 addresses, IP address type, SSH key, state,
 * add-ons such as automatic snapshots with their time of day, metadata options, tags), its port states, and the
 * name of the static IP attached to it. Identifier: the instance name.
 *
 * With `ctx.lightsailSnapshots`, each capture also takes a native instance snapshot named
 * `tidemark-<instance>-<yyyymmddThhmmssZ>` and records its name and time in `NativeSnapshot`: Lightsail keeps the
 * bytes, the version says which snapshot restores it. Without the setting nothing is written to AWS.
 *
 * Volatile: `publicIpAddress`, which AWS replaces when an instance without a static IP is stopped and started
 * (the state change itself is kept, and a static IP is recorded by name), and `state.code`, whose upper byte is
 * internal to AWS (`state.name` is kept).
 */
export const lightsailInstance: ResourceDefinition = {
  type: TYPE,
  service: lightsailService,
  eventSource: LIGHTSAIL_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'lightsail:GetInstances',
  permissions: [
    'lightsail:GetInstances',
    'lightsail:GetInstance',
    'lightsail:GetInstancePortStates',
    'lightsail:GetStaticIps',
    'lightsail:CreateInstanceSnapshot',
  ],
  volatile: ['Instance.publicIpAddress', 'Instance.state.code'],
  secrets: [],
  events: Object.fromEntries(INSTANCE_EVENTS.map((name) => [name, instanceFromRecord])),
  list: listInstances,
  describe: (ctx, id, region) => describeInstance(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    if (isJsonObject(raw.Instance)) normalised.Instance = normaliseInstance(raw.Instance);
    const portStates = keyedByRange(raw.PortStates);
    if (portStates !== undefined) normalised.PortStates = portStates;
    return normalised;
  },
  restore: lightsailInstanceRestore,
};
