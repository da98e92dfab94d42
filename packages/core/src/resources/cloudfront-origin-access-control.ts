import { GetOriginAccessControlCommand, paginateListOriginAccessControls } from '@aws-sdk/client-cloudfront';
import { etagResource } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::OriginAccessControl`: how CloudFront signs its requests to an origin (name, origin type,
 * signing protocol and behaviour). Identifier: the origin access control id.
 */
export const cloudFrontOriginAccessControl = etagResource({
  type: 'AWS::CloudFront::OriginAccessControl',
  listOperation: 'cloudfront:ListOriginAccessControls',
  getOperation: 'cloudfront:GetOriginAccessControl',
  pages: (client) => paginateListOriginAccessControls({ client }, {}),
  items: (page) => page.OriginAccessControlList?.Items,
  get: async (client, Id) => {
    const output = await client.send(new GetOriginAccessControlCommand({ Id }));
    return { entity: output.OriginAccessControl, ETag: output.ETag };
  },
  lastModified: false,
  events: ['CreateOriginAccessControl', 'UpdateOriginAccessControl', 'DeleteOriginAccessControl'],
  ids: { request: ['id'], response: ['originAccessControl', 'id'] },
});
