import type { CaptureContext } from '../capture/context.js';
import type { ServiceNotification } from '../events/types.js';
import type { CloudFormationSpec } from '../export/types.js';
import type { RestoreSpec } from '../restore/types.js';
import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type {
  Described,
  FieldPath,
  JsonObject,
  ListedResource,
  PreviousCapture,
  Scope,
} from '../types/resource.js';
import type { AwsService } from './service.js';

/**
 * Maps one CloudTrail record of a successful, mutating call to the identifiers it touched.
 * Pure: reads only the record. Returns an empty array when the identifier cannot be known.
 */
export type IdExtractor = (record: CloudTrailRecord) => readonly string[];

/**
 * A resource of which an event changed only parts of its content (the items a DynamoDB `PutItem` wrote): `describe`
 * is given the parts and may rebuild only what holds them. Without `parts`, the event changed the whole resource.
 */
export interface PartialChange {
  readonly id: string;
  /** Opaque to everything but the definition's `describe` (for DynamoDB, each item key as canonical JSON). */
  readonly parts?: readonly string[];
}

/**
 * Maps one CloudTrail record to what it changed: identifiers (the whole resource) or {@link PartialChange}s. Pure,
 * like {@link IdExtractor}, which it extends.
 */
export type EventExtractor = (record: CloudTrailRecord) => readonly (string | PartialChange)[];

/** One resource type Tidemark can capture: declared data plus a few functions. One file per type. */
export interface ResourceDefinition {
  /** CloudFormation type name, e.g. `AWS::Lambda::Function`. Unique in the registry. */
  readonly type: string;
  /** The service: its SDK client, rate limit and (global services) endpoint. */
  readonly service: AwsService;
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
   * type, each with its identifier extractor. Data events that change part of a resource's content (DynamoDB item
   * writes) name the parts: see {@link PartialChange}.
   */
  readonly events: Readonly<Record<string, EventExtractor>>;
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
  /**
   * Events that are not CloudTrail records but a service's own EventBridge events (S3's "Object Created", ACM's
   * "ACM Certificate Approaching Expiration"), each with the identifiers it names.
   */
  readonly notifications?: readonly NotificationSpec[];
  /**
   * Enumerates the resources of this type in one region, or once with `global` for a global type (its client then
   * reaches the service's global endpoint: see `CaptureContext.client`).
   */
  list(ctx: CaptureContext, region: string): AsyncIterable<ListedResource>;
  /**
   * Reads one resource; `previous` lets content that did not change be reused instead of downloaded, and `parts`
   * (from a {@link PartialChange}) says which parts of it alone changed since `previous`.
   */
  describe(
    ctx: CaptureContext,
    id: string,
    region: string,
    previous?: PreviousCapture,
    parts?: readonly string[],
  ): Promise<Described>;
  /** Pure: turns the raw document into its stored shape (parsed policies, SDK metadata dropped). */
  normalise(raw: JsonObject): JsonObject;
  /**
   * How a resource of this type is put back as it was captured: a pure plan of API calls and how each is sent.
   * Without it, a restore plan says the type cannot be restored, never skips it silently.
   */
  readonly restore?: RestoreSpec;
  /**
   * How a resource of this type is written as CloudFormation (`tidemark export`): pure mappers of the stored document.
   * Without it, an export lists the resource as not described.
   */
  readonly cloudFormation?: CloudFormationSpec;
  /** Child resources captured with this one in a baseline (a bucket's objects): any number of types. */
  readonly children?: readonly ChildSpec[];
}

/**
 * How a parent lists its children of one type. Two rules let a listing cut short be continued and let a baseline
 * tell which children were deleted; the contract test checks both for every definition: children come in
 * ascending UTF-8 byte order of id, and every child id starts with its parent's id and `/`.
 */
export interface ChildSpec {
  readonly type: string;
  /** The IAM action the child listing depends on. */
  readonly listOperation: string;
  /** The order children are listed in: ascending UTF-8 bytes of their ids. */
  readonly order: 'utf8-ascending';
  /** Every child id is `<parent id>/<child part>`. */
  readonly ids: 'parent-prefixed';
  /** The parent's children in the declared order, only those after `after` when given. */
  list(ctx: CaptureContext, parentId: string, region: string, after?: string): AsyncIterable<ListedResource>;
}

/** A service's own EventBridge event (not a CloudTrail record) that changes or concerns resources of a type. */
export interface NotificationSpec {
  /** EventBridge `source`, e.g. `aws.acm`. */
  readonly source: string;
  /** EventBridge `detail-type` values, e.g. `ACM Certificate Approaching Expiration`. */
  readonly detailTypes: readonly string[];
  /** The identifiers the event names. Pure; an empty array when it names none. */
  ids(event: ServiceNotification): readonly string[];
  /**
   * Whether the event means the resources it names changed and are captured again (S3's object events), or only
   * concerns them (ACM's expiry warning: recognised, reported as not a change).
   */
  readonly changes: boolean;
  /** What to record as the cause's event name and principal. @default the detail type, no principal */
  cause?(event: ServiceNotification): { readonly eventName?: string; readonly principal?: string };
  /**
   * When deployed rules should match only some resources (S3 sends object events only for buckets that opt in):
   * the `detail` field that names the resource, e.g. `bucket.name`.
   */
  readonly filterField?: string;
}
