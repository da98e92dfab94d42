import type {
  AttributeDefinition,
  GlobalSecondaryIndexDescription,
  KeySchemaElement,
  ProvisionedThroughputDescription,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { optional } from '../model.js';
import type { KeyAttribute, TableKey } from './attribute-values.js';
import type { SimIndex, SimTable, Throughput } from './model.js';

/** The warm throughput DynamoDB reports for an on-demand table it has not been asked to pre-warm. */
const ON_DEMAND_WARM = { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000 } as const;

/** `DescribeTable`'s `TableDescription` of a table, as DynamoDB answers for an `ACTIVE` table. */
export function tableDescription(table: SimTable): TableDescription {
  const onDemand = table.billingMode === 'PAY_PER_REQUEST';
  return {
    AttributeDefinitions: attributeDefinitions(table),
    TableName: table.name,
    KeySchema: keySchema(table.key),
    TableStatus: 'ACTIVE',
    CreationDateTime: table.createdAt,
    ProvisionedThroughput: throughput(table.throughput),
    TableSizeBytes: table.items.bytes,
    ItemCount: table.items.count,
    TableArn: table.arn,
    TableId: table.tableId,
    BillingModeSummary: {
      BillingMode: table.billingMode,
      ...optional('LastUpdateToPayPerRequestDateTime', table.lastUpdateToPayPerRequest),
    },
    ...(table.localIndexes.length > 0
      ? {
          LocalSecondaryIndexes: table.localIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.key),
            Projection: structuredClone(index.projection),
            IndexSizeBytes: table.items.bytes,
            ItemCount: table.items.count,
            IndexArn: `${table.arn}/index/${index.name}`,
          })),
        }
      : {}),
    ...(table.globalIndexes.length > 0
      ? { GlobalSecondaryIndexes: table.globalIndexes.map((index) => globalIndex(table, index)) }
      : {}),
    ...(table.stream
      ? {
          StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream.viewType },
          LatestStreamLabel: table.stream.label,
          LatestStreamArn: `${table.arn}/stream/${table.stream.label}`,
        }
      : {}),
    ...(table.kmsKeyArn
      ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: table.kmsKeyArn } }
      : {}),
    TableClassSummary: { TableClass: table.tableClass },
    DeletionProtectionEnabled: table.deletionProtection,
    ...(table.onDemand && onDemand
      ? {
          OnDemandThroughput: {
            MaxReadRequestUnits: table.onDemand.maxRead,
            MaxWriteRequestUnits: table.onDemand.maxWrite,
          },
        }
      : {}),
    WarmThroughput: onDemand
      ? { ...ON_DEMAND_WARM, Status: 'ACTIVE' }
      : {
          ReadUnitsPerSecond: table.throughput.read,
          WriteUnitsPerSecond: table.throughput.write,
          Status: 'ACTIVE',
        },
  };
}

function globalIndex(table: SimTable, index: SimIndex): GlobalSecondaryIndexDescription {
  return {
    IndexName: index.name,
    KeySchema: keySchema(index.key),
    Projection: structuredClone(index.projection),
    IndexStatus: 'ACTIVE',
    ProvisionedThroughput: throughput(index.throughput ?? { read: 0, write: 0, decreasesToday: 0 }),
    // Every generated item carries its table's index keys, so an index holds as many items as its table.
    IndexSizeBytes: table.items.bytes,
    ItemCount: table.items.count,
    IndexArn: `${table.arn}/index/${index.name}`,
    WarmThroughput: {
      ReadUnitsPerSecond: index.throughput?.read ?? ON_DEMAND_WARM.ReadUnitsPerSecond,
      WriteUnitsPerSecond: index.throughput?.write ?? ON_DEMAND_WARM.WriteUnitsPerSecond,
      Status: 'ACTIVE',
    },
  };
}

function throughput(value: Throughput): ProvisionedThroughputDescription {
  return {
    ...optional('LastIncreaseDateTime', value.lastIncrease),
    ...optional('LastDecreaseDateTime', value.lastDecrease),
    NumberOfDecreasesToday: value.decreasesToday,
    ReadCapacityUnits: value.read,
    WriteCapacityUnits: value.write,
  };
}

function keySchema(key: TableKey): KeySchemaElement[] {
  return [
    { AttributeName: key.partition.name, KeyType: 'HASH' },
    ...(key.sort ? [{ AttributeName: key.sort.name, KeyType: 'RANGE' as const }] : []),
  ];
}

/** The key attributes of the table and its indexes, each once, as `AttributeDefinitions` lists them. */
function attributeDefinitions(table: SimTable): AttributeDefinition[] {
  const attributes = new Map<string, KeyAttribute>();
  for (const key of [
    table.key,
    ...table.globalIndexes.map((i) => i.key),
    ...table.localIndexes.map((i) => i.key),
  ]) {
    for (const attribute of key.sort ? [key.partition, key.sort] : [key.partition]) {
      attributes.set(attribute.name, attribute);
    }
  }
  return [...attributes.values()].map((attribute) => ({
    AttributeName: attribute.name,
    AttributeType: attribute.type,
  }));
}
