import { InputError, registry } from '@tidemark/core/deploy';
import { describe, expect, it } from 'vitest';
import { forwardingRegionsOf, resolveConfig, storeUrl } from '../config.js';

describe('resolveConfig', () => {
  it('has defaults that work: home us-east-1, every service, every bucket, weekly baseline', () => {
    const config = resolveConfig();

    expect(config).toEqual({
      homeRegion: 'us-east-1',
      regions: ['us-east-1'],
      services: [
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
      ],
      definitions: registry,
      objectBuckets: ['*'],
      retentionDays: 90,
      blobTransitionDays: 30,
      schedule: 'rate(7 days)',
      consumerTimeoutSeconds: 120,
      maxReceiveCount: 5,
      alerts: {},
    });
    expect(forwardingRegionsOf(config)).toEqual([]);
  });

  it('selects the definitions of the chosen services and captures the chosen regions', () => {
    const config = resolveConfig({
      homeRegion: 'eu-west-1',
      regions: ['eu-west-1', 'us-east-1'],
      services: ['lambda'],
    });

    expect(config.definitions.map((definition) => definition.type)).toEqual(['AWS::Lambda::Function']);
    expect(forwardingRegionsOf(config)).toEqual(['us-east-1']);
  });

  it('tracks every bucket when * is among the buckets, and each named bucket once', () => {
    expect(resolveConfig({ objectBuckets: ['media', '*'] }).objectBuckets).toEqual(['*']);
    expect(resolveConfig({ objectBuckets: ['media', 'site.com', 'media'] }).objectBuckets).toEqual([
      'media',
      'site.com',
    ]);
  });

  it.each([
    [{ homeRegion: 'Europe' }, 'homeRegion'],
    [{ regions: ['eu-west-1'] }, 'regions must include the home region'],
    [{ objectBuckets: ['My_Bucket'] }, 'expected a bucket name'],
    [{ retentionDays: 0 }, 'retentionDays'],
    [{ blobTransitionDays: 7 }, 'blobTransitionDays'],
    [{ schedule: 'every sunday' }, 'expected an EventBridge schedule'],
    [{ consumerTimeoutSeconds: 901 }, 'consumerTimeoutSeconds'],
    [{ maxReceiveCount: 0 }, 'maxReceiveCount'],
    [{ retention: 30 }, 'retention'],
    [
      { alerts: { email: 'ops at example.com' } },
      'expected an email address such as ops@example.com\n  → at alerts.email',
    ],
    [{ alerts: { sesFrom: 'alerts@' } }, 'expected an SES identity'],
    [{ alerts: { sesFrom: 'localhost' } }, 'at alerts.sesFrom'],
    [{ alerts: { emails: ['ops@example.com'] } }, 'emails'],
  ])('rejects %j, saying what is wrong', (settings, message) => {
    expect(() => resolveConfig(settings as never)).toThrow(InputError);
    expect(() => resolveConfig(settings as never)).toThrow(message);
  });

  it('takes an alert address to subscribe and an SES identity, an address or a domain, to send from', () => {
    expect(
      resolveConfig({ alerts: { email: 'ops@example.com', sesFrom: 'alerts@example.com' } }).alerts,
    ).toEqual({
      email: 'ops@example.com',
      sesFrom: 'alerts@example.com',
    });
    expect(resolveConfig({ alerts: { sesFrom: 'mail.example.com' } }).alerts).toEqual({
      sesFrom: 'mail.example.com',
    });
  });

  it('rejects a service the registry does not know, naming the known ones', () => {
    expect(() => resolveConfig({ services: ['ec2'] })).toThrow(
      'unknown service ec2, expected one of s3, lambda',
    );
  });
});

describe('storeUrl', () => {
  it('points the functions at the store prefix of the bucket', () => {
    expect(storeUrl('tidemark-prod-store')).toBe('s3://tidemark-prod-store/store');
  });
});
