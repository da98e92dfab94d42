import type { AwsClients } from '../aws/clients.js';
import type { AwsService } from '../resources/service.js';
import type { CallLimit } from './call-limits.js';
import type { ContentStore } from './content-store.js';

/** Which S3 objects have their content captured. */
export interface ObjectSelection {
  /** `bucket` or `bucket/prefix` patterns; `*` globs allowed. Empty or absent: every object of every bucket. */
  readonly include?: readonly string[];
  /** Patterns excluded even when included. The store's own bucket is always excluded. */
  readonly exclude?: readonly string[];
}

/** How a table's items are captured (see the DynamoDB table type). */
export interface TableItemSettings {
  /**
   * Tables holding more than this many bytes (DescribeTable's `TableSizeBytes`) are not scanned: their items are
   * exported natively to `exportTo` when point-in-time recovery is on, or recorded as a gap saying why.
   */
  readonly maxBytes: number;
  /** Where native exports of large tables are written; without it a large table's items are a gap. */
  readonly exportTo?: { readonly bucket: string; readonly prefix?: string };
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
  /** The region of account-level calls; its partition decides where global services are reached. */
  readonly homeRegion: string;
  readonly clients: AwsClients;
  readonly content: ContentStore;
  /**
   * The client of a service for a region; for `global`, the client of the service's global endpoint in the home
   * region's partition.
   */
  client<Client>(service: AwsService<Client>, region: string): Client;
  /** The rate and concurrency limit of a service: wrap each AWS call in it. */
  limit(service: AwsService): CallLimit;
  /** Content downloads in flight (object bodies, code zips): bounds memory and temporary files. */
  readonly downloads: CallLimit;
  readonly objects: ObjectSelection;
  /** Objects larger than this are downloaded in ranged parts of this size. */
  readonly partSize: number;
  readonly counters: CaptureCounters;
  readonly tableItems: TableItemSettings;
  /** Whether a capture of a Lightsail instance also takes a native snapshot and records its name. */
  readonly lightsailSnapshots: boolean;
  /**
   * Describe without downloading large content (object bytes, code zips): a read that only compares, such as a
   * restore's plan. Content a document identifies is named by its hash (a code zip by `CodeSha256`); object bytes are
   * left out, their `ETag` and version id saying what they are. @default false
   */
  readonly metadataOnly?: boolean;
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
