import type { MappedEvent } from '@tidemark/core';
import type { Io } from '../io.js';
import { table } from './format.js';

/** One line per event: what it maps to, or why it maps to nothing. */
export function renderMappedEvents(io: Io, events: readonly MappedEvent[]): void {
  const skipped = events.filter((event) => event.skipped).length;
  io.out(`${events.length} events: ${events.length - skipped} map to resources, ${skipped} skipped`);
  const rows = events.map((event) => [
    `  ${event.source}`,
    event.cause?.eventName ?? '-',
    event.skipped
      ? `skipped (${event.skipped.reason}): ${event.skipped.detail}`
      : event.resources.map((r) => `→ ${r.type} ${r.id} (${r.region})`).join(', '),
  ]);
  for (const line of table(rows)) io.out(line);
}
