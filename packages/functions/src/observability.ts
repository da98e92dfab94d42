import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Structured JSON logs of the functions; `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL` apply. */
export const logger = new Logger({ serviceName: 'tidemark' });

/** CloudWatch metrics (embedded metric format); `POWERTOOLS_METRICS_NAMESPACE` applies. */
export const metrics = new Metrics({ namespace: 'Tidemark', serviceName: 'tidemark' });

/** Names of the metrics the functions publish. */
export const MetricName = {
  /** Change events read from the batch's messages. */
  EVENTS_RECEIVED: 'EventsReceived',
  /** Versions appended (changes, first captures, deletions). */
  VERSIONS_APPENDED: 'VersionsAppended',
  /** Resources described again and found as their latest version says. */
  UNCHANGED: 'Unchanged',
  /** Events that map to nothing (read-only calls, unsupported services, other accounts). */
  SKIPPED: 'Skipped',
  /** Messages reported as batch item failures. */
  FAILED: 'Failed',
  /** Baseline work items run. */
  WORK_ITEMS: 'WorkItems',
  /** Work items a scheduled baseline put on the queue. */
  WORK_ITEMS_SENT: 'WorkItemsSent',
  /** Work items a scheduled baseline could not put on the queue. */
  WORK_ITEMS_UNSENT: 'WorkItemsUnsent',
  /** Alerts fired (each rule on each change once). */
  ALERTS_FIRED: 'AlertsFired',
  /** Alert deliveries that still failed after their retries. */
  ALERTS_UNDELIVERED: 'AlertsUndelivered',
} as const;
