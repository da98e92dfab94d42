import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import {
  type AlertEvaluator,
  type CaptureEngine,
  type IngestedCapture,
  type IngestReport,
  ingestMessages,
  type MessageResult,
  readQueueMessage,
  runWorkItem,
  SkipReason,
  sendWorkItems,
  type WorkItem,
} from '@tidemark/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MessageFailedError, WorkItemsUnsentError } from './errors.js';
import { logger, MetricName, metrics } from './observability.js';
import { containerRuntime, type PipelineRuntime } from './runtime.js';

/** Time an invocation keeps for what follows alert delivery (the log head, the batch response). */
const ALERT_TIME_MARGIN_MS = 5_000;

/** Time an invocation must have left to publish an index snapshot (a copy, gzip and upload of the index). */
const SNAPSHOT_TIME_MARGIN_MS = 30_000;

/**
 * Processes one SQS batch: change events (CloudTrail records in EventBridge envelopes, S3 object
 * notifications) are captured again once per resource for the batch; work items run their baseline slice.
 * Each message succeeds or fails on its own, reported as `batchItemFailures`.
 */
async function consume(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const runtime = containerRuntime();
  const engine = await runtime.engine();
  await engine.store.refresh();
  const alerts = await runtime.alerts();
  const messages = new Map(event.Records.map((record) => [record.messageId, readQueueMessage(record.body)]));
  const { report, results } = await ingestMessages(
    engine,
    event.Records.filter((record) => messages.get(record.messageId)?.kind === 'events'),
  );
  countIngest(report);
  const eventResults = new Map(results.map((result) => [result.messageId, result]));

  const processRecord = async (record: SQSRecord): Promise<void> => {
    const message = messages.get(record.messageId);
    if (message?.kind === 'work-item')
      return runItem(runtime, engine, record.messageId, message.item, context);
    if (message?.kind === 'invalid-work-item') throw new MessageFailedError(record.messageId, message.reason);
    const result = eventResults.get(record.messageId);
    if (result) logResult(result);
    if (result?.failure) throw new MessageFailedError(record.messageId, result.failure);
  };
  const response = await processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
  });
  metrics.addMetric(MetricName.FAILED, MetricUnit.Count, response.batchItemFailures.length);
  for (const failure of response.batchItemFailures)
    logger.warn('message failed: it will be received again', { messageId: failure.itemIdentifier });
  await settleAlerts(alerts, context);
  await appendLogHead(engine);
  await publishSnapshotIfDue(engine, context);
  return response;
}

/**
 * Waits for the batch's alerts to be evaluated and delivered, within the invocation's time: a delivery still
 * failing then is recorded as failed in the store (`tidemark alerts list`), never a failed message. Every alert
 * was claimed before delivery, so a redelivered message never sends one twice.
 */
async function settleAlerts(alerts: AlertEvaluator, context: Context): Promise<void> {
  const deadlineMs = Math.max(0, context.getRemainingTimeInMillis() - ALERT_TIME_MARGIN_MS);
  const report = await alerts.settle({ deadlineMs });
  metrics.addMetric(MetricName.ALERTS_FIRED, MetricUnit.Count, report.fired.length);
  for (const { alert, deliveries = [] } of report.fired) {
    logger.info('alert fired', {
      rule: alert.rule,
      severity: alert.severity,
      resource: alert.resource,
      key: alert.key,
    });
    for (const delivery of deliveries.filter((d) => d.status === 'failed')) {
      metrics.addMetric(MetricName.ALERTS_UNDELIVERED, MetricUnit.Count, 1);
      logger.warn('alert not delivered', { rule: alert.rule, key: alert.key, ...delivery });
    }
  }
  for (const failure of report.failures) logger.warn('alert rules not evaluated', { failure });
}

/**
 * Appends the log head naming the records this batch wrote. Never fails the batch: the records are signed
 * already, and a head not appended now names them with the next batch of this container.
 */
async function appendLogHead(engine: CaptureEngine): Promise<void> {
  try {
    await engine.store.appendLogHead();
  } catch (error) {
    logger.warn('log head not appended', { error });
  }
}

/**
 * Publishes a snapshot of the container's index once it holds many records beyond the latest one, so that
 * cold starts download it instead of reading every record. Never fails the batch, and is left to a later
 * invocation when little time remains.
 */
async function publishSnapshotIfDue(engine: CaptureEngine, context: Context): Promise<void> {
  if (context.getRemainingTimeInMillis() < SNAPSHOT_TIME_MARGIN_MS) return;
  try {
    const snapshot = await engine.store.publishSnapshotIfDue();
    if (snapshot) logger.info('index snapshot published', { key: snapshot.key, counts: snapshot.counts });
  } catch (error) {
    logger.warn('index snapshot not published', { error });
  }
}

/** Runs one baseline slice; the slices it spawns go to the queue, all of them or the slice fails. */
async function runItem(
  runtime: PipelineRuntime,
  engine: CaptureEngine,
  messageId: string,
  item: WorkItem,
  context: Context,
): Promise<void> {
  metrics.addMetric(MetricName.WORK_ITEMS, MetricUnit.Count, 1);
  const report = await runWorkItem(engine, item, {
    enqueue: async (items) => {
      const { unsent } = await sendWorkItems(runtime.sqs(), runtime.environment.queueUrl, items);
      if (unsent.length > 0) throw new WorkItemsUnsentError(unsent);
    },
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
  logger.info(report.status === 'duplicate' ? 'work item already done' : 'work item done', {
    messageId,
    item,
    byType: report.byType,
    gaps: report.gaps.length,
    spawned: report.spawned.length,
    ...(report.manifest ? { baseline: report.manifest } : {}),
  });
  for (const failure of report.failures)
    logger.warn('capture failed in a work item', { messageId, sliceId: item.sliceId, ...failure });
}

function countIngest(report: IngestReport): void {
  const count = (status: IngestedCapture['status']) =>
    report.captures.filter((capture) => capture.status === status).length;
  const skipped = report.events.filter(
    (event) => event.skipped && event.skipped.reason !== SkipReason.MALFORMED,
  ).length;
  metrics.addMetric(MetricName.EVENTS_RECEIVED, MetricUnit.Count, report.events.length);
  metrics.addMetric(MetricName.VERSIONS_APPENDED, MetricUnit.Count, count('appended'));
  metrics.addMetric(MetricName.UNCHANGED, MetricUnit.Count, count('unchanged'));
  metrics.addMetric(MetricName.SKIPPED, MetricUnit.Count, skipped);
}

/** What a message's events became: names, resources and outcomes only, never event bodies. */
function logResult(result: MessageResult): void {
  logger.info(result.failure ? 'message not done' : 'message done', {
    messageId: result.messageId,
    events: result.events.map((event) => ({
      source: event.source,
      eventName: event.cause?.eventName,
      eventTime: event.cause?.eventTime,
      resources: event.resources.map((resource) => `${resource.type} ${resource.id} (${resource.region})`),
      ...(event.skipped ? { skipped: event.skipped } : {}),
    })),
    captures: result.captures.map((capture) => ({
      resource: `${capture.resource.type} ${capture.resource.id}`,
      status: capture.status,
      ...(capture.seq ? { seq: capture.seq } : {}),
    })),
    ...(result.failure ? { failure: result.failure } : {}),
  });
}

/** The SQS consumer Lambda handler (`packages/functions/src/consumer.handler`). */
export const handler = middy(consume)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
