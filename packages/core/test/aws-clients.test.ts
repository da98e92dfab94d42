import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';

describe('AwsClients', () => {
  const saved = process.env.AWS_ENDPOINT_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });

  it('uses adaptive retries and reuses one client per service and region', async () => {
    const clients = new AwsClients();

    const s3 = clients.s3('eu-west-1');

    expect(clients.s3('eu-west-1')).toBe(s3);
    expect(clients.s3('us-east-1')).not.toBe(s3);
    expect((await s3.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
    expect(await s3.config.maxAttempts()).toBe(8);
    expect(await s3.config.region()).toBe('eu-west-1');
  });

  it('sends every call to an overridden endpoint, with path-style S3 addressing', async () => {
    const clients = new AwsClients({ endpointUrl: 'http://127.0.0.1:4566' });

    const s3 = clients.s3('us-east-1');
    const endpoint = await s3.config.endpoint?.();

    expect(s3.config.forcePathStyle).toBe(true);
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4566);
    expect((await clients.client(LambdaClient, 'us-east-1').config.endpoint?.())?.hostname).toBe('127.0.0.1');
  });

  it('switches S3 to path-style when AWS_ENDPOINT_URL is set', () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';

    expect(new AwsClients().s3('us-east-1').config.forcePathStyle).toBe(true);
  });

  it('keeps virtual-hosted S3 addressing against AWS itself', () => {
    delete process.env.AWS_ENDPOINT_URL;

    expect(new AwsClients().s3('us-east-1').config.forcePathStyle).toBe(false);
  });
});
