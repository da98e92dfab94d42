import { Template } from 'aws-cdk-lib/assertions';
import { App, getStack } from 'sst/constructs';
import { initProject } from 'sst/project.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../Store.js';

describe('Store stack', () => {
  let template: Template;

  beforeAll(async () => {
    await initProject({ stage: 'test' });
    const app = new App({
      mode: 'deploy',
      stage: 'test',
      region: 'us-east-1',
      account: '123456789012',
      name: 'tidemark',
    });
    app.stack(Store);
    await app.finish();
    template = Template.fromStack(getStack(Store));
  });

  it('keeps every version of the store, privately, and survives stack removal', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    });
  });

  it('refuses requests that are not over TLS', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);

    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});
