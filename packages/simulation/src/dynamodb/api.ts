import {
  BatchGetItemCommand,
  DescribeContinuousBackupsCommand,
  DescribeExportCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ExportNotFoundException,
  ExportTableToPointInTimeCommand,
  GetItemCommand,
  GetResourcePolicyCommand,
  InternalServerError,
  InvalidExportTimeException,
  type KeysAndAttributes,
  LimitExceededException,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PointInTimeRecoveryUnavailableException,
  PolicyNotFoundException,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ScanCommand,
  TableNotFoundException,
  type Tag,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  type CallContext,
  type CallTarget,
  defineOperation,
  type Operation,
  type ServiceProfile,
} from '../dispatch.js';
import { fault, notAuthorized } from '../errors.js';
import { compareKeys, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import type { SimulationContext } from '../service-simulator.js';
import { canonicalKey, type Item, itemSize, matchesKey } from './attribute-values.js';
import { completeExport, startExport } from './exports.js';
import { type DynamoDbModel, earliestRestorable, type SimTable } from './model.js';
import { consumed, scanPage } from './scan.js';
import { tableDescription } from './views.js';

/** `Limit` of `ListTables`: 1 to 100, and 100 when not given. */
const MAX_TABLES = 100;
/** Page size of `ListTagsOfResource`: AWS documents none; the simulation pages by 10 so `NextToken` is exercised. */
const TAGS_PAGE = 10;
/** `BatchGetItem` takes at most 100 keys and answers at most 16 MB, leaving the rest in `UnprocessedKeys`. */
const MAX_BATCH_KEYS = 100;
const BATCH_BYTES = 16 * 1024 * 1024;
/** The data-plane actions, throttled with `ProvisionedThroughputExceededException` rather than `ThrottlingException`. */
const DATA_PLANE = new Set([
  'dynamodb:Scan',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:BatchWriteItem',
]);
/** A table's ARN, which DynamoDB accepts wherever it takes a `TableName`. */
const TABLE_ARN = /^arn:[^:]+:dynamodb:[^:]*:\d+:table\/([^/]+)$/;
/** Option names of the item reads the simulation does not answer (projections, filters), refused loudly. */
const UNSUPPORTED_READ_OPTIONS = [
  'ProjectionExpression',
  'AttributesToGet',
  'ExpressionAttributeNames',
] as const;

/**
 * The DynamoDB API of the simulated account (JSON 1.0 protocol, shapes of the API reference): the tables of the
 * caller's region, their settings and items, with `writes` (see `dynamoDbWriteOperations`) beside these reads.
 * Tables are named by `TableName` (a name or an ARN) or `ResourceArn`; each call's target is the table name, so
 * `deny('dynamodb:Scan', 'bookings')` denies one table.
 */
export function dynamoDbProfile(
  context: SimulationContext,
  dynamo: DynamoDbModel,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const { model } = context;
  const byName = (input: { TableName?: string | undefined }): CallTarget =>
    tableTarget(dynamo, input.TableName);
  const byArn = (input: { ResourceArn?: string | undefined }): CallTarget =>
    tableTarget(dynamo, input.ResourceArn);
  const table = (name: string | undefined, call: CallContext) => findTable(dynamo, name, call);

  return {
    service: 'dynamodb',
    exceptions: {
      base: DynamoDBServiceException,
      modeled: {
        ExportNotFoundException,
        InternalServerError,
        InvalidExportTimeException,
        LimitExceededException,
        PointInTimeRecoveryUnavailableException,
        PolicyNotFoundException,
        ProvisionedThroughputExceededException,
        RequestLimitExceeded,
        ResourceNotFoundException,
        TableNotFoundException,
        ThrottlingException,
      },
    },
    client: DynamoDBClient,
    injectedFault(kind, action, target) {
      if (kind === 'throttled') {
        return DATA_PLANE.has(action)
          ? fault(
              'ProvisionedThroughputExceededException',
              400,
              'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
            )
          : fault('ThrottlingException', 400, 'Rate of requests exceeds the allowed throughput.');
      }
      return fault('AccessDeniedException', 400, notAuthorized(model.caller.arn, action, target.arn));
    },
    operations: [
      defineOperation(ListTablesCommand, {
        action: 'dynamodb:ListTables',
        answer: (input, call) => {
          const limit = input.Limit ?? MAX_TABLES;
          if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TABLES) {
            throw fault(
              'ValidationException',
              400,
              `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_TABLES}`,
            );
          }
          const names = [...dynamo.tables.values()]
            .filter((candidate) => candidate.region === call.region)
            .map((candidate) => candidate.name)
            .sort(compareKeys);
          const { page, nextKey } = pageAfter(names, (name) => name, input.ExclusiveStartTableName, limit);
          return { TableNames: page, ...optional('LastEvaluatedTableName', nextKey) };
        },
      }),
      defineOperation(DescribeTableCommand, {
        action: 'dynamodb:DescribeTable',
        target: byName,
        answer: (input, call) => ({ Table: tableDescription(table(input.TableName, call)) }),
      }),
      defineOperation(DescribeTimeToLiveCommand, {
        action: 'dynamodb:DescribeTimeToLive',
        target: byName,
        answer: (input, call) => {
          const { ttl } = table(input.TableName, call);
          return {
            TimeToLiveDescription: ttl?.enabled
              ? { TimeToLiveStatus: 'ENABLED' as const, AttributeName: ttl.attributeName }
              : { TimeToLiveStatus: 'DISABLED' as const },
          };
        },
      }),
      defineOperation(DescribeContinuousBackupsCommand, {
        action: 'dynamodb:DescribeContinuousBackups',
        target: byName,
        answer: (input, call) => {
          const found = findTable(dynamo, input.TableName, call, 'TableNotFoundException');
          const pitr = found.pitr;
          return {
            ContinuousBackupsDescription: {
              ContinuousBackupsStatus: 'ENABLED' as const,
              PointInTimeRecoveryDescription: pitr
                ? {
                    PointInTimeRecoveryStatus: 'ENABLED' as const,
                    RecoveryPeriodInDays: pitr.recoveryPeriodInDays,
                    EarliestRestorableDateTime: earliestRestorable(pitr, context.now()),
                    LatestRestorableDateTime: new Date(context.now().getTime() - 5 * 60_000),
                  }
                : { PointInTimeRecoveryStatus: 'DISABLED' as const },
            },
          };
        },
      }),
      defineOperation(ListTagsOfResourceCommand, {
        action: 'dynamodb:ListTagsOfResource',
        target: byArn,
        answer: (input, call) => {
          const found = table(input.ResourceArn, call);
          const after = input.NextToken === undefined ? undefined : decodeMarker(input.NextToken);
          if (input.NextToken !== undefined && after === undefined) {
            throw fault('ValidationException', 400, 'Invalid NextToken');
          }
          const tagKey = (tag: Tag) => tag.Key ?? '';
          const sorted = [...found.tags].sort((a, b) => compareKeys(tagKey(a), tagKey(b)));
          const { page, nextKey } = pageAfter(sorted, tagKey, after, TAGS_PAGE);
          return {
            Tags: page.map((tag) => ({ ...tag })),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(GetResourcePolicyCommand, {
        action: 'dynamodb:GetResourcePolicy',
        target: byArn,
        answer: (input, call) => {
          const found = table(input.ResourceArn, call);
          if (!found.resourcePolicy) {
            throw fault(
              'PolicyNotFoundException',
              400,
              `Resource-based policy not found for the provided ResourceArn: ${found.arn}`,
            );
          }
          return { Policy: found.resourcePolicy.policy, RevisionId: found.resourcePolicy.revisionId };
        },
      }),
      defineOperation(DescribeKinesisStreamingDestinationCommand, {
        action: 'dynamodb:DescribeKinesisStreamingDestination',
        target: byName,
        answer: (input, call) => ({
          TableName: table(input.TableName, call).name,
          KinesisDataStreamDestinations: [],
        }),
      }),
      defineOperation(ScanCommand, {
        action: 'dynamodb:Scan',
        target: byName,
        answer: (input, call) => scanPage(table(input.TableName, call), input),
      }),
      defineOperation(GetItemCommand, {
        action: 'dynamodb:GetItem',
        target: byName,
        answer: (input, call) => {
          refuseUnsupported(input, 'GetItem');
          const found = table(input.TableName, call);
          const key = validKey(found, input.Key);
          const item = found.items.get(key);
          return {
            ...optional('Item', item),
            ...optional(
              'ConsumedCapacity',
              consumed(found, input.ReturnConsumedCapacity, item ? itemSize(item) : 0, input.ConsistentRead),
            ),
          };
        },
      }),
      defineOperation(BatchGetItemCommand, {
        action: 'dynamodb:BatchGetItem',
        target: (input) => {
          const names = Object.keys(input.RequestItems ?? {}).map((name) => tableName(name));
          return { ...tableTarget(dynamo, names[0]), ids: names };
        },
        answer: (input, call) => batchGet(dynamo, input.RequestItems ?? {}, call),
      }),
      defineOperation(ExportTableToPointInTimeCommand, {
        action: 'dynamodb:ExportTableToPointInTime',
        target: (input) => tableTarget(dynamo, input.TableArn),
        answer: (input, call) => {
          const found = findTable(dynamo, input.TableArn, call, 'TableNotFoundException');
          return { ExportDescription: startExport(context, dynamo, found, input) };
        },
      }),
      defineOperation(DescribeExportCommand, {
        action: 'dynamodb:DescribeExport',
        target: (input) => tableTarget(dynamo, (input.ExportArn ?? '').replace(/\/export\/.*$/, '')),
        answer: (input, call) => {
          const found = dynamo.exports.get(input.ExportArn ?? '');
          if (!found || found.region !== call.region) {
            throw fault('ExportNotFoundException', 400, `Export not found: ${input.ExportArn}`);
          }
          return { ExportDescription: completeExport(context, found) };
        },
      }),
      ...writes,
    ],
  };
}

/** The name a `TableName` or table ARN designates. */
export function tableName(nameOrArn: string | undefined): string {
  const value = nameOrArn ?? '';
  return TABLE_ARN.exec(value)?.[1] ?? value;
}

/** What a call naming a table (by name or ARN) touches: its name and ARN. */
export function tableTarget(dynamo: DynamoDbModel, nameOrArn: string | undefined): CallTarget {
  const name = tableName(nameOrArn);
  return { ids: [name], arn: dynamo.tables.get(name)?.arn ?? dynamo.arn(name) };
}

/**
 * The table a call names in the caller's region, or DynamoDB's not-found error: `ResourceNotFoundException` for
 * most operations, `TableNotFoundException` for the backup and export ones.
 */
export function findTable(
  dynamo: DynamoDbModel,
  nameOrArn: string | undefined,
  call: CallContext,
  notFound: 'ResourceNotFoundException' | 'TableNotFoundException' = 'ResourceNotFoundException',
): SimTable {
  const name = tableName(nameOrArn);
  const table = dynamo.tables.get(name);
  if (table && table.region === call.region) return table;
  throw notFound === 'TableNotFoundException'
    ? fault('TableNotFoundException', 400, `Table not found: ${name}`)
    : fault('ResourceNotFoundException', 400, `Requested resource not found: Table: ${name} not found`);
}

/** The key of a `GetItem`/`BatchGetItem`: exactly the table's key attributes, or a `ValidationException`. */
function validKey(table: SimTable, key: Item | undefined): Item {
  if (!key || !matchesKey(key, table.key)) {
    throw fault('ValidationException', 400, 'The provided key element does not match the schema');
  }
  return key;
}

function refuseUnsupported(input: object, operation: string): void {
  const used = UNSUPPORTED_READ_OPTIONS.filter(
    (name) => (input as Record<string, unknown>)[name] !== undefined,
  );
  if (used.length > 0) throw new Error(`the simulated ${operation} does not implement ${used.join(', ')}`);
}

/** `BatchGetItem`: up to 100 distinct keys; items past 16 MB of responses are left in `UnprocessedKeys`. */
function batchGet(dynamo: DynamoDbModel, requests: Record<string, KeysAndAttributes>, call: CallContext) {
  const total = Object.values(requests).reduce((sum, request) => sum + (request.Keys?.length ?? 0), 0);
  if (total > MAX_BATCH_KEYS) {
    throw fault('ValidationException', 400, 'Too many items requested for the BatchGetItem call');
  }
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, KeysAndAttributes> = {};
  let bytes = 0;
  for (const [name, request] of Object.entries(requests)) {
    refuseUnsupported(request, 'BatchGetItem');
    const table = findTable(dynamo, name, call);
    const keys = (request.Keys ?? []).map((key) => validKey(table, key));
    if (new Set(keys.map((key) => canonicalKey(key, table.key))).size !== keys.length) {
      throw fault('ValidationException', 400, 'Provided list of item keys contains duplicates');
    }
    responses[name] = [];
    for (const key of keys) {
      if (bytes >= BATCH_BYTES) {
        unprocessed[name] ??= { ...request, Keys: [] };
        unprocessed[name].Keys?.push(key);
        continue;
      }
      const item = table.items.get(key);
      if (item) {
        responses[name].push(item);
        bytes += itemSize(item);
      }
    }
  }
  return { Responses: responses, UnprocessedKeys: unprocessed };
}
