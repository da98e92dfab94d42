/** `@tidemark/core/export`: the captured state of a moment as infrastructure as code (a CloudFormation template). */
export {
  type CloudFormationExport,
  type CloudFormationExportOptions,
  type ExportAsset,
  type ExportedResource,
  exportCloudFormation,
  NO_MAPPING,
  type NotDescribed,
} from './cloudformation.js';
export { CLOUDFORMATION_LIMITS, cloudFormationLimitWarnings } from './limits.js';
export { ASSETS_BUCKET_PARAMETER, logicalId } from './mapping.js';
export type {
  AssetUse,
  CloudFormationInput,
  CloudFormationMapping,
  CloudFormationResource,
  CloudFormationSpec,
  ExportReferences,
} from './types.js';
export {
  ExportFiles,
  requireNewExportFolder,
  type WrittenAsset,
  type WrittenExport,
  writeExport,
} from './write.js';
