import {
  paginateDescribeScalableTargets,
  paginateDescribeScalingPolicies,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
  type Tag,
} from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../canonical/canonicalise.js';
import type { CaptureContext } from '../capture/context.js';
import { type PartOutcome, partValue, readPart } from '../capture/read-part.js';
import { UNKNOWN_MARKER } from '../constants.js';
import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type { Described, Gap, Json, JsonObject, ListedResource, PreviousCapture } from '../types/resource.js';
import {
  EXPORT_FORMAT,
  exportItems,
  type ItemsOutcome,
  scanItems,
  type TableKeys,
  updateItems,
} from './dynamodb-items.js';
import { dynamoDbTableCloudFormation } from './dynamodb-table-cloudformation.js';
import { dynamoDbTableRestore } from './dynamodb-table-restore.js';
import { applicationAutoScalingService, dynamoDbService } from './services.js';
import {
  collectPages,
  field,
  isJsonObject,
  keyedBy,
  limitedPages,
  parsePolicy,
  stringField,
  tagsAsMap,
  toJson,
  toJsonObject,
  tokenPages,
} from './support.js';
import type { EventExtractor, PartialChange, ResourceDefinition } from './types.js';

const TYPE = 'AWS::DynamoDB::Table';

/** The table name in a DynamoDB ARN (`arn:aws:dynamodb:us-west-2:123456789012:table/Music[/index/…]`). */
function tableOfArn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^arn:[\w-]+:dynamodb:[\w-]*:\d*:table\/([\w.-]+)/.exec(value)?.[1];
}

/** A table named by name or ARN (most calls accept either). */
function tableName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return tableOfArn(value) ?? (value.startsWith('arn:') ? undefined : value);
}

/** The table a management call names: `tableName` (or `resourceArn`), else the description it answered. */
const tableFromRecord: EventExtractor = (record) =>
  [
    tableName(field(record.requestParameters, 'tableName')),
    tableName(field(record.requestParameters, 'resourceArn')),
    tableName(field(record.requestParameters, 'targetTableName')),
    tableName(field(record.responseElements, 'tableDescription', 'tableName')),
    tableName(field(record.responseElements, 'tableDescription', 'tableArn')),
    tableOfArn(field(record.responseElements, 'importTableDescription', 'tableArn')),
  ].filter((name): name is string => name !== undefined);

/** Whether every PartiQL statement of a request only reads (`SELECT`): such calls are logged with `readOnly: false`. */
function onlySelects(parameters: unknown): boolean {
  const statements: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === 'object' && value !== null)
      for (const [name, child] of Object.entries(value)) {
        if (name === 'statement' && typeof child === 'string') statements.push(child);
        else visit(child);
      }
  };
  visit(parameters);
  return statements.length > 0 && statements.every((statement) => /^\s*select\b/i.test(statement));
}

/**
 * The items an item-level data event wrote, as {@link PartialChange}s: every `{ tableName, key }` in its request
 * (`PutItem`, `UpdateItem`, `DeleteItem`, and the entries of batch and transaction writes, whichever case CloudTrail
 * gives their field names) names one item; a table the request or its `resources` names without a key (a PartiQL
 * write) changed as a whole. A PartiQL `SELECT` changes nothing.
 */
const itemWrites: EventExtractor = (record) => {
  if (onlySelects(record.requestParameters)) return [];
  const changes: PartialChange[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const entry = value as Record<string, unknown>;
    const table = tableName(entry.tableName ?? entry.TableName);
    if (table) {
      const key = entry.key ?? entry.Key;
      const logged = typeof key === 'object' && key !== null && !Array.isArray(key);
      changes.push(logged ? { id: table, parts: [canonicalJson(toJson(key) ?? null)] } : { id: table });
    }
    for (const [name, child] of Object.entries(entry))
      if (!['key', 'Key', 'item', 'Item'].includes(name)) visit(child);
  };
  visit(record.requestParameters);
  for (const resource of resourcesOf(record)) {
    const table = tableOfArn(resource);
    if (table && !changes.some((change) => change.id === table)) changes.push({ id: table });
  }
  return changes;
};

function resourcesOf(record: CloudTrailRecord): string[] {
  if (!Array.isArray(record.resources)) return [];
  return record.resources.flatMap((resource) => (typeof resource?.ARN === 'string' ? [resource.ARN] : []));
}

/** Management events that change a table's configuration, backups settings, tags or policy. */
const TABLE_EVENTS = [
  'CreateTable',
  'UpdateTable',
  'DeleteTable',
  'UpdateTimeToLive',
  'UpdateContinuousBackups',
  'TagResource',
  'UntagResource',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'ImportTable',
  'UpdateTableReplicaAutoScaling',
  'EnableKinesisStreamingDestination',
  'DisableKinesisStreamingDestination',
] as const;

/** Data events that write items: they change the table's items, not its configuration. */
const ITEM_EVENTS = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
] as const;

async function* listTables(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(dynamoDbService, region);
  for await (const page of limitedPages(ctx.limit(dynamoDbService), paginateListTables({ client }, {}))) {
    for (const name of page.TableNames ?? []) yield { id: name };
  }
}

/** Every tag of a table, following `NextToken` (the SDK has no paginator for it). */
async function tagsOf(ctx: CaptureContext, region: string, arn: string): Promise<Tag[]> {
  const client = ctx.client(dynamoDbService, region);
  const pages = tokenPages(
    ctx.limit(dynamoDbService),
    (NextToken) => client.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken })),
    (page) => page.NextToken,
  );
  const tags: Tag[] = [];
  for await (const page of pages) tags.push(...(page.Tags ?? []));
  return tags;
}

/** The table's and its indexes' scalable targets and scaling policies (Application Auto Scaling). */
async function autoScalingOf(
  ctx: CaptureContext,
  region: string,
  resourceIds: string[],
): Promise<JsonObject> {
  const client = ctx.client(applicationAutoScalingService, region);
  const limit = ctx.limit(applicationAutoScalingService);
  const ServiceNamespace = 'dynamodb';
  const [targets, policies] = await Promise.all([
    collectPages(
      limit,
      paginateDescribeScalableTargets({ client }, { ServiceNamespace, ResourceIds: resourceIds }),
      (page) => page.ScalableTargets,
    ),
    Promise.all(
      resourceIds.map((ResourceId) =>
        collectPages(
          limit,
          paginateDescribeScalingPolicies({ client }, { ServiceNamespace, ResourceId }),
          (page) => page.ScalingPolicies,
        ),
      ),
    ),
  ]);
  return { ScalableTargets: toJson(targets) ?? [], ScalingPolicies: toJson(policies.flat()) ?? [] };
}

/** The table's items: only the chunks of written items after item events, a native export past the item limit. */
async function itemsOf(
  ctx: CaptureContext,
  table: {
    readonly keys: TableKeys;
    readonly arn: string;
    readonly sizeBytes: number;
    readonly pitr: boolean;
  },
  region: string,
  previous: PreviousCapture | undefined,
  parts: readonly string[] | undefined,
): Promise<ItemsOutcome> {
  if (table.sizeBytes > ctx.tableItems.maxBytes) {
    // Item writes do not start a new export each: the last export stands until the next capture of the whole table.
    const exported = previous?.document.Items;
    if (parts && isJsonObject(exported) && exported.Format === EXPORT_FORMAT)
      return { section: exported, blobs: {} };
    return exportItems(ctx, { ...table, name: table.keys.table }, region);
  }
  const updated = parts ? await updateItems(ctx, table.keys, region, previous, parts) : undefined;
  return updated ?? scanItems(ctx, table.keys, region, table.sizeBytes, previous);
}

async function describeTable(
  ctx: CaptureContext,
  id: string,
  region: string,
  previous?: PreviousCapture,
  parts?: readonly string[],
): Promise<Described> {
  const spec = { type: TYPE, region, id };
  const client = ctx.client(dynamoDbService, region);
  const limit = ctx.limit(dynamoDbService);
  const described = await readPart({ ...spec, operation: 'dynamodb:DescribeTable' }, () =>
    limit(() => client.send(new DescribeTableCommand({ TableName: id }))),
  );
  if (described.state === 'gap') return { status: 'gap', gap: described.gap };
  if (described.state !== 'ok' || !described.value.Table) return { status: 'not-found' };
  const table = described.value.Table;
  const arn = table.TableArn ?? '';
  const indexIds = (table.GlobalSecondaryIndexes ?? []).map(
    (index) => `table/${id}/index/${index.IndexName}`,
  );

  const [ttl, backups, tags, policy, scaling] = await Promise.all([
    readPart({ ...spec, operation: 'dynamodb:DescribeTimeToLive' }, () =>
      limit(() => client.send(new DescribeTimeToLiveCommand({ TableName: id }))),
    ),
    readPart({ ...spec, operation: 'dynamodb:DescribeContinuousBackups' }, () =>
      limit(() => client.send(new DescribeContinuousBackupsCommand({ TableName: id }))),
    ),
    readPart({ ...spec, operation: 'dynamodb:ListTagsOfResource' }, () => tagsOf(ctx, region, arn)),
    readPart(
      { ...spec, operation: 'dynamodb:GetResourcePolicy', absentCodes: ['PolicyNotFoundException'] },
      () => limit(() => client.send(new GetResourcePolicyCommand({ ResourceArn: arn }))),
    ),
    readPart({ ...spec, operation: 'application-autoscaling:DescribeScalableTargets' }, () =>
      autoScalingOf(ctx, region, [`table/${id}`, ...indexIds]),
    ),
  ]);
  const pitr =
    backups.state === 'ok' &&
    backups.value.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ===
      'ENABLED';
  const keys: TableKeys = {
    table: id,
    names: [...(table.KeySchema ?? [])]
      .sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0))
      .map((key) => key.AttributeName ?? ''),
    types: Object.fromEntries(
      (table.AttributeDefinitions ?? []).map((definition) => [
        definition.AttributeName ?? '',
        definition.AttributeType ?? '',
      ]),
    ),
  };
  const items = await itemsOf(
    ctx,
    { keys, arn, sizeBytes: table.TableSizeBytes ?? 0, pitr },
    region,
    previous,
    parts,
  );
  if ('notFound' in items) return { status: 'not-found' };

  const partsRead: PartOutcome<unknown>[] = [ttl, backups, tags, policy, scaling];
  if (partsRead.some((part) => part.state === 'not-found')) return { status: 'not-found' };
  const gaps: Gap[] = partsRead.flatMap((part) => (part.state === 'gap' ? [part.gap] : []));
  if ('gap' in items) gaps.push(items.gap);

  const raw: JsonObject = {
    Table: toJsonObject(table),
    TimeToLive: partValue(ttl, (output) => toJson(output.TimeToLiveDescription ?? {}) ?? {}),
    ContinuousBackups: partValue(
      backups,
      (output) => toJson(output.ContinuousBackupsDescription ?? {}) ?? {},
    ),
    Tags: partValue(tags, (list) => toJson(list) ?? []),
    ResourcePolicy: partValue(policy, (output) => output.Policy ?? null),
    AutoScaling: partValue(scaling, (value) => value),
    Items: 'gap' in items ? { [UNKNOWN_MARKER]: items.gap.code } : items.section,
  };
  return {
    status: 'found',
    raw,
    ...('gap' in items ? {} : { blobs: items.blobs }),
    ...(gaps.length > 0 ? { gaps } : {}),
  };
}

/** Scaling targets and policies keyed by what they scale (`table/bookings`, `…/index/byDate`) and dimension. */
function scalingByResource(value: Json | undefined): Json | undefined {
  if (!isJsonObject(value)) return value;
  const keyed = (list: Json | undefined, ...fields: string[]): Json | undefined => {
    if (!Array.isArray(list)) return list;
    const map: JsonObject = {};
    for (const entry of list) {
      if (isJsonObject(entry)) map[fields.map((name) => stringField(entry, name) ?? '').join(' ')] = entry;
    }
    return map;
  };
  return {
    ScalableTargets: keyed(value.ScalableTargets, 'ResourceId', 'ScalableDimension') ?? null,
    ScalingPolicies: keyed(value.ScalingPolicies, 'ResourceId', 'PolicyName') ?? null,
  };
}

/**
 * `AWS::DynamoDB::Table`: the table (key schema, attribute definitions, billing mode and capacity, global and local
 * secondary indexes, stream, encryption, table class, deletion protection), its TTL, point-in-time recovery, auto
 * scaling (targets and policies of the table and its indexes), resource policy and tags; and its items as content:
 * chunks of DynamoDB JSON lines by key hash (`items/0000`…), so an unchanged table stores nothing new and one item
 * written stores one chunk. Item writes logged as data events (`PutItem`…) rebuild only their chunks. Tables larger
 * than the item limit are exported natively when point-in-time recovery is on. Identifier: the table name.
 */
export const dynamoDbTable: ResourceDefinition = {
  type: TYPE,
  service: dynamoDbService,
  eventSource: 'dynamodb.amazonaws.com',
  scope: 'regional',
  listOperation: 'dynamodb:ListTables',
  permissions: [
    'dynamodb:ListTables',
    'dynamodb:DescribeTable',
    'dynamodb:DescribeTimeToLive',
    'dynamodb:DescribeContinuousBackups',
    'dynamodb:ListTagsOfResource',
    'dynamodb:GetResourcePolicy',
    'dynamodb:Scan',
    'dynamodb:BatchGetItem',
    'dynamodb:ExportTableToPointInTime',
    'application-autoscaling:DescribeScalableTargets',
    'application-autoscaling:DescribeScalingPolicies',
  ],
  volatile: [
    'Table.TableSizeBytes',
    'Table.ItemCount',
    'Table.ProvisionedThroughput.NumberOfDecreasesToday',
    'Table.GlobalSecondaryIndexes.*.IndexSizeBytes',
    'Table.GlobalSecondaryIndexes.*.ItemCount',
    'ContinuousBackups.PointInTimeRecoveryDescription.EarliestRestorableDateTime',
    'ContinuousBackups.PointInTimeRecoveryDescription.LatestRestorableDateTime',
  ],
  secrets: [],
  events: {
    ...Object.fromEntries(TABLE_EVENTS.map((name) => [name, tableFromRecord])),
    ...Object.fromEntries(ITEM_EVENTS.map((name) => [name, itemWrites])),
  },
  list: listTables,
  describe: describeTable,
  restore: dynamoDbTableRestore,
  cloudFormation: dynamoDbTableCloudFormation,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const table = raw.Table;
    if (isJsonObject(table)) {
      const indexes: Array<[string, Json | undefined]> = [
        ['AttributeDefinitions', keyedBy(table.AttributeDefinitions, 'AttributeName')],
        ['GlobalSecondaryIndexes', keyedBy(table.GlobalSecondaryIndexes, 'IndexName')],
        ['LocalSecondaryIndexes', keyedBy(table.LocalSecondaryIndexes, 'IndexName')],
      ];
      const keyedTable: JsonObject = { ...table };
      for (const [name, value] of indexes) if (value !== undefined) keyedTable[name] = value;
      normalised.Table = keyedTable;
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    const policy = parsePolicy(raw.ResourcePolicy);
    if (policy !== undefined) normalised.ResourcePolicy = policy;
    const scaling = scalingByResource(raw.AutoScaling);
    if (scaling !== undefined) normalised.AutoScaling = scaling;
    return normalised;
  },
};
