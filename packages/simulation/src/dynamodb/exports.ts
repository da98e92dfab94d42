import type { ExportDescription, ExportTableToPointInTimeInput } from '@aws-sdk/client-dynamodb';
import { fault } from '../errors.js';
import { optional } from '../model.js';
import type { SimulationContext } from '../service-simulator.js';
import { type DynamoDbModel, earliestRestorable, type SimExport, type SimTable } from './model.js';

/** The export formats DynamoDB writes. */
const FORMATS = new Set(['DYNAMODB_JSON', 'ION']);

/**
 * Starts an `ExportTableToPointInTime`: refused with `PointInTimeRecoveryUnavailableException` while the table has
 * no point-in-time recovery, with `InvalidExportTimeException` for a time outside its recovery window. The export
 * is `IN_PROGRESS`; its ARN is `<table ARN>/export/<13-digit start time>-<8 hex>`, as DynamoDB names exports.
 */
export function startExport(
  context: SimulationContext,
  dynamo: DynamoDbModel,
  table: SimTable,
  input: ExportTableToPointInTimeInput,
): ExportDescription {
  if (!table.pitr) {
    throw fault(
      'PointInTimeRecoveryUnavailableException',
      400,
      `Point in time recovery is not enabled for table '${table.name}'`,
    );
  }
  const format = input.ExportFormat ?? 'DYNAMODB_JSON';
  if (!FORMATS.has(format)) throw fault('ValidationException', 400, `Invalid ExportFormat: ${format}`);
  if (input.ExportType === 'INCREMENTAL_EXPORT') {
    throw new Error('the simulated ExportTableToPointInTime does not implement incremental exports');
  }
  const now = context.now();
  const exportTime = input.ExportTime ?? now;
  if (exportTime.getTime() > now.getTime() || exportTime < earliestRestorable(table.pitr, now)) {
    throw fault(
      'InvalidExportTimeException',
      400,
      `Export time ${exportTime.toISOString()} is outside the point in time recovery window of table ${table.name}`,
    );
  }
  const id = `${String(now.getTime()).padStart(13, '0')}-${context.model.random.hex(8)}`;
  const description: ExportDescription = {
    ExportArn: `${table.arn}/export/${id}`,
    ExportStatus: 'IN_PROGRESS',
    StartTime: now,
    TableArn: table.arn,
    TableId: table.tableId,
    ExportTime: exportTime,
    ClientToken: input.ClientToken ?? context.model.random.uuid(),
    S3Bucket: input.S3Bucket ?? '',
    ...optional('S3BucketOwner', input.S3BucketOwner),
    ...optional('S3Prefix', input.S3Prefix),
    S3SseAlgorithm: input.S3SseAlgorithm ?? 'AES256',
    ...optional('S3SseKmsKeyId', input.S3SseKmsKeyId),
    ExportFormat: format,
    ExportType: 'FULL_EXPORT',
  };
  const record: SimExport = {
    region: table.region,
    description,
    snapshot: { itemCount: table.items.count, bytes: table.items.bytes },
  };
  dynamo.exports.set(description.ExportArn ?? '', record);
  return structuredClone(description);
}

/**
 * `DescribeExport`: an export in progress is found finished — `COMPLETED` with its manifest, item count and billed
 * size, or `FAILED` with `S3NoSuchBucket` when the bucket is not in the account — as if it ran in between.
 */
export function completeExport(context: SimulationContext, record: SimExport): ExportDescription {
  const description = record.description;
  if (description.ExportStatus === 'IN_PROGRESS') {
    const bucket = description.S3Bucket ?? '';
    const id = (description.ExportArn ?? '').replace(/^.*\/export\//, '');
    const prefix = description.S3Prefix ? `${description.S3Prefix}/` : '';
    record.description = context.model.buckets.has(bucket)
      ? {
          ...description,
          ExportStatus: 'COMPLETED',
          EndTime: context.now(),
          ExportManifest: `${prefix}AWSDynamoDB/${id}/manifest-summary.json`,
          ItemCount: record.snapshot.itemCount,
          BilledSizeBytes: record.snapshot.bytes,
        }
      : {
          ...description,
          ExportStatus: 'FAILED',
          EndTime: context.now(),
          FailureCode: 'S3NoSuchBucket',
          FailureMessage: 'The specified bucket does not exist',
        };
  }
  return structuredClone(record.description);
}
