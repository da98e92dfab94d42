import { API_CALL_DETAIL_TYPE, type EventPattern } from '@tidemark/core/deploy';
import { type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';

/** `LambdaCalls` for CloudTrail calls of `aws.lambda`, `S3Objects` for S3's object notifications. */
function ruleName(pattern: EventPattern): string {
  const service = (pattern.source[0] ?? 'aws.unknown').replace(/^aws\./, '');
  const kind = pattern['detail-type'].includes(API_CALL_DETAIL_TYPE) ? 'Calls' : 'Objects';
  return `${service.charAt(0).toUpperCase()}${service.slice(1)}${kind}`;
}

/**
 * One EventBridge rule on the default bus per pattern, each sending to `target`. A rule's id is its service, its
 * kind and its place among that kind's patterns (`LambdaCalls1`), so adding a type leaves other rules in place.
 */
export function addRules(scope: Construct, patterns: readonly EventPattern[], target: IRuleTarget): Rule[] {
  const seen = new Map<string, number>();
  return patterns.map((pattern) => {
    const name = ruleName(pattern);
    const index = (seen.get(name) ?? 0) + 1;
    seen.set(name, index);
    return new Rule(scope, `${name}${index}`, {
      description: `Tidemark: ${pattern['detail-type'].join(', ')} from ${pattern.source.join(', ')}`,
      eventPattern: {
        source: [...pattern.source],
        detailType: [...pattern['detail-type']],
        ...(pattern.detail ? { detail: { ...pattern.detail } } : {}),
      },
      targets: [target],
    });
  });
}
