import {
  GetResponseHeadersPolicyCommand,
  ListResponseHeadersPoliciesCommand,
} from '@aws-sdk/client-cloudfront';
import { etagResource, markerPages } from './cloudfront-shared.js';

/**
 * `AWS::CloudFront::ResponseHeadersPolicy`: a custom response headers policy (security headers such as HSTS,
 * CORS, custom and removed headers, Server-Timing). AWS managed policies are not listed. Identifier: the policy id.
 */
export const cloudFrontResponseHeadersPolicy = etagResource({
  type: 'AWS::CloudFront::ResponseHeadersPolicy',
  listOperation: 'cloudfront:ListResponseHeadersPolicies',
  getOperation: 'cloudfront:GetResponseHeadersPolicy',
  pages: (client) =>
    markerPages(
      (Marker) => client.send(new ListResponseHeadersPoliciesCommand({ Type: 'custom', Marker })),
      (page) => page.ResponseHeadersPolicyList?.NextMarker,
    ),
  items: (page) =>
    page.ResponseHeadersPolicyList?.Items?.map((summary) => summary.ResponseHeadersPolicy ?? {}),
  get: async (client, Id) => {
    const output = await client.send(new GetResponseHeadersPolicyCommand({ Id }));
    return { entity: output.ResponseHeadersPolicy, ETag: output.ETag };
  },
  lastModified: true,
  events: ['CreateResponseHeadersPolicy', 'UpdateResponseHeadersPolicy', 'DeleteResponseHeadersPolicy'],
  ids: { request: ['id'], response: ['responseHeadersPolicy', 'id'] },
});
