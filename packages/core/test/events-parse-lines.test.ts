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
      line: 2,
      detail: expect.stringMatching(/^not valid JSON/),
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
      line: 3,
      detail: expect.stringMatching(/^not valid JSON/),
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

describe('parseEventInput on input that is not an event', () => {
  it('gives each unreadable part the input line it starts on', () => {
    // Arrange
    const text = [
      '',
      '',
      JSON.stringify(RECORD, null, 2),
      JSON.stringify({ hello: 'world' }, null, 2),
      '',
      JSON.stringify([RECORD, 42], null, 2),
    ].join('\n');

    // Act
    const events = parseEventInput(text, 'cat');

    // Assert
    const unreadable = events.filter((event) => event.kind === 'other');
    expect(unreadable).toEqual([
      expect.objectContaining({
        line: 12,
        detail: 'JSON object in none of the accepted shapes (keys: hello)',
      }),
      expect.objectContaining({ line: 16, detail: '[1] expected a JSON object, received number' }),
    ]);
  });

  it('reads the events of NDJSON whose first line is bad, and reports that line', () => {
    // Arrange
    const text = ['{"eventVersion": "1.08", "eventSource', JSON.stringify(RECORD), 'garbage'].join('\n');

    // Act
    const events = parseEventInput(text, 'nd');

    // Assert
    expect(events.map((event) => event.kind)).toEqual(['other', 'cloudtrail', 'other']);
    expect(events.map((event) => event.kind === 'other' && event.line)).toEqual([1, false, 3]);
  });

  it('places bad JSON held in a string at the line of the message holding it', () => {
    // Arrange
    const batch = { Records: [{ eventSource: 'aws:sqs', body: '{\n"eventName": \n' }] };
    const text = [JSON.stringify(RECORD), JSON.stringify(batch)].join('\n');

    // Act
    const [, event] = parseEventInput(text, 'sqs');

    // Assert
    expect(event).toMatchObject({
      kind: 'other',
      line: 2,
      detail: expect.stringMatching(/^Records\[0\] body: not valid JSON/),
    });
  });

  it('repeats no more than the start of a long key of the input', () => {
    // Arrange
    const key = 'k'.repeat(10_000);

    // Act
    const [event] = parseEventInput(JSON.stringify({ [key]: 1 }), 'long');

    // Assert
    expect(event?.kind === 'other' && event.detail.length).toBeLessThan(200);
  });
});
