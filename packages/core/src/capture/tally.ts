import type { Gap, ResourceRef } from '../types/resource.js';
import { type CaptureOutcome, gapsOf } from './outcome.js';

/** Counts of what a run did to the resources of one type. */
export interface TypeTally {
  /** Resources that exist, captured or confirmed unchanged. */
  resources: number;
  /** Versions appended for changed or new resources. */
  newVersions: number;
  /** Deletion versions appended. */
  deleted: number;
  unchanged: number;
  /** Resources that could not be read at all. */
  gaps: number;
  failed: number;
}

/** A failure to capture one resource. */
export interface CaptureFailure {
  readonly resource: ResourceRef;
  readonly error: string;
}

/** Accumulates capture outcomes into per-type counts, gaps and failures. */
export class Tally {
  readonly byType: Record<string, TypeTally> = {};
  readonly gaps: Gap[] = [];
  readonly failures: CaptureFailure[] = [];

  /** Records one outcome. */
  add(outcome: CaptureOutcome): void {
    const tally = this.#of(outcome.resource.type);
    switch (outcome.status) {
      case 'appended':
        if (outcome.version.record.deleted) tally.deleted++;
        else {
          tally.newVersions++;
          tally.resources++;
        }
        break;
      case 'unchanged':
        tally.unchanged++;
        tally.resources++;
        break;
      case 'gap':
        tally.gaps++;
        break;
      case 'failed':
        tally.failed++;
        this.failures.push({ resource: outcome.resource, error: outcome.error });
        break;
      case 'absent':
        break;
    }
    this.gaps.push(...gapsOf(outcome));
  }

  /** Records a gap that is not tied to one resource (a listing that was denied). */
  addGap(gap: Gap): void {
    this.#of(gap.type);
    this.gaps.push(gap);
  }

  /** Resources that exist and were captured or confirmed, over all types. */
  get captured(): number {
    return Object.values(this.byType).reduce((sum, tally) => sum + tally.resources, 0);
  }

  #of(type: string): TypeTally {
    this.byType[type] ??= { resources: 0, newVersions: 0, deleted: 0, unchanged: 0, gaps: 0, failed: 0 };
    return this.byType[type];
  }
}
