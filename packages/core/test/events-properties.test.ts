import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseEventName } from '../src/events/event-name.js';
import { mapEvents } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { lambdaFunctionName } from '../src/resources/arn.js';

const functionName = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const account = fc.stringMatching(/^\d{12}$/);
const qualifier = fc.oneof(
  fc.constant('$LATEST'),
  fc.integer({ min: 1, max: 9999 }).map(String),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);

describe('parseEventInput properties', () => {
  it('never throws on arbitrary text, and what it returns maps without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // Arrange / Act
        const events = parseEventInput(text, 'prop');
        const mapped = mapEvents(events);

        // Assert
        expect(mapped).toHaveLength(events.length);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary JSON, nor on JSON shaped like events', () => {
    const looseRecord = fc.record(
      {
        eventName: fc.oneof(
          fc.string(),
          fc.constantFrom('PutObject', 'DeleteBucket', 'TagResource', 'constructor', '__proto__'),
        ),
        eventSource: fc.oneof(fc.string(), fc.constantFrom('s3.amazonaws.com', 'lambda.amazonaws.com')),
        eventVersion: fc.string(),
        awsRegion: fc.oneof(fc.string(), fc.constant(undefined)),
        readOnly: fc.oneof(fc.boolean(), fc.string(), fc.constant(null)),
        errorCode: fc.oneof(fc.string(), fc.constant(null)),
        requestParameters: fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.constantFrom('bucketName', 'key', 'functionName', 'resource', 'delete'),
            fc.jsonValue(),
          ),
        ),
        responseElements: fc.jsonValue(),
        resources: fc.jsonValue(),
        userIdentity: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const shapes = fc.oneof(
      fc.jsonValue(),
      looseRecord,
      fc.record({ Records: fc.array(looseRecord) }),
      fc.record({
        'detail-type': fc.string(),
        source: fc.string(),
        detail: fc.oneof(looseRecord, fc.jsonValue()),
      }),
      fc.record({
        Records: fc.array(
          fc.record({ eventSource: fc.constant('aws:sqs'), body: fc.oneof(fc.string(), fc.jsonValue()) }),
        ),
      }),
    );
    fc.assert(
      fc.property(shapes, fc.boolean(), (value, asNdjson) => {
        // Arrange
        const text =
          asNdjson && Array.isArray(value)
            ? value.map((item) => JSON.stringify(item)).join('\n')
            : JSON.stringify(value);

        // Act
        const events = parseEventInput(text ?? 'undefined', 'prop');
        const mapped = mapEvents(events);

        // Assert
        for (const entry of mapped) {
          for (const resource of entry.resources) expect(resource.id).not.toBe('');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('baseEventName properties', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        // Arrange / Act
        const once = baseEventName(name);

        // Assert
        expect(baseEventName(once)).toBe(once);
      }),
    );
  });

  it('strips every API-version suffix form from an operation name', () => {
    const operation = fc.stringMatching(/^[A-Z][A-Za-z]{0,30}[a-z]$/);
    const suffix = fc.oneof(
      fc.stringMatching(/^\d{8}$/),
      fc.stringMatching(/^\d{8}v\d{1,2}$/),
      fc.stringMatching(/^\d{4}_\d{2}_\d{2}$/),
    );
    fc.assert(
      fc.property(operation, suffix, (name, version) => {
        // Arrange
        const eventName = `${name}${version}`;

        // Act
        const stripped = baseEventName(eventName);

        // Assert
        expect(stripped).toBe(name);
      }),
    );
  });
});

describe('lambdaFunctionName properties', () => {
  it('returns the name from every ARN form', () => {
    const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
    const region = fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1');
    fc.assert(
      fc.property(
        functionName,
        partition,
        region,
        account,
        fc.option(qualifier),
        (name, part, reg, acct, qual) => {
          // Arrange
          const suffix = qual === null ? '' : `:${qual}`;
          const forms = [
            name,
            `${name}${suffix}`,
            `arn:${part}:lambda:${reg}:${acct}:function:${name}${suffix}`,
            `${acct}:function:${name}${suffix}`,
          ];

          // Act
          const names = forms.map(lambdaFunctionName);

          // Assert
          expect(names).toEqual(forms.map(() => name));
        },
      ),
    );
  });
});
