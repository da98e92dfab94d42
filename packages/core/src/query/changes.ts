import diff from 'microdiff';
import { SEALED_MARKER } from '../constants.js';
import { isSealed } from '../secrets/sealer.js';
import type { Json, JsonObject } from '../types/json.js';

/** One field-level change between two documents. Sealed values are never shown, only that they changed. */
export interface FieldChange {
  /** Dot-separated path (`Configuration.MemorySize`, `Tags.0.Value`). */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: Json;
  readonly after?: Json;
  /** True for a secret: `before` and `after` are then absent. */
  readonly sealed?: true;
}

/** Field-level changes from `before` to `after`, in path order. Pure. */
export function fieldChanges(before: JsonObject | undefined, after: JsonObject | undefined): FieldChange[] {
  const changes = new Map<string, FieldChange>();
  for (const entry of diff(before ?? {}, after ?? {})) {
    const sealedAt = entry.path.indexOf(SEALED_MARKER);
    const path = (sealedAt >= 0 ? entry.path.slice(0, sealedAt) : entry.path).join('.');
    const change = entry.type === 'CREATE' ? 'added' : entry.type === 'REMOVE' ? 'removed' : 'changed';
    const touchesSecret =
      sealedAt >= 0 ||
      isSealed((entry as { value?: unknown }).value) ||
      isSealed((entry as { oldValue?: unknown }).oldValue);
    if (touchesSecret) {
      changes.set(path, { path, change: sealedAt >= 0 ? 'changed' : change, sealed: true });
      continue;
    }
    changes.set(path, {
      path,
      change,
      ...('oldValue' in entry ? { before: redactSealed(entry.oldValue as Json) } : {}),
      ...('value' in entry ? { after: redactSealed(entry.value as Json) } : {}),
    });
  }
  return [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Text shown in place of a sealed value. */
export const SEALED_PLACEHOLDER = '(sealed)';

/** The value with every sealed secret inside it replaced by a placeholder. */
export function redactSealed(value: Json): Json {
  if (isSealed(value)) return SEALED_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(redactSealed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, redactSealed(child)]));
}
