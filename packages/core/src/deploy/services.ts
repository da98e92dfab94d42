import { InputError } from '../errors.js';
import { registry } from '../resources/registry.js';
import type { ResourceDefinition } from '../resources/types.js';

/**
 * The services of the registry (`s3`, `lambda`…), each once, in registry order.
 *
 * @example
 * registryServices(); // ['s3', 'lambda']
 */
export function registryServices(definitions: readonly ResourceDefinition[] = registry): string[] {
  return [...new Set(definitions.map((definition) => definition.service.name))];
}

/**
 * The definitions of the selected services. A service the registry does not know is an {@link InputError}
 * naming the known ones, so a typo in a deployment's settings fails before anything is deployed.
 *
 * @example
 * definitionsOfServices(['lambda']).map((definition) => definition.type); // ['AWS::Lambda::Function']
 */
export function definitionsOfServices(
  services: readonly string[],
  definitions: readonly ResourceDefinition[] = registry,
): ResourceDefinition[] {
  const known = registryServices(definitions);
  const unknown = services.filter((service) => !known.includes(service));
  if (unknown.length > 0)
    throw new InputError(`unknown service ${unknown.join(', ')}, expected one of ${known.join(', ')}`);
  return definitions.filter((definition) => services.includes(definition.service.name));
}
