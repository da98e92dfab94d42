import { describe, expect, it } from 'vitest';
import {
  ALL_BUCKETS,
  API_CALL_DETAIL_TYPE,
  apiCallPatterns,
  type EventPattern,
  eventBridgeSource,
  eventNameMatchers,
  MAX_EVENT_PATTERN_LENGTH,
  notificationPatterns,
} from '../src/deploy/index.js';
import { registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';

/** A definition with only the fields event patterns read, of a service named `service`. */
function fakeDefinition(
  service: string,
  overrides: Omit<Partial<ResourceDefinition>, 'service'>,
): ResourceDefinition {
  const [template] = registry;
  if (!template) throw new Error('the registry is empty');
  return {
    ...template,
    listedByParent: false,
    service: { ...template.service, name: service },
    ...overrides,
  };
}

/** The S3 definitions alone: the only ones tracking object notifications by bucket. */
const s3Only = registry.filter((definition) => definition.service.name === 's3');

/** The values a pattern accepts for a field of `detail`. */
function accepted(pattern: EventPattern, field: string): unknown[] {
  return (pattern.detail?.[field] ?? []) as unknown[];
}

/** The event names a pattern lists exactly (its prefixes left out). */
function exactNames(pattern: EventPattern): string[] {
  return accepted(pattern, 'eventName').filter((name): name is string => typeof name === 'string');
}

describe('eventNameMatchers', () => {
  it('matches the bare name and the name followed by an API version, not longer operation names', () => {
    const matchers = eventNameMatchers('DeleteFunction');

    expect(matchers).toEqual(['DeleteFunction', { prefix: 'DeleteFunction20' }]);
    expect('DeleteFunction20150331'.startsWith('DeleteFunction20')).toBe(true);
    expect('DeleteFunctionConcurrency20171031'.startsWith('DeleteFunction20')).toBe(false);
  });
});

describe('eventBridgeSource', () => {
  it('names the EventBridge source of a CloudTrail event source', () => {
    expect(eventBridgeSource('lambda.amazonaws.com')).toBe('aws.lambda');
    expect(eventBridgeSource('iam.amazonaws.com')).toBe('aws.iam');
  });
});

describe('apiCallPatterns', () => {
  it('matches mutating CloudTrail calls of every event the registry declares, one source per pattern', () => {
    // Act
    const patterns = apiCallPatterns(registry);

    // Assert
    for (const pattern of patterns) {
      expect(pattern['detail-type']).toEqual([API_CALL_DETAIL_TYPE]);
      expect(pattern.detail?.readOnly).toEqual([false]);
      expect(pattern.source).toEqual([eventBridgeSource(String(accepted(pattern, 'eventSource')[0]))]);
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
    }
    for (const definition of registry) {
      const covering = patterns.filter((p) => accepted(p, 'eventSource').includes(definition.eventSource));
      const names = covering.flatMap(exactNames);
      for (const name of Object.keys(definition.events)) {
        expect(names).toContain(name);
        expect(covering.flatMap((p) => accepted(p, 'eventName'))).toContainEqual({
          prefix: `${name}20`,
        });
      }
    }
  });

  it('splits a source with many events over patterns within the size limit, each name once', () => {
    // Arrange
    const names = Array.from({ length: 120 }, (_, i) => `PutSomethingRatherLongNumber${i}`);
    const wide = fakeDefinition('wide', {
      type: 'AWS::Wide::Thing',
      eventSource: 'wide.amazonaws.com',
      events: Object.fromEntries(names.map((name) => [name, () => []])),
    });

    // Act
    const patterns = apiCallPatterns([wide], 1000);

    // Assert
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(1000);
    expect(patterns.flatMap(exactNames).sort()).toEqual([...names].sort());
  });

  it('joins the events of types sharing an event source, and adds patterns for a new type', () => {
    // Arrange
    const gadget = fakeDefinition('gadgets', {
      type: 'AWS::Gadgets::Gadget',
      eventSource: 'gadgets.amazonaws.com',
      scope: 'global',
      events: { CreateGadget: () => [], DeleteGadget: () => [] },
    });

    // Act
    const before = apiCallPatterns(registry);
    const after = apiCallPatterns([...registry, gadget]);

    // Assert
    expect(before.filter((p) => p.source.includes('aws.s3')).flatMap(exactNames)).toContain(
      'PutBucketPolicy',
    );
    expect(before.filter((p) => p.source.includes('aws.s3')).flatMap(exactNames)).toContain('PutObject');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toEqual([
      {
        source: ['aws.gadgets'],
        'detail-type': [API_CALL_DETAIL_TYPE],
        detail: {
          eventSource: ['gadgets.amazonaws.com'],
          readOnly: [false],
          eventName: [
            'CreateGadget',
            { prefix: 'CreateGadget20' },
            'DeleteGadget',
            { prefix: 'DeleteGadget20' },
          ],
        },
      },
    ]);
  });

  it('refuses a limit too small for a single event name', () => {
    expect(() => apiCallPatterns(registry, 100)).toThrow(RangeError);
  });
});

describe('notificationPatterns', () => {
  it("tracks every bucket but the store's own with *", () => {
    const patterns = notificationPatterns(s3Only, {
      tracked: { 'aws.s3': [ALL_BUCKETS] },
      excluded: { 'aws.s3': 'tidemark-store' },
    });

    expect(patterns).toEqual([
      {
        source: ['aws.s3'],
        'detail-type': ['Object Created', 'Object Deleted'],
        detail: { bucket: { name: [{ 'anything-but': 'tidemark-store' }] } },
      },
    ]);
  });

  it('tracks only the named buckets, never the store', () => {
    const patterns = notificationPatterns(s3Only, {
      tracked: { 'aws.s3': ['media', 'site.com', 'tidemark-store', 'media'] },
      excluded: { 'aws.s3': 'tidemark-store' },
    });

    expect(patterns.map((p) => p.detail)).toEqual([{ bucket: { name: ['media', 'site.com'] } }]);
  });

  it('tracks nothing without buckets or without S3 objects among the definitions', () => {
    const withoutObjects = s3Only.filter((definition) => definition.type !== 'AWS::S3::Object');

    expect(notificationPatterns(s3Only, { tracked: { 'aws.s3': [] } })).toEqual([]);
    expect(notificationPatterns(withoutObjects, { tracked: { 'aws.s3': [ALL_BUCKETS] } })).toEqual([]);
  });

  it('tracks every bucket when no list is given', () => {
    expect(notificationPatterns(s3Only)).toEqual([
      { source: ['aws.s3'], 'detail-type': ['Object Created', 'Object Deleted'] },
    ]);
  });

  it('splits long bucket lists within the size limit', () => {
    const buckets = Array.from({ length: 200 }, (_, i) => `customer-uploads-bucket-${i}`);

    const patterns = notificationPatterns(s3Only, { tracked: { 'aws.s3': buckets } });

    expect(patterns.length).toBeGreaterThan(1);
    for (const pattern of patterns)
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
    expect(patterns.flatMap((p) => (p.detail as { bucket: { name: string[] } }).bucket.name).sort()).toEqual(
      [...buckets].sort(),
    );
  });
});
