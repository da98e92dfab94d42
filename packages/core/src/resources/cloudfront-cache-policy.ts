import { GetCachePolicyCommand, ListCachePoliciesCommand } from '@aws-sdk/client-cloudfront';
import { etagResource, markerPages } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::CachePolicy`: a custom cache policy (TTLs; headers, cookies and query strings in the cache
 * key; compression). AWS managed policies are not the account's and are not listed. Identifier: the policy id.
 */
export const cloudFrontCachePolicy = etagResource({
  type: 'AWS::CloudFront::CachePolicy',
  listOperation: 'cloudfront:ListCachePolicies',
  getOperation: 'cloudfront:GetCachePolicy',
  pages: (client) =>
    markerPages(
      (Marker) => client.send(new ListCachePoliciesCommand({ Type: 'custom', Marker })),
      (page) => page.CachePolicyList?.NextMarker,
    ),
  items: (page) => page.CachePolicyList?.Items?.map((summary) => summary.CachePolicy ?? {}),
  get: async (client, Id) => {
    const output = await client.send(new GetCachePolicyCommand({ Id }));
    return { entity: output.CachePolicy, ETag: output.ETag };
  },
  lastModified: true,
  events: ['CreateCachePolicy', 'UpdateCachePolicy', 'DeleteCachePolicy'],
  ids: { request: ['id'], response: ['cachePolicy', 'id'] },
});
