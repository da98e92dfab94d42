import type { AttachedPolicy } from '@aws-sdk/client-iam';
import { type PartOutcome, type PartSpec, partValue, readPart } from '../capture/read-part.js';
import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type { Described, Gap, Json, JsonObject } from '../types/resource.js';
import { isJsonObject, keyedBy, parsePolicy, pick, stringField } from './support.js';

/** CloudTrail `eventSource` of IAM. */
export const IAM_EVENT_SOURCE = 'iam.amazonaws.com';

/** IAM's "no such entity" error: its code on the wire, and the name of the SDK's modeled exception for it. */
export const NO_SUCH_ENTITY = ['NoSuchEntity', 'NoSuchEntityException'] as const;

/** Where one IAM resource's reads belong, for the gaps they may leave. */
export type IamReadSpec = Omit<PartSpec, 'operation' | 'absentCodes'>;

/**
 * A policy document as IAM returns it (URL-encoded JSON, RFC 3986), decoded and parsed. A string that is already
 * JSON is parsed as is; one that does not decode or parse is kept unchanged; other values are returned unchanged.
 *
 * @example
 * policyDocument('%7B%22Version%22%3A%222012-10-17%22%7D'); // { Version: '2012-10-17' }
 */
export function policyDocument(value: Json | undefined): Json | undefined {
  if (typeof value !== 'string') return value;
  return parsePolicy(value.trimStart().startsWith('{') ? value : urlDecoded(value));
}

function urlDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The `Described` of a resource whose main read did not succeed: not found, or a gap for the whole resource. */
export function notRead(outcome: Exclude<PartOutcome<unknown>, { state: 'ok' }>): Described {
  return outcome.state === 'gap' ? { status: 'gap', gap: outcome.gap } : { status: 'not-found' };
}

/** A found resource, with its gaps when there are any. */
export function found(raw: JsonObject, gaps: readonly Gap[]): Described {
  return { status: 'found', raw, ...(gaps.length > 0 ? { gaps } : {}) };
}

/** The gaps among part outcomes. */
export function gapsOf(outcomes: readonly PartOutcome<unknown>[]): Gap[] {
  return outcomes.flatMap((outcome) => (outcome.state === 'gap' ? [outcome.gap] : []));
}

/** Whether a part says the resource itself no longer exists (it was deleted while it was read). */
export function anyNotFound(outcomes: readonly PartOutcome<unknown>[]): boolean {
  return outcomes.some((outcome) => outcome.state === 'not-found');
}

/** One read call of a principal's policies, with the IAM action it needs. */
export interface IamCall<T, A extends unknown[] = []> {
  /** IAM action, e.g. `iam:ListRolePolicies`. */
  readonly operation: string;
  readonly call: (...args: A) => Promise<T>;
}

/** How one kind of principal (role, user, group) reads its inline and attached policies. */
export interface PolicyReads {
  /** The names of its inline policies, every page (`ListRolePolicies`…). */
  readonly listInline: IamCall<string[]>;
  /** One inline policy's document, URL-encoded as IAM returns it (`GetRolePolicy`…). */
  readonly getInline: IamCall<string | undefined, [policyName: string]>;
  /** Its attached managed policies, every page (`ListAttachedRolePolicies`…). */
  readonly listAttached: IamCall<AttachedPolicy[]>;
}

/** A principal's policies as raw document values, with the gaps left by calls that failed. */
export interface PrincipalPolicies {
  /** `[{ PolicyName, PolicyDocument }]`; a document not read is an `$unknown` marker, the whole list one if unlisted. */
  readonly InlinePolicies: Json;
  /** `[{ PolicyName, PolicyArn }]`, or an `$unknown` marker. */
  readonly AttachedPolicies: Json;
  readonly gaps: Gap[];
  /** The principal was deleted while its policies were read. */
  readonly notFound: boolean;
}

/**
 * Reads a principal's inline policies (each document by its own call; one deleted meanwhile is left out) and its
 * attached managed policies. A call that fails leaves a gap for its piece alone.
 */
export async function readPrincipalPolicies(
  spec: IamReadSpec,
  reads: PolicyReads,
): Promise<PrincipalPolicies> {
  const [names, attached] = await Promise.all([
    readPart({ ...spec, operation: reads.listInline.operation }, reads.listInline.call),
    readPart({ ...spec, operation: reads.listAttached.operation }, reads.listAttached.call),
  ]);
  const policyNames = names.state === 'ok' ? names.value : [];
  const documents = await Promise.all(
    policyNames.map((name) =>
      readPart({ ...spec, operation: reads.getInline.operation, absentCodes: NO_SUCH_ENTITY }, () =>
        reads.getInline.call(name),
      ),
    ),
  );
  const inline: Json[] = [];
  policyNames.forEach((name, index) => {
    const document = documents[index] as PartOutcome<string | undefined>;
    if (document.state === 'absent' || document.state === 'not-found') return;
    inline.push({ PolicyName: name, PolicyDocument: partValue(document, (text) => text ?? null) });
  });
  return {
    InlinePolicies: partValue(names, () => inline),
    AttachedPolicies: partValue(attached, (list) =>
      list.map((policy) => pick(policy, ['PolicyName', 'PolicyArn'])),
    ),
    gaps: gapsOf([names, attached, ...documents]),
    notFound: anyNotFound([names, attached]),
  };
}

/**
 * `InlinePolicies` and `AttachedPolicies` as stored: inline documents decoded and parsed, keyed by policy name;
 * attached policies keyed by ARN. Other values (an `$unknown` marker) unchanged.
 */
export function normalisedPolicies(raw: JsonObject): JsonObject {
  const result: JsonObject = {};
  if (Array.isArray(raw.InlinePolicies)) {
    const inline: JsonObject = {};
    for (const policy of raw.InlinePolicies) {
      if (isJsonObject(policy) && typeof policy.PolicyName === 'string') {
        inline[policy.PolicyName] = policyDocument(policy.PolicyDocument) ?? null;
      }
    }
    result.InlinePolicies = inline;
  } else if (raw.InlinePolicies !== undefined) {
    result.InlinePolicies = raw.InlinePolicies;
  }
  const attached = keyedBy(raw.AttachedPolicies, 'PolicyArn');
  if (attached !== undefined) result.AttachedPolicies = attached;
  return result;
}

/** A sorted copy of an array of strings; other values unchanged (where IAM's order means nothing). */
export function sortedStrings(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  return [...value].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/** Output of an IAM list call: `IsTruncated` and `Marker` say whether and where it continues. */
interface MarkerPage {
  readonly IsTruncated?: boolean | undefined;
  readonly Marker?: string | undefined;
}

/**
 * Pages of an IAM list the SDK has no paginator for (`ListServiceSpecificCredentials`), following `Marker` while
 * `IsTruncated`. Like an SDK paginator, it is consumed through `limitedPages` or `collectPages`.
 */
export async function* markerPages<T extends MarkerPage>(
  call: (marker: string | undefined) => Promise<T>,
): AsyncGenerator<T> {
  let marker: string | undefined;
  do {
    const page: T = await call(marker);
    yield page;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
}

/** A record field path, e.g. `['requestParameters', 'roleName']`. */
export type RecordPath = readonly string[];

/**
 * The distinct non-empty strings at some field paths of a CloudTrail record, in path order. Pure; `[]` on a record
 * without them.
 */
export function stringsAt(record: CloudTrailRecord, paths: readonly RecordPath[]): string[] {
  const values = paths.map((path) => stringField(record, ...path));
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

/**
 * The ARNs at some field paths of a record that name an IAM resource of this account kind (`policy`,
 * `oidc-provider`, `saml-provider`) in a customer account: `arn:aws:iam::aws:policy/…` (AWS managed) is never one.
 */
export function iamArnsAt(record: CloudTrailRecord, kind: string, paths: readonly RecordPath[]): string[] {
  const pattern = new RegExp(`^arn:[a-z-]+:iam::\\d{12}:${kind}/.+`);
  return stringsAt(record, paths).filter((arn) => pattern.test(arn));
}

/** The user who made a call with their own IAM user credentials (`userIdentity.userName`), else none. */
export function callerUserName(record: CloudTrailRecord): string | undefined {
  if (stringField(record.userIdentity, 'type') !== 'IAMUser') return undefined;
  return stringField(record.userIdentity, 'userName');
}
