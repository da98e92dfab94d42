import type {
  HealthCheckConfig,
  KeySigningKey,
  ResourceRecordSet,
  RRType,
  Tag,
  VPC,
} from '@aws-sdk/client-route-53';
import type { SeededRandom } from '../random.js';

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

/**
 * A change the simulated Route 53 refuses, with the error code AWS answers it with; for a refused batch, the
 * `messages` Route 53 lists (one per conflicting change).
 */
export class Route53ChangeError extends Error {
  constructor(
    readonly code: 'InvalidChangeBatch' | 'HostedZoneNotEmpty' | 'NoSuchHostedZone' | 'NoSuchHealthCheck',
    message: string,
    readonly messages?: readonly string[],
  ) {
    super(message);
    this.name = 'Route53ChangeError';
  }
}

/** One submitted change (a batch of record changes, a zone created or deleted), as `GetChange` finds it. */
export interface SimChange {
  /** The bare id (`C0…`), as `/change/<id>` names it. */
  readonly id: string;
  readonly submittedAt: Date;
  readonly comment?: string;
}

/** The Route 53 state of the simulated account: hosted zones, health checks and query logging configurations. */
export class Route53State {
  readonly zones = new Map<string, SimHostedZone>();
  readonly healthChecks = new Map<string, SimHealthCheck>();
  readonly queryLoggingConfigs: SimQueryLoggingConfig[] = [];
  /** Submitted changes by bare id. */
  readonly changes = new Map<string, SimChange>();

  /** Records a change submitted at `at`, under a new id. */
  submitChange(random: SeededRandom, at: Date, comment?: string): SimChange {
    const change: SimChange = {
      id: `C0${random.chars(19, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
      submittedAt: at,
      ...(comment === undefined ? {} : { comment }),
    };
    this.changes.set(change.id, change);
    return change;
  }

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
 * Where a record set may not go, whatever the zone holds of it: outside the zone, a CNAME at the apex, a CNAME beside
 * other records of its name (or another record beside a CNAME). Route 53 answers each alone, not in a list.
 */
const PLACEMENT_RULES: ReadonlyArray<{
  readonly broken: (zone: SimHostedZone, change: RecordChange, name: string) => boolean;
  readonly message: (zone: SimHostedZone, record: ResourceRecordSet) => string;
}> = [
  {
    broken: (zone, _change, name) => name !== zone.name && !name.endsWith(`.${zone.name}`),
    message: (zone, record) => `RRSet with DNS name ${record.Name} is not permitted in zone ${zone.name}`,
  },
  {
    broken: (zone, { action, record }, name) =>
      action !== 'DELETE' && record.Type === 'CNAME' && name === zone.name,
    message: (zone, record) =>
      `RRSet of type CNAME with DNS name ${record.Name} is not permitted at apex in zone ${zone.name}`,
  },
  {
    broken: (zone, { action, record }, name) =>
      action !== 'DELETE' &&
      [...zone.records.values()].some(
        (other) =>
          other.Name === name &&
          other.Type !== record.Type &&
          (other.Type === 'CNAME' || record.Type === 'CNAME'),
      ),
    message: (zone, record) =>
      `RRSet of type ${record.Type} with DNS name ${record.Name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`,
  },
];

/**
 * Applies one change to a zone as Route 53 does, or throws {@link Route53ChangeError} (`InvalidChangeBatch`) when
 * the change is refused: the record must lie in the zone, a CNAME may not share its name, a CREATE must not exist
 * yet, a DELETE must match exactly.
 */
export function applyChange(zone: SimHostedZone, change: RecordChange): ResourceRecordSet {
  const conflict = changeConflict(zone, change);
  if (conflict) throw new Route53ChangeError('InvalidChangeBatch', conflict);
  return apply(zone, change);
}

/**
 * Applies a `ChangeResourceRecordSets` batch as Route 53 does: in order (a DELETE makes room for a CREATE after it),
 * and all or nothing. When a change is refused the zone is left as it was and {@link Route53ChangeError}
 * `InvalidChangeBatch` is thrown: a misplaced record set alone, otherwise every conflict of the batch, listed
 * `[…, …]` in `messages` and the message.
 */
export function applyBatch(zone: SimHostedZone, changes: readonly RecordChange[]): void {
  const scratch: SimHostedZone = { ...zone, records: new Map(zone.records) };
  const conflicts = changes.flatMap((change) => {
    const conflict = changeConflict(scratch, change);
    if (conflict === undefined) apply(scratch, change);
    return conflict === undefined ? [] : [conflict];
  });
  if (conflicts.length > 0) {
    throw new Route53ChangeError('InvalidChangeBatch', `[${conflicts.join(', ')}]`, conflicts);
  }
  zone.records.clear();
  for (const [key, record] of scratch.records) zone.records.set(key, record);
}

/**
 * What conflicts with a change in the zone as it is (a CREATE of an existing record set, a DELETE of a missing or
 * different one), or `undefined`; throws {@link Route53ChangeError} for a record set that may not go where it names.
 */
function changeConflict(zone: SimHostedZone, change: RecordChange): string | undefined {
  const record = storedRecord(change.record);
  const name = record.Name ?? '';
  const misplaced = PLACEMENT_RULES.find((rule) => rule.broken(zone, { ...change, record }, name));
  if (misplaced) throw new Route53ChangeError('InvalidChangeBatch', misplaced.message(zone, record));
  const existing = zone.records.get(recordKey(record));
  return CHANGE_RULES.find((rule) => rule.broken({ ...change, record }, existing))?.message({
    ...change,
    record,
  });
}

function apply(zone: SimHostedZone, change: RecordChange): ResourceRecordSet {
  const record = storedRecord(change.record);
  const key = recordKey(record);
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
