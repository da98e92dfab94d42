import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { parseWorkItem } from '@tidemark/core';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../test/support/sqs-event-source.js';
import { withPipeline } from './support/container.js';

describe('the scheduled baseline', () => {
  const env = withPipeline();

  it('plans a baseline and puts one work item per type and region on the queue', async () => {
    const { handler } = await import('../src/schedule.js');
    const event = {
      version: '0',
      id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
      'detail-type': 'Scheduled Event' as const,
      source: 'aws.events' as const,
      account: env.account.accountId,
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/tidemark-weekly-baseline'],
      detail: {},
    };

    const result = await handler(event, lambdaContext());

    expect(result).toMatchObject({ label: 'v1.0', sent: result.planned, unsent: [] });
    const items: Array<ReturnType<typeof parseWorkItem>> = [];
    for (let receives = 0; items.length < result.planned && receives < 10; receives++) {
      const { Messages = [] } = await env.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: env.queueUrl, MaxNumberOfMessages: 10 }),
      );
      items.push(...Messages.map((message) => parseWorkItem(message.Body)));
    }
    expect(items).toHaveLength(result.planned);
    const regionOf = (type: string) => items.find((item) => item?.type === type)?.region;
    expect(regionOf('AWS::Lambda::Function')).toBe('us-east-1');
    expect(regionOf('AWS::S3::Bucket')).toBe('us-east-1');
    expect(regionOf('AWS::CertificateManager::Certificate')).toBe('us-east-1');
    expect(regionOf('AWS::CloudFront::Distribution')).toBe('global');
    expect(regionOf('AWS::IAM::Role')).toBe('global');
    expect(items.every((item) => item?.label === 'v1.0')).toBe(true);
  });
});
