import type { AlertsReport } from '@tidemark/core/alerts';

/** Warns of each alert destination that failed after its retries (the alert itself is stored). */
export function reportDeliveryFailures(
  report: AlertsReport | undefined,
  warn: (message: string) => void,
): void {
  for (const { alert, deliveries = [] } of report?.fired ?? [])
    for (const delivery of deliveries)
      if (delivery.status === 'failed')
        warn(
          `alert ${alert.rule} on ${alert.resource.type} ${alert.resource.id} not delivered: ${delivery.error}`,
        );
  for (const failure of report?.failures ?? []) warn(`alert rules not evaluated for ${failure}`);
}
