import {
  GetDNSSECCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsRequest,
  ListTagsForResourceCommand,
  paginateListHostedZones,
  paginateListQueryLoggingConfigs,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { CallLimit } from '../capture/call-limits.js';
import type { CaptureContext } from '../capture/context.js';
import { type PartOutcome, partValue, readPart } from '../capture/read-part.js';
import type { Described, Gap, Json, JsonObject, ListedResource } from '../types/resource.js';
import { route53HostedZoneCloudFormation } from './route53-hosted-zone-cloudformation.js';
import { route53HostedZoneRestore } from './route53-hosted-zone-restore.js';
import { bareRoute53Id, idAt, ROUTE53_EVENT_SOURCE, taggedResource } from './route53-shared.js';
import { route53Service } from './services.js';
import {
  collectPages,
  isJsonObject,
  keyedBy,
  limitedPages,
  tagsAsMap,
  toJson,
  toJsonObject,
} from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::Route53::HostedZone';

/** The most record sets `ListResourceRecordSets` returns in one page: fewer pages, fewer of the 5 calls a second. */
const RECORD_PAGE_SIZE = 300;

const zoneInRequest = idAt('requestParameters', 'hostedZoneId');
const zoneById = idAt('requestParameters', 'id');

/**
 * CloudTrail events that change a hosted zone, its records, DNSSEC, query logging or tags, each with where its
 * record names the zone. Route 53 names no API version in event names.
 */
const ZONE_EVENTS: Readonly<Record<string, IdExtractor>> = {
  ChangeResourceRecordSets: zoneInRequest,
  CreateHostedZone: idAt('responseElements', 'hostedZone', 'id'),
  DeleteHostedZone: zoneById,
  UpdateHostedZoneComment: zoneById,
  AssociateVPCWithHostedZone: zoneInRequest,
  DisassociateVPCFromHostedZone: zoneInRequest,
  ChangeTagsForResource: taggedResource('hostedzone'),
  EnableHostedZoneDNSSEC: zoneInRequest,
  DisableHostedZoneDNSSEC: zoneInRequest,
  CreateKeySigningKey: zoneInRequest,
  ActivateKeySigningKey: zoneInRequest,
  DeactivateKeySigningKey: zoneInRequest,
  DeleteKeySigningKey: zoneInRequest,
  CreateQueryLoggingConfig: zoneInRequest,
  // The record names only the configuration's id, never its zone: which zone changed cannot be known from it, so
  // the event is recognised as a zone change that names none (the next baseline records it).
  DeleteQueryLoggingConfig: () => [],
};

async function* listZones(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(route53Service, region);
  for await (const page of limitedPages(ctx.limit(route53Service), paginateListHostedZones({ client }, {}))) {
    for (const zone of page.HostedZones ?? []) {
      const id = bareRoute53Id(zone.Id);
      if (id) yield { id };
    }
  }
}

/** Every record set of a zone, following `NextRecordName` / `NextRecordType` / `NextRecordIdentifier`. */
async function recordSets(
  client: Route53Client,
  limit: CallLimit,
  zoneId: string,
): Promise<ResourceRecordSet[]> {
  const records: ResourceRecordSet[] = [];
  let start: Partial<ListResourceRecordSetsRequest> = {};
  while (true) {
    const input = { HostedZoneId: zoneId, MaxItems: RECORD_PAGE_SIZE, ...start };
    const page = await limit(() => client.send(new ListResourceRecordSetsCommand(input)));
    records.push(...(page.ResourceRecordSets ?? []));
    if (!page.IsTruncated || page.NextRecordName === undefined) return records;
    start = {
      StartRecordName: page.NextRecordName,
      ...(page.NextRecordType === undefined ? {} : { StartRecordType: page.NextRecordType }),
      ...(page.NextRecordIdentifier === undefined
        ? {}
        : { StartRecordIdentifier: page.NextRecordIdentifier }),
    };
  }
}

async function describeZone(ctx: CaptureContext, id: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id };
  const client = ctx.client(route53Service, region);
  const limit = ctx.limit(route53Service);

  const zone = await readPart({ ...spec, operation: 'route53:GetHostedZone' }, () =>
    limit(() => client.send(new GetHostedZoneCommand({ Id: id }))),
  );
  if (zone.state === 'not-found' || zone.state === 'absent') return { status: 'not-found' };
  if (zone.state === 'gap') return { status: 'gap', gap: zone.gap };
  const { HostedZone: hostedZone, DelegationSet: delegationSet, VPCs: vpcs } = zone.value;
  const privateZone = hostedZone?.Config?.PrivateZone === true;

  const [dnssec, logging, tags, records] = await Promise.all([
    // AWS refuses GetDNSSEC for private zones, which cannot be signed: not asked, recorded as absent.
    privateZone
      ? ({ state: 'absent' } as const)
      : readPart({ ...spec, operation: 'route53:GetDNSSEC' }, () =>
          limit(() => client.send(new GetDNSSECCommand({ HostedZoneId: id }))),
        ),
    readPart({ ...spec, operation: 'route53:ListQueryLoggingConfigs' }, () =>
      collectPages(
        limit,
        paginateListQueryLoggingConfigs({ client }, { HostedZoneId: id }),
        (page) => page.QueryLoggingConfigs,
      ),
    ),
    readPart({ ...spec, operation: 'route53:ListTagsForResource' }, () =>
      limit(() =>
        client.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id })),
      ),
    ),
    readPart({ ...spec, operation: 'route53:ListResourceRecordSets' }, () => recordSets(client, limit, id)),
  ]);
  const parts: PartOutcome<unknown>[] = [dnssec, logging, tags, records];
  if (parts.some((part) => part.state === 'not-found')) return { status: 'not-found' };
  const gaps: Gap[] = parts.flatMap((part) => (part.state === 'gap' ? [part.gap] : []));

  const raw: JsonObject = {
    HostedZone: toJsonObject(hostedZone ?? {}),
    ...(delegationSet ? { DelegationSet: toJsonObject(delegationSet) } : {}),
    ...(privateZone ? { VPCs: toJson(vpcs ?? []) ?? [] } : {}),
    DNSSEC: partValue(dnssec, (output) => ({
      Status: toJsonObject(output.Status ?? {}),
      KeySigningKeys: toJson(output.KeySigningKeys ?? []) ?? [],
    })),
    QueryLoggingConfigs: partValue(logging, (configs) => toJson(configs) ?? []),
    Tags: partValue(tags, (output) => toJson(output.ResourceTagSet?.Tags ?? []) ?? []),
    RecordSets: partValue(records, (list) => toJson(list) ?? []),
  };
  return { status: 'found', raw, ...(gaps.length > 0 ? { gaps } : {}) };
}

/**
 * The key of a record set in the normalised document: `<name> <type>`, plus ` <set identifier>` for weighted,
 * latency, failover, geolocation, geoproximity, multivalue and CIDR records. Names stay as Route 53 returns them
 * (trailing dot, `\052` for `*`); characters outside printable ASCII are written `\u{…}` so the key reads in a diff.
 *
 * @example
 * recordSetKey({ Name: 'api.sailjada.com.', Type: 'A', SetIdentifier: 'api-primary' }); // 'api.sailjada.com. A api-primary'
 */
export function recordSetKey(record: JsonObject): string | undefined {
  const { Name: name, Type: type, SetIdentifier: identifier } = record;
  if (typeof name !== 'string' || typeof type !== 'string') return undefined;
  const key = typeof identifier === 'string' ? `${name} ${type} ${identifier}` : `${name} ${type}`;
  return key.replace(/[^\x20-\x7e]/gu, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

/**
 * Record sets as a map by {@link recordSetKey}, so that a record change is a field-level change of the zone. Values
 * are sorted: DNS answers a record set's values in any order, and an UPSERT that lists them in another order changes
 * nothing. Anything but a list (an unknown marker) is kept as it is.
 */
function recordSetMap(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const map: JsonObject = {};
  for (const record of value) {
    if (!isJsonObject(record)) continue;
    const key = recordSetKey(record);
    if (key === undefined) continue;
    const values = record.ResourceRecords;
    map[key] = Array.isArray(values) ? { ...record, ResourceRecords: [...values].sort(byValue) } : record;
  }
  return map;
}

function byValue(a: Json, b: Json): number {
  const left = isJsonObject(a) ? String(a.Value) : '';
  const right = isJsonObject(b) ? String(b.Value) : '';
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * `AWS::Route53::HostedZone`: one document per zone holding the zone itself (name, comment, privacy, caller
 * reference, record count, name servers, VPCs of a private zone), its DNSSEC status and key-signing keys, query
 * logging configurations, tags and every record set (aliases and every routing policy). Identifier: the bare zone
 * id (`Z1PA6795UKMFR9`).
 */
export const route53HostedZone: ResourceDefinition = {
  type: TYPE,
  service: route53Service,
  eventSource: ROUTE53_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'route53:ListHostedZones',
  permissions: [
    'route53:ListHostedZones',
    'route53:GetHostedZone',
    'route53:GetDNSSEC',
    'route53:ListQueryLoggingConfigs',
    'route53:ListTagsForResource',
    'route53:ListResourceRecordSets',
  ],
  volatile: [],
  secrets: [],
  events: ZONE_EVENTS,
  list: listZones,
  describe: (ctx, id, region) => describeZone(ctx, id, region),
  restore: route53HostedZoneRestore,
  cloudFormation: route53HostedZoneCloudFormation,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const dnssec = raw.DNSSEC;
    if (isJsonObject(dnssec)) {
      const keys = keyedBy(dnssec.KeySigningKeys, 'Name');
      normalised.DNSSEC = keys === undefined ? dnssec : { ...dnssec, KeySigningKeys: keys };
    }
    const fields: Array<[string, Json | undefined]> = [
      ['VPCs', keyedBy(raw.VPCs, 'VPCId')],
      ['QueryLoggingConfigs', keyedBy(raw.QueryLoggingConfigs, 'Id')],
      ['Tags', tagsAsMap(raw.Tags)],
      ['RecordSets', recordSetMap(raw.RecordSets)],
    ];
    for (const [name, value] of fields) if (value !== undefined) normalised[name] = value;
    return normalised;
  },
};
