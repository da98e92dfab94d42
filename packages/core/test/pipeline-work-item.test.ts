import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { parseWorkItem, sliceFor } from '../src/pipeline/work-item.js';

describe('parseWorkItem', () => {
  const item = sliceFor('v1.4', { type: 'AWS::S3::Object', region: 'eu-west-1', parent: 'media-bucket' });

  it('reads a work item from the JSON body of a queue message, as sent', () => {
    expect(parseWorkItem(JSON.stringify(item))).toEqual(item);
    expect(parseWorkItem(item)).toEqual(item);
  });

  it('gives the same slice the same id, and a continuation another one', () => {
    const again = sliceFor('v1.4', { type: 'AWS::S3::Object', region: 'eu-west-1', parent: 'media-bucket' });
    const continuation = sliceFor('v1.4', { ...again, after: 'media-bucket/photos/0999.jpg' });

    expect(again.sliceId).toBe(item.sliceId);
    expect(continuation.sliceId).not.toBe(item.sliceId);
    expect(parseWorkItem(JSON.stringify(continuation))).toEqual(continuation);
  });

  it('answers undefined for change events and text that is not a work item', () => {
    const envelope = { version: '0', 'detail-type': 'AWS API Call via CloudTrail', detail: {} };

    expect(parseWorkItem(JSON.stringify(envelope))).toBeUndefined();
    expect(parseWorkItem('{ not json')).toBeUndefined();
    expect(parseWorkItem([item])).toBeUndefined();
    expect(parseWorkItem(null)).toBeUndefined();
  });

  it('rejects a body that claims to be a work item but is not a valid one, saying why', () => {
    const { region: _region, ...withoutRegion } = item;

    expect(() => parseWorkItem({ ...withoutRegion })).toThrow(/invalid work item: region/);
    expect(() => parseWorkItem({ ...item, tidemark: 'restore' })).toThrow(InputError);
    expect(() => parseWorkItem({ ...item, label: '../baselines' })).toThrow(/label/);
  });

  it('rejects a work item whose slice id does not match what it covers', () => {
    expect(() => parseWorkItem({ ...item, parent: 'another-bucket' })).toThrow(/sliceId .* does not match/);
  });
});
