import type {
  HealthCheckConfig,
  KeySigningKey,
  ResourceRecordSet,
  RRType,
  Tag,
  VPC,
} from '@aws-sdk/client-route-53';

/** The hosted zone id AWS gives every CloudFront distribution, as alias targets name it. */
export const CLOUDFRONT_ALIAS_ZONE_ID = 'Z2FDTNDATAQYW2';

/** One change of a `ChangeResourceRecordSets` batch, in the SDK's shape. */
export interface RecordChange {
  readonly action: 'CREATE' | 'UPSERT' | 'DELETE';
  readonly record: ResourceRecordSet;
}

/** A hosted zone of the simulated account, with every record set it holds. */
export interface SimHostedZone {
  /** The bare id (`Z0…`), as `ListHostedZones` reports it after `/hostedzone/`. */
  readonly id: string;
  /** With its trailing dot, lower case. */
  readonly name: string;
  readonly callerReference: string;
  comment?: string;
  /** VPCs of a private zone; absent for a public zone. */
  readonly vpcs?: VPC[];
  /** The four name servers of its NS record (a public zone's delegation set), without trailing dots. */
  readonly nameServers: readonly string[];
  /** Record sets by {@link recordKey}. */
  readonly records: Map<string, ResourceRecordSet>;
  tags: Tag[];
  /** DNSSEC signing: absent when never enabled. */
  dnssec?: { serveSignature: 'SIGNING' | 'NOT_SIGNING'; keySigningKeys: KeySigningKey[] };
}

/** A health check of the simulated account. */
export interface SimHealthCheck {
  readonly id: string;
  readonly callerReference: string;
  config: HealthCheckConfig;
  /** Grows by one with every update. */
  version: number;
  tags: Tag[];
}

/** A query logging configuration: a zone's DNS queries sent to a CloudWatch Logs group. */
export interface SimQueryLoggingConfig {
  readonly id: string;
  readonly hostedZoneId: string;
  readonly logGroupArn: string;
}

/** A change the simulated Route 53 refuses, with the error code AWS answers it with. */
export class Route53ChangeError extends Error {
  constructor(
    readonly code: 'InvalidChangeBatch' | 'HostedZoneNotEmpty' | 'NoSuchHostedZone' | 'NoSuchHealthCheck',
    message: string,
  ) {
    super(message);
    this.name = 'Route53ChangeError';
  }
}

/** The Route 53 state of the simulated account: hosted zones, health checks and query logging configurations. */
export class Route53State {
  readonly zones = new Map<string, SimHostedZone>();
  readonly healthChecks = new Map<string, SimHealthCheck>();
  readonly queryLoggingConfigs: SimQueryLoggingConfig[] = [];

  /** A zone by id (with or without `/hostedzone/`) or by domain name (with or without the trailing dot). */
  zone(reference: string): SimHostedZone {
    const byId = this.zones.get(bareZoneId(reference));
    const name = recordName(reference);
    const zone = byId ?? [...this.zones.values()].find((candidate) => candidate.name === name);
    if (!zone)
      throw new Route53ChangeError(
        'NoSuchHostedZone',
        `no hosted zone ${reference} in the simulated account`,
      );
    return zone;
  }

  /** A health check by id, or an error naming it. */
  healthCheck(id: string): SimHealthCheck {
    const check = this.healthChecks.get(id);
    if (!check)
      throw new Route53ChangeError('NoSuchHealthCheck', `no health check ${id} in the simulated account`);
    return check;
  }
}

/** A hosted zone id without the `/hostedzone/` prefix the API reports it with (the SDK strips it from inputs too). */
export function bareZoneId(id: string): string {
  return id.replace(/^\/hostedzone\//, '');
}

/** A DNS name as Route 53 stores it: lower case, with a trailing dot, `*` written `\052`. */
export function recordName(name: string): string {
  const lower = name.toLowerCase().replaceAll('*', '\\052');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The identity of a record set in its zone: name, type and set identifier. */
export function recordKey(record: Pick<ResourceRecordSet, 'Name' | 'Type' | 'SetIdentifier'>): string {
  return JSON.stringify(recordPosition(record.Name ?? '', record.Type ?? '', record.SetIdentifier));
}

/**
 * Where a record set sorts in `ListResourceRecordSets`: by DNS name with its labels reversed (`com.example.www.`),
 * then by type, then by set identifier.
 */
export function recordPosition(name: string, type: string, setIdentifier?: string): [string, string, string] {
  const labels = recordName(name).slice(0, -1).split('.').reverse();
  return [`${labels.join('.')}.`, type, setIdentifier ?? ''];
}

/** Orders two record positions as Route 53 lists them (ASCII order of each part in turn). */
export function comparePositions(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = a[i] ?? '';
    const right = b[i] ?? '';
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

/** The zone's record sets in listing order. */
export function sortedRecords(zone: SimHostedZone): ResourceRecordSet[] {
  const positioned = [...zone.records.values()].map((record) => ({
    record,
    position: recordPosition(record.Name ?? '', record.Type ?? '', record.SetIdentifier),
  }));
  positioned.sort((a, b) => comparePositions(a.position, b.position));
  return positioned.map(({ record }) => record);
}

/** Whether a record set leaves the zone deletable: only its apex SOA and NS records may remain. */
export function isApexDefault(zone: SimHostedZone, record: ResourceRecordSet): boolean {
  return record.Name === zone.name && (record.Type === 'SOA' || record.Type === 'NS');
}

/** What each change action requires of the record set it names, as `ChangeResourceRecordSets` validates it. */
const CHANGE_RULES: ReadonlyArray<{
  readonly broken: (change: RecordChange, existing: ResourceRecordSet | undefined) => boolean;
  readonly message: (change: RecordChange) => string;
}> = [
  {
    broken: ({ action }, existing) => action === 'CREATE' && existing !== undefined,
    message: ({ record }) =>
      `Tried to create resource record set ${describeRecord(record)} but it already exists`,
  },
  {
    broken: ({ action }, existing) => action === 'DELETE' && existing === undefined,
    message: ({ record }) =>
      `Tried to delete resource record set ${describeRecord(record)} but it was not found`,
  },
  {
    broken: ({ action, record }, existing) =>
      action === 'DELETE' && existing !== undefined && canonical(existing) !== canonical(record),
    message: ({ record }) =>
      `Tried to delete resource record set ${describeRecord(record)} but the values provided do not match the current values`,
  },
];

/**
 * Applies one change to a zone as Route 53 does, or throws {@link Route53ChangeError} (`InvalidChangeBatch`) when
 * the change is refused: the record must lie in the zone, a CREATE must not exist yet, a DELETE must match exactly.
 */
export function applyChange(zone: SimHostedZone, change: RecordChange): ResourceRecordSet {
  const record = storedRecord(change.record);
  const name = record.Name ?? '';
  if (name !== zone.name && !name.endsWith(`.${zone.name}`)) {
    throw new Route53ChangeError(
      'InvalidChangeBatch',
      `RRSet with DNS name ${name} is not permitted in zone ${zone.name}`,
    );
  }
  const key = recordKey(record);
  const existing = zone.records.get(key);
  const broken = CHANGE_RULES.find((rule) => rule.broken({ ...change, record }, existing));
  if (broken) throw new Route53ChangeError('InvalidChangeBatch', broken.message({ ...change, record }));
  if (change.action === 'DELETE') zone.records.delete(key);
  else zone.records.set(key, record);
  return record;
}

/** A record set as Route 53 keeps it: its name in stored form, a copy of everything else. */
export function storedRecord(record: ResourceRecordSet): ResourceRecordSet {
  return { ...structuredClone(record), Name: recordName(record.Name ?? '') };
}

/** A record set as JSON with its keys sorted at every level, to compare record sets whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function describeRecord(record: ResourceRecordSet): string {
  const identifier = record.SetIdentifier === undefined ? '' : `, set identifier='${record.SetIdentifier}'`;
  return `[name='${record.Name}', type='${record.Type}'${identifier}]`;
}

/** Shorthand for a plain record set with a TTL and values. */
export function plainRecord(
  name: string,
  type: RRType,
  ttl: number,
  values: readonly string[],
): ResourceRecordSet {
  return {
    Name: recordName(name),
    Type: type,
    TTL: ttl,
    ResourceRecords: values.map((Value) => ({ Value })),
  };
}
