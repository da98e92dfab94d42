import { GetOriginRequestPolicyCommand, ListOriginRequestPoliciesCommand } from '@aws-sdk/client-cloudfront';
import { etagResource, markerPages } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::OriginRequestPolicy`: a custom origin request policy (the headers, cookies and query strings
 * forwarded to the origin). AWS managed policies are not listed. Identifier: the policy id.
 */
export const cloudFrontOriginRequestPolicy = etagResource({
  type: 'AWS::CloudFront::OriginRequestPolicy',
  listOperation: 'cloudfront:ListOriginRequestPolicies',
  getOperation: 'cloudfront:GetOriginRequestPolicy',
  pages: (client) =>
    markerPages(
      (Marker) => client.send(new ListOriginRequestPoliciesCommand({ Type: 'custom', Marker })),
      (page) => page.OriginRequestPolicyList?.NextMarker,
    ),
  items: (page) => page.OriginRequestPolicyList?.Items?.map((summary) => summary.OriginRequestPolicy ?? {}),
  get: async (client, Id) => {
    const output = await client.send(new GetOriginRequestPolicyCommand({ Id }));
    return { entity: output.OriginRequestPolicy, ETag: output.ETag };
  },
  lastModified: true,
  events: ['CreateOriginRequestPolicy', 'UpdateOriginRequestPolicy', 'DeleteOriginRequestPolicy'],
  ids: { request: ['id'], response: ['originRequestPolicy', 'id'] },
});
