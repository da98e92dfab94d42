import { InputError, registry } from '@tidemark/core/deploy';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../../packages/core/test/support/fixtures.js';
import { Capture } from '../Capture.js';
import type { TidemarkSettings } from '../config.js';
import { Forward } from '../Forward.js';
import { Store } from '../Store.js';
import { matchesPattern } from './support/event-pattern.js';
import { ACCOUNT, synthesize } from './support/synth.js';

/** The registry as it is: its global types (CloudFront, Route 53, IAM) are recorded by CloudTrail in us-east-1. */
const definitions = registry;
const settings: TidemarkSettings = { homeRegion: 'eu-west-1', regions: ['eu-west-1', 'us-west-2'] };
/** The home region's default event bus, as synthesized. */
const HOME_BUS = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:${ACCOUNT}:event-bus/default`]],
};

/**
 * Real CloudFront calls as EventBridge delivers them in us-east-1. The 2014 documentation sample of
 * `CreateInvalidation2014_01_31` (an API-version suffix) is abbreviated: it gets the `eventSource` and `readOnly`
 * every record carries today, and EventBridge's envelope.
 */
function cloudFrontEvents(): unknown[] {
  const envelopes = ['CreateDistribution-1.json', 'UpdateDistribution-1.json', 'TagResource-1.json'].map(
    (file) => JSON.parse(readFixture(`cloudfront/${file}`)),
  );
  const record = JSON.parse(readFixture('cloudfront/CreateInvalidation2014_01_31-1.json'));
  return [
    ...envelopes,
    {
      source: 'aws.cloudfront',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { ...record, eventSource: 'cloudfront.amazonaws.com', readOnly: false },
    },
  ];
}

/** The logical id of the role EventBridge assumes to forward events. */
function forwardRole(template: Template): string {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
      },
    },
  });
  expect(Object.keys(roles)).toHaveLength(1);
  return Object.keys(roles)[0] as string;
}

function patternsOf(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::Events::Rule')).map(
    (rule) => rule.Properties.EventPattern,
  );
}

describe('the global services of the registry', () => {
  let home: Template;
  let usEast1: Template;

  beforeAll(async () => {
    home = (await synthesize([Store, Capture], { settings, definitions })).template(Capture);
    usEast1 = (await synthesize([Forward], { region: 'us-east-1', settings, definitions })).template(Forward);
  });

  it('get rules in us-east-1 that forward their calls to the home region, and nothing else', () => {
    const events = cloudFrontEvents();

    expect([...new Set(patternsOf(usEast1).flatMap((pattern) => pattern.source as string[]))].sort()).toEqual(
      ['aws.cloudfront', 'aws.iam', 'aws.route53'],
    );
    for (const event of events) expect(patternsOf(usEast1).some((p) => matchesPattern(p, event))).toBe(true);
    for (const rule of Object.values(usEast1.findResources('AWS::Events::Rule')))
      expect(rule.Properties.Targets).toEqual([
        { Arn: HOME_BUS, Id: 'Target0', RoleArn: { 'Fn::GetAtt': [forwardRole(usEast1), 'Arn'] } },
      ]);
  });

  it('forwards with a role EventBridge assumes for this account, allowed only to put events on the home bus', () => {
    usEast1.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          },
        ],
      },
    });
    usEast1.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: forwardRole(usEast1) }],
      PolicyDocument: {
        Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: HOME_BUS }],
      },
    });
  });

  it('gets a rule in the home region taking the forwarded calls into the queue', () => {
    const queue = Object.keys(
      home.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: {} } }),
    )[0];
    const rules = Object.values(home.findResources('AWS::Events::Rule'));
    const cloudFront = rules.filter((rule) =>
      cloudFrontEvents().some((e) => matchesPattern(rule.Properties.EventPattern, e)),
    );

    expect(cloudFront.length).toBeGreaterThanOrEqual(1);
    for (const rule of cloudFront)
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } }),
      ]);
  });
});

describe('Forward stack in another captured region', () => {
  it('forwards the regional services and object notifications, not the global ones', async () => {
    const usWest2 = (await synthesize([Forward], { region: 'us-west-2', settings, definitions })).template(
      Forward,
    );
    const sources = patternsOf(usWest2).map((pattern) => `${pattern.source} ${pattern['detail-type']}`);

    expect([...new Set(sources)].sort()).toEqual([
      'aws.acm ACM Certificate Available,ACM Certificate Expired,ACM Certificate Renewal Action Required,ACM Certificate Rotated,ACM Certificate Revoked',
      'aws.acm AWS API Call via CloudTrail',
      'aws.apigateway AWS API Call via CloudTrail',
      'aws.dynamodb AWS API Call via CloudTrail',
      'aws.events AWS API Call via CloudTrail',
      'aws.lambda AWS API Call via CloudTrail',
      'aws.lightsail AWS API Call via CloudTrail',
      'aws.s3 AWS API Call via CloudTrail',
      'aws.s3 Object Created,Object Deleted',
      'aws.ses AWS API Call via CloudTrail',
    ]);
  });

  it('refuses a region with nothing to forward, naming the regions that need it', async () => {
    const synthesizing = synthesize([Forward], { region: 'ap-south-1', settings, definitions });

    await expect(synthesizing).rejects.toThrow(InputError);
    await expect(synthesizing).rejects.toThrow('and to us-west-2, us-east-1');
  });
});
