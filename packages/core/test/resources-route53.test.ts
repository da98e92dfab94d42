import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type EventBridgeApiCallEnvelope,
  Route53ChangeError,
  SimulatedAccount,
  type SimulatedEvent,
} from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callLimit } from '../src/capture/call-limits.js';
import { GapKind, UNKNOWN_MARKER } from '../src/constants.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { route53HealthCheck } from '../src/resources/route53-health-check.js';
import { recordSetKey, route53HostedZone } from '../src/resources/route53-hosted-zone.js';
import { bareRoute53Id } from '../src/resources/route53-shared.js';
import { route53Service } from '../src/resources/services.js';
import type { CloudTrailRecord } from '../src/types/cloudtrail.js';
import type { JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found } from './support/capture-context.js';
import { readFixture } from './support/fixtures.js';

const ZONE = 'AWS::Route53::HostedZone';
const HEALTH_CHECK = 'AWS::Route53::HealthCheck';
const GLOBAL = 'global';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start();
});

afterEach(async () => {
  await account.stop();
});

async function describeZone(domain: string) {
  return found(
    await route53HostedZone.describe(createCaptureContext(), account.route53.hostedZoneId(domain), GLOBAL),
  );
}

async function seededHealthCheckId(): Promise<string> {
  const [listed] = await collect(route53HealthCheck.list(createCaptureContext(), GLOBAL));
  if (!listed) throw new Error('no health check listed');
  return listed.id;
}

/** The `<type>:<id>` resources the events map to, through the same parsing a consumer does. */
function mappedResources(events: readonly SimulatedEvent[]): string[] {
  return events.flatMap((event) =>
    parseEventInput(JSON.stringify(event), 'test').flatMap((parsed) =>
      mapEvent(parsed).resources.map((resource) => `${resource.type}:${resource.id}@${resource.region}`),
    ),
  );
}

/** The id a creation event names, as the record carries it. */
function createdId(events: readonly SimulatedEvent[], ...responsePath: readonly string[]): string {
  const [event] = events as readonly EventBridgeApiCallEnvelope[];
  const id = responsePath.reduce<unknown>(
    (cursor, step) => (cursor as Record<string, unknown> | undefined)?.[step],
    event?.detail.responseElements,
  );
  if (typeof id !== 'string') throw new Error(`no ${responsePath.join('.')} in the event`);
  return id;
}

describe('route53HostedZone.list', () => {
  it('lists the three site zones by bare id', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const expected = ['queenofsandiego.com', 'sailjada.com', 'salejada.com'].map((domain) =>
      account.route53.hostedZoneId(domain),
    );

    // Act
    const listed = await collect(route53HostedZone.list(ctx, GLOBAL));

    // Assert
    expect(listed.map((resource) => resource.id).sort()).toEqual(expected.sort());
    for (const { id } of listed) expect(id).toMatch(/^Z0[0-9A-Z]{19}$/);
  });

  it('pages through ListHostedZones: 161 zones take two pages of 100', async () => {
    // Arrange
    await account.stop();
    account = await SimulatedAccount.start({ scale: { hostedZones: 158 } });
    const ctx = createCaptureContext();
    account.resetCallCounts();

    // Act
    const listed = await collect(route53HostedZone.list(ctx, GLOBAL));

    // Assert
    expect(listed).toHaveLength(161);
    expect(new Set(listed.map((resource) => resource.id)).size).toBe(161);
    expect(account.callCounts()).toMatchObject({ ListHostedZones: 2, total: 2 });
  });
});

describe('route53HostedZone.describe', () => {
  it('records the zone, its name servers, DNSSEC signing, tags and every record set', async () => {
    // Arrange
    const healthCheckId = await seededHealthCheckId();

    // Act
    const { raw, gaps } = await describeZone('sailjada.com');

    // Assert
    expect(gaps).toBeUndefined();
    expect(raw.HostedZone).toMatchObject({
      Id: `/hostedzone/${account.route53.hostedZoneId('sailjada.com')}`,
      Name: 'sailjada.com.',
      Config: { Comment: 'sailjada.com website, mail and booking API', PrivateZone: false },
      ResourceRecordSetCount: 18,
    });
    expect((raw.DelegationSet as JsonObject).NameServers).toHaveLength(4);
    expect(raw.DNSSEC).toMatchObject({
      Status: { ServeSignature: 'SIGNING' },
      KeySigningKeys: [{ Name: 'sailjada_com_ksk', Status: 'ACTIVE', Flag: 257, SigningAlgorithmType: 13 }],
    });
    expect(raw.QueryLoggingConfigs).toEqual([]);
    expect(raw.Tags).toEqual([
      { Key: 'site', Value: 'sailjada.com' },
      { Key: 'cost-center', Value: 'charters' },
    ]);
    const records = raw.RecordSets as JsonObject[];
    expect(records).toHaveLength(18);
    expect(records).toContainEqual({
      Name: 'sailjada.com.',
      Type: 'A',
      AliasTarget: {
        HostedZoneId: 'Z2FDTNDATAQYW2',
        DNSName: expect.stringMatching(/^d[a-z0-9]{13}\.cloudfront\.net\.$/),
        EvaluateTargetHealth: false,
      },
    });
    expect(records).toContainEqual({
      Name: 'api.sailjada.com.',
      Type: 'A',
      SetIdentifier: 'api-primary',
      Failover: 'PRIMARY',
      TTL: 60,
      ResourceRecords: [{ Value: '203.0.113.10' }],
      HealthCheckId: healthCheckId,
    });
    expect(records).toContainEqual(
      expect.objectContaining({
        Name: 'api.sailjada.com.',
        Type: 'AAAA',
        SetIdentifier: 'api-blue',
        Weight: 90,
      }),
    );
    expect(records).toContainEqual(expect.objectContaining({ Name: 'sailjada.com.', Type: 'MX', TTL: 3600 }));
    expect(
      records.filter((record) => String(record.Name).endsWith('._domainkey.sailjada.com.')),
    ).toHaveLength(3);
  });

  it('records the query logging of queenofsandiego.com, which DNSSEC does not sign', async () => {
    // Act
    const { raw } = await describeZone('queenofsandiego.com');

    // Assert
    expect(raw.QueryLoggingConfigs).toEqual([
      {
        Id: expect.any(String),
        HostedZoneId: account.route53.hostedZoneId('queenofsandiego.com'),
        CloudWatchLogsLogGroupArn:
          'arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/queenofsandiego.com',
      },
    ]);
    expect(raw.DNSSEC).toEqual({ Status: { ServeSignature: 'NOT_SIGNING' }, KeySigningKeys: [] });
    expect(raw.HostedZone).toMatchObject({ Config: { Comment: 'HostedZone created by Route53 Registrar' } });
  });

  it('follows NextRecordName, NextRecordType and NextRecordIdentifier through every page of a large zone', async () => {
    // Arrange
    for (let i = 0; i < 320; i++) {
      account.route53.changeRecord('salejada.com', {
        action: 'CREATE',
        record: {
          Name: `promo.salejada.com`,
          Type: 'A',
          SetIdentifier: `promo-${String(i).padStart(3, '0')}`,
          Weight: 1,
          TTL: 60,
          ResourceRecords: [{ Value: `198.51.100.${i % 250}` }],
        },
      });
    }
    account.resetCallCounts();

    // Act
    const { raw } = await describeZone('salejada.com');

    // Assert
    const records = raw.RecordSets as JsonObject[];
    expect(records).toHaveLength(14 + 320);
    expect(
      new Set(records.map((record) => `${record.Name} ${record.Type} ${record.SetIdentifier}`)).size,
    ).toBe(334);
    expect(account.callCounts()).toMatchObject({ ListResourceRecordSets: 2 });
    expect(raw.HostedZone).toMatchObject({ ResourceRecordSetCount: 334 });
  });

  it('captures a private zone with its VPC, without asking for DNSSEC, which AWS refuses for private zones', async () => {
    // Arrange
    const events = account.route53.createHostedZone('internal.sailjada.com', {
      comment: 'Booking service internal names',
      vpc: { VPCRegion: 'us-east-1', VPCId: 'vpc-0a1b2c3d4e5f67890' },
    });
    const id = bareRoute53Id(createdId(events, 'hostedZone', 'id')) ?? '';
    account.resetCallCounts();

    // Act
    const { raw, gaps } = found(await route53HostedZone.describe(createCaptureContext(), id, GLOBAL));

    // Assert
    expect(gaps).toBeUndefined();
    expect(raw).toMatchObject({
      HostedZone: {
        Name: 'internal.sailjada.com.',
        Config: { PrivateZone: true },
        ResourceRecordSetCount: 2,
      },
      VPCs: [{ VPCRegion: 'us-east-1', VPCId: 'vpc-0a1b2c3d4e5f67890' }],
      DNSSEC: null,
    });
    expect(raw).not.toHaveProperty('DelegationSet');
    expect(account.callCounts()).not.toHaveProperty('GetDNSSEC');
  });

  it('records a denied tag listing as a gap and an unknown marker, and still captures the rest', async () => {
    // Arrange
    account.deny('route53:ListTagsForResource');

    // Act
    const { raw, gaps } = await describeZone('sailjada.com');

    // Assert
    expect(raw.Tags).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: GapKind.DENIED,
        type: ZONE,
        id: account.route53.hostedZoneId('sailjada.com'),
        operation: 'route53:ListTagsForResource',
        code: 'AccessDenied',
      }),
    ]);
    expect(raw.RecordSets).toHaveLength(18);
    expect(raw.DNSSEC).toMatchObject({ Status: { ServeSignature: 'SIGNING' } });
  });

  it('is a gap when GetHostedZone itself is denied for the zone', async () => {
    // Arrange
    const id = account.route53.hostedZoneId('salejada.com');
    account.deny('route53:GetHostedZone', id);

    // Act
    const described = await route53HostedZone.describe(createCaptureContext(), id, GLOBAL);

    // Assert
    expect(described).toEqual({
      status: 'gap',
      gap: expect.objectContaining({
        kind: GapKind.DENIED,
        operation: 'route53:GetHostedZone',
        code: 'AccessDenied',
      }),
    });
  });

  it('is not-found once the zone is deleted, and the deletion maps to that zone', async () => {
    // Arrange
    const created = account.route53.createHostedZone('old-promo.sailjada.com', {
      comment: 'Summer 2026 promo',
    });
    const id = bareRoute53Id(createdId(created, 'hostedZone', 'id')) ?? '';

    // Act
    const deleted = account.route53.deleteHostedZone('old-promo.sailjada.com');
    const described = await route53HostedZone.describe(createCaptureContext(), id, GLOBAL);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
    expect(mappedResources(created)).toEqual([`${ZONE}:${id}@global`]);
    expect(mappedResources(deleted)).toEqual([`${ZONE}:${id}@global`]);
  });
});

describe('route53HostedZone changes', () => {
  it('shows an UPSERT of a record in the next describe, and its event maps to exactly that zone', async () => {
    // Arrange
    const id = account.route53.hostedZoneId('sailjada.com');

    // Act
    const events = account.route53.changeRecord('sailjada.com', {
      action: 'UPSERT',
      record: {
        Name: 'sailjada.com.',
        Type: 'TXT',
        TTL: 60,
        ResourceRecords: [{ Value: '"v=spf1 include:_spf.google.com include:amazonses.com -all"' }],
      },
    });
    const { raw } = await describeZone('sailjada.com');

    // Assert
    expect(raw.RecordSets).toContainEqual({
      Name: 'sailjada.com.',
      Type: 'TXT',
      TTL: 60,
      ResourceRecords: [{ Value: '"v=spf1 include:_spf.google.com include:amazonses.com -all"' }],
    });
    expect(mappedResources(events)).toEqual([`${ZONE}:${id}@global`]);
    const detail = (events[0] as EventBridgeApiCallEnvelope).detail;
    expect(detail).toMatchObject({
      eventSource: 'route53.amazonaws.com',
      eventName: 'ChangeResourceRecordSets',
      awsRegion: 'us-east-1',
      requestParameters: {
        hostedZoneId: id,
        changeBatch: {
          changes: [{ action: 'UPSERT', resourceRecordSet: { name: 'sailjada.com.', tTL: 60 } }],
        },
      },
      responseElements: {
        changeInfo: { id: expect.stringMatching(/^\/change\/C0[0-9A-Z]{19}$/), status: 'PENDING' },
      },
    });
  });

  it('refuses to CREATE a record that exists, as InvalidChangeBatch', () => {
    // Act
    const create = () =>
      account.route53.changeRecord('sailjada.com', {
        action: 'CREATE',
        record: {
          Name: 'blog.sailjada.com',
          Type: 'CNAME',
          TTL: 300,
          ResourceRecords: [{ Value: 'sailjada.com' }],
        },
      });
    const createExisting = () =>
      account.route53.changeRecord('sailjada.com', {
        action: 'CREATE',
        record: {
          Name: 'sailjada.com.',
          Type: 'MX',
          TTL: 300,
          ResourceRecords: [{ Value: '10 mx.sailjada.com.' }],
        },
      });

    // Assert
    expect(create).not.toThrow();
    expect(createExisting).toThrow(Route53ChangeError);
    expect(createExisting).toThrow(/already exists/);
  });
});

describe('route53HostedZone.normalise', () => {
  it('keys record sets by name, type and set identifier, with their values sorted', async () => {
    // Arrange
    account.route53.changeRecord('sailjada.com', {
      action: 'CREATE',
      record: { Name: '*.sailjada.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.8' }] },
    });
    const { raw } = await describeZone('sailjada.com');

    // Act
    const normalised = route53HostedZone.normalise(raw);

    // Assert
    const records = normalised.RecordSets as JsonObject;
    expect(Object.keys(records)).toHaveLength(19);
    expect(records['sailjada.com. MX']).toMatchObject({
      TTL: 3600,
      ResourceRecords: [
        { Value: '1 aspmx.l.google.com.' },
        { Value: '10 alt3.aspmx.l.google.com.' },
        { Value: '10 alt4.aspmx.l.google.com.' },
        { Value: '5 alt1.aspmx.l.google.com.' },
        { Value: '5 alt2.aspmx.l.google.com.' },
      ],
    });
    expect(records['api.sailjada.com. A api-primary']).toMatchObject({ Failover: 'PRIMARY' });
    expect(records['api.sailjada.com. AAAA api-green']).toMatchObject({ Weight: 10 });
    expect(records['\\052.sailjada.com. A']).toMatchObject({ ResourceRecords: [{ Value: '192.0.2.8' }] });
    expect(normalised.Tags).toEqual({ site: 'sailjada.com', 'cost-center': 'charters' });
    expect(normalised.DNSSEC).toMatchObject({ KeySigningKeys: { sailjada_com_ksk: { Status: 'ACTIVE' } } });
  });

  it('makes keys printable and leaves an unknown marker as it is', () => {
    // Act
    const key = recordSetKey({ Name: 'api.sailjada.com.', Type: 'A', SetIdentifier: 'café\n' });
    const normalised = route53HostedZone.normalise({ RecordSets: { [UNKNOWN_MARKER]: 'AccessDenied' } });

    // Assert
    expect(key).toBe('api.sailjada.com. A caf\\u{e9}\\u{a}');
    expect(normalised.RecordSets).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
  });
});

describe('route53HealthCheck', () => {
  it('lists and describes the booking API health check with its tags', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const listed = await collect(route53HealthCheck.list(ctx, GLOBAL));
    const { raw, gaps } = found(await route53HealthCheck.describe(ctx, listed[0]?.id ?? '', GLOBAL));
    const normalised = route53HealthCheck.normalise(raw);

    // Assert
    expect(listed).toHaveLength(1);
    expect(gaps).toBeUndefined();
    expect(raw.HealthCheck).toMatchObject({
      Id: listed[0]?.id,
      HealthCheckVersion: 1,
      HealthCheckConfig: {
        Type: 'HTTPS',
        ResourcePath: '/health',
        FullyQualifiedDomainName: 'api.sailjada.com',
        IPAddress: '203.0.113.10',
        Port: 443,
        RequestInterval: 30,
        FailureThreshold: 3,
        Inverted: false,
        Disabled: false,
        Regions: ['us-east-1', 'us-west-1', 'us-west-2'],
      },
    });
    expect(normalised.Tags).toEqual({ Name: 'api.sailjada.com /health' });
  });

  it('records a denied tag listing as a gap and keeps the configuration', async () => {
    // Arrange
    const id = await seededHealthCheckId();
    account.deny('route53:ListTagsForResource', id);

    // Act
    const { raw, gaps } = found(await route53HealthCheck.describe(createCaptureContext(), id, GLOBAL));

    // Assert
    expect(raw.Tags).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: GapKind.DENIED,
        type: HEALTH_CHECK,
        operation: 'route53:ListTagsForResource',
      }),
    ]);
    expect(raw.HealthCheck).toMatchObject({ HealthCheckConfig: { ResourcePath: '/health' } });
  });

  it('captures a created health check with Route 53 defaults, and is not-found once deleted', async () => {
    // Arrange
    const created = account.route53.createHealthCheck({
      Type: 'HTTPS',
      FullyQualifiedDomainName: 'queenofsandiego.com',
      ResourcePath: '/',
    });
    const id = createdId(created, 'healthCheck', 'id');

    // Act
    const before = found(await route53HealthCheck.describe(createCaptureContext(), id, GLOBAL));
    const deleted = account.route53.deleteHealthCheck(id);
    const after = await route53HealthCheck.describe(createCaptureContext(), id, GLOBAL);

    // Assert
    expect(before.raw.HealthCheck).toMatchObject({
      HealthCheckConfig: { Port: 443, RequestInterval: 30, FailureThreshold: 3, EnableSNI: true },
    });
    expect(after).toEqual({ status: 'not-found' });
    expect(mappedResources(created)).toEqual([`${HEALTH_CHECK}:${id}@global`]);
    expect(mappedResources(deleted)).toEqual([`${HEALTH_CHECK}:${id}@global`]);
  });

  it('sorts regions in the normalised document, so a reorder is no change', () => {
    // Act
    const normalised = route53HealthCheck.normalise({
      HealthCheck: {
        Id: 'x',
        HealthCheckConfig: { Type: 'HTTPS', Regions: ['us-west-2', 'eu-west-1', 'us-east-1'] },
      },
      Tags: [],
    });

    // Assert
    expect(normalised.HealthCheck).toEqual({
      Id: 'x',
      HealthCheckConfig: { Type: 'HTTPS', Regions: ['eu-west-1', 'us-east-1', 'us-west-2'] },
    });
    expect(normalised.Tags).toEqual({});
  });
});

describe('a baseline under the real quota', () => {
  it('describes every zone and health check without one Throttling when calls go through the limiter', async () => {
    // Arrange
    account.route53.requestRate.enabled = true;
    const limit = callLimit(route53Service.rateLimit);
    const ctx = { ...createCaptureContext(), limit: () => limit };

    // Act
    const zones = await collect(route53HostedZone.list(ctx, GLOBAL));
    const checks = await collect(route53HealthCheck.list(ctx, GLOBAL));
    const described = await Promise.all([
      ...zones.map((zone) => route53HostedZone.describe(ctx, zone.id, GLOBAL)),
      ...checks.map((check) => route53HealthCheck.describe(ctx, check.id, GLOBAL)),
    ]);

    // Assert
    expect(described.map((result) => result.status)).toEqual(['found', 'found', 'found', 'found']);
    expect(described.flatMap((result) => (result.status === 'found' ? (result.gaps ?? []) : []))).toEqual([]);
    expect(account.route53.requestRate.throttled).toBe(0);
    expect(account.callCounts().total).toBe(19);
  });

  it('is throttled when the calls do not go through the limiter', async () => {
    // Arrange
    account.route53.requestRate.enabled = true;
    const ctx = createCaptureContext();

    // Act
    const zones = await collect(route53HostedZone.list(ctx, GLOBAL));
    await Promise.all(zones.map((zone) => route53HostedZone.describe(ctx, zone.id, GLOBAL)));

    // Assert
    expect(account.route53.requestRate.throttled).toBeGreaterThan(0);
  });
});

describe('route53 event mapping', () => {
  const fixtures = JSON.parse(
    readFileSync(path.join(import.meta.dirname, 'fixtures/events/route53.json'), 'utf8'),
  ) as Array<{ record: CloudTrailRecord; expected: string[] }>;

  it.each(fixtures.map((fixture, index) => [`${index} ${fixture.record.eventName}`, fixture] as const))(
    'maps fixture %s to exactly its expected resources',
    (_name, fixture) => {
      // Act
      const [event] = parseEventInput(JSON.stringify(fixture.record), 'route53.json');
      const resources = event ? mapEvent(event).resources : [];

      // Assert
      expect(resources.map((resource) => `${resource.type}:${resource.id}`)).toEqual(fixture.expected);
      for (const resource of resources) expect(resource.region).toBe('global');
    },
  );

  it('has a fixture for every declared event', () => {
    // Arrange
    const declared = [...Object.keys(route53HostedZone.events), ...Object.keys(route53HealthCheck.events)];

    // Act
    const covered = new Set(fixtures.map((fixture) => fixture.record.eventName));

    // Assert
    expect(declared.filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each([
    ['route53/ChangeResourceRecordSets-1.json', ['AWS::Route53::HostedZone:Z1PA6795UKMFR9']],
    ['route53/DeleteHostedZone-1.json', ['AWS::Route53::HostedZone:Z1PA6795UKMFR9']],
    ['route53/CreateHealthCheck-1.json', ['AWS::Route53::HealthCheck:b3c9cbc6-cd18-43bc-93f8-9e557example']],
    ['route53/ListHostedZones-1.json', []],
    ['route53/updateDomainContact-1.json', []],
  ])('maps the shared fixture %s to %j', (file, expected) => {
    // Arrange
    const [event] = parseEventInput(readFixture(file), file);
    if (!event) throw new Error(`${file} parsed to nothing`);

    // Act
    const { resources } = mapEvent(event);

    // Assert
    expect(resources.map((resource) => `${resource.type}:${resource.id}`)).toEqual(expected);
  });

  it('strips /hostedzone/ prefixes and never throws on an empty record', () => {
    // Arrange
    const record: CloudTrailRecord = {
      requestParameters: { hostedZoneId: '/hostedzone/Z0412871TGKTYMA4UE1ZX' },
    };

    // Act
    const ids = route53HostedZone.events.ChangeResourceRecordSets?.(record);

    // Assert
    expect(ids).toEqual(['Z0412871TGKTYMA4UE1ZX']);
    for (const extractor of Object.values({ ...route53HostedZone.events, ...route53HealthCheck.events })) {
      expect(extractor({})).toEqual([]);
    }
  });
});
