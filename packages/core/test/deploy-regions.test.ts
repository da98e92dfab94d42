import { describe, expect, it } from 'vitest';
import {
  definitionsEmittingIn,
  definitionsOfServices,
  forwardingRegions,
  registryServices,
} from '../src/deploy/index.js';
import { InputError } from '../src/errors.js';
import { registry } from '../src/resources/registry.js';

/** The registry without its global types (CloudFront, Route 53, IAM). */
const regionalOnly = registry.filter((definition) => definition.scope === 'regional');

describe('registryServices and definitionsOfServices', () => {
  it('lists each service once and selects the definitions of chosen services', () => {
    expect(registryServices()).toEqual([
      's3',
      'lambda',
      'cloudfront',
      'route53',
      'iam',
      'acm',
      'apigateway',
      'dynamodb',
      'events',
      'lightsail',
      'ses',
    ]);
    expect(definitionsOfServices(['lambda']).map((d) => d.type)).toEqual(['AWS::Lambda::Function']);
    expect(definitionsOfServices(['s3']).map((d) => d.type)).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object']);
  });

  it('rejects an unknown service, naming the known ones', () => {
    expect(() => definitionsOfServices(['lambda', 'ec2'])).toThrow(InputError);
    expect(() => definitionsOfServices(['ec2'])).toThrow(
      'unknown service ec2, expected one of s3, lambda, cloudfront, route53, iam, acm',
    );
  });
});

describe('definitionsEmittingIn', () => {
  it('puts global types in us-east-1 and regional types in captured regions only', () => {
    const types = (region: string) =>
      definitionsEmittingIn(registry, region, ['eu-west-1', 'us-west-2']).map((d) => d.type);

    expect(types('us-east-1')).toEqual(
      registry.filter((definition) => definition.scope === 'global').map((d) => d.type),
    );
    expect(types('us-east-1')).toContain('AWS::IAM::Role');
    expect(types('us-east-1')).not.toContain('AWS::CertificateManager::Certificate');
    expect(types('us-west-2')).toEqual([
      'AWS::S3::Bucket',
      'AWS::S3::Object',
      'AWS::Lambda::Function',
      'AWS::CertificateManager::Certificate',
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::UsagePlan',
      'AWS::ApiGateway::ApiKey',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::DomainName',
      'AWS::DynamoDB::Table',
      'AWS::Events::Rule',
      'AWS::Events::EventBus',
      'AWS::Lightsail::Instance',
      'AWS::Lightsail::StaticIp',
      'AWS::Lightsail::Domain',
      'AWS::SES::EmailIdentity',
      'AWS::SES::ConfigurationSet',
      'AWS::SES::Template',
      'AWS::SES::ReceiptRuleSet',
    ]);
    expect(types('ap-south-1')).toEqual([]);
  });
});

describe('forwardingRegions', () => {
  it('forwards other captured regions, and us-east-1 when a global type is selected away from it', () => {
    expect(forwardingRegions(regionalOnly, { homeRegion: 'eu-west-1', regions: ['eu-west-1'] })).toEqual([]);
    expect(forwardingRegions(registry, { homeRegion: 'eu-west-1', regions: ['eu-west-1'] })).toEqual([
      'us-east-1',
    ]);
    expect(
      forwardingRegions(registry, { homeRegion: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] }),
    ).toEqual(['eu-west-1']);
    expect(
      forwardingRegions(regionalOnly, { homeRegion: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] }),
    ).toEqual(['us-east-1']);
  });
});
