import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StackContext } from 'sst/constructs';
import { homeConfig, PRODUCTION_STAGE, SEALING_KEY_CHARACTERS, STORE_PREFIX, storeUrl } from './config.js';

/** Days a published index snapshot is kept: newer ones replace it, and an expired one only costs a rebuild. */
export const INDEX_SNAPSHOT_DAYS = 30;

/**
 * The versioned store: a private, TLS-only bucket with Object Lock (governance mode), encrypted with a customer
 * managed key that also encrypts the queues and the generated sealing key. Content blobs move to Standard-IA;
 * index snapshots (caches) expire after
 * {@link INDEX_SNAPSHOT_DAYS} days; old object versions expire after the retention period. Production keeps all three when removed.
 */
export function Store({ app, stack }: StackContext) {
  const config = homeConfig(app);
  const removalPolicy = app.stage === PRODUCTION_STAGE ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const retention = Duration.days(config.retentionDays);

  const key = new Key(stack, 'Key', {
    description: 'Tidemark: encrypts the store, its queues and the sealing key',
    enableKeyRotation: true,
    removalPolicy,
  });

  const bucket = new Bucket(stack, 'Store', {
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: ObjectLockRetention.governance(retention),
    encryption: BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [
      {
        id: 'blobs-to-infrequent-access',
        prefix: `${STORE_PREFIX}/blobs/`,
        transitions: [
          {
            storageClass: StorageClass.INFREQUENT_ACCESS,
            transitionAfter: Duration.days(config.blobTransitionDays),
          },
        ],
      },
      {
        // Index snapshots are caches: a cold cache whose snapshot expired rebuilds from the records instead.
        id: 'expire-index-snapshots',
        prefix: `${STORE_PREFIX}/index/snapshots/`,
        expiration: Duration.days(INDEX_SNAPSHOT_DAYS),
      },
      {
        id: 'expire-old-versions',
        noncurrentVersionExpiration: retention,
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ],
    removalPolicy,
  });

  const sealingKey = new Secret(stack, 'SealingKey', {
    description: 'Tidemark: the 256-bit key that seals captured secrets (43 characters of unpadded base64)',
    encryptionKey: key,
    generateSecretString: {
      passwordLength: SEALING_KEY_CHARACTERS,
      excludePunctuation: true,
      includeSpace: false,
    },
    removalPolicy,
  });

  stack.addOutputs({
    StoreBucket: bucket.bucketName,
    StoreUrl: storeUrl(bucket.bucketName),
    SealingKeySecret: sealingKey.secretArn,
  });
  return { bucket, key, sealingKey };
}
