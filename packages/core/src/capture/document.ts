import { canonicalisePolicies } from '../canonical/canonicalise.js';
import { mapPath, removePaths } from '../canonical/paths.js';
import type { ResourceDefinition } from '../resources/types.js';
import { isSealed, type SecretSealer, sealedAsJson } from '../secrets/sealer.js';
import type { JsonObject } from '../types/json.js';

/**
 * Turns a raw document into the document Tidemark stores and compares: the definition's `normalise`,
 * secrets sealed, volatile fields removed, policy documents in canonical order.
 */
export function prepareDocument(
  definition: Pick<ResourceDefinition, 'normalise' | 'secrets' | 'volatile'>,
  raw: JsonObject,
  sealer: SecretSealer,
): JsonObject {
  const normalised = definition.normalise(raw);
  const sealed = definition.secrets.reduce(
    (doc, path) =>
      mapPath(doc, path, (value) =>
        value === null || isSealed(value) ? value : sealedAsJson(sealer.seal(value)),
      ),
    normalised,
  );
  return canonicalisePolicies(removePaths(sealed, definition.volatile)) as JsonObject;
}
