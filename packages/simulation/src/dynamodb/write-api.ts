import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type CallContext, defineOperation, type Operation } from '../dispatch.js';
import { fault } from '../errors.js';
import { emitApiCall, type SimulationContext } from '../service-simulator.js';
import { findTable, tableName, tableTarget } from './api.js';
import {
  canonicalKey,
  type Item,
  itemSize,
  keyOf,
  keyTypeOf,
  matchesKey,
  plainKey,
} from './attribute-values.js';
import type { DynamoDbModel, SimTable } from './model.js';
import { DYNAMODB_EVENT_SOURCE } from './trail.js';

/** `BatchWriteItem` takes 1 to 25 put or delete requests, over all its tables. */
const MAX_BATCH_WRITES = 25;
/** An item is at most 400 KB, as DynamoDB counts its size. */
const MAX_ITEM_BYTES = 400 * 1024;

/** One request of a batch, checked: the key it writes and, for a put, the item. */
interface CheckedWrite {
  readonly request: WriteRequest;
  readonly key: Item;
  readonly item?: Item;
}

/** The requests of a batch for one table. */
interface TableWrites {
  /** The table as the request named it (a name or an ARN), which `UnprocessedItems` names it by. */
  readonly named: string;
  readonly table: SimTable;
  readonly writes: readonly CheckedWrite[];
}

/**
 * The DynamoDB item writes of the simulated account: `BatchWriteItem`, answered as DynamoDB answers it. The whole
 * request is validated before anything is written; requests a throttled table cannot take (see
 * `SimulatedDynamoDb.throttleItemWrites`) come back in `UnprocessedItems`, and a batch of which none can be taken
 * fails with `ProvisionedThroughputExceededException`. Each call is recorded as the `BatchWriteItem` data event,
 * with the caller's user agent and the key of every request.
 */
export function dynamoDbWriteOperations(context: SimulationContext, dynamo: DynamoDbModel): Operation[] {
  return [
    defineOperation(BatchWriteItemCommand, {
      action: 'dynamodb:BatchWriteItem',
      target: (input) => {
        const names = Object.keys(input.RequestItems ?? {}).map((name) => tableName(name));
        return { ...tableTarget(dynamo, names[0]), ids: names };
      },
      answer: (input, call) => {
        const batch = checkedBatch(dynamo, input, call);
        const unprocessed = writeBatch(dynamo, batch);
        emitApiCall(context, 'dynamodb', {
          eventSource: DYNAMODB_EVENT_SOURCE,
          eventName: 'BatchWriteItem',
          region: call.region,
          at: context.now(),
          management: false,
          userAgent: call.userAgent,
          requestParameters: {
            requestItems: batch.flatMap(({ table, writes }) =>
              writes.map((write) => ({ tableName: table.name, key: plainKey(write.key) })),
            ),
          },
          responseElements: null,
          resources: batch.map(({ table }) => ({
            accountId: context.model.accountId,
            type: 'AWS::DynamoDB::Table',
            ARN: table.arn,
          })),
        });
        return { UnprocessedItems: unprocessed };
      },
    }),
  ];
}

/** The batch with every request checked as DynamoDB checks it, before anything is written. */
function checkedBatch(
  dynamo: DynamoDbModel,
  input: BatchWriteItemCommandInput,
  call: CallContext,
): TableWrites[] {
  for (const option of ['ReturnConsumedCapacity', 'ReturnItemCollectionMetrics'] as const) {
    const value = input[option];
    if (value !== undefined && value !== 'NONE')
      throw new Error(`the simulated BatchWriteItem does not implement ${option} ${value}`);
  }
  const requested = Object.entries(input.RequestItems ?? {});
  const total = requested.reduce((sum, [, writes]) => sum + writes.length, 0);
  if (total === 0)
    throw fault(
      'ValidationException',
      400,
      "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  if (total > MAX_BATCH_WRITES)
    throw fault('ValidationException', 400, 'Too many items requested for the BatchWriteItem call');
  return requested.map(([named, requests]) => {
    const table = findTable(dynamo, named, call);
    const writes = requests.map((request) => checkedWrite(table, request));
    const keys = new Set(writes.map((write) => canonicalKey(write.key, table.key)));
    if (keys.size !== writes.length)
      throw fault('ValidationException', 400, 'Provided list of item keys contains duplicates');
    return { named, table, writes };
  });
}

function checkedWrite(table: SimTable, request: WriteRequest): CheckedWrite {
  const { PutRequest: put, DeleteRequest: remove } = request;
  if ((put === undefined) === (remove === undefined))
    throw fault(
      'ValidationException',
      400,
      'A WriteRequest must contain exactly one of PutRequest and DeleteRequest',
    );
  if (remove) {
    const key = remove.Key;
    if (!key || !matchesKey(key, table.key))
      throw fault('ValidationException', 400, 'The provided key element does not match the schema');
    return { request, key };
  }
  const item = put?.Item ?? {};
  const key = keyOf(item, table.key);
  if (!key) throw fault('ValidationException', 400, keyProblem(table, item));
  if (itemSize(item) > MAX_ITEM_BYTES)
    throw fault('ValidationException', 400, 'Item size has exceeded the maximum allowed size');
  return { request, key, item };
}

/** DynamoDB's message for an item whose key attributes are missing or of the wrong type. */
function keyProblem(table: SimTable, item: Item): string {
  const attributes = table.key.sort ? [table.key.partition, table.key.sort] : [table.key.partition];
  for (const { name, type } of attributes) {
    const actual = keyTypeOf(item[name]);
    if (item[name] === undefined)
      return `One or more parameter values were invalid: Missing the key ${name} in the item`;
    if (actual !== type)
      return `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${type} actual: ${Object.keys(item[name] ?? {})[0]}`;
  }
  return 'The provided key element does not match the schema';
}

/**
 * Writes what each table can take now and returns the rest, by table as the request named it; a batch of which
 * nothing could be written is refused as a whole.
 */
function writeBatch(dynamo: DynamoDbModel, batch: readonly TableWrites[]): Record<string, WriteRequest[]> {
  const taken = batch.map(({ table, writes }) => {
    const throttle = dynamo.writeThrottles.get(table.name);
    if (!throttle || throttle.calls === 0) return writes.length;
    throttle.calls -= 1;
    return Math.min(throttle.accepted, writes.length);
  });
  if (taken.every((count) => count === 0))
    throw fault(
      'ProvisionedThroughputExceededException',
      400,
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    );
  const unprocessed: Record<string, WriteRequest[]> = {};
  batch.forEach(({ named, table, writes }, index) => {
    const count = taken[index] ?? writes.length;
    for (const write of writes.slice(0, count)) {
      if (write.item) table.items.put(write.item);
      else table.items.delete(write.key);
    }
    if (count < writes.length) unprocessed[named] = writes.slice(count).map((write) => write.request);
  });
  return unprocessed;
}
