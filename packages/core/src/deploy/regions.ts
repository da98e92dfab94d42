import { GLOBAL_EVENTS_REGION } from '../constants.js';
import type { ResourceDefinition } from '../resources/types.js';

/** Where a deployment lives and which regions it captures. */
export interface DeploymentRegions {
  /** The region of the store, the queue and the consumer. */
  readonly homeRegion: string;
  /** Regions whose regional resources are captured. */
  readonly regions: readonly string[];
}

/**
 * The definitions whose change events arrive in `region`: regional types when the region is captured, global
 * types (IAM, CloudFront, Route 53) in us-east-1, where CloudTrail records their calls. Pure.
 *
 * @example
 * definitionsEmittingIn(registry, 'us-east-1', ['eu-west-1']); // only the global types
 */
export function definitionsEmittingIn(
  definitions: readonly ResourceDefinition[],
  region: string,
  regions: readonly string[],
): ResourceDefinition[] {
  return definitions.filter((definition) =>
    definition.scope === 'global' ? region === GLOBAL_EVENTS_REGION : regions.includes(region),
  );
}

/**
 * The regions other than home whose events must be forwarded to the home region's event bus: every other
 * captured region, and us-east-1 when a global type is selected. Pure.
 *
 * @example
 * forwardingRegions(registry, { homeRegion: 'eu-west-1', regions: ['eu-west-1', 'us-west-2'] }); // ['us-west-2']
 */
export function forwardingRegions(
  definitions: readonly ResourceDefinition[],
  { homeRegion, regions }: DeploymentRegions,
): string[] {
  const candidates = [...new Set([...regions, GLOBAL_EVENTS_REGION])].filter(
    (region) => region !== homeRegion,
  );
  return candidates.filter((region) => definitionsEmittingIn(definitions, region, regions).length > 0);
}
