import type { Alert } from '../../src/alerts/types.js';

/** An alert as the evaluator makes it: a site bucket's policy made public by alice through her SSO role. */
export const BUCKET_MADE_PUBLIC: Alert = {
  key: 'bucket-made-public/AWS::S3::Bucket:queenofsandiego.com/42',
  rule: 'bucket-made-public',
  severity: 'critical',
  title: 'Bucket made public',
  resource: {
    account: '123456789012',
    region: 'us-east-1',
    type: 'AWS::S3::Bucket',
    id: 'queenofsandiego.com',
  },
  kind: 'changed',
  seq: 42,
  version: 'v-42',
  capturedAt: '2026-12-05T10:00:03.000Z',
  cause: {
    kind: 'event',
    eventName: 'PutBucketPolicy',
    eventTime: '2026-12-05T10:00:00.000Z',
    principal: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice',
    actor: 'alice',
  },
  changedAt: '2026-12-05T10:00:00.000Z',
  principal: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice',
  actor: 'alice',
  changes: [
    {
      path: 'Policy.Statement.0.Principal',
      change: 'changed',
      before: { Service: 'cloudfront.amazonaws.com' },
      after: '*',
    },
  ],
  moreChanges: 0,
  show: "tidemark show 'AWS::S3::Bucket:queenofsandiego.com' --at 2026-12-05T10:00:03.000Z",
  firedAt: '2026-12-05T10:00:04.000Z',
  destinations: ['slack'],
};
