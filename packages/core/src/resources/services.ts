import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { defineService } from './service.js';

/**
 * The services resource definitions call. A new service is one entry here; its types name it in their
 * definition. Rate limits follow each service's published quotas; where AWS publishes none (CloudFront, IAM) they
 * are conservative choices, and the SDK's adaptive retries absorb any throttling left.
 */

/** S3: 3,500 writes and 5,500 reads per second per prefix; bucket-level calls share no documented quota. */
export const s3Service = defineService({
  name: 's3',
  client: S3Client,
  rateLimit: { requestsPerSecond: 3500, concurrency: 16 },
});

/** Lambda: 15 control-plane requests per second per region (GetFunction alone allows 100). */
export const lambdaService = defineService({
  name: 'lambda',
  client: LambdaClient,
  rateLimit: { requestsPerSecond: 15, concurrency: 8 },
});

/** CloudFront (global; its API lives in us-east-1): no published rate, kept low. */
export const cloudFrontService = defineService({
  name: 'cloudfront',
  client: CloudFrontClient,
  rateLimit: { requestsPerSecond: 10, concurrency: 4 },
  globalEndpoint: { aws: 'us-east-1', 'aws-cn': 'cn-northwest-1' },
});

/** Route 53 (global): 5 requests per second per account, documented. */
export const route53Service = defineService({
  name: 'route53',
  client: Route53Client,
  rateLimit: { requestsPerSecond: 5, concurrency: 2 },
  globalEndpoint: { aws: 'us-east-1', 'aws-cn': 'cn-northwest-1', 'aws-us-gov': 'us-gov-west-1' },
});

/** ACM (regional): ListCertificates 8, DescribeCertificate and ListTagsForCertificate 10 requests per second. */
export const acmService = defineService({
  name: 'acm',
  client: ACMClient,
  rateLimit: { requestsPerSecond: 8, concurrency: 4 },
});

/** IAM (global): per-API token buckets with no published rate; 20 requests per second stays well under them. */
export const iamService = defineService({
  name: 'iam',
  client: IAMClient,
  rateLimit: { requestsPerSecond: 20, concurrency: 8 },
  globalEndpoint: { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' },
});
