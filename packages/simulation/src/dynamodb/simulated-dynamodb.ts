import type { BillingMode } from '@aws-sdk/client-dynamodb';
import type { ServiceProfile } from '../dispatch.js';
import type { ApiCallSpec } from '../events.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { dynamoDbProfile } from './api.js';
import { type Item, keyOf, matchesKey, plainKey } from './attribute-values.js';
import { applicationAutoScalingProfile } from './autoscaling-api.js';
import { DynamoDbModel, type SimTable } from './model.js';
import { DYNAMODB_EVENT_SOURCE, trailCase } from './trail.js';
import { tableDescription } from './views.js';
import { dynamoDbWriteOperations } from './write-api.js';

/** What {@link SimulatedDynamoDb.updateTable} may change. */
export interface TableChanges {
  /** Switching to `PROVISIONED` needs `provisionedThroughput`. */
  readonly billingMode?: BillingMode;
  readonly provisionedThroughput?: { readonly read: number; readonly write: number };
  readonly deletionProtection?: boolean;
}

/**
 * DynamoDB and Application Auto Scaling in the simulated account: the tables `bookings` (2,000 items), `users`
 * (1,000, provisioned with auto scaling) and `events` (500, composite key), `scale.tables` small tables
 * `table-0001`… and, with `scale.largeTableItems`, the table `booking-archive` of that many generated items of
 * `scale.itemSize` bytes (items are computed on demand, so a million of them hold no memory). The change methods
 * return the CloudTrail events DynamoDB records: data events (`PutItem`, `DeleteItem`), which event history leaves
 * out, and management events.
 *
 * @example
 * const [event] = account.dynamoDb.putItem('bookings', { bookingId: { S: 'BK-9000001' }, guests: { N: '4' } });
 */
export class SimulatedDynamoDb implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  readonly #context: SimulationContext;
  readonly #dynamo: DynamoDbModel;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#dynamo = new DynamoDbModel(context.model, {
      tables: scale.tables ?? 0,
      largeTableItems: scale.largeTableItems ?? 0,
      itemSize: scale.itemSize ?? 1024,
    });
    this.profiles = [
      dynamoDbProfile(context, this.#dynamo, dynamoDbWriteOperations(context, this.#dynamo)),
      applicationAutoScalingProfile(context.model, this.#dynamo),
    ];
  }

  /** The item with this key as the table holds it now, or `undefined`. */
  item(tableName: string, key: Item): Item | undefined {
    return this.#dynamo.table(tableName).items.get(key);
  }

  /** Writes an item (replacing the one with its key): the `PutItem` data event. */
  putItem(tableName: string, item: Item): SimulatedEvent[] {
    const table = this.#dynamo.table(tableName);
    const key = keyOf(item, table.key);
    if (!key)
      throw new Error(`an item of ${tableName} needs its key attributes ${keyNames(table).join(', ')}`);
    table.items.put(item);
    return this.#dataEvent('PutItem', table, { key: plainKey(key), item: Object.keys(item) });
  }

  /** Deletes the item with this key (nothing happens when there is none, as in DynamoDB): the `DeleteItem` data event. */
  deleteItem(tableName: string, key: Item): SimulatedEvent[] {
    const table = this.#dynamo.table(tableName);
    if (!matchesKey(key, table.key))
      throw new Error(`a key of ${tableName} is exactly ${keyNames(table).join(', ')}`);
    table.items.delete(key);
    return this.#dataEvent('DeleteItem', table, { key: plainKey(key) });
  }

  /**
   * Throttles item writes to a table: each of the next `calls` `BatchWriteItem` calls writes only its first
   * `accepted` requests for the table and returns the others in `UnprocessedItems`, as DynamoDB does when a table's
   * write capacity is exceeded (a call of which nothing is written fails with `ProvisionedThroughputExceededException`).
   */
  throttleItemWrites(tableName: string, calls: number, accepted: number): void {
    const table = this.#dynamo.table(tableName);
    if (![calls, accepted].every((count) => Number.isInteger(count) && count >= 0))
      throw new RangeError(
        `calls and accepted must be non-negative integers, received ${calls} and ${accepted}`,
      );
    this.#dynamo.writeThrottles.set(table.name, { calls, accepted });
  }

  /** Changes the billing mode, provisioned capacity or deletion protection: the `UpdateTable` management event. */
  updateTable(tableName: string, changes: TableChanges): SimulatedEvent[] {
    const table = this.#dynamo.table(tableName);
    const at = this.#context.now();
    const mode = changes.billingMode ?? table.billingMode;
    if (mode === 'PROVISIONED' && table.billingMode !== 'PROVISIONED' && !changes.provisionedThroughput) {
      throw new Error('switching to PROVISIONED needs provisionedThroughput');
    }
    if (mode === 'PAY_PER_REQUEST' && changes.provisionedThroughput) {
      throw new Error('a PAY_PER_REQUEST table takes no provisionedThroughput');
    }
    if (mode === 'PAY_PER_REQUEST' && table.billingMode !== 'PAY_PER_REQUEST') {
      table.lastUpdateToPayPerRequest = at;
      table.throughput = { read: 0, write: 0, decreasesToday: table.throughput.decreasesToday };
    }
    table.billingMode = mode;
    const wanted = changes.provisionedThroughput;
    if (wanted) {
      const { throughput } = table;
      if (wanted.read > throughput.read || wanted.write > throughput.write) throughput.lastIncrease = at;
      if (wanted.read < throughput.read || wanted.write < throughput.write) {
        throughput.lastDecrease = at;
        throughput.decreasesToday++;
      }
      throughput.read = wanted.read;
      throughput.write = wanted.write;
    }
    if (changes.deletionProtection !== undefined) table.deletionProtection = changes.deletionProtection;
    return this.#managementEvent('UpdateTable', table, at, {
      requestParameters: {
        tableName,
        ...(changes.billingMode ? { billingMode: changes.billingMode } : {}),
        ...(wanted
          ? { provisionedThroughput: { readCapacityUnits: wanted.read, writeCapacityUnits: wanted.write } }
          : {}),
        ...(changes.deletionProtection === undefined
          ? {}
          : { deletionProtectionEnabled: changes.deletionProtection }),
      },
      responseElements: { tableDescription: this.#trailDescription(table, 'UPDATING') },
    });
  }

  /** Enables or disables time to live on an attribute: the `UpdateTimeToLive` management event. */
  updateTimeToLive(tableName: string, attributeName: string, enabled: boolean): SimulatedEvent[] {
    const table = this.#dynamo.table(tableName);
    table.ttl = { attributeName, enabled };
    const specification = { enabled, attributeName };
    return this.#managementEvent('UpdateTimeToLive', table, this.#context.now(), {
      requestParameters: { tableName, timeToLiveSpecification: specification },
      responseElements: { timeToLiveSpecification: { ...specification } },
    });
  }

  /** Turns point-in-time recovery on or off: the `UpdateContinuousBackups` management event. */
  updateContinuousBackups(tableName: string, enabled: boolean): SimulatedEvent[] {
    const table = this.#dynamo.table(tableName);
    const at = this.#context.now();
    if (enabled) table.pitr ??= { enabledAt: at, recoveryPeriodInDays: 35 };
    else table.pitr = undefined;
    const status = enabled ? 'ENABLED' : 'DISABLED';
    return this.#managementEvent('UpdateContinuousBackups', table, at, {
      requestParameters: {
        tableName,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: enabled },
      },
      responseElements: {
        continuousBackupsDescription: {
          continuousBackupsStatus: 'ENABLED',
          pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: status },
        },
      },
    });
  }

  /** Deletes a table; throws while deletion protection is on, as DynamoDB refuses it: the `DeleteTable` event. */
  deleteTable(tableName: string): SimulatedEvent[] {
    const table = this.#dynamo.table(tableName);
    if (table.deletionProtection) {
      throw new Error(`table ${tableName} is protected against deletion: disable deletion protection first`);
    }
    this.#dynamo.tables.delete(tableName);
    return this.#managementEvent('DeleteTable', table, this.#context.now(), {
      requestParameters: { tableName },
      responseElements: { tableDescription: this.#trailDescription(table, 'DELETING') },
    });
  }

  /** The table description as a management event's response carries it. */
  #trailDescription(table: SimTable, status: 'UPDATING' | 'DELETING') {
    return trailCase({ ...tableDescription(table), TableStatus: status });
  }

  #dataEvent(eventName: string, table: SimTable, request: Record<string, unknown>): SimulatedEvent[] {
    return this.#emit(eventName, table, this.#context.now(), false, {
      requestParameters: { tableName: table.name, ...request },
      responseElements: null,
    });
  }

  #managementEvent(
    eventName: string,
    table: SimTable,
    at: Date,
    body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    return this.#emit(eventName, table, at, true, body);
  }

  #emit(
    eventName: string,
    table: SimTable,
    at: Date,
    management: boolean,
    body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    return emitApiCall(this.#context, 'dynamodb', {
      eventSource: DYNAMODB_EVENT_SOURCE,
      eventName,
      region: table.region,
      at,
      management,
      resources: [{ accountId: this.#context.model.accountId, type: 'AWS::DynamoDB::Table', ARN: table.arn }],
      ...body,
    });
  }
}

function keyNames(table: SimTable): string[] {
  return [table.key.partition.name, ...(table.key.sort ? [table.key.sort.name] : [])];
}
