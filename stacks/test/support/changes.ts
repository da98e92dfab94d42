import { MEDIA_BUCKET, type SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';

/**
 * A day of changes in the simulated account, of every kind it emits events for: objects written and deleted
 * (S3 notifications and data events), a bucket policy replaced, a function reconfigured, redeployed and deleted
 * (Lambda event names with their API-version suffixes). Returns the events AWS would have sent.
 */
export function makeChanges(account: SimulatedAccount): SimulatedEvent[] {
  return [
    ...account.putObject('queenofsandiego.com', 'index.html', '<h1>2027 season</h1>', {
      contentType: 'text/html',
    }),
    ...account.putObject(MEDIA_BUCKET, 'photos/new-boat.jpg', 'jpeg bytes'),
    ...account.deleteObject('sailjada.com', 'about.html'),
    ...account.putBucketPolicy('salejada.com', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::salejada.com/*' },
      ],
    }),
    ...account.updateFunctionConfiguration('booking-handler', { memorySize: 512, timeout: 20 }),
    ...account.updateFunctionCode('image-resizer', { 'index.mjs': 'export const handler = () => 2;' }),
    ...account.deleteFunction('email-sender'),
  ];
}
