import { acmCertificate } from './acm-certificate.js';
import { apiGatewayApiKey } from './apigateway-api-key.js';
import { apiGatewayRestApi } from './apigateway-rest-api.js';
import { apiGatewayUsagePlan } from './apigateway-usage-plan.js';
import { apiGatewayV2Api } from './apigatewayv2-api.js';
import { apiGatewayV2DomainName } from './apigatewayv2-domain-name.js';
import { cloudFrontCachePolicy } from './cloudfront-cache-policy.js';
import { cloudFrontDistribution } from './cloudfront-distribution.js';
import { cloudFrontFunction } from './cloudfront-function.js';
import { cloudFrontKeyGroup } from './cloudfront-key-group.js';
import { cloudFrontOriginAccessControl } from './cloudfront-origin-access-control.js';
import { cloudFrontOriginAccessIdentity } from './cloudfront-origin-access-identity.js';
import { cloudFrontOriginRequestPolicy } from './cloudfront-origin-request-policy.js';
import { cloudFrontPublicKey } from './cloudfront-public-key.js';
import { cloudFrontResponseHeadersPolicy } from './cloudfront-response-headers-policy.js';
import { dynamoDbTable } from './dynamodb-table.js';
import { eventsEventBus } from './events-event-bus.js';
import { eventsRule } from './events-rule.js';
import { iamGroup } from './iam-group.js';
import { iamManagedPolicy } from './iam-managed-policy.js';
import { iamOidcProvider } from './iam-oidc-provider.js';
import { iamPasswordPolicy } from './iam-password-policy.js';
import { iamRole } from './iam-role.js';
import { iamSamlProvider } from './iam-saml-provider.js';
import { iamUser } from './iam-user.js';
import { lambdaFunction } from './lambda-function.js';
import { lightsailDomain } from './lightsail-domain.js';
import { lightsailInstance } from './lightsail-instance.js';
import { lightsailStaticIp } from './lightsail-static-ip.js';
import { route53HealthCheck } from './route53-health-check.js';
import { route53HostedZone } from './route53-hosted-zone.js';
import { s3Bucket } from './s3-bucket.js';
import { s3Object } from './s3-object.js';
import { sesConfigurationSet } from './ses-configuration-set.js';
import { sesEmailIdentity } from './ses-email-identity.js';
import { sesReceiptRuleSet } from './ses-receipt-rule-set.js';
import { sesTemplate } from './ses-template.js';
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
  apiGatewayRestApi,
  apiGatewayUsagePlan,
  apiGatewayApiKey,
  apiGatewayV2Api,
  apiGatewayV2DomainName,
  dynamoDbTable,
  eventsRule,
  eventsEventBus,
  lightsailInstance,
  lightsailStaticIp,
  lightsailDomain,
  sesEmailIdentity,
  sesConfigurationSet,
  sesTemplate,
  sesReceiptRuleSet,
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
