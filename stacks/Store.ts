import { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Bucket, type StackContext } from 'sst/constructs';

/**
 * The versioned store's bucket: the same key layout as a local store. Versioned, private, TLS only,
 * kept when the stack is removed.
 */
export function Store({ stack }: StackContext) {
  const bucket = new Bucket(stack, 'Store', {
    cdk: {
      bucket: {
        versioned: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        encryption: BucketEncryption.S3_MANAGED,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removalPolicy: RemovalPolicy.RETAIN,
      },
    },
  });
  stack.addOutputs({ StoreBucket: bucket.bucketName });
  return { bucket };
}
