import { InputError } from '../errors.js';
import type { ResourceDefinition } from '../resources/types.js';
import type { ResourceRef } from '../types/resource.js';
import type { CopyKind } from './types.js';

/**
 * Where a restore writes instead of the original: `--to-bucket` for objects, `--to-name` for one resource,
 * `--to-account-profile` for another account (with any of the others).
 */
export interface RestoreCopy {
  /** The account restored into: the plan's engine reaches it (its profile's credentials). */
  readonly account?: string;
  /** Objects are restored into this bucket, under their own keys. */
  readonly bucket?: string;
  /** The one resource restored is restored under this name (a function copy). */
  readonly name?: string;
}

/**
 * The resource a restore writes: `resource` itself, or its copy. An InputError when the type cannot be restored to
 * that kind of copy (only what its `restore.copies` declares).
 */
export function copyTarget(
  resource: ResourceRef,
  copy: RestoreCopy | undefined,
  definition: ResourceDefinition,
): ResourceRef {
  let target = resource;
  if (copy?.account !== undefined) {
    requireCopy(definition, 'account', '--to-account-profile');
    target = { ...target, account: copy.account };
  }
  if (copy?.bucket !== undefined) {
    requireCopy(definition, 'bucket', '--to-bucket');
    const key = resource.id.slice(resource.id.indexOf('/') + 1);
    return { ...target, id: `${copy.bucket}/${key}` };
  }
  if (copy?.name !== undefined) {
    requireCopy(definition, 'name', '--to-name');
    return { ...target, id: copy.name };
  }
  return target;
}

function requireCopy(definition: ResourceDefinition, kind: CopyKind, option: string): void {
  if (definition.restore?.copies?.includes(kind)) return;
  throw new InputError(`${option} cannot restore ${definition.type}: select only types it applies to`);
}
