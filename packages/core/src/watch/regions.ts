import { GLOBAL_EVENTS_REGION } from '../constants.js';
import type { ResourceDefinition } from '../resources/types.js';

/** One region whose event history `watch` reads. */
export interface WatchedRegion {
  readonly region: string;
  /**
   * Set when the region is read only for the global services (it was not selected): the event sources whose
   * events are kept. Absent: every event of the region is kept.
   */
  readonly eventSources?: ReadonlySet<string>;
}

/**
 * The regions to read: every selected region, and us-east-1 for the global services when the registry has a
 * global type and us-east-1 is not selected (then only those services' events are kept). Pure.
 *
 * @example
 * watchedRegions(['eu-west-1'], registry); // [{ region: 'eu-west-1' }] while no registered type is global
 */
export function watchedRegions(
  selected: readonly string[],
  definitions: readonly ResourceDefinition[],
): WatchedRegion[] {
  const regions: WatchedRegion[] = [...new Set(selected)].map((region) => ({ region }));
  const global = definitions.filter((definition) => definition.scope === 'global');
  if (global.length > 0 && !selected.includes(GLOBAL_EVENTS_REGION))
    regions.push({
      region: GLOBAL_EVENTS_REGION,
      eventSources: new Set(global.map((definition) => definition.eventSource)),
    });
  return regions;
}
