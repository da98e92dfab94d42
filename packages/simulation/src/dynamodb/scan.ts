import type {
  ConsumedCapacity,
  ReturnConsumedCapacity,
  ScanInput,
  ScanOutput,
} from '@aws-sdk/client-dynamodb';
import { fault } from '../errors.js';
import { optional } from '../model.js';
import { type Item, keyOf, matchesKey, partitionHash } from './attribute-values.js';
import type { SimTable } from './model.js';

/** A scan page holds at most 1 MB of item data (before any filter), as DynamoDB reads it. */
export const PAGE_BYTES = 1024 * 1024;
/** `TotalSegments` ranges from 1 to 1,000,000. */
const MAX_SEGMENTS = 1_000_000;
/** The partition hash space: 32 bits. */
const HASH_SPACE = 2 ** 32;
/** One read capacity unit reads 4 KB strongly consistently, twice that eventually consistently. */
const READ_UNIT_BYTES = 4096;

/** The parameters the simulated `Scan` answers; any other fails loudly rather than being ignored. */
const SUPPORTED = new Set([
  'TableName',
  'Limit',
  'Select',
  'ExclusiveStartKey',
  'ReturnConsumedCapacity',
  'TotalSegments',
  'Segment',
  'ConsistentRead',
]);

/** Rules of a Scan request, checked in order, as DynamoDB's `ValidationException`s. */
const RULES: ReadonlyArray<{ readonly broken: (input: ScanInput) => boolean; readonly message: string }> = [
  {
    broken: ({ Limit }) => Limit !== undefined && (!Number.isInteger(Limit) || Limit < 1),
    message: 'Limit must be an integer greater than or equal to 1',
  },
  {
    broken: ({ Segment, TotalSegments }) => (Segment === undefined) !== (TotalSegments === undefined),
    message:
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
  },
  {
    broken: ({ TotalSegments }) =>
      TotalSegments !== undefined &&
      (!Number.isInteger(TotalSegments) || TotalSegments < 1 || TotalSegments > MAX_SEGMENTS),
    message: `TotalSegments must be an integer from 1 to ${MAX_SEGMENTS}`,
  },
  {
    broken: ({ Segment, TotalSegments }) =>
      Segment !== undefined && (!Number.isInteger(Segment) || Segment < 0 || Segment >= (TotalSegments ?? 1)),
    message: 'The Segment parameter is zero-based and must be less than parameter TotalSegments',
  },
  {
    broken: ({ Select }) => Select !== undefined && Select !== 'ALL_ATTRIBUTES' && Select !== 'COUNT',
    message: 'Select must be ALL_ATTRIBUTES or COUNT when no ProjectionExpression or index is given',
  },
];

/**
 * One page of a `Scan` (parallel when `Segment`/`TotalSegments` are given: segment `s` of `n` covers the `s`-th
 * `1/n` of the partition hash space). The page stops after `Limit` items or before the item that would take it past
 * 1 MB; it then carries `LastEvaluatedKey`, the key of its last item, even when no item follows (as DynamoDB does,
 * so the last page of a table may carry one and the next call return nothing).
 */
export function scanPage(table: SimTable, input: ScanInput): Omit<ScanOutput, '$metadata'> {
  const unsupported = Object.keys(input).filter(
    (name) => !SUPPORTED.has(name) && input[name as keyof ScanInput] !== undefined,
  );
  if (unsupported.length > 0)
    throw new Error(`the simulated Scan does not implement ${unsupported.join(', ')}`);
  const broken = RULES.find((rule) => rule.broken(input));
  if (broken) throw fault('ValidationException', 400, broken.message);
  const segments = input.TotalSegments ?? 1;
  const segment = input.Segment ?? 0;
  const low = Math.floor((segment * HASH_SPACE) / segments);
  const high = Math.floor(((segment + 1) * HASH_SPACE) / segments);
  const after = input.ExclusiveStartKey && startKey(table, input.ExclusiveStartKey, low, high);
  const limit = input.Limit ?? Number.POSITIVE_INFINITY;

  const items: Item[] = [];
  let bytes = 0;
  let stopped = false;
  for (const { item, size } of table.items.scan({ low, high, ...optional('after', after) })) {
    if (items.length > 0 && bytes + size > PAGE_BYTES) {
      stopped = true;
      break;
    }
    items.push(item);
    bytes += size;
    if (items.length >= limit) {
      stopped = true;
      break;
    }
  }
  const last = items.at(-1);
  const count = input.Select === 'COUNT';
  return {
    ...(count ? {} : { Items: items }),
    Count: items.length,
    ScannedCount: items.length,
    ...optional('LastEvaluatedKey', stopped && last ? keyOf(last, table.key) : undefined),
    ...optional(
      'ConsumedCapacity',
      consumed(table, input.ReturnConsumedCapacity, bytes, input.ConsistentRead),
    ),
  };
}

/** The start key of a page: the table's key, inside the segment scanned. */
function startKey(table: SimTable, key: Item, low: number, high: number): Item {
  if (!matchesKey(key, table.key)) {
    throw fault(
      'ValidationException',
      400,
      'The provided starting key is invalid: The provided key element does not match the schema',
    );
  }
  const hash = partitionHash(key, table.key);
  if (hash < low || hash >= high) {
    throw fault(
      'ValidationException',
      400,
      'The provided Exclusive start key does not map to the provided segment',
    );
  }
  return key;
}

/** The read capacity a read of `bytes` consumed, when the caller asked for it. */
export function consumed(
  table: SimTable,
  asked: ReturnConsumedCapacity | undefined,
  bytes: number,
  consistent = false,
): ConsumedCapacity | undefined {
  if (asked === undefined || asked === 'NONE') return undefined;
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) * (consistent ? 1 : 0.5);
  return {
    TableName: table.name,
    CapacityUnits: units,
    ReadCapacityUnits: units,
    ...(asked === 'INDEXES' ? { Table: { CapacityUnits: units, ReadCapacityUnits: units } } : {}),
  };
}
