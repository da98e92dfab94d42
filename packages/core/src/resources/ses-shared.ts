import { stringField } from './support.js';
import type { IdExtractor } from './types.js';

/**
 * CloudTrail's `eventSource` for both SES APIs: the v1 API (`email`) and the v2 API (`sesv2`) are both recorded as
 * `ses.amazonaws.com`, so one type receives the events of both.
 */
export const SES_EVENT_SOURCE = 'ses.amazonaws.com';

/** The resource kinds of SES ARNs: `arn:aws:ses:<region>:<account>:<kind>/<name>`. */
export type SesArnKind = 'identity' | 'configuration-set';

const SES_ARN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:([a-z-]+)\/(.+)$/;

/** The name an SES ARN of `kind` ends with, or `undefined` for anything else. */
export function sesArnName(value: unknown, kind: SesArnKind): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = SES_ARN.exec(value);
  return match?.[1] === kind ? match[2] : undefined;
}

/**
 * An extractor naming the resource from the first of `paths` (dotted, under `requestParameters`) that holds a
 * non-empty string, or else, when `arnKind` is given, from a `resourceArn` of that kind (v2 `TagResource` /
 * `UntagResource`, which may name any kind: an ARN of another kind names nothing).
 *
 * @example
 * const extract = sesExtractor(['configurationSetName', 'configurationSet.name'], 'configuration-set');
 * extract({ requestParameters: { configurationSet: { name: 'transactional' } } }); // ['transactional']
 */
export function sesExtractor(paths: readonly string[], arnKind?: SesArnKind): IdExtractor {
  return (record) => {
    for (const path of paths) {
      const value = stringField(record.requestParameters, ...path.split('.'));
      if (value !== undefined) return [value];
    }
    if (arnKind === undefined) return [];
    const fromArn = sesArnName(stringField(record.requestParameters, 'resourceArn'), arnKind);
    return fromArn === undefined ? [] : [fromArn];
  };
}
