/**
 * A bucket policy that lets anyone read every object of `bucket`: what makes a bucket public, as someone sharing a
 * file the quick way writes it.
 */
export function publicReadPolicy(bucket: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  };
}
