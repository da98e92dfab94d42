import { describe, expect, it } from 'vitest';
import { registry } from '../src/resources/registry.js';
import { watchedRegions } from '../src/watch/regions.js';

/** The registry without its global types (CloudFront, Route 53, IAM). */
const regionalOnly = registry.filter((definition) => definition.scope === 'regional');

describe('watchedRegions', () => {
  it('reads the selected regions only while no registered type is global', () => {
    expect(watchedRegions(['eu-west-1', 'us-west-2'], regionalOnly)).toEqual([
      { region: 'eu-west-1' },
      { region: 'us-west-2' },
    ]);
  });

  it('adds us-east-1 for the global services alone when it is not selected', () => {
    expect(watchedRegions(['eu-west-1'], registry)).toEqual([
      { region: 'eu-west-1' },
      {
        region: 'us-east-1',
        eventSources: new Set(['cloudfront.amazonaws.com', 'route53.amazonaws.com', 'iam.amazonaws.com']),
      },
    ]);
  });

  it('reads all of us-east-1 once when it is selected', () => {
    expect(watchedRegions(['us-east-1', 'us-east-1'], registry)).toEqual([{ region: 'us-east-1' }]);
  });
});
