import type { ScalableTarget, ScalingPolicy } from '@aws-sdk/client-application-auto-scaling';
import type {
  BillingMode,
  ExportDescription,
  Projection,
  StreamViewType,
  TableClass,
  Tag,
} from '@aws-sdk/client-dynamodb';
import type { AccountModel } from '../model.js';
import { seedDate } from '../seed-names.js';
import type { KeyAttribute, TableKey } from './attribute-values.js';
import { bookingEventItems, bookingItems, userItems } from './generators.js';
import { type ItemSource, TableItems } from './items.js';

/** Provisioned capacity and its history of changes today. */
export interface Throughput {
  read: number;
  write: number;
  lastIncrease?: Date;
  lastDecrease?: Date;
  decreasesToday: number;
}

/** A secondary index: global ones have their own key and (provisioned tables) capacity, local ones share the partition key. */
export interface SimIndex {
  readonly name: string;
  readonly key: TableKey;
  readonly projection: Projection;
  /** Global indexes of provisioned tables only. */
  throughput?: Throughput;
}

/** One DynamoDB table of the simulated account. */
export interface SimTable {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly tableId: string;
  readonly createdAt: Date;
  readonly key: TableKey;
  billingMode: BillingMode;
  /** When the table last switched to on-demand (or was created so). */
  lastUpdateToPayPerRequest?: Date;
  /** Zero read and write units on on-demand tables, as DynamoDB describes them. */
  throughput: Throughput;
  /** Maximum request units of an on-demand table, when set. */
  onDemand?: { readonly maxRead: number; readonly maxWrite: number };
  readonly globalIndexes: SimIndex[];
  readonly localIndexes: SimIndex[];
  /** The stream's view type and label (its creation time), when a stream is enabled. */
  stream?: { readonly viewType: StreamViewType; readonly label: string };
  /** Point-in-time recovery, when enabled. */
  pitr?: { readonly enabledAt: Date; readonly recoveryPeriodInDays: number };
  /** Time to live; absent while it was never enabled. */
  ttl?: { attributeName: string; enabled: boolean };
  /** Encryption with a KMS key (AWS-managed or customer-managed); absent for the default AWS-owned key. */
  kmsKeyArn?: string;
  readonly tableClass: TableClass;
  deletionProtection: boolean;
  tags: Tag[];
  resourcePolicy?: { readonly policy: string; readonly revisionId: string };
  readonly items: TableItems;
}

/** The earliest restore point of a table with PITR: the recovery period back, or when PITR was enabled if later. */
export function earliestRestorable(pitr: NonNullable<SimTable['pitr']>, now: Date): Date {
  const windowStart = now.getTime() - pitr.recoveryPeriodInDays * 86_400_000;
  return new Date(Math.max(windowStart, pitr.enabledAt.getTime()));
}

/** An export to S3 of a table's point-in-time state. */
export interface SimExport {
  readonly region: string;
  description: ExportDescription;
  /** The table's item count and size at the export time. */
  readonly snapshot: { readonly itemCount: number; readonly bytes: number };
}

/** A table to create. */
interface TableSpec {
  readonly name: string;
  readonly createdAt: Date;
  readonly key: TableKey;
  readonly items: ItemSource;
  readonly billingMode: BillingMode;
  readonly throughput?: { readonly read: number; readonly write: number };
  readonly globalIndexes?: readonly SimIndex[];
  readonly localIndexes?: readonly SimIndex[];
}

const ALL: Projection = { ProjectionType: 'ALL' };
const S = (name: string): KeyAttribute => ({ name, type: 'S' });

/** The large generated table of {@link DynamoDbScale}. */
export const ARCHIVE_TABLE = 'booking-archive';

/** How many generated tables and items the account holds beyond the business's own. */
export interface DynamoDbScale {
  readonly tables: number;
  readonly largeTableItems: number;
  readonly itemSize: number;
}

/**
 * The DynamoDB tables, exports, and Application Auto Scaling targets and policies of the simulated account. The
 * business: `bookings` (on-demand, a `byDate` index, a stream, PITR, TTL, a KMS key, deletion protection, tags and a
 * resource policy), `users` (provisioned 5/5 with auto scaling on the table and its `byEmail` index) and `events`
 * (composite key, a local index); plus the generated tables of {@link DynamoDbScale}.
 */
export class DynamoDbModel {
  readonly tables = new Map<string, SimTable>();
  readonly exports = new Map<string, SimExport>();
  readonly scalableTargets: Array<ScalableTarget & { readonly region: string }> = [];
  readonly scalingPolicies: Array<ScalingPolicy & { readonly region: string }> = [];
  /**
   * Write throttling by table name: each of the next `calls` batch writes to the table processes only its first
   * `accepted` requests for it, as when a table's write capacity is exceeded.
   */
  readonly writeThrottles = new Map<string, { calls: number; readonly accepted: number }>();
  readonly #model: AccountModel;

  constructor(model: AccountModel, scale: DynamoDbScale) {
    this.#model = model;
    this.#seedBookings();
    this.#seedUsers();
    this.#seedEvents();
    for (let n = 1; n <= scale.tables; n++) {
      this.#add({
        name: `table-${String(n).padStart(4, '0')}`,
        createdAt: new Date(seedDate('2026-05-01T10:00:00').getTime() + n * 60_000),
        key: { partition: S('bookingId') },
        items: bookingItems({ seed: this.#model.random.next(), count: 3, size: 400 }),
        billingMode: 'PAY_PER_REQUEST',
      });
    }
    if (scale.largeTableItems > 0) {
      const archive = this.#add({
        name: ARCHIVE_TABLE,
        createdAt: seedDate('2025-01-15T08:30:00'),
        key: { partition: S('bookingId') },
        items: bookingItems({
          seed: this.#model.random.next(),
          count: scale.largeTableItems,
          size: scale.itemSize,
        }),
        billingMode: 'PAY_PER_REQUEST',
      });
      archive.pitr = { enabledAt: seedDate('2025-01-15T08:31:00'), recoveryPeriodInDays: 35 };
    }
  }

  /** The table, or an error naming it (for the change methods; API handlers answer with AWS errors). */
  table(name: string): SimTable {
    const table = this.tables.get(name);
    if (!table) throw new Error(`no DynamoDB table ${name} in the simulated account`);
    return table;
  }

  /** The table's ARN in the home region. */
  arn(name: string, region = this.#model.homeRegion): string {
    return `arn:aws:dynamodb:${region}:${this.#model.accountId}:table/${name}`;
  }

  #add(spec: TableSpec): SimTable {
    const region = this.#model.homeRegion;
    const table: SimTable = {
      name: spec.name,
      region,
      arn: this.arn(spec.name, region),
      tableId: this.#model.random.uuid(),
      createdAt: spec.createdAt,
      key: spec.key,
      billingMode: spec.billingMode,
      ...(spec.billingMode === 'PAY_PER_REQUEST' ? { lastUpdateToPayPerRequest: spec.createdAt } : {}),
      throughput: { read: spec.throughput?.read ?? 0, write: spec.throughput?.write ?? 0, decreasesToday: 0 },
      globalIndexes: [...(spec.globalIndexes ?? [])],
      localIndexes: [...(spec.localIndexes ?? [])],
      tableClass: 'STANDARD',
      deletionProtection: false,
      tags: [],
      items: new TableItems(spec.key, spec.items),
    };
    this.tables.set(table.name, table);
    return table;
  }

  #seedBookings(): void {
    const { accountId } = this.#model;
    const createdAt = seedDate('2024-03-14T09:21:07');
    const bookings = this.#add({
      name: 'bookings',
      createdAt,
      key: { partition: S('bookingId') },
      items: bookingItems({
        seed: this.#model.random.next(),
        count: 2000,
        size: (random) => random.int(300, 1100),
      }),
      billingMode: 'PAY_PER_REQUEST',
      globalIndexes: [
        { name: 'byDate', key: { partition: S('charterDate'), sort: S('bookingId') }, projection: ALL },
      ],
    });
    bookings.onDemand = { maxRead: 4000, maxWrite: 1000 };
    bookings.stream = { viewType: 'NEW_AND_OLD_IMAGES', label: '2024-03-14T09:21:07.412' };
    bookings.pitr = { enabledAt: seedDate('2024-03-14T09:25:40'), recoveryPeriodInDays: 35 };
    bookings.ttl = { attributeName: 'expiresAt', enabled: true };
    bookings.kmsKeyArn = `arn:aws:kms:${bookings.region}:${accountId}:key/${this.#model.random.uuid()}`;
    bookings.deletionProtection = true;
    bookings.tags = [
      { Key: 'site', Value: 'sailjada.com' },
      { Key: 'owner', Value: 'bookings-team' },
      { Key: 'backup', Value: 'daily' },
    ];
    bookings.resourcePolicy = {
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'BookingHandlerReadWrite',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${accountId}:role/booking-handler-role` },
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
            Resource: bookings.arn,
          },
        ],
      }),
      revisionId: '1710408100412',
    };
  }

  #seedUsers(): void {
    const users = this.#add({
      name: 'users',
      createdAt: seedDate('2024-02-02T16:45:12'),
      key: { partition: S('userId') },
      items: userItems(this.#model.random.next(), 1000),
      billingMode: 'PROVISIONED',
      throughput: { read: 5, write: 5 },
      globalIndexes: [
        {
          name: 'byEmail',
          key: { partition: S('email') },
          projection: { ProjectionType: 'KEYS_ONLY' },
          throughput: { read: 5, write: 5, decreasesToday: 0 },
        },
      ],
    });
    users.throughput.lastIncrease = seedDate('2026-11-30T18:02:44');
    users.tags = [{ Key: 'owner', Value: 'bookings-team' }];
    this.#seedAutoScaling(users, [`table/${users.name}`, `table/${users.name}/index/byEmail`]);
  }

  #seedEvents(): void {
    this.#add({
      name: 'events',
      createdAt: seedDate('2024-06-20T12:00:31'),
      key: { partition: S('pk'), sort: S('sk') },
      items: bookingEventItems(this.#model.random.next(), 500),
      billingMode: 'PAY_PER_REQUEST',
      localIndexes: [
        {
          name: 'byType',
          key: { partition: S('pk'), sort: S('eventType') },
          projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['at', 'actor'] },
        },
      ],
    });
  }

  /** Read and write targets (5 to 50 units, 70% utilisation) on each resource, as the console's defaults. */
  #seedAutoScaling(table: SimTable, resourceIds: readonly string[]): void {
    const { accountId } = this.#model;
    const createdAt = new Date(table.createdAt.getTime() + 3 * 60_000);
    const role = `arn:aws:iam::${accountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`;
    for (const resourceId of resourceIds) {
      const onIndex = resourceId.includes('/index/');
      for (const [kind, metric] of [
        ['Read', 'DynamoDBReadCapacityUtilization'],
        ['Write', 'DynamoDBWriteCapacityUtilization'],
      ] as const) {
        const dimension = `dynamodb:${onIndex ? 'index' : 'table'}:${kind}CapacityUnits` as const;
        this.scalableTargets.push({
          region: table.region,
          ServiceNamespace: 'dynamodb',
          ResourceId: resourceId,
          ScalableDimension: dimension,
          MinCapacity: 5,
          MaxCapacity: 50,
          RoleARN: role,
          CreationTime: createdAt,
          SuspendedState: {
            DynamicScalingInSuspended: false,
            DynamicScalingOutSuspended: false,
            ScheduledScalingSuspended: false,
          },
          ScalableTargetARN: `arn:aws:application-autoscaling:${table.region}:${accountId}:scalable-target/0d${this.#model.random.hex(30)}`,
        });
        const policyName = `${metric}:${resourceId}`;
        const policyId = this.#model.random.uuid();
        const alarm = (suffix: string) => {
          const alarmName = `TargetTracking-${resourceId}-Alarm${suffix}-${this.#model.random.uuid()}`;
          return {
            AlarmName: alarmName,
            AlarmARN: `arn:aws:cloudwatch:${table.region}:${accountId}:alarm:${alarmName}`,
          };
        };
        this.scalingPolicies.push({
          region: table.region,
          PolicyARN: `arn:aws:autoscaling:${table.region}:${accountId}:scalingPolicy:${policyId}:resource/dynamodb/${resourceId}:policyName/${policyName}`,
          PolicyName: policyName,
          ServiceNamespace: 'dynamodb',
          ResourceId: resourceId,
          ScalableDimension: dimension,
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 70,
            PredefinedMetricSpecification: { PredefinedMetricType: metric },
          },
          Alarms: [
            alarm('High'),
            alarm('Low'),
            alarm('ProvisionedCapacityHigh'),
            alarm('ProvisionedCapacityLow'),
          ],
          CreationTime: createdAt,
        });
      }
    }
  }
}
