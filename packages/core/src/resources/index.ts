/** `@tidemark/core/resources`: the resource registry. Its definitions load the SDK commands they call. */
export { definitionFor, registry } from './registry.js';
export type { ResourceDefinition } from './types.js';
