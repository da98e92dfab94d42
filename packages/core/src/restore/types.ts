import type { Readable } from 'node:stream';
import type { AwsService } from '../resources/service.js';
import type { Json, JsonObject } from '../types/json.js';
import type { BlobRefs, ResourceRef } from '../types/resource.js';

/** What a restore does to one resource. */
export const RestoreAction = {
  /** Live already equals the captured state. */
  NOTHING: 'nothing',
  /** The resource exists and is changed in place. */
  UPDATE: 'update',
  /** The resource no longer exists and is created again from the captured state. */
  RECREATE: 're-create',
  /** The resource did not exist at the moment restored to, and `--prune` removes it. */
  REMOVE: 'remove',
  /** It did not exist at the moment restored to, and is kept (without `--prune`). */
  KEEP: 'keep',
  /** Tidemark cannot make it equal the captured state: `reason` says why. */
  CANNOT: 'cannot',
} as const;
export type RestoreAction = (typeof RestoreAction)[keyof typeof RestoreAction];

/**
 * One API call of a plan, with the exact input it is sent with. Content is referenced, not inlined: a value
 * `{ "$blob": "<sha256>" }` is the stored blob's bytes; sealed secrets stay sealed in the plan and are unsealed with
 * the user's key only when the call is sent.
 */
export interface RestoreStep {
  /** The SDK service (`s3`, `lambda`, `route53`). */
  readonly service: string;
  /** The API operation (`PutObject`). */
  readonly operation: string;
  /** The region the call is sent to. */
  readonly region: string;
  readonly input: JsonObject;
  /** What it changes, in a few words: `bytes, ContentType and tags as at the moment restored to`. */
  readonly summary: string;
}

/** The captured or live state of one resource: its prepared document (secrets sealed) and its blobs. */
export interface ResourceState {
  readonly document: JsonObject;
  readonly blobs: BlobRefs;
  /** What the service says identifies this state, when the type keeps one (a distribution's ETag). */
  readonly fingerprint?: string;
}

/** What a definition's `plan` is given: pure data. */
export interface PlanInput {
  /** The resource as captured. */
  readonly resource: ResourceRef;
  /** The resource as restored: the captured one, or its copy (`--to-bucket`, `--to-name`). */
  readonly target: ResourceRef;
  /** The state at the moment restored to; undefined when the resource did not exist then. */
  readonly captured?: ResourceState;
  /** The live state of `target`; undefined when it does not exist. */
  readonly live?: ResourceState;
  /** Whether what did not exist at the moment restored to is removed. */
  readonly prune: boolean;
}

/** What a definition plans for one resource. */
export interface PlannedChange {
  readonly action: RestoreAction;
  /** Why it cannot be restored, or what a step cannot do (an immutable field, a name held elsewhere). */
  readonly reason?: string;
  readonly steps: readonly RestoreStep[];
  /** Notes the user should read before applying: a new unique id, policies naming the old one. */
  readonly notes?: readonly string[];
}

/** What `apply` needs to send one step: the clients, the stored content, the user's key. */
export interface RestoreContext {
  client<Client>(service: AwsService<Client>, region: string): Client;
  /** Sends one call within the service's rate limit. */
  limited<T>(service: AwsService, call: () => Promise<T>): Promise<T>;
  /** A stored blob's bytes, checked against their hash as they are read. */
  blob(hash: string): Promise<Readable>;
  /** `value` with `{ "$blob": hash }` references replaced by the blobs' bytes and sealed secrets unsealed. */
  resolve(value: Json): Promise<unknown>;
}

/** How a resource type is restored: a pure plan and the calls it makes. */
export interface RestoreSpec {
  /** Pure: the calls that make the live state equal the captured one, in order. */
  plan(input: PlanInput): PlannedChange;
  /**
   * Sends one step of the plan (a step this definition planned). Without it the plan's calls are for the user to make:
   * the plan says so, and applying sends none of them.
   */
  apply?(ctx: RestoreContext, step: RestoreStep): Promise<void>;
  /** How this type can be restored to a copy: `--to-bucket` (objects), `--to-name`, `--to-account-profile`. */
  readonly copies?: readonly CopyKind[];
}

/** Where a restore can write a copy instead of the original: another bucket, another name, another account. */
export type CopyKind = 'bucket' | 'name' | 'account';

/** A blob reference in a step's input. */
export type BlobReference = { readonly $blob: string };
