import type { Json, JsonObject } from '../types/json.js';
import type { BlobRefs, ResourceRef } from '../types/resource.js';

/** One resource of a CloudFormation template, as a mapper writes it (the exporter adds the deletion policies). */
export interface CloudFormationResource {
  /** The CloudFormation resource type, e.g. `AWS::S3::BucketPolicy`. */
  readonly Type: string;
  readonly Properties: JsonObject;
}

/** How a mapper names the other resources of the export: an intrinsic when they are in it, else the literal. */
export interface ExportReferences {
  /**
   * `{ Ref: <logical id> }` of the exported resource `type` `id` (in the region of the resource mapped when there are
   * several), else `literal`; always `literal` for the resource mapped itself, which cannot refer to itself.
   */
  ref(type: string, id: string, literal: Json): Json;
  /** `{ "Fn::GetAtt": [<logical id>, "Arn"] }` of the exported resource with this ARN, else the ARN itself (and for itself). */
  arn(arn: string): Json;
}

/** What a mapper is given: pure data. */
export interface CloudFormationInput {
  readonly resource: ResourceRef;
  /** The stored document, fields Tidemark could not read (`$unknown`) left out. Sealed secrets stay sealed. */
  readonly document: JsonObject;
  readonly blobs: BlobRefs;
  readonly refs: ExportReferences;
}

/** Content a template refers to, or that cannot be described but is written beside it (object bytes). */
export interface AssetUse {
  /** sha256 of the content, lower-case hex. */
  readonly hash: string;
  /** The file's extension under `assets/`: `zip` for code, `bin` for object bytes. */
  readonly extension: 'zip' | 'bin';
  /** What the content is: a function's code (uploaded to the AssetsBucket), or an object's bytes. */
  readonly use: 'code' | 'object';
  /** The bucket it belongs in; none for code, which goes to the bucket given as the AssetsBucket parameter. */
  readonly bucket?: string;
  /** The S3 key it belongs at. */
  readonly key: string;
}

/** What a mapper makes of one captured resource. */
export interface CloudFormationMapping {
  /** The template resources describing it, by logical id: none when CloudFormation cannot describe it. */
  readonly resources: Readonly<Record<string, CloudFormationResource>>;
  readonly assets?: readonly AssetUse[];
  /** Parts of the captured state the template does not carry, each with why (`Aliases: …`). */
  readonly leftOut?: readonly string[];
  /** Why it, or a part of it (a table's items), is not described: listed with the resources not described. */
  readonly notDescribed?: string;
}

/** How a resource type is written as CloudFormation: pure functions of the stored document. */
export interface CloudFormationSpec {
  /** The resource's ARN, so that other resources' references to it become `Fn::GetAtt`. */
  arn?(resource: ResourceRef, document: JsonObject): string | undefined;
  map(input: CloudFormationInput): CloudFormationMapping;
}
