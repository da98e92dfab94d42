import type { Hashed, VersionRecord } from '../store/records.js';
import type { Gap, ResourceRef } from '../types/resource.js';

/** What capturing one resource did. */
export type CaptureOutcome =
  /** A new version was appended (a change, a first capture, or a deletion). */
  | { readonly status: 'appended'; readonly resource: ResourceRef; readonly version: Hashed<VersionRecord> }
  /** The resource is as its latest version says: nothing appended. */
  | { readonly status: 'unchanged'; readonly resource: ResourceRef; readonly version?: Hashed<VersionRecord> }
  /** The resource does not exist and never was captured: nothing to record. */
  | { readonly status: 'absent'; readonly resource: ResourceRef }
  /** The resource could not be read at all. */
  | { readonly status: 'gap'; readonly resource: ResourceRef; readonly gap: Gap }
  /** Capturing failed for a reason other than AWS access (store error, content mismatch). */
  | { readonly status: 'failed'; readonly resource: ResourceRef; readonly error: string };

/** Gaps an outcome carries: the resource's own, or those of the parts of it that were not read. */
export function gapsOf(outcome: CaptureOutcome): readonly Gap[] {
  if (outcome.status === 'gap') return [outcome.gap];
  if (outcome.status === 'appended' || outcome.status === 'unchanged')
    return outcome.version?.record.gaps ?? [];
  return [];
}
