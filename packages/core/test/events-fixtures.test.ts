import { describe, expect, it } from 'vitest';
import { mapEvents } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import type { ChangeEvent, MappedEvent } from '../src/events/types.js';
import { registry } from '../src/resources/registry.js';
import {
  expectRowResources,
  type FixtureRow,
  isRegistryRow,
  readFixture,
  readManifest,
} from './support/fixtures.js';

const rows = readManifest();
const texts = rows.map((row) => readFixture(row.file));
const documents = texts.map((text) => JSON.parse(text) as unknown);

function resourcesOf(mapped: MappedEvent): string[] {
  return mapped.resources.map((resource) => `${resource.type}:${resource.id}`).sort();
}

function expectRowResult(row: FixtureRow, events: readonly ChangeEvent[]): void {
  expect(events, row.file).toHaveLength(1);
  const [mapped] = mapEvents(events);
  if (!mapped) throw new Error(`${row.file} mapped to nothing`);
  if (isRegistryRow(row, registry)) expectRowResources(resourcesOf(mapped), row);
  else if (row.expected.length === 0) expect(mapped.resources, row.file).toEqual([]);
}

describe('fixture manifest', () => {
  it('has rows for every service of the registry but Lightsail, including rows that map to nothing', () => {
    // Arrange: the shared manifest holds no Lightsail event (no public one was found); its own fixtures cover it.
    const withoutManifestRows = new Set(['lightsail.amazonaws.com']);
    const inScope = rows.filter((row) => isRegistryRow(row, registry));

    // Act
    const none = inScope.filter((row) => row.expected.length === 0);
    const sources = new Set(
      registry
        .map((definition) => definition.eventSource)
        .filter((source) => !withoutManifestRows.has(source)),
    );
    const covered = new Set(inScope.map((row) => row.eventSource));

    // Assert
    expect(inScope.length).toBeGreaterThanOrEqual(15);
    expect(none.length).toBeGreaterThanOrEqual(5);
    expect([...sources].filter((source) => !covered.has(source))).toEqual([]);
  });
});

describe('parseEventInput + mapEvents on every fixture', () => {
  it.each(rows.map((row, index) => [row.file, index] as const))(
    '%s read as a single document',
    (_file, index) => {
      // Arrange
      const row = rows[index] as FixtureRow;

      // Act
      const events = parseEventInput(texts[index] as string, row.file);

      // Assert
      expect(events[0]?.source).toBe(`${row.file}#0`);
      expectRowResult(row, events);
    },
  );

  const forms: Array<[string, () => string]> = [
    ['a JSON array', () => JSON.stringify(documents)],
    ['NDJSON', () => documents.map((document) => JSON.stringify(document)).join('\n')],
    ['concatenated files', () => texts.join('\n')],
    [
      'an SQS batch',
      () =>
        JSON.stringify({
          Records: documents.map((document, index) => ({
            messageId: `m-${index}`,
            receiptHandle: `r-${index}`,
            body: JSON.stringify(document),
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:tidemark-events',
            awsRegion: 'eu-west-1',
          })),
        }),
    ],
  ];

  it.each(forms)('the whole folder as %s gives the same results', (_form, build) => {
    // Arrange
    const input = build();

    // Act
    const events = parseEventInput(input, 'batch');

    // Assert
    expect(events).toHaveLength(rows.length);
    rows.forEach((row, index) => {
      expect(events[index]?.source).toBe(`batch#${index}`);
      expectRowResult(row, events.slice(index, index + 1));
    });
  });
});
