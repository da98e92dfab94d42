/** `@tidemark/core/resources`: the resource registry. Its definitions load the SDK commands they call. */
export { definitionFor, registry } from './registry.js';
export { type AwsService, defineService, type RateLimit } from './service.js';
export {
  acmService,
  cloudFrontService,
  iamService,
  lambdaService,
  route53Service,
  s3Service,
} from './services.js';
export type { ResourceDefinition } from './types.js';
