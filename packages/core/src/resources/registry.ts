import { lambdaFunction } from './lambda-function.js';
import { s3Bucket } from './s3-bucket.js';
import { s3Object } from './s3-object.js';
import type { ResourceDefinition } from './types.js';

/**
 * Every resource type Tidemark captures. The only list: baselines, event mapping, permissions and the
 * contract test all walk it.
 */
export const registry: readonly ResourceDefinition[] = [s3Bucket, s3Object, lambdaFunction];

/**
 * The definition of a CloudFormation type, or `undefined` when Tidemark does not capture it.
 *
 * @example
 * definitionFor('AWS::S3::Bucket')?.permissions;
 */
export function definitionFor(
  type: string,
  definitions: readonly ResourceDefinition[] = registry,
): ResourceDefinition | undefined {
  return definitions.find((definition) => definition.type === type);
}

/** The definitions whose changes CloudTrail records under an `eventSource` (`s3.amazonaws.com`). */
export function definitionsForEventSource(
  source: string,
  definitions: readonly ResourceDefinition[] = registry,
): readonly ResourceDefinition[] {
  return definitions.filter((definition) => definition.eventSource === source);
}
