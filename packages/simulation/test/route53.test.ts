import {
  GetHealthCheckCommand,
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandInput,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route53ChangeError, SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';

let account: SimulatedAccount;
let route53: Route53Client;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  route53 = new Route53Client({ region: 'us-east-1', maxAttempts: 1 });
});

afterEach(async () => {
  vi.useRealTimers();
  await account.stop();
});

function listRecords(input: Omit<ListResourceRecordSetsCommandInput, 'HostedZoneId'>) {
  const HostedZoneId = account.route53.hostedZoneId('sailjada.com');
  return route53.send(new ListResourceRecordSetsCommand({ HostedZoneId, ...input }));
}

describe('simulated Route 53 ListResourceRecordSets', () => {
  it('sorts by name with labels reversed, then type, and names the first record of the next page', async () => {
    // Act
    const first = await listRecords({ MaxItems: 2 });

    // Assert
    expect(first.ResourceRecordSets?.map((record) => `${record.Name} ${record.Type}`)).toEqual([
      'sailjada.com. A',
      'sailjada.com. AAAA',
    ]);
    expect(first).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'sailjada.com.',
      NextRecordType: 'MX',
      MaxItems: 2,
    });
    expect(first.NextRecordIdentifier).toBeUndefined();
  });

  it('starts at a name, type and set identifier, and reports the next set identifier', async () => {
    // Act
    const page = await listRecords({
      StartRecordName: 'api.sailjada.com',
      StartRecordType: 'A',
      StartRecordIdentifier: 'api-secondary',
      MaxItems: 2,
    });

    // Assert
    expect(page.ResourceRecordSets?.map((record) => record.SetIdentifier)).toEqual([
      'api-secondary',
      'api-blue',
    ]);
    expect(page).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'api.sailjada.com.',
      NextRecordType: 'AAAA',
      NextRecordIdentifier: 'api-green',
    });
  });

  it('walks every record once, one at a time, and stops when not truncated', async () => {
    // Arrange
    const all = await listRecords({});
    const walked: string[] = [];
    let start: Omit<ListResourceRecordSetsCommandInput, 'HostedZoneId'> = {};

    // Act
    for (
      let page = await listRecords({ MaxItems: 1 });
      ;
      page = await listRecords({ ...start, MaxItems: 1 })
    ) {
      walked.push(...(page.ResourceRecordSets ?? []).map((record) => JSON.stringify(record)));
      if (!page.IsTruncated) break;
      start = {
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        StartRecordIdentifier: page.NextRecordIdentifier,
      };
    }

    // Assert
    expect(all.IsTruncated).toBe(false);
    expect(walked).toHaveLength(18);
    expect(walked).toEqual((all.ResourceRecordSets ?? []).map((record) => JSON.stringify(record)));
  });

  it('answers InvalidInput for a type without a name, and returns at most 300 records', async () => {
    // Arrange
    for (let i = 0; i < 300; i++) {
      account.route53.changeRecord('sailjada.com', {
        action: 'CREATE',
        record: {
          Name: `host-${i}.sailjada.com`,
          Type: 'A',
          TTL: 300,
          ResourceRecords: [{ Value: '192.0.2.1' }],
        },
      });
    }

    // Act
    const invalid = await failure(listRecords({ StartRecordType: 'A' }));
    const capped = await listRecords({ MaxItems: 1000 });

    // Assert
    expect(invalid).toMatchObject({ name: 'InvalidInput', $metadata: { httpStatusCode: 400 } });
    expect(capped.ResourceRecordSets).toHaveLength(300);
    expect(capped.IsTruncated).toBe(true);
  });
});

describe('simulated Route 53 zones and health checks', () => {
  it('pages ListHostedZones with Marker and NextMarker, ids as /hostedzone/…', async () => {
    // Act
    const first = await route53.send(new ListHostedZonesCommand({ MaxItems: 2 }));
    const second = await route53.send(new ListHostedZonesCommand({ MaxItems: 2, Marker: first.NextMarker }));

    // Assert
    expect(first.HostedZones).toHaveLength(2);
    expect(first).toMatchObject({ IsTruncated: true, MaxItems: 2 });
    expect(second.HostedZones).toHaveLength(1);
    expect(second).toMatchObject({ IsTruncated: false, Marker: first.NextMarker });
    expect(second.NextMarker).toBeUndefined();
    const names = [...(first.HostedZones ?? []), ...(second.HostedZones ?? [])]
      .map((zone) => zone.Name)
      .sort();
    expect(names).toEqual(['queenofsandiego.com.', 'sailjada.com.', 'salejada.com.']);
    expect(second.HostedZones?.[0]?.Id).toBe(`/hostedzone/${first.NextMarker}`);
  });

  it('answers GetHostedZone by id with or without /hostedzone/, and NoSuchHostedZone (404) for others', async () => {
    // Arrange
    const id = account.route53.hostedZoneId('salejada.com');

    // Act
    const prefixed = await route53.send(new GetHostedZoneCommand({ Id: `/hostedzone/${id}` }));
    const missing = await failure(route53.send(new GetHostedZoneCommand({ Id: 'Z0000000000000000000A' })));
    const noCheck = await failure(
      route53.send(new GetHealthCheckCommand({ HealthCheckId: '00000000-0000-4000-8000-000000000000' })),
    );

    // Assert
    expect(prefixed.HostedZone).toMatchObject({ Id: `/hostedzone/${id}`, Name: 'salejada.com.' });
    expect(prefixed.DelegationSet?.NameServers).toHaveLength(4);
    expect(missing).toMatchObject({ name: 'NoSuchHostedZone', $metadata: { httpStatusCode: 404 } });
    expect(noCheck).toMatchObject({ name: 'NoSuchHealthCheck', $metadata: { httpStatusCode: 404 } });
  });

  it('answers AccessDenied (403) for a denied zone only', async () => {
    // Arrange
    const denied = account.route53.hostedZoneId('salejada.com');
    account.deny('route53:GetHostedZone', denied);

    // Act
    const error = await failure(route53.send(new GetHostedZoneCommand({ Id: denied })));
    const other = await route53.send(
      new GetHostedZoneCommand({ Id: account.route53.hostedZoneId('sailjada.com') }),
    );

    // Assert
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(error.message).toContain(`arn:aws:route53:::hostedzone/${denied}`);
    expect(other.HostedZone?.Name).toBe('sailjada.com.');
  });

  it('seeds the same zone ids on every start', async () => {
    // Arrange
    const ids = ['queenofsandiego.com', 'sailjada.com', 'salejada.com'].map((d) =>
      account.route53.hostedZoneId(d),
    );

    // Act
    await account.stop();
    account = await SimulatedAccount.start();
    const again = ['queenofsandiego.com', 'sailjada.com', 'salejada.com'].map((d) =>
      account.route53.hostedZoneId(d),
    );

    // Assert
    expect(again).toEqual(ids);
  });

  it('adds scale.hostedZones generated zones of twenty records each', async () => {
    // Arrange
    await account.stop();
    account = await SimulatedAccount.start({ scale: { hostedZones: 8 } });

    // Act
    const zones = await route53.send(new ListHostedZonesCommand({}));

    // Assert
    expect(zones.HostedZones).toHaveLength(11);
    const generated = zones.HostedZones?.find((zone) => zone.Name === 'site-0008.sailjada-charters.com.');
    expect(generated?.ResourceRecordSetCount).toBe(20);
  });

  it('deletes a record only when it matches exactly, whatever the order of its fields', () => {
    // Arrange
    const record = {
      ResourceRecords: [{ Value: '"hello"' }],
      TTL: 300,
      Type: 'TXT' as const,
      Name: 'hi.sailjada.com',
    };
    account.route53.changeRecord('sailjada.com', { action: 'CREATE', record });

    // Act
    const wrongValue = () =>
      account.route53.changeRecord('sailjada.com', {
        action: 'DELETE',
        record: { ...record, ResourceRecords: [{ Value: '"bye"' }] },
      });
    const reordered = () =>
      account.route53.changeRecord('sailjada.com', {
        action: 'DELETE',
        record: { Name: 'hi.sailjada.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"hello"' }] },
      });

    // Assert
    expect(wrongValue).toThrow(/do not match the current values/);
    expect(reordered).not.toThrow();
    expect(reordered).toThrow(/was not found/);
  });

  it('refuses to delete a zone that still holds records, as HostedZoneNotEmpty', () => {
    // Act
    const deletion = () => account.route53.deleteHostedZone('salejada.com');

    // Assert
    expect(deletion).toThrow(Route53ChangeError);
    expect(deletion).toThrow(/contains resource record sets/);
  });
});

describe('simulated Route 53 request rate', () => {
  it('answers Throttling (400, Rate exceeded) above five requests in a second, once enabled', async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T16:00:00Z') });
    account.route53.requestRate.enabled = true;
    const list = () => route53.send(new ListHostedZonesCommand({}));

    // Act
    for (let i = 0; i < 5; i++) await list();
    const throttled = await failure(list());
    vi.setSystemTime(new Date('2026-12-01T16:00:01Z'));
    const later = await list();

    // Assert
    expect(throttled).toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    expect(later.HostedZones).toHaveLength(3);
    expect(account.route53.requestRate.throttled).toBe(1);
  });

  it('admits any rate while disabled (the default)', async () => {
    // Act
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => route53.send(new ListHostedZonesCommand({}))),
    );

    // Assert
    expect(answers).toHaveLength(20);
    expect(account.route53.requestRate.throttled).toBe(0);
  });
});
