import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { sendWorkItems, startScheduledBaseline, type UnsentWorkItem } from '@tidemark/core';
import type { ScheduledEvent } from 'aws-lambda';
import { logger, MetricName, metrics } from './observability.js';
import { containerRuntime } from './runtime.js';

/** What a scheduled baseline run did: the work items it planned, sent, and could not send. */
export interface ScheduledBaselineResult {
  readonly label?: string;
  readonly planned: number;
  readonly sent: number;
  readonly unsent: readonly UnsentWorkItem[];
}

/**
 * Starts a baseline: plans its work items (one slice per type and region) and puts them on the queue, where
 * the consumer runs them. Items that cannot be sent are reported (log and metric), not retried by failing the
 * invocation, which would start another baseline.
 */
async function schedule(_event: ScheduledEvent): Promise<ScheduledBaselineResult> {
  const runtime = containerRuntime();
  const store = await runtime.store();
  await store.refresh();
  const { regions, registry, queueUrl } = runtime.environment;
  const items = await startScheduledBaseline(store, { regions: [...regions], registry });
  const { sent, unsent } = await sendWorkItems(runtime.sqs(), queueUrl, items);
  const label = items[0]?.label;
  metrics.addMetric(MetricName.WORK_ITEMS_SENT, MetricUnit.Count, sent);
  metrics.addMetric(MetricName.WORK_ITEMS_UNSENT, MetricUnit.Count, unsent.length);
  if (unsent.length > 0)
    logger.error('work items could not be sent: this baseline will not complete', { label, sent, unsent });
  else logger.info('baseline started', { label, workItems: sent });
  return { ...(label ? { label } : {}), planned: items.length, sent, unsent };
}

/** The scheduled baseline Lambda handler (`packages/functions/src/schedule.handler`). */
export const handler = middy(schedule)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
