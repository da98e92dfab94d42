import type { CloudFormationSpec } from '../export/types.js';
import { splitObjectId } from './s3-shared.js';

/**
 * `AWS::S3::Object` as CloudFormation: there is no object resource, so an object is never described; its captured
 * bytes are written beside the template as an asset, which the manifest maps to its bucket and key.
 */
export const s3ObjectCloudFormation: CloudFormationSpec = {
  map({ resource, blobs }) {
    const content = blobs.content;
    if (content === undefined)
      return {
        resources: {},
        notDescribed: 'CloudFormation has no object resource, and its bytes were not captured',
      };
    const { bucket, key } = splitObjectId(resource.id);
    return {
      resources: {},
      assets: [{ hash: content, extension: 'bin', use: 'object', bucket, key }],
      notDescribed:
        'CloudFormation has no object resource: its bytes are written as an asset (assets/manifest.json maps keys to files)',
    };
  },
};
