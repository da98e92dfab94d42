import { describe, expect, it } from 'vitest';
import { parseEventInput } from '../src/events/parse.js';

const RECORD = {
  eventVersion: '1.08',
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketPolicy',
  awsRegion: 'eu-west-1',
  requestParameters: { bucketName: 'media' },
};

const POLICY = '{\t"Version": "2012-10-17"\u0001}';

/** The record with a policy whose tab and U+0001 are raw instead of escaped, as one NDJSON line (not valid JSON). */
const RAW_CONTROL_LINE = JSON.stringify({
  ...RECORD,
  requestParameters: { bucketName: 'media', policy: POLICY },
})
  .replace('\\t', '\t')
  .replace('\\u0001', '\u0001');

function recordOf(event: ReturnType<typeof parseEventInput>[number] | undefined): unknown {
  return event?.kind === 'cloudtrail' ? event.record : undefined;
}

describe('parseEventInput on NDJSON', () => {
  it('reads a line whose string holds raw control characters, between valid lines', () => {
    // Arrange
    const text = [JSON.stringify(RECORD), RAW_CONTROL_LINE, JSON.stringify(RECORD)].join('\n');
    expect(() => JSON.parse(RAW_CONTROL_LINE)).toThrow();

    // Act
    const events = parseEventInput(text, 'nd');

    // Assert
    expect(events.map((event) => event.source)).toEqual(['nd#0', 'nd#1', 'nd#2']);
    expect(events.map((event) => event.kind)).toEqual(['cloudtrail', 'cloudtrail', 'cloudtrail']);
    expect(recordOf(events[1])).toMatchObject({
      requestParameters: { policy: POLICY },
    });
  });

  it('reads NDJSON whose first line holds raw control characters, and still reports a bad line by number', () => {
    // Arrange
    const text = [RAW_CONTROL_LINE, '{"eventName": ', JSON.stringify(RECORD)].join('\n');

    // Act
    const events = parseEventInput(text, 'nd');

    // Assert
    expect(events.map((event) => event.kind)).toEqual(['cloudtrail', 'other', 'cloudtrail']);
    expect(events[1]).toMatchObject({
      reason: 'malformed',
      detail: expect.stringMatching(/^line 2: not valid JSON/),
    });
  });

  it('reads CRLF line ends and blank CRLF lines, numbering lines as an editor does', () => {
    // Arrange
    const text = `${JSON.stringify(RECORD)}\r\n\r\n{"eventName": \r\n${JSON.stringify(RECORD)}\r\n`;

    // Act
    const events = parseEventInput(text, 'win');

    // Assert
    expect(events.map((event) => event.kind)).toEqual(['cloudtrail', 'other', 'cloudtrail']);
    expect(events[1]).toMatchObject({
      reason: 'malformed',
      detail: expect.stringMatching(/^line 3: not valid JSON/),
      source: 'win#1',
    });
    expect(recordOf(events[2])).toEqual(RECORD);
  });
});

describe('parseEventInput on concatenated documents', () => {
  it('reads pretty-printed documents one after another when one has a raw line break inside a string', () => {
    // Arrange
    const broken = JSON.stringify(
      { ...RECORD, eventName: 'DeleteBucketPolicy', userAgent: 'UA' },
      null,
      2,
    ).replace('UA', 'console\nsigned');
    const text = `${JSON.stringify(RECORD, null, 2)}\n${broken}\n`;

    // Act
    const events = parseEventInput(text, 'cat');

    // Assert
    expect(events.map((event) => event.kind === 'cloudtrail' && event.record.eventName)).toEqual([
      'PutBucketPolicy',
      'DeleteBucketPolicy',
    ]);
    expect(recordOf(events[1])).toMatchObject({ userAgent: 'console\nsigned' });
  });
});
