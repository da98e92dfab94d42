import {
  GetCloudFrontOriginAccessIdentityCommand,
  paginateListCloudFrontOriginAccessIdentities,
} from '@aws-sdk/client-cloudfront';
import { etagResource } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::CloudFrontOriginAccessIdentity`: a legacy origin access identity (its comment and the S3
 * canonical user id bucket policies grant). Identifier: the identity's id.
 */
export const cloudFrontOriginAccessIdentity = etagResource({
  type: 'AWS::CloudFront::CloudFrontOriginAccessIdentity',
  listOperation: 'cloudfront:ListCloudFrontOriginAccessIdentities',
  getOperation: 'cloudfront:GetCloudFrontOriginAccessIdentity',
  pages: (client) => paginateListCloudFrontOriginAccessIdentities({ client }, {}),
  items: (page) => page.CloudFrontOriginAccessIdentityList?.Items,
  get: async (client, Id) => {
    const output = await client.send(new GetCloudFrontOriginAccessIdentityCommand({ Id }));
    return { entity: output.CloudFrontOriginAccessIdentity, ETag: output.ETag };
  },
  lastModified: false,
  events: [
    'CreateCloudFrontOriginAccessIdentity',
    'UpdateCloudFrontOriginAccessIdentity',
    'DeleteCloudFrontOriginAccessIdentity',
  ],
  ids: { request: ['id'], response: ['cloudFrontOriginAccessIdentity', 'id'] },
});
