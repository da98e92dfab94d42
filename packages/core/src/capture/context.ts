import type { LimitFunction } from 'p-limit';
import type { AwsClients } from '../aws/clients.js';
import type { ContentStore } from './content-store.js';

/** Which S3 objects have their content captured. */
export interface ObjectSelection {
  /** `bucket` or `bucket/prefix` patterns; `*` globs allowed. Empty or absent: every object of every bucket. */
  readonly include?: readonly string[];
  /** Patterns excluded even when included. The store's own bucket is always excluded. */
  readonly exclude?: readonly string[];
}

/** Counters a capture reports. Definitions add to them as they download. */
export interface CaptureCounters {
  /** Bytes read from AWS (object bodies, code zips). */
  bytesDownloaded: number;
  /** Bytes written to the store as new blobs. */
  bytesStored: number;
  /** Bytes not written because identical content was already stored. */
  bytesDeduplicated: number;
}

/** Everything a resource definition needs to list and describe resources. */
export interface CaptureContext {
  /** The account being captured. */
  readonly account: string;
  readonly clients: AwsClients;
  readonly content: ContentStore;
  /** Concurrency limiter of a service (`s3`, `lambda`, `s3-content`): wrap each AWS call in it. */
  limit(service: string): LimitFunction;
  readonly objects: ObjectSelection;
  /** Objects larger than this are downloaded in ranged parts of this size. */
  readonly partSize: number;
  readonly counters: CaptureCounters;
}

/**
 * The selection with the store's own bucket excluded: Tidemark never captures the objects of the bucket it
 * writes to (their listing would grow with every capture). The bucket's configuration is still recorded.
 */
export function withStoreBucketExcluded(
  selection: ObjectSelection,
  storeBucket: string | undefined,
): ObjectSelection {
  if (storeBucket === undefined) return selection;
  return { ...selection, exclude: [...(selection.exclude ?? []), storeBucket] };
}
