import {
  AccessDeniedException,
  AccountSetupInProgressException,
  CreateInstanceSnapshotCommand,
  type Domain,
  GetDomainCommand,
  GetDomainsCommand,
  GetInstanceCommand,
  GetInstancePortStatesCommand,
  GetInstanceSnapshotCommand,
  GetInstancesCommand,
  GetStaticIpCommand,
  GetStaticIpsCommand,
  type Instance,
  type InstanceSnapshot,
  InvalidInputException,
  LightsailClient,
  LightsailServiceException,
  NotFoundException,
  type Operation,
  OperationFailureException,
  type OperationType,
  type RegionName,
  type ResourceType,
  ServiceException,
  type StaticIp,
  UnauthenticatedException,
} from '@aws-sdk/client-lightsail';
import { type CallContext, type CallTarget, defineOperation, type ServiceProfile } from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import {
  BLUEPRINTS,
  BUNDLES,
  LIGHTSAIL_DNS_REGION,
  type LightsailModel,
  type PortRule,
  type SimDomain,
  type SimInstance,
  type SimInstanceSnapshot,
  type SimStaticIp,
} from './model.js';

/** Lightsail documents no page size for its `Get…s` listings; the simulation pages by 20 so scaled accounts page. */
const PAGE_SIZE = 20;

/** Lightsail's pattern for resource names. */
const RESOURCE_NAME = /^\w[\w-]*\w$/;

/** `state.code` of each instance state: the low byte is EC2's state code. */
const STATE_CODES = { running: 16, stopped: 80 } as const;

/**
 * The Lightsail API of the simulated account (JSON 1.1). Instances, static IPs and snapshots are regional; domains
 * answer only in us-east-1, as Lightsail's domain APIs do.
 */
export function lightsailProfile(
  model: AccountModel,
  lightsail: LightsailModel,
  now: () => Date,
): ServiceProfile {
  const instanceTarget = (input: { instanceName?: string | undefined }) =>
    namedTarget(lightsail.instances, input.instanceName);
  const instance = (name: string | undefined, call: CallContext) =>
    found(lightsail.instances.get(name ?? ''), 'Instance', call);

  return {
    service: 'lightsail',
    exceptions: {
      base: LightsailServiceException,
      modeled: {
        AccessDeniedException,
        AccountSetupInProgressException,
        InvalidInputException,
        NotFoundException,
        OperationFailureException,
        ServiceException,
        UnauthenticatedException,
      },
    },
    client: LightsailClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDeniedException', status: 403, fields: { code: 'AccessDenied' } },
    }),
    operations: [
      defineOperation(GetInstancesCommand, {
        action: 'lightsail:GetInstances',
        answer: (input, call) => {
          const { page, nextPageToken } = listing(lightsail.instances, call, input.pageToken);
          return {
            instances: page.map((item) => instanceOf(lightsail, item)),
            ...optional('nextPageToken', nextPageToken),
          };
        },
      }),
      defineOperation(GetInstanceCommand, {
        action: 'lightsail:GetInstance',
        target: instanceTarget,
        answer: (input, call) => ({ instance: instanceOf(lightsail, instance(input.instanceName, call)) }),
      }),
      defineOperation(GetInstancePortStatesCommand, {
        action: 'lightsail:GetInstancePortStates',
        target: instanceTarget,
        answer: (input, call) => ({
          portStates: instance(input.instanceName, call).ports.map((rule) => ({
            ...portRange(rule),
            state: 'open' as const,
          })),
        }),
      }),
      defineOperation(GetStaticIpsCommand, {
        action: 'lightsail:GetStaticIps',
        answer: (input, call) => {
          const { page, nextPageToken } = listing(lightsail.staticIps, call, input.pageToken);
          return { staticIps: page.map(staticIpOf), ...optional('nextPageToken', nextPageToken) };
        },
      }),
      defineOperation(GetStaticIpCommand, {
        action: 'lightsail:GetStaticIp',
        target: (input) => namedTarget(lightsail.staticIps, input.staticIpName),
        answer: (input, call) => ({
          staticIp: staticIpOf(found(lightsail.staticIps.get(input.staticIpName ?? ''), 'StaticIp', call)),
        }),
      }),
      defineOperation(GetDomainsCommand, {
        action: 'lightsail:GetDomains',
        answer: (input, call) => {
          requireDnsRegion(call);
          const { page, nextPageToken } = listing(lightsail.domains, call, input.pageToken);
          return { domains: page.map(domainOf), ...optional('nextPageToken', nextPageToken) };
        },
      }),
      defineOperation(GetDomainCommand, {
        action: 'lightsail:GetDomain',
        target: (input) => namedTarget(lightsail.domains, input.domainName),
        answer: (input, call) => {
          requireDnsRegion(call);
          return { domain: domainOf(found(lightsail.domains.get(input.domainName ?? ''), 'Domain', call)) };
        },
      }),
      defineOperation(CreateInstanceSnapshotCommand, {
        action: 'lightsail:CreateInstanceSnapshot',
        target: instanceTarget,
        answer: (input, call) => {
          const source = instance(input.instanceName, call);
          const name = input.instanceSnapshotName ?? '';
          if (!RESOURCE_NAME.test(name) || name.length > 255) {
            throw invalidInput(`${name} is not a valid instance snapshot name`);
          }
          if (lightsail.snapshots.has(name)) throw invalidInput(`${name} already exists`);
          const at = now();
          const snapshot: SimInstanceSnapshot = {
            name,
            arn: lightsail.arn('InstanceSnapshot', source.region),
            supportCode: source.supportCode,
            createdAt: at,
            region: source.region,
            availabilityZone: source.availabilityZone,
            fromInstanceName: source.name,
            fromInstanceArn: source.arn,
            fromBlueprintId: source.blueprintId,
            fromBundleId: source.bundleId,
            sizeInGb: BUNDLES[source.bundleId]?.diskSizeInGb ?? 0,
          };
          lightsail.snapshots.set(name, snapshot);
          const operation = operationOf(model, 'CreateInstanceSnapshot', source.availabilityZone, at);
          return {
            operations: [
              operation('InstanceSnapshot', name, source.name),
              operation('Instance', source.name, name),
            ],
          };
        },
      }),
      defineOperation(GetInstanceSnapshotCommand, {
        action: 'lightsail:GetInstanceSnapshot',
        target: (input) => ({ ids: [input.instanceSnapshotName ?? ''] }),
        answer: (input, call) => ({
          instanceSnapshot: snapshotOf(
            found(lightsail.snapshots.get(input.instanceSnapshotName ?? ''), 'InstanceSnapshot', call),
          ),
        }),
      }),
    ],
  };
}

/**
 * The operations record Lightsail answers a change with (one per resource it changed), as a factory for one call:
 * `Succeeded` and terminal, or `Started` for a snapshot still being taken.
 */
export function operationOf(
  model: AccountModel,
  operationType: OperationType,
  availabilityZone: string,
  at: Date,
) {
  return (resourceType: ResourceType, resourceName: string, operationDetails: string): Operation => {
    const started = resourceType === 'InstanceSnapshot';
    return {
      id: model.random.uuid(),
      resourceName,
      resourceType,
      createdAt: at,
      location: { availabilityZone, regionName: regionOfZone(availabilityZone) },
      isTerminal: !started,
      operationDetails,
      operationType,
      status: started ? 'Started' : 'Succeeded',
      statusChangedAt: at,
    };
  };
}

/** `us-east-1` of `us-east-1a`. */
function regionOfZone(availabilityZone: string): RegionName {
  return availabilityZone.replace(/[a-z]$/, '') as RegionName;
}

/** A page of a region's resources sorted by name, with Lightsail's `nextPageToken` when more follow. */
function listing<T extends { readonly name: string; readonly region: string }>(
  items: ReadonlyMap<string, T>,
  call: CallContext,
  pageToken: string | undefined,
): { page: T[]; nextPageToken?: string } {
  const after = pageToken === undefined ? undefined : decodeMarker(pageToken);
  if (pageToken !== undefined && after === undefined) throw invalidInput('The page token is not valid.');
  const sorted = [...items.values()]
    .filter((item) => item.region === call.region)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { page, nextKey } = pageAfter(sorted, (item) => item.name, after, PAGE_SIZE);
  return nextKey === undefined ? { page } : { page, nextPageToken: encodeMarker(nextKey) };
}

/** The resource when it exists in the caller's region, else Lightsail's `NotFoundException`. */
/** The target of a call naming one resource of `resources`: its name, and its ARN when it exists. */
function namedTarget(
  resources: ReadonlyMap<string, { readonly arn: string }>,
  name: string | undefined,
): CallTarget {
  return { ids: [name ?? ''], ...optional('arn', resources.get(name ?? '')?.arn) };
}

function found<T extends { readonly name: string; readonly region: string }>(
  item: T | undefined,
  resourceType: string,
  call: CallContext,
): T {
  if (!item || item.region !== call.region) throw notFound(resourceType, item?.name ?? '');
  return item;
}

function notFound(resourceType: string, name: string) {
  return fault('NotFoundException', 404, `The ${resourceType} does not exist: ${name}`, { code: 'NotFound' });
}

function invalidInput(message: string) {
  return fault('InvalidInputException', 400, message, { code: 'InvalidInput' });
}

/** Lightsail's domain APIs answer only in us-east-1. */
function requireDnsRegion(call: CallContext): void {
  if (call.region !== LIGHTSAIL_DNS_REGION) {
    throw invalidInput(
      'Domain-related APIs are only available in the us-east-1 Region. Set your Region to us-east-1 to create, view, or edit these resources.',
    );
  }
}

function portRange(rule: PortRule) {
  return {
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    protocol: rule.protocol,
    cidrs: [...rule.cidrs],
    ipv6Cidrs: [...rule.ipv6Cidrs],
    cidrListAliases: [...rule.cidrListAliases],
  };
}

/** Whether a rule admits every address, as the console's "Anywhere" says. */
function openToAnywhere(rule: PortRule): boolean {
  return rule.cidrs.includes('0.0.0.0/0') && rule.ipv6Cidrs.includes('::/0');
}

function instanceOf(lightsail: LightsailModel, instance: SimInstance): Instance {
  const bundle = BUNDLES[instance.bundleId];
  const blueprint = BLUEPRINTS[instance.blueprintId];
  const staticIp = [...lightsail.staticIps.values()].find((ip) => ip.attachedTo === instance.name);
  const publicIp =
    staticIp?.ipAddress ?? (instance.state === 'running' ? instance.publicIpAddress : undefined);
  return {
    name: instance.name,
    arn: instance.arn,
    supportCode: instance.supportCode,
    createdAt: instance.createdAt,
    location: {
      availabilityZone: instance.availabilityZone,
      regionName: regionOfZone(instance.availabilityZone),
    },
    resourceType: 'Instance',
    tags: instance.tags.map((tag) => ({ ...tag })),
    blueprintId: instance.blueprintId,
    ...optional('blueprintName', blueprint?.name),
    bundleId: instance.bundleId,
    addOns: instance.addOns.map((addOn) => ({ ...addOn })),
    isStaticIp: staticIp !== undefined,
    privateIpAddress: instance.privateIpAddress,
    ...optional('publicIpAddress', publicIp),
    ipv6Addresses: [...instance.ipv6Addresses],
    ipAddressType: instance.ipAddressType,
    hardware: {
      ...optional('cpuCount', bundle?.cpuCount),
      disks: [
        {
          createdAt: instance.createdAt,
          ...optional('sizeInGb', bundle?.diskSizeInGb),
          isSystemDisk: true,
          iops: 3 * (bundle?.diskSizeInGb ?? 0),
          path: '/dev/xvda',
          attachedTo: instance.name,
          attachmentState: 'attached',
        },
      ],
      ...optional('ramSizeInGb', bundle?.ramSizeInGb),
    },
    networking: {
      monthlyTransfer: { ...optional('gbPerMonthAllocated', bundle?.transferGbPerMonth) },
      ports: instance.ports.map((rule) => ({
        ...portRange(rule),
        accessFrom: openToAnywhere(rule) ? 'Anywhere (0.0.0.0/0 and ::/0)' : 'Custom',
        accessType: 'Public',
        commonName: '',
        accessDirection: 'inbound',
      })),
    },
    state: { code: STATE_CODES[instance.state], name: instance.state },
    ...optional('username', blueprint?.username),
    sshKeyName: instance.sshKeyName,
    metadataOptions: { ...instance.metadataOptions },
  };
}

function staticIpOf(staticIp: SimStaticIp): StaticIp {
  return {
    name: staticIp.name,
    arn: staticIp.arn,
    supportCode: staticIp.supportCode,
    createdAt: staticIp.createdAt,
    location: { availabilityZone: 'all', regionName: staticIp.region as RegionName },
    resourceType: 'StaticIp',
    ipAddress: staticIp.ipAddress,
    ...optional('attachedTo', staticIp.attachedTo),
    isAttached: staticIp.attachedTo !== undefined,
  };
}

function domainOf(domain: SimDomain): Domain {
  return {
    name: domain.name,
    arn: domain.arn,
    supportCode: domain.supportCode,
    createdAt: domain.createdAt,
    location: { availabilityZone: 'all', regionName: LIGHTSAIL_DNS_REGION },
    resourceType: 'Domain',
    tags: domain.tags.map((tag) => ({ ...tag })),
    domainEntries: domain.entries.map((entry) => structuredClone(entry)),
  };
}

function snapshotOf(snapshot: SimInstanceSnapshot): InstanceSnapshot {
  return {
    name: snapshot.name,
    arn: snapshot.arn,
    supportCode: snapshot.supportCode,
    createdAt: snapshot.createdAt,
    location: {
      availabilityZone: snapshot.availabilityZone,
      regionName: regionOfZone(snapshot.availabilityZone),
    },
    resourceType: 'InstanceSnapshot',
    tags: [],
    state: 'available',
    fromAttachedDisks: [],
    fromInstanceName: snapshot.fromInstanceName,
    fromInstanceArn: snapshot.fromInstanceArn,
    fromBlueprintId: snapshot.fromBlueprintId,
    fromBundleId: snapshot.fromBundleId,
    isFromAutoSnapshot: false,
    sizeInGb: snapshot.sizeInGb,
  };
}
