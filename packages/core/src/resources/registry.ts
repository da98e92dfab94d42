import { acmCertificate } from './acm-certificate.js';
import { cloudFrontCachePolicy } from './cloudfront-cache-policy.js';
import { cloudFrontDistribution } from './cloudfront-distribution.js';
import { cloudFrontFunction } from './cloudfront-function.js';
import { cloudFrontKeyGroup } from './cloudfront-key-group.js';
import { cloudFrontOriginAccessControl } from './cloudfront-origin-access-control.js';
import { cloudFrontOriginAccessIdentity } from './cloudfront-origin-access-identity.js';
import { cloudFrontOriginRequestPolicy } from './cloudfront-origin-request-policy.js';
import { cloudFrontPublicKey } from './cloudfront-public-key.js';
import { cloudFrontResponseHeadersPolicy } from './cloudfront-response-headers-policy.js';
import { iamGroup } from './iam-group.js';
import { iamManagedPolicy } from './iam-managed-policy.js';
import { iamOidcProvider } from './iam-oidc-provider.js';
import { iamPasswordPolicy } from './iam-password-policy.js';
import { iamRole } from './iam-role.js';
import { iamSamlProvider } from './iam-saml-provider.js';
import { iamUser } from './iam-user.js';
import { lambdaFunction } from './lambda-function.js';
import { route53HealthCheck } from './route53-health-check.js';
import { route53HostedZone } from './route53-hosted-zone.js';
import { s3Bucket } from './s3-bucket.js';
import { s3Object } from './s3-object.js';
import type { ResourceDefinition } from './types.js';

/**
 * Every resource type Tidemark captures. The only list: baselines, event mapping, permissions and the
 * contract test all walk it.
 */
export const registry: readonly ResourceDefinition[] = [
  s3Bucket,
  s3Object,
  lambdaFunction,
  cloudFrontDistribution,
  cloudFrontCachePolicy,
  cloudFrontOriginRequestPolicy,
  cloudFrontResponseHeadersPolicy,
  cloudFrontFunction,
  cloudFrontOriginAccessControl,
  cloudFrontKeyGroup,
  cloudFrontPublicKey,
  cloudFrontOriginAccessIdentity,
  route53HostedZone,
  route53HealthCheck,
  iamRole,
  iamUser,
  iamGroup,
  iamManagedPolicy,
  iamOidcProvider,
  iamSamlProvider,
  iamPasswordPolicy,
  acmCertificate,
];

/**
 * The definition of a CloudFormation type, or `undefined` when Tidemark does not capture it.
 *
 * @example
 * definitionFor('AWS::S3::Bucket')?.permissions;
 */
export function definitionFor(
  type: string,
  definitions: readonly ResourceDefinition[] = registry,
): ResourceDefinition | undefined {
  return definitions.find((definition) => definition.type === type);
}

/** The definitions whose changes CloudTrail records under an `eventSource` (`s3.amazonaws.com`). */
export function definitionsForEventSource(
  source: string,
  definitions: readonly ResourceDefinition[] = registry,
): readonly ResourceDefinition[] {
  return definitions.filter((definition) => definition.eventSource === source);
}
