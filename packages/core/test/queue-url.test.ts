import { describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { queueRegion } from '../src/queue/queue-url.js';

describe('queueRegion', () => {
  it('reads the region of AWS queue URLs, current and legacy, and of none other', () => {
    expect(queueRegion('https://sqs.eu-west-1.amazonaws.com/123456789012/tidemark-queue')).toBe('eu-west-1');
    expect(queueRegion('https://ap-southeast-2.queue.amazonaws.com/123456789012/q')).toBe('ap-southeast-2');
    expect(queueRegion('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q')).toBe('cn-north-1');
    expect(queueRegion('http://sqs.us-east-1.localhost:4566/000000000000/q')).toBeUndefined();
    expect(queueRegion('not a url')).toBeUndefined();
  });
});

describe('AwsClients.sqs', () => {
  it('retries adaptively and sends to the configured endpoint rather than to the host of a queue URL', async () => {
    const sqs = new AwsClients({ endpointUrl: 'http://127.0.0.1:4566' }).sqs('eu-west-1');

    expect((await sqs.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
    expect(sqs.config.useQueueUrlAsEndpoint).toBe(false);
  });
});
