import { ACMClient } from '@aws-sdk/client-acm';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LightsailClient } from '@aws-sdk/client-lightsail';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
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

/**
 * DynamoDB (regional): control-plane calls (DescribeTable and the like) are cheap and quota'd per account well above
 * this; item reads are bounded by the table's capacity, not by a request rate, so scans are limited by segments.
 */
export const dynamoDbService = defineService({
  name: 'dynamodb',
  client: DynamoDBClient,
  rateLimit: { requestsPerSecond: 100, concurrency: 16 },
});

/** Application Auto Scaling (regional): DynamoDB's scalable targets and scaling policies. */
export const applicationAutoScalingService = defineService({
  name: 'application-autoscaling',
  client: ApplicationAutoScalingClient,
  rateLimit: { requestsPerSecond: 10, concurrency: 4 },
});

/** API Gateway REST APIs (regional): the management API allows 10 requests per second per account, shared with v2. */
export const apiGatewayService = defineService({
  name: 'apigateway',
  client: APIGatewayClient,
  rateLimit: { requestsPerSecond: 5, concurrency: 2 },
});

/** API Gateway HTTP and WebSocket APIs (regional): the other half of the account's 10 management requests a second. */
export const apiGatewayV2Service = defineService({
  name: 'apigatewayv2',
  client: ApiGatewayV2Client,
  rateLimit: { requestsPerSecond: 5, concurrency: 2 },
});

/**
 * SES v1 API (regional): its reference limits the calls Tidemark makes (identity attributes, receipt rule sets,
 * listings) to one request per second each; one a second for all of them stays within every one.
 */
export const sesService = defineService({
  name: 'ses',
  client: SESClient,
  rateLimit: { requestsPerSecond: 1, concurrency: 1 },
});

/**
 * SES v2 API (regional): its reference limits template and account calls to one per second and publishes no rate
 * for identity and configuration-set reads, which make most of a capture; 4 a second keeps well under any such
 * limit, and the adaptive retries absorb a throttled template read.
 */
export const sesV2Service = defineService({
  name: 'sesv2',
  client: SESv2Client,
  rateLimit: { requestsPerSecond: 4, concurrency: 2 },
});

/** Lightsail (regional): no published rate, kept low. */
export const lightsailService = defineService({
  name: 'lightsail',
  client: LightsailClient,
  rateLimit: { requestsPerSecond: 5, concurrency: 2 },
});

/** EventBridge (regional): ListRules, DescribeRule and ListTargetsByRule allow 50 transactions per second each. */
export const eventBridgeService = defineService({
  name: 'events',
  client: EventBridgeClient,
  rateLimit: { requestsPerSecond: 20, concurrency: 8 },
});
