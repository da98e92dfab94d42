import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadKeyFromSecret } from '@tidemark/core';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, SEALING_KEY_CHARACTERS } from '../config.js';
import { INDEX_SNAPSHOT_DAYS, Store } from '../Store.js';
import { synthesize } from './support/synth.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:SealingKey-a1b2c3';

/** The logical id of the only resource of a type. */
function onlyResource(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('Store stack', () => {
  let prod: Template;
  let dev: Template;

  beforeAll(async () => {
    prod = (
      await synthesize([Store], { stage: 'prod', settings: { retentionDays: 30, blobTransitionDays: 45 } })
    ).template(Store);
    dev = (await synthesize([Store])).template(Store);
  });

  it('keeps every version of the store privately, and production keeps bucket, key and secret on removal', () => {
    const retained = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

    prod.hasResource('AWS::S3::Bucket', {
      ...retained,
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    });
    prod.hasResource('AWS::KMS::Key', retained);
    prod.hasResource('AWS::SecretsManager::Secret', retained);
    dev.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });

  it('locks every object version in governance mode for the configured retention', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      },
    });
    dev.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: Match.objectLike({
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: resolveConfig().retentionDays } },
      }),
    });
  });

  it('encrypts with its own customer managed key, rotated yearly, through an S3 bucket key', () => {
    const key = onlyResource(prod, 'AWS::KMS::Key');

    prod.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    prod.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('refuses requests that are not over TLS', () => {
    const statements = Object.values(prod.findResources('AWS::S3::BucketPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );

    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('moves old blobs to Standard-IA, expires index snapshots, and old versions after the retention period', () => {
    const rules = (days: { transition: number; retention: number }) => [
      {
        Id: 'blobs-to-infrequent-access',
        Prefix: 'store/blobs/',
        Status: 'Enabled',
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: days.transition }],
      },
      {
        Id: 'expire-index-snapshots',
        Prefix: 'store/index/snapshots/',
        Status: 'Enabled',
        ExpirationInDays: INDEX_SNAPSHOT_DAYS,
      },
      Match.objectLike({
        Id: 'expire-old-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: days.retention },
      }),
    ];
    const defaults = resolveConfig();

    prod.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: rules({ transition: 45, retention: 30 }) },
    });
    dev.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: rules({ transition: defaults.blobTransitionDays, retention: defaults.retentionDays }),
      },
    });
  });

  it('generates the sealing key in Secrets Manager, encrypted with the same key', () => {
    const key = onlyResource(prod, 'AWS::KMS::Key');

    prod.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      GenerateSecretString: {
        PasswordLength: SEALING_KEY_CHARACTERS,
        ExcludePunctuation: true,
        IncludeSpace: false,
      },
    });
  });

  it('generates sealing keys the consumer loads as 256-bit keys', async () => {
    // Arrange
    const secrets = mockClient(SecretsManagerClient);
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const alphanumeric = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    const generated = fc.string({
      unit: alphanumeric,
      minLength: SEALING_KEY_CHARACTERS,
      maxLength: SEALING_KEY_CHARACTERS,
    });

    // Act / Assert
    try {
      await fc.assert(
        fc.asyncProperty(generated, async (secretString) => {
          secrets.on(GetSecretValueCommand).resolves({
            ARN: SECRET_ARN,
            Name: 'SealingKey',
            SecretString: secretString,
            VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
            VersionStages: ['AWSCURRENT'],
          });
          const key = await loadKeyFromSecret(client, SECRET_ARN);
          expect(key).toHaveLength(32);
        }),
        { numRuns: 50 },
      );
    } finally {
      secrets.restore();
    }
  });

  it('outputs the bucket, the store URL and the sealing key secret', () => {
    const bucket = onlyResource(prod, 'AWS::S3::Bucket');
    const secret = onlyResource(prod, 'AWS::SecretsManager::Secret');

    prod.hasOutput('StoreBucket', { Value: { Ref: bucket } });
    prod.hasOutput('StoreUrl', { Value: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/store']] } });
    prod.hasOutput('SealingKeySecret', { Value: { Ref: secret } });
  });
});
