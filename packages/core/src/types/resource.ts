import type { GapKind } from '../constants.js';
import type { Json, JsonObject } from './json.js';

/** Whether a resource lives in one region or is global to the account. */
export type Scope = 'regional' | 'global';

/** The identity of one resource: account, region (or `global`), CloudFormation type and identifier. */
export interface ResourceRef {
  readonly account: string;
  /** An AWS region name, or `global` for globally scoped types. */
  readonly region: string;
  /** CloudFormation type name, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** Identifier in the conventions of the type (bucket name, `bucket/key`, function name, ARN…). */
  readonly id: string;
}

/** Something Tidemark could not capture, recorded as a value in reports, versions and baselines. */
export interface Gap {
  readonly kind: (typeof GapKind)[keyof typeof GapKind];
  readonly type: string;
  readonly region: string;
  /** Absent when the whole type/region could not be listed. */
  readonly id?: string;
  /** The API call, as an IAM action name (`s3:GetBucketPolicy`). */
  readonly operation: string;
  /** The AWS error code (`AccessDenied`, `ThrottlingException`) or a Tidemark code. */
  readonly code: string;
  readonly message: string;
}

/** Named content blobs of one version (`content` for S3 object bytes, `code` for a Lambda zip…): name → sha256 hex. */
export type BlobRefs = Readonly<Record<string, string>>;

/** What a definition's `list` yields for each resource it finds. */
export interface ListedResource {
  readonly id: string;
  /** Region of this resource when it differs from the listed region (S3 buckets are listed globally). */
  readonly region?: string;
  /**
   * A cheap fingerprint from the listing (ETag, size, last modified, version id). When it equals the
   * fingerprint of the latest stored version, the resource is not described again.
   */
  readonly fingerprint?: string;
}

/** The previous version of a resource, handed to `describe` so unchanged content is not downloaded again. */
export interface PreviousCapture {
  readonly document: JsonObject;
  readonly blobs: BlobRefs;
  readonly fingerprint?: string;
}

/** What a definition's `describe` returns for one identifier. */
export type Described =
  | {
      readonly status: 'found';
      /** The raw document: API responses assembled, before `normalise`. */
      readonly raw: JsonObject;
      readonly blobs?: BlobRefs;
      readonly fingerprint?: string;
      /** Parts of the resource that could not be read; the rest is still captured. */
      readonly gaps?: readonly Gap[];
    }
  | { readonly status: 'not-found' }
  /** The resource could not be read at all (its main describe call was denied or failed). */
  | { readonly status: 'gap'; readonly gap: Gap };

/** A JSON document path with `*` matching any key or array element, e.g. `Configuration.Environment.Variables.*`. */
export type FieldPath = string;

export type { Json, JsonObject };
