import type { ResourceDefinition } from '../resources/types.js';

/**
 * The read-only IAM actions the definitions declare (`permissions`), each once, sorted: what a role capturing
 * them must be allowed, and nothing more.
 *
 * @example
 * readActions(definitionsOfServices(['lambda'])); // ['lambda:GetFunction', …, 'lambda:ListTags']
 */
export function readActions(definitions: readonly ResourceDefinition[]): string[] {
  return [...new Set(definitions.flatMap((definition) => definition.permissions))].sort();
}

/** An IAM action pattern (`s3:Get*`, `lambda:GetFunction`) as a regular expression, case-insensitive like IAM. */
function actionPattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * The actions that none of the allowed action patterns grant (IAM matching: case-insensitive, `*` and `?`
 * wildcards), sorted. Empty when every action is allowed.
 *
 * @example
 * uncoveredActions(['s3:GetObject', 'lambda:GetPolicy'], ['s3:Get*']); // ['lambda:GetPolicy']
 */
export function uncoveredActions(actions: Iterable<string>, allowed: readonly string[]): string[] {
  const patterns = allowed.map(actionPattern);
  return [...new Set(actions)].filter((action) => !patterns.some((pattern) => pattern.test(action))).sort();
}
