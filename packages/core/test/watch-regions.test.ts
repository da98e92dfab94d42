import { describe, expect, it } from 'vitest';
import { registry } from '../src/resources/registry.js';
import { s3Bucket } from '../src/resources/s3-bucket.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import { watchedRegions } from '../src/watch/regions.js';

const globalType: ResourceDefinition = {
  ...s3Bucket,
  type: 'AWS::IAM::Role',
  scope: 'global',
  eventSource: 'iam.amazonaws.com',
};

describe('watchedRegions', () => {
  it('reads the selected regions only while no registered type is global', () => {
    expect(watchedRegions(['eu-west-1', 'us-west-2'], registry)).toEqual([
      { region: 'eu-west-1' },
      { region: 'us-west-2' },
    ]);
  });

  it('adds us-east-1 for the global services alone when it is not selected', () => {
    expect(watchedRegions(['eu-west-1'], [...registry, globalType])).toEqual([
      { region: 'eu-west-1' },
      { region: 'us-east-1', eventSources: new Set(['iam.amazonaws.com']) },
    ]);
  });

  it('reads all of us-east-1 once when it is selected', () => {
    expect(watchedRegions(['us-east-1', 'us-east-1'], [...registry, globalType])).toEqual([
      { region: 'us-east-1' },
    ]);
  });
});
