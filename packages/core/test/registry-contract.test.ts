/**
 * The contract every resource definition keeps, checked for every type of the registry. A newcomer adding a type
 * runs this file and reads, per failure, what is missing: a fixture for a declared event, a manifest row mapping
 * wrongly, a volatile path no described document has, a call not covered by the permissions, children listed out
 * of order, a global service without its global endpoint, a rate limit out of bounds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOf } from '../src/aws/partition.js';
import { childrenOf, compareIds } from '../src/capture/sweep.js';
import { GLOBAL_REGION } from '../src/constants.js';
import { uncoveredActions } from '../src/deploy/index.js';
import { baseEventName, isReadOnlyName } from '../src/events/event-name.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { definitionFor, definitionsForEventSource, registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { Json, JsonObject } from '../src/types/json.js';
import type { ListedResource } from '../src/types/resource.js';
import { collect, createCaptureContext } from './support/capture-context.js';
import { expectRowResources, isRegistryRow, readFixture, readManifest } from './support/fixtures.js';

/** Where each service's own event fixtures live: one JSON file per service, `<service name>.json`. */
const EVENT_FIXTURES = path.join(import.meta.dirname, 'fixtures', 'events');
const HOME_REGION = 'us-east-1';

/** One fixture: a CloudTrail record (or an EventBridge event) and the `<type>:<id>` it must map to, exactly. */
interface EventFixture {
  readonly record: Record<string, unknown>;
  readonly expected: readonly string[];
}

/** What a fixture is named after: its event name (CloudTrail) or its detail type (a service's own event). */
function fixtureName(fixture: EventFixture): string {
  const { record } = fixture;
  const detailType = record['detail-type'];
  if (typeof detailType === 'string' && detailType !== 'AWS API Call via CloudTrail') return detailType;
  const inner = typeof record.detail === 'object' && record.detail !== null ? record.detail : record;
  return baseEventName(String((inner as Record<string, unknown>).eventName ?? ''));
}

function fixturesOf(service: string): EventFixture[] {
  try {
    return JSON.parse(readFileSync(path.join(EVENT_FIXTURES, `${service}.json`), 'utf8')) as EventFixture[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The shared manifest's rows of the registry, as fixtures read from their files as they are. */
const manifestFixtures: Array<EventFixture & { readonly file: string }> = readManifest()
  .filter((row) => isRegistryRow(row, registry))
  .map((row) => ({
    file: row.file,
    record: JSON.parse(readFixture(row.file)) as Record<string, unknown>,
    expected: row.expected,
  }));

/** Every resource one fixture maps to, as `<type>:<id>`, sorted. */
function mappedResources(fixture: EventFixture, source: string): string[] {
  const events = parseEventInput(JSON.stringify(fixture.record), source);
  expect(events, `${source} must be one event`).toHaveLength(1);
  const [event] = events;
  if (!event) return [];
  return mapEvent(event, registry, { defaultAccount: '123456789012' })
    .resources.map((resource) => `${resource.type}:${resource.id}`)
    .sort();
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

/** The parent type listing a child type, if any. */
function parentOf(type: string): ResourceDefinition | undefined {
  return registry.find((definition) => definition.children?.some((children) => children.type === type));
}

/** The region a type is listed in: `global` for global types. */
function regionOf(definition: ResourceDefinition): string {
  return definition.scope === 'global' ? GLOBAL_REGION : HOME_REGION;
}

describe('registry', () => {
  it('lists each type once', () => {
    const types = registry.map((definition) => definition.type);

    expect(new Set(types).size).toBe(types.length);
    expect(types.slice(0, 3)).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object', 'AWS::Lambda::Function']);
  });

  it('finds definitions by type and event source', () => {
    const bySource = definitionsForEventSource('s3.amazonaws.com').map((definition) => definition.type);

    expect(definitionFor('AWS::Lambda::Function')?.type).toBe('AWS::Lambda::Function');
    expect(definitionFor('AWS::EC2::Instance')).toBeUndefined();
    expect(bySource).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object']);
    expect(definitionsForEventSource('s3-outposts.amazonaws.com')).toEqual([]);
  });

  it('has children and parents that agree', () => {
    const childTypes = registry.flatMap((definition) =>
      (definition.children ?? []).map((child) => child.type),
    );
    const listedByParent = registry.filter((definition) => definition.listedByParent).map((d) => d.type);

    expect(childTypes.sort()).toEqual(listedByParent.sort());
    for (const type of childTypes) expect(definitionFor(type), type).toBeDefined();
  });

  it('gives each service one declaration, shared by all its types', () => {
    const byName = new Map<string, unknown>();
    for (const definition of registry) {
      const known = byName.get(definition.service.name);
      if (known)
        expect(definition.service, `${definition.type} redeclares ${definition.service.name}`).toBe(known);
      byName.set(definition.service.name, definition.service);
    }
  });
});

describe.each(registry.map((definition) => [definition.type, definition] as const))(
  '%s',
  (type, definition) => {
    it('declares its service: an SDK client class, an event source and a rate limit within bounds', () => {
      const { service, eventSource, scope } = definition;

      expect(
        typeof service.client.prototype.send,
        `${type}: service.client must be an SDK v3 client class`,
      ).toBe('function');
      expect(eventSource).toBe(`${service.name}.amazonaws.com`);
      expect(['regional', 'global']).toContain(scope);
      expect(service.rateLimit.requestsPerSecond, `${type}: requestsPerSecond`).toBeGreaterThan(0);
      expect(Number.isInteger(service.rateLimit.concurrency), `${type}: concurrency must be an integer`).toBe(
        true,
      );
      expect(service.rateLimit.concurrency, `${type}: concurrency`).toBeGreaterThanOrEqual(1);
      expect(
        service.rateLimit.concurrency,
        `${type}: more in flight than may start per second`,
      ).toBeLessThanOrEqual(Math.max(1, service.rateLimit.requestsPerSecond));
    });

    it('declares where a global service is reached, in each partition it names', () => {
      const endpoints = Object.entries(definition.service.globalEndpoint ?? {});

      if (definition.scope === 'global') {
        expect(
          definition.service.globalEndpoint?.aws,
          `${type}: global, but no endpoint in partition aws`,
        ).toBe('us-east-1');
        for (const [partition, region] of endpoints) expect(partitionOf(region), region).toBe(partition);
      } else expect(endpoints, `${type}: a regional type declares no global endpoint`).toEqual([]);
    });

    it('declares IAM permissions, among them its listing operations', () => {
      const actionPattern = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]*$/;
      const parent = parentOf(type);

      expect(definition.permissions.length).toBeGreaterThan(0);
      for (const permission of definition.permissions) expect(permission).toMatch(actionPattern);
      expect(new Set(definition.permissions).size).toBe(definition.permissions.length);
      expect(definition.permissions).toContain(definition.listOperation);
      const listing = childrenOf(registry, type);
      if (parent && listing) expect(definition.permissions).toContain(listing.listOperation);
    });

    it('declares mutating events, without version suffixes, whose extractors are safe on empty records', () => {
      const names = Object.keys(definition.events);

      const results = names.map((name) => definition.events[name]?.({}));

      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect(baseEventName(name), `${type}: declare ${name} without its API-version suffix`).toBe(name);
        expect(isReadOnlyName(name), `${type}: ${name} reads, it does not change`).toBe(false);
      }
      expect(results).toEqual(names.map(() => []));
    });

    it('has a fixture for every declared event and notification, each mapping to exactly its resources', () => {
      const service = definition.service.name;
      const own = fixturesOf(service);
      const shared = manifestFixtures.filter((fixture) =>
        [
          ...Object.keys(definition.events),
          ...(definition.notifications ?? []).flatMap((n) => n.detailTypes),
        ].includes(fixtureName(fixture)),
      );
      const named = new Set([...own, ...shared].map(fixtureName));
      const declared = [
        ...Object.keys(definition.events),
        ...(definition.notifications ?? []).flatMap((notification) => notification.detailTypes),
      ];

      const missing = declared.filter((name) => !named.has(name));

      expect(
        missing,
        `${type}: add a record for each of these to packages/core/test/fixtures/events/${service}.json`,
      ).toEqual([]);
      own
        .filter((fixture) => declared.includes(fixtureName(fixture)))
        .forEach((fixture, index) => {
          const source = `${service}.json[${fixtureName(fixture)}#${index}]`;
          expect(mappedResources(fixture, source), source).toEqual([...fixture.expected].sort());
        });
    });

    it("maps every manifest row of its event source to the row's resources, and only closely related ones", () => {
      const rows = manifestFixtures.filter((fixture) => {
        const record = fixture.record.detail ?? fixture.record;
        const source = (record as Record<string, unknown>).eventSource ?? fixture.record.source;
        return (
          source === definition.eventSource ||
          (definition.notifications ?? []).some((notification) => notification.source === source)
        );
      });

      for (const row of rows) expectRowResources(mappedResources(row, row.file), row);
    });
  },
);

describe('against the simulated account', () => {
  let account: SimulatedAccount;

  beforeAll(async () => {
    account = await SimulatedAccount.start({ region: HOME_REGION });
  });

  afterAll(() => account.stop());

  /** What a definition enumerates: its own listing, or its parent's listing of it under every parent. */
  async function listingOf(definition: ResourceDefinition): Promise<ListedResource[]> {
    const ctx = createCaptureContext({ homeRegion: HOME_REGION });
    const parent = parentOf(definition.type);
    const listing = childrenOf(registry, definition.type);
    if (!parent || !listing) return collect(definition.list(ctx, regionOf(definition)));
    const parents = await collect(parent.list(ctx, regionOf(parent)));
    account.resetCallCounts();
    const children = await Promise.all(
      parents.map((listed) => collect(listing.list(ctx, listed.id, listed.region ?? regionOf(parent)))),
    );
    return children.flat();
  }

  /** Lists and describes every resource of a type; returns the normalised documents and the actions called. */
  async function sample(definition: ResourceDefinition) {
    account.resetCallCounts();
    const ctx = createCaptureContext({ homeRegion: HOME_REGION });
    const listed = await listingOf(definition);
    const documents: JsonObject[] = [];
    for (const resource of listed) {
      const described = await definition.describe(ctx, resource.id, resource.region ?? regionOf(definition));
      if (described.status === 'found') documents.push(definition.normalise(described.raw));
    }
    return { listed, documents, actions: account.actionsCalled() };
  }

  it.each(registry.map((definition) => [definition.type, definition] as const))(
    '%s: lists and describes the seeded resources, calling only what its permissions allow',
    async (type, definition) => {
      const { listed, documents, actions } = await sample(definition);

      expect(listed.length, `${type}: the simulated account must hold at least one`).toBeGreaterThan(0);
      expect(documents.length).toBe(listed.length);
      expect(uncoveredActions(actions, definition.permissions), `${type}: add these to permissions`).toEqual(
        [],
      );
      expect(JSON.stringify(documents)).not.toContain('$metadata');
    },
  );

  it.each(registry.map((definition) => [definition.type, definition] as const))(
    '%s: every volatile and secret path reaches a value in some described document',
    async (type, definition) => {
      const { documents } = await sample(definition);

      const unreached = [...definition.volatile, ...definition.secrets].filter(
        (fieldPath) => !documents.some((document) => pathReaches(document, fieldPath.split('.'))),
      );

      expect(
        unreached,
        `${type}: no seeded resource has these paths: seed one that does, or fix the path`,
      ).toEqual([]);
    },
  );

  it.each(
    registry.flatMap((definition) =>
      (definition.children ?? []).map((children) => [definition.type, children.type, definition] as const),
    ),
  )(
    '%s lists its %s children in UTF-8 byte order, with ids prefixed by the parent id',
    async (_p, _c, parent) => {
      const ctx = createCaptureContext({ homeRegion: HOME_REGION });
      const parents = await collect(parent.list(ctx, regionOf(parent)));

      for (const children of parent.children ?? []) {
        expect(children.order).toBe('utf8-ascending');
        expect(children.ids).toBe('parent-prefixed');
        let checked = 0;
        for (const listed of parents) {
          const ids = (await collect(children.list(ctx, listed.id, listed.region ?? regionOf(parent)))).map(
            (child) => child.id,
          );
          expect([...ids].sort(compareIds), `${children.type} under ${listed.id}`).toEqual(ids);
          for (const id of ids) expect(id.startsWith(`${listed.id}/`), id).toBe(true);
          checked += ids.length;
        }
        expect(checked, `${children.type}: no parent in the simulated account has children`).toBeGreaterThan(
          0,
        );
      }
    },
  );
});
