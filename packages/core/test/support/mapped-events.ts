import type { SimulatedEvent } from '@tidemark/simulation';
import { mapEvent } from '../../src/events/map.js';
import { parseEventInput } from '../../src/events/parse.js';
import type { ResourceRef } from '../../src/types/resource.js';

/** The resources simulated events map to, each as `format` writes it, read the way the pipeline reads events. */
function mappedAs(events: readonly SimulatedEvent[], format: (resource: ResourceRef) => string): string[] {
  return events.flatMap((event) =>
    parseEventInput(JSON.stringify(event), 'test').flatMap((parsed) =>
      mapEvent(parsed).resources.map(format),
    ),
  );
}

/** Every resource the events map to, as `<type>:<id>`. */
export function mappedIds(events: readonly SimulatedEvent[]): string[] {
  return mappedAs(events, (resource) => `${resource.type}:${resource.id}`);
}

/** Every resource the events map to, as `<type>:<id>@<region>`. */
export function mappedIdsInRegion(events: readonly SimulatedEvent[]): string[] {
  return mappedAs(events, (resource) => `${resource.type}:${resource.id}@${resource.region}`);
}
