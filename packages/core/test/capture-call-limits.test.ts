import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AwsClients } from '../src/aws/clients.js';
import { partitionOf } from '../src/aws/partition.js';
import { callLimit, ServiceLimits } from '../src/capture/call-limits.js';
import { defineService, endpointRegion, NoGlobalEndpointError } from '../src/resources/service.js';
import { iamService, route53Service, s3Service } from '../src/resources/services.js';

describe('callLimit', () => {
  it('never starts more calls in any second than the rate, nor runs more at once than the concurrency', async () => {
    // Arrange
    const limit = callLimit({ requestsPerSecond: 4, concurrency: 2 });
    const starts: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const call = async () => {
      starts.push(performance.now());
      running++;
      mostRunning = Math.max(mostRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
    };

    // Act
    await Promise.all(Array.from({ length: 10 }, () => limit(call)));

    // Assert
    expect(starts).toHaveLength(10);
    expect(mostRunning).toBe(2);
    for (const start of starts) {
      // Timers fire up to a couple of milliseconds off the clock p-throttle keeps (Date.now): a second is 998 ms here.
      const inWindow = starts.filter((other) => other >= start && other < start + 998);
      expect(inWindow.length).toBeLessThanOrEqual(4);
    }
  });

  it('passes on what the call returns or throws', async () => {
    const limit = callLimit({ requestsPerSecond: 10, concurrency: 1 });

    await expect(limit(async () => 'answer')).resolves.toBe('answer');
    await expect(limit(async () => Promise.reject(new Error('denied')))).rejects.toThrow('denied');
  });
});

describe('ServiceLimits', () => {
  it('shares one limit per service, whatever the type or region asking', () => {
    const limits = new ServiceLimits();

    expect(limits.of(iamService)).toBe(limits.of(iamService));
    expect(limits.of(iamService)).not.toBe(limits.of(route53Service));
  });
});

describe('endpointRegion', () => {
  it('sends a global service to its endpoint in the home region’s partition', () => {
    expect(endpointRegion(iamService, 'global', 'eu-west-1')).toBe('us-east-1');
    expect(endpointRegion(iamService, 'global', 'cn-northwest-1')).toBe('cn-north-1');
    expect(endpointRegion(route53Service, 'global', 'us-gov-east-1')).toBe('us-gov-west-1');
    expect(endpointRegion(iamService, 'ap-south-1', 'eu-west-1')).toBe('ap-south-1');
  });

  it('refuses a global call to a service that declares no endpoint in that partition', () => {
    const regionalOnly = defineService({ ...s3Service, name: 'regional-only' });

    expect(() => endpointRegion(regionalOnly, 'global', 'us-east-1')).toThrow(NoGlobalEndpointError);
    expect(() => endpointRegion(iamService, 'global', 'us-iso-east-1')).toThrow(
      'iam declares no global endpoint in partition aws-iso',
    );
  });

  it('knows the partition of a region by its name', () => {
    expect(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-isob-east-1'].map(partitionOf)).toEqual([
      'aws',
      'aws-cn',
      'aws-us-gov',
      'aws-iso-b',
    ]);
  });
});

describe('AwsClients.client', () => {
  it('creates any SDK client class once per region, with adaptive retries', async () => {
    const clients = new AwsClients();

    const iam = clients.client(IAMClient, 'us-east-1');

    expect(clients.client(IAMClient, 'us-east-1')).toBe(iam);
    expect(clients.client(IAMClient, 'us-west-2')).not.toBe(iam);
    expect(clients.client(S3Client, 'us-east-1')).toBe(clients.s3('us-east-1'));
    expect((await iam.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
  });
});
