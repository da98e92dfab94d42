import { GetPublicKeyCommand, paginateListPublicKeys } from '@aws-sdk/client-cloudfront';
import { etagResource } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::PublicKey`: a public key that verifies signed URLs and cookies (name, comment and the PEM,
 * which is public). Identifier: the public key id.
 */
export const cloudFrontPublicKey = etagResource({
  type: 'AWS::CloudFront::PublicKey',
  listOperation: 'cloudfront:ListPublicKeys',
  getOperation: 'cloudfront:GetPublicKey',
  pages: (client) => paginateListPublicKeys({ client }, {}),
  items: (page) => page.PublicKeyList?.Items,
  get: async (client, Id) => {
    const output = await client.send(new GetPublicKeyCommand({ Id }));
    return { entity: output.PublicKey, ETag: output.ETag };
  },
  lastModified: false,
  events: ['CreatePublicKey', 'UpdatePublicKey', 'DeletePublicKey'],
  ids: { request: ['id'], response: ['publicKey', 'id'] },
});
