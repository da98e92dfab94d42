import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';
import { ConfigurationError } from '../src/errors.js';

const DEPLOYED = {
  TIDEMARK_STORE: 's3://tidemark-store-bucket/store',
  TIDEMARK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/tidemark-queue',
  TIDEMARK_REGIONS: 'eu-west-1, us-east-1',
  TIDEMARK_HOME_REGION: 'eu-west-1',
  TIDEMARK_SEALING_KEY_SECRET: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tidemark-key-AbCdEf',
  AWS_REGION: 'eu-west-1',
};

describe('readEnvironment', () => {
  it('reads the settings the stacks give the functions', () => {
    const environment = readEnvironment({ ...DEPLOYED, TIDEMARK_OBJECT_BUCKETS: 'site.com,media' });

    expect(environment).toMatchObject({
      store: 's3://tidemark-store-bucket/store',
      regions: ['eu-west-1', 'us-east-1'],
      homeRegion: 'eu-west-1',
      objects: { include: ['site.com', 'media'] },
    });
    expect(environment.registry.length).toBeGreaterThan(1);
  });

  it('captures the objects of every bucket for *, and of none for an empty list', () => {
    expect(readEnvironment({ ...DEPLOYED, TIDEMARK_OBJECT_BUCKETS: '*' }).objects).toEqual({});
    expect(readEnvironment({ ...DEPLOYED, TIDEMARK_OBJECT_BUCKETS: '' }).objects).toEqual({ exclude: ['*'] });
  });

  it('keeps only the types of the selected services', () => {
    const { registry } = readEnvironment({ ...DEPLOYED, TIDEMARK_SERVICES: 'lambda' });

    expect(registry.map((definition) => definition.type)).toEqual(['AWS::Lambda::Function']);
  });

  it('reports every problem at once, naming the settings', () => {
    const read = () =>
      readEnvironment({
        TIDEMARK_QUEUE_URL: 'not a url',
        TIDEMARK_REGIONS: 'Europe',
        TIDEMARK_SERVICES: 'ec2',
      });

    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(
      /TIDEMARK_STORE is required.*TIDEMARK_QUEUE_URL.*TIDEMARK_REGIONS.*TIDEMARK_SERVICES/,
    );
  });
});
