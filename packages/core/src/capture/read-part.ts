import { classifyAwsError, errorCode, errorMessage, gapKindOf } from '../aws/classify.js';
import { UNKNOWN_MARKER } from '../constants.js';
import type { Json } from '../types/json.js';
import type { Gap } from '../types/resource.js';

/** The outcome of one AWS call that reads part of a resource. */
export type PartOutcome<T> =
  | { readonly state: 'ok'; readonly value: T }
  /** The part is not configured (`NoSuchBucketPolicy`…): a fact, recorded as `null`. */
  | { readonly state: 'absent' }
  /** The resource itself does not exist. */
  | { readonly state: 'not-found' }
  /** The part could not be read: recorded as a gap and as an `$unknown` marker in the document. */
  | { readonly state: 'gap'; readonly gap: Gap };

/** Where a call belongs, for the gap it may produce. */
export interface PartSpec {
  readonly type: string;
  readonly region: string;
  readonly id?: string;
  /** IAM action name of the call, e.g. `s3:GetBucketPolicy`. */
  readonly operation: string;
  /** Error codes meaning "this part is not configured". */
  readonly absentCodes?: readonly string[];
}

/**
 * Runs one read call and turns its failure into a value: absent, not-found or a gap.
 * Only the errors it can name become values; a bug in the caller's code still throws.
 */
export async function readPart<T>(spec: PartSpec, call: () => Promise<T>): Promise<PartOutcome<T>> {
  try {
    return { state: 'ok', value: await call() };
  } catch (error) {
    const code = errorCode(error);
    if (spec.absentCodes?.includes(code)) return { state: 'absent' };
    const kind = classifyAwsError(error);
    if (kind === 'not-found') return { state: 'not-found' };
    if (kind === 'other' && !isAwsServiceError(error)) throw error;
    return {
      state: 'gap',
      gap: {
        kind: gapKindOf(error),
        type: spec.type,
        region: spec.region,
        ...(spec.id === undefined ? {} : { id: spec.id }),
        operation: spec.operation,
        code,
        message: errorMessage(error),
      },
    };
  }
}

/** Whether an error came from an AWS service response (it carries `$metadata` or `$fault`). */
function isAwsServiceError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && ('$metadata' in error || '$fault' in error);
}

/** The document value for a part: its mapped value, `null` when absent, an `$unknown` marker when not read. */
export function partValue<T>(outcome: PartOutcome<T>, map: (value: T) => Json): Json {
  switch (outcome.state) {
    case 'ok':
      return map(outcome.value);
    case 'absent':
    case 'not-found':
      return null;
    case 'gap':
      return { [UNKNOWN_MARKER]: outcome.gap.code };
  }
}

/** Removes the SDK's `$metadata` from a response, leaving only the API's own fields. */
export function withoutMetadata<T extends object>(response: T): Omit<T, '$metadata'> {
  const { $metadata: _ignored, ...rest } = response as T & { $metadata?: unknown };
  return rest;
}
