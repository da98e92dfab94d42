import { GetKeyGroupCommand, ListKeyGroupsCommand } from '@aws-sdk/client-cloudfront';
import { etagResource, markerPages } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::KeyGroup`: a key group (its name, comment and the ids of the public keys that verify signed
 * URLs and cookies). Identifier: the key group id.
 */
export const cloudFrontKeyGroup = etagResource({
  type: 'AWS::CloudFront::KeyGroup',
  listOperation: 'cloudfront:ListKeyGroups',
  getOperation: 'cloudfront:GetKeyGroup',
  pages: (client) =>
    markerPages(
      (Marker) => client.send(new ListKeyGroupsCommand({ Marker })),
      (page) => page.KeyGroupList?.NextMarker,
    ),
  items: (page) => page.KeyGroupList?.Items?.map((summary) => summary.KeyGroup ?? {}),
  get: async (client, Id) => {
    const output = await client.send(new GetKeyGroupCommand({ Id }));
    return { entity: output.KeyGroup, ETag: output.ETag };
  },
  lastModified: true,
  events: ['CreateKeyGroup', 'UpdateKeyGroup', 'DeleteKeyGroup'],
  ids: { request: ['id'], response: ['keyGroup', 'id'] },
});
