import type { Json, JsonObject } from '../types/json.js';
import type { FieldPath } from '../types/resource.js';

type Visitor = (value: Json) => Json | undefined;

/**
 * Applies `visit` to every value matched by a field path (dot-separated keys, `*` for any key or array
 * element), returning a new document. A visitor result of `undefined` removes the field.
 */
export function mapPath(document: JsonObject, path: FieldPath, visit: Visitor): JsonObject {
  return mapSegments(document, path.split('.'), visit) as JsonObject;
}

function mapSegments(value: Json, segments: readonly string[], visit: Visitor): Json | undefined {
  const [head, ...rest] = segments;
  if (head === undefined) return visit(value);
  if (Array.isArray(value)) {
    if (head !== '*') return value;
    return value.flatMap((element) => {
      const mapped = mapSegments(element, rest, visit);
      return mapped === undefined ? [] : [mapped];
    });
  }
  if (value === null || typeof value !== 'object') return value;
  const keys = head === '*' ? Object.keys(value) : Object.hasOwn(value, head) ? [head] : [];
  if (keys.length === 0) return value;
  const copy: JsonObject = { ...value };
  for (const key of keys) {
    const mapped = mapSegments(copy[key] as Json, rest, visit);
    if (mapped === undefined) delete copy[key];
    else copy[key] = mapped;
  }
  return copy;
}

/** Returns the document without the fields matched by any of `paths`. */
export function removePaths(document: JsonObject, paths: readonly FieldPath[]): JsonObject {
  return paths.reduce((doc, path) => mapPath(doc, path, () => undefined), document);
}

/** Whether any field matched by `path` exists in the document. */
export function pathExists(document: JsonObject, path: FieldPath): boolean {
  let found = false;
  mapPath(document, path, (value) => {
    found = true;
    return value;
  });
  return found;
}
