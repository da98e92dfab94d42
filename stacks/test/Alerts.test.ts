import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Alerts } from '../Alerts.js';
import { Store } from '../Store.js';
import { synthesize } from './support/synth.js';

/** The logical id of the only resource of a type. */
function onlyResource(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('Alerts stack', () => {
  let prod: Template;
  let dev: Template;

  beforeAll(async () => {
    prod = (
      await synthesize([Store, Alerts], { stage: 'prod', settings: { alerts: { email: 'ops@example.com' } } })
    ).template(Alerts);
    dev = (await synthesize([Store, Alerts])).template(Alerts);
  });

  it("encrypts the topic with the store's customer managed key", () => {
    const topic = onlyResource(prod, 'AWS::SNS::Topic');

    expect(prod.findResources('AWS::SNS::Topic')[topic]?.Properties.KmsMasterKeyId).toEqual({
      'Fn::ImportValue': expect.stringMatching(/^prod-tidemark-Store:ExportsOutputFnGetAttKey\w*Arn/),
    });
  });

  it('refuses publishing that is not over TLS', () => {
    const topic = onlyResource(dev, 'AWS::SNS::Topic');
    const policies = Object.values(dev.findResources('AWS::SNS::TopicPolicy')).map(
      (policy) => policy.Properties,
    );

    expect(policies).toEqual([
      {
        Topics: [{ Ref: topic }],
        PolicyDocument: expect.objectContaining({
          Statement: [
            expect.objectContaining({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Principal: '*',
              Resource: { Ref: topic },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        }),
      },
    ]);
  });

  it('subscribes the configured address by email, and nobody without one', () => {
    const topic = onlyResource(prod, 'AWS::SNS::Topic');

    expect(Object.values(prod.findResources('AWS::SNS::Subscription')).map((s) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } },
    ]);
    dev.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('keeps the topic when production is removed, not when another stage is', () => {
    prod.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    dev.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Delete' });
  });

  it('outputs the topic ARN', () => {
    const topic = onlyResource(dev, 'AWS::SNS::Topic');

    dev.hasOutput('AlertsTopic', { Value: { Ref: topic } });
  });

  it('deploys only to the home region', async () => {
    await expect(
      synthesize([Alerts], { region: 'eu-west-1', settings: { homeRegion: 'us-east-1' } }),
    ).rejects.toThrow('deploy with --region us-east-1');
  });
});
