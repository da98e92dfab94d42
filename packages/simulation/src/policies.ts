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

/** A bucket policy that lets only the account read `prefix` of `bucket`: a private change, for drift and rules. */
export function accountReadPolicy(bucket: string, prefix: string, accountId = '123456789012') {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/${prefix}/*`,
      },
    ],
  };
}

/** The same events as if the console user `userName` had made the calls instead of `alice`. */
export function madeBy<Event>(events: readonly Event[], userName: string): Event[] {
  return events.map(
    (event) =>
      JSON.parse(
        JSON.stringify(event)
          .replaceAll('user/alice', `user/${userName}`)
          .replaceAll('"userName":"alice"', `"userName":"${JSON.stringify(userName).slice(1, -1)}"`),
      ) as Event,
  );
}
