import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseEventName, isReadOnlyName } from '../src/events/event-name.js';
import { definitionFor, definitionsForEventSource, registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { Json, JsonObject } from '../src/types/json.js';
import { createCaptureContext } from './support/capture-context.js';
import { isS3OrLambdaRow, readManifest } from './support/fixtures.js';
import {
  type CodeServer,
  mockFullBucket,
  mockFullFunction,
  mockFullObject,
  startCodeServer,
} from './support/resource-mocks.js';

const s3 = mockClient(S3Client);
const lambda = mockClient(LambdaClient);
const LATEST_ZIP = Buffer.from('latest zip');
const VERSION_ZIP = Buffer.from('version zip');
let server: CodeServer;

beforeAll(async () => {
  server = await startCodeServer({ '/latest.zip': LATEST_ZIP, '/v1.zip': VERSION_ZIP });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  s3.reset();
  lambda.reset();
});

/** One fully configured resource per type, described from mocked AWS responses. */
const SAMPLES: Record<string, { id: string; arrange: () => void }> = {
  'AWS::S3::Bucket': { id: 'media', arrange: () => mockFullBucket(s3) },
  'AWS::S3::Object': { id: 'media/photos/a.jpg', arrange: () => mockFullObject(s3, Buffer.from('bytes')) },
  'AWS::Lambda::Function': {
    id: 'thumbnails',
    arrange: () =>
      mockFullFunction(lambda, { baseUrl: server.url, latestZip: LATEST_ZIP, versionZip: VERSION_ZIP }),
  },
};

async function normalisedSample(definition: ResourceDefinition): Promise<JsonObject> {
  const sample = SAMPLES[definition.type];
  if (!sample) throw new Error(`no contract sample for ${definition.type}: add one to SAMPLES`);
  sample.arrange();
  const described = await definition.describe(createCaptureContext(), sample.id, 'eu-west-1');
  if (described.status !== 'found') throw new Error(`sample of ${definition.type} was ${described.status}`);
  return definition.normalise(described.raw);
}

/** Whether a field path (`*` for any key or element) reaches at least one value in a document. */
function pathReaches(value: Json | undefined, segments: readonly string[]): boolean {
  if (value === undefined) return false;
  const [head, ...rest] = segments;
  if (head === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const children: Json[] =
    head === '*'
      ? Object.values(value)
      : Array.isArray(value)
        ? [value[Number(head)] as Json]
        : [value[head] as Json];
  return children.some((child) => pathReaches(child, rest));
}

describe('registry', () => {
  it('lists each type once', () => {
    // Arrange
    const types = registry.map((definition) => definition.type);

    // Act
    const unique = new Set(types);

    // Assert
    expect(unique.size).toBe(types.length);
    expect(types).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object', 'AWS::Lambda::Function']);
  });

  it('finds definitions by type and event source', () => {
    // Arrange
    const type = 'AWS::Lambda::Function';

    // Act
    const byType = definitionFor(type);
    const bySource = definitionsForEventSource('s3.amazonaws.com').map((definition) => definition.type);

    // Assert
    expect(byType?.type).toBe(type);
    expect(definitionFor('AWS::EC2::Instance')).toBeUndefined();
    expect(bySource).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object']);
    expect(definitionsForEventSource('s3-outposts.amazonaws.com')).toEqual([]);
  });

  it('has children and parents that agree', () => {
    // Arrange
    const childTypes = registry.flatMap((definition) =>
      definition.children ? [definition.children.type] : [],
    );

    // Act
    const listedByParent = registry
      .filter((definition) => definition.listedByParent)
      .map((definition) => definition.type);

    // Assert
    expect(childTypes.sort()).toEqual(listedByParent.sort());
    for (const type of childTypes) expect(definitionFor(type)).toBeDefined();
  });
});

describe.each(registry.map((definition) => [definition.type, definition] as const))(
  '%s',
  (_type, definition) => {
    it('declares its service, event source, scope and IAM permissions', () => {
      // Arrange
      const { service, eventSource, scope, permissions } = definition;

      // Act
      const actionPattern = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]*$/;

      // Assert
      expect(eventSource).toBe(`${service}.amazonaws.com`);
      expect(['regional', 'global']).toContain(scope);
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions) expect(permission).toMatch(actionPattern);
      expect(new Set(permissions).size).toBe(permissions.length);
    });

    it('names listing operations that are among its permissions', () => {
      const parent = registry.find((candidate) => candidate.children?.type === definition.type);

      expect(definition.permissions).toContain(definition.listOperation);
      if (parent?.children) expect(definition.permissions).toContain(parent.children.listOperation);
    });

    it('declares mutating events, without version suffixes, whose extractors are safe on empty records', () => {
      // Arrange
      const names = Object.keys(definition.events);

      // Act
      const results = names.map((name) => definition.events[name]?.({}));

      // Assert
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect(baseEventName(name)).toBe(name);
        expect(isReadOnlyName(name)).toBe(false);
      }
      expect(results).toEqual(names.map(() => []));
    });

    it('declares volatile and secret paths that exist in a described document', async () => {
      // Arrange
      const paths = [...definition.volatile, ...definition.secrets];

      // Act
      const normalised = await normalisedSample(definition);

      // Assert
      for (const fieldPath of paths)
        expect(pathReaches(normalised, fieldPath.split('.')), fieldPath).toBe(true);
      expect(JSON.stringify(normalised)).not.toContain('$metadata');
    });
  },
);

describe('fixture coverage', () => {
  it('declares every S3 and Lambda event the fixtures record as a successful mutating call', () => {
    // Arrange
    const mutating = readManifest().filter(
      (row) =>
        isS3OrLambdaRow(row) &&
        ['s3.amazonaws.com', 'lambda.amazonaws.com'].includes(row.eventSource) &&
        !/errorCode=(?!'')/.test(row.status) &&
        !/readOnly=True/i.test(row.status) &&
        !isReadOnlyName(baseEventName(row.eventName)),
    );

    // Act
    const missing = mutating.filter(
      (row) =>
        !definitionsForEventSource(row.eventSource).some((definition) =>
          Object.hasOwn(definition.events, baseEventName(row.eventName)),
        ),
    );

    // Assert
    expect(mutating.length).toBeGreaterThanOrEqual(5);
    expect(missing.map((row) => `${row.eventSource} ${row.eventName}`)).toEqual([]);
  });
});
