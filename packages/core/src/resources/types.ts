import type { CaptureContext } from '../capture/context.js';
import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type {
  Described,
  FieldPath,
  JsonObject,
  ListedResource,
  PreviousCapture,
  Scope,
} from '../types/resource.js';

/**
 * Maps one CloudTrail record of a successful, mutating call to the identifiers it touched.
 * Pure: reads only the record. Returns an empty array when the identifier cannot be known.
 */
export type IdExtractor = (record: CloudTrailRecord) => readonly string[];

/** One resource type Tidemark can capture: declared data plus a few functions. One file per type. */
export interface ResourceDefinition {
  /** CloudFormation type name, e.g. `AWS::Lambda::Function`. Unique in the registry. */
  readonly type: string;
  /** The service group: names the SDK client and the concurrency limit (`s3`, `lambda`). */
  readonly service: string;
  /** CloudTrail `eventSource` of the service, e.g. `lambda.amazonaws.com`. */
  readonly eventSource: string;
  readonly scope: Scope;
  /** IAM actions `list` and `describe` call. */
  readonly permissions: readonly string[];
  /** The IAM action `list` depends on, named in the gap when the listing is denied. */
  readonly listOperation: string;
  /** Fields removed before comparing and storing: they change without the resource changing. */
  readonly volatile: readonly FieldPath[];
  /** Fields sealed (encrypted, keyed-hashed) before storing: they never appear in plain text. */
  readonly secrets: readonly FieldPath[];
  /**
   * CloudTrail event names (without API-version suffixes such as `20150331`) that change resources of this
   * type, each with its identifier extractor.
   */
  readonly events: Readonly<Record<string, IdExtractor>>;
  /**
   * Whether a baseline enumerates this type on its own. False for types listed as part of a parent
   * (S3 objects are listed per bucket by `listChildren`).
   */
  readonly listedByParent?: boolean;
  /**
   * Whether the user's selection includes this resource (S3 objects outside `ctx.objects`). A resource not
   * selected is neither captured from events nor confirmed deleted by a baseline. @default every resource
   */
  selected?(ctx: CaptureContext, id: string): boolean;
  /** Enumerates the resources of this type in one region (or once, for global services, with `global`). */
  list(ctx: CaptureContext, region: string): AsyncIterable<ListedResource>;
  /** Reads one resource; `previous` lets content that did not change be reused instead of downloaded. */
  describe(ctx: CaptureContext, id: string, region: string, previous?: PreviousCapture): Promise<Described>;
  /** Pure: turns the raw document into its stored shape (parsed policies, SDK metadata dropped). */
  normalise(raw: JsonObject): JsonObject;
  /**
   * Child resources captured with this one in a baseline (a bucket's objects), as a type and a listing.
   */
  children?: {
    readonly type: string;
    /** The IAM action the child listing depends on. */
    readonly listOperation: string;
    /**
     * Enumerates the parent's children in ascending (UTF-8 binary) order of id, only those after `after` when
     * given, so a listing cut short can be continued.
     */
    list(
      ctx: CaptureContext,
      parentId: string,
      region: string,
      after?: string,
    ): AsyncIterable<ListedResource>;
  };
}
