import { GetInstanceSnapshotCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { lightsailDomain } from '../src/resources/lightsail-domain.js';
import { lightsailInstance, snapshotName } from '../src/resources/lightsail-instance.js';
import { lightsailStaticIp } from '../src/resources/lightsail-static-ip.js';
import type { JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found } from './support/capture-context.js';
import { mappedIdsInRegion } from './support/mapped-events.js';

const REGION = 'us-east-1';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start({ region: REGION });
});

afterEach(async () => {
  await account.stop();
});

/** The normalised document of an instance. */
async function instanceDocument(name: string, ctx = createCaptureContext()): Promise<JsonObject> {
  return lightsailInstance.normalise(found(await lightsailInstance.describe(ctx, name, REGION)).raw);
}

describe('lightsail listings', () => {
  it('lists the seeded instances, static IPs and the DNS zone', async () => {
    // Arrange
    const ctx = createCaptureContext();

    // Act
    const instances = await collect(lightsailInstance.list(ctx, REGION));
    const staticIps = await collect(lightsailStaticIp.list(ctx, REGION));
    const domains = await collect(lightsailDomain.list(ctx, REGION));

    // Assert
    expect(instances.map((listed) => listed.id)).toEqual(['jada-wordpress', 'staging-box']);
    expect(staticIps.map((listed) => listed.id)).toEqual(['jada-spare-ip', 'jada-wordpress-ip']);
    expect(domains.map((listed) => listed.id)).toEqual(['salejada.com']);
  });

  it('lists domains only in us-east-1, where Lightsail answers its domain APIs', async () => {
    // Arrange
    const ctx = createCaptureContext();
    account.resetCallCounts();

    // Act
    const elsewhere = await collect(lightsailDomain.list(ctx, 'eu-west-1'));

    // Assert
    expect(elsewhere).toEqual([]);
    expect(account.actionsCalled().has('lightsail:GetDomains')).toBe(false);
  });

  it('follows nextPageToken through a listing longer than a page', async () => {
    // Arrange
    await account.stop();
    account = await SimulatedAccount.start({ region: REGION, scale: { lightsailInstances: 45 } });
    const ctx = createCaptureContext();

    // Act
    const instances = await collect(lightsailInstance.list(ctx, REGION));

    // Assert
    expect(instances).toHaveLength(47);
    expect(instances.map((listed) => listed.id)).toContain('lab-0045');
    expect(account.callCounts().GetInstances).toBe(3);
  });
});

describe('lightsailInstance.describe', () => {
  it('captures the WordPress instance: blueprint, bundle, zone, firewall, add-on, static IP and tags', async () => {
    // Act
    const document = await instanceDocument('jada-wordpress');

    // Assert
    const instance = document.Instance as JsonObject;
    expect(instance).toMatchObject({
      blueprintId: 'wordpress',
      blueprintName: 'WordPress',
      bundleId: 'small_3_0',
      location: { availabilityZone: 'us-east-1a', regionName: 'us-east-1' },
      isStaticIp: true,
      ipAddressType: 'dualstack',
      sshKeyName: 'jada-admin',
      state: { name: 'running' },
      tags: { site: 'salejada.com', owner: 'marketing' },
      addOns: { AutoSnapshot: { status: 'Enabled', snapshotTimeOfDay: '06:00' } },
    });
    expect((instance.networking as JsonObject).ports).toMatchObject({
      'tcp:22-22': { cidrs: ['198.51.100.0/24'], ipv6Cidrs: [], cidrListAliases: ['lightsail-connect'] },
      'tcp:80-80': { cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'] },
      'tcp:443-443': { cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'] },
    });
    expect(document.PortStates).toMatchObject({ 'tcp:22-22': { state: 'open', cidrs: ['198.51.100.0/24'] } });
    expect(document.StaticIpName).toBe('jada-wordpress-ip');
    expect(document.NativeSnapshot).toBeUndefined();
  });

  it('records the stopped staging box as stopped, with no public address and no static IP', async () => {
    // Act
    const document = await instanceDocument('staging-box');

    // Assert
    const instance = document.Instance as JsonObject;
    expect(instance.state).toEqual({ code: 80, name: 'stopped' });
    expect(instance.publicIpAddress).toBeUndefined();
    expect(instance.isStaticIp).toBe(false);
    expect(document.StaticIpName).toBeNull();
  });

  it('records a denied port-state read as a gap and captures the rest', async () => {
    // Arrange
    account.deny('lightsail:GetInstancePortStates', 'jada-wordpress');
    const ctx = createCaptureContext();

    // Act
    const described = found(await lightsailInstance.describe(ctx, 'jada-wordpress', REGION));

    // Assert
    expect(described.raw.PortStates).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        operation: 'lightsail:GetInstancePortStates',
        id: 'jada-wordpress',
        code: 'AccessDeniedException',
      }),
    ]);
    expect((described.raw.Instance as JsonObject).bundleId).toBe('small_3_0');
    expect(described.raw.StaticIpName).toBe('jada-wordpress-ip');
  });

  it('answers not-found for a deleted instance', async () => {
    // Arrange
    account.lightsail.deleteInstance('staging-box');
    const ctx = createCaptureContext();

    // Act
    const described = await lightsailInstance.describe(ctx, 'staging-box', REGION);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });

  it('writes nothing to AWS without the lightsailSnapshots setting', async () => {
    // Arrange
    account.resetCallCounts();

    // Act
    await instanceDocument('jada-wordpress');

    // Assert
    expect([...account.actionsCalled()].filter((action) => /^lightsail:Create/.test(action))).toEqual([]);
    expect(account.lightsail.snapshotNames()).toEqual([]);
  });

  it('takes exactly one native snapshot with lightsailSnapshots and records its name', async () => {
    // Arrange
    const ctx = createCaptureContext({ lightsailSnapshots: true });
    account.resetCallCounts();

    // Act
    const document = await instanceDocument('jada-wordpress', ctx);

    // Assert
    expect(account.callCountsByAction()['lightsail:CreateInstanceSnapshot']).toBe(1);
    const names = account.lightsail.snapshotNames();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^tidemark-jada-wordpress-\d{8}T\d{6}Z$/);
    const recorded = document.NativeSnapshot as JsonObject;
    expect(recorded.Name).toBe(names[0]);
    expect(typeof recorded.RequestedAt).toBe('string');
    const shown = await new LightsailClient({ region: REGION }).send(
      new GetInstanceSnapshotCommand({ instanceSnapshotName: names[0] }),
    );
    expect(shown.instanceSnapshot).toMatchObject({
      fromInstanceName: 'jada-wordpress',
      fromBundleId: 'small_3_0',
      state: 'available',
    });
  });

  it('records a denied snapshot as a gap and still captures the instance', async () => {
    // Arrange
    account.deny('lightsail:CreateInstanceSnapshot');
    const ctx = createCaptureContext({ lightsailSnapshots: true });

    // Act
    const described = found(await lightsailInstance.describe(ctx, 'jada-wordpress', REGION));

    // Assert
    expect(described.raw.NativeSnapshot).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.gaps?.map((gap) => gap.operation)).toEqual(['lightsail:CreateInstanceSnapshot']);
    expect((described.raw.Instance as JsonObject).name).toBe('jada-wordpress');
  });
});

describe('snapshotName', () => {
  it('names a snapshot after the instance and the UTC second it was taken', () => {
    expect(snapshotName('jada-wordpress', new Date('2026-12-01T16:20:05.431Z'))).toBe(
      'tidemark-jada-wordpress-20261201T162005Z',
    );
  });
});

describe('lightsail changes', () => {
  it('shows an opened port in the next describe and maps the event to the instance', async () => {
    // Act
    const events = account.lightsail.openInstancePublicPorts('jada-wordpress', 8080);
    const document = await instanceDocument('jada-wordpress');

    // Assert
    expect(((document.Instance as JsonObject).networking as JsonObject).ports).toHaveProperty(
      'tcp:8080-8080',
    );
    expect(document.PortStates).toMatchObject({ 'tcp:8080-8080': { state: 'open', cidrs: ['0.0.0.0/0'] } });
    expect(mappedIdsInRegion(events)).toEqual(['AWS::Lightsail::Instance:jada-wordpress@us-east-1']);
  });

  it('maps one CreateInstances event naming two instances to both', async () => {
    // Act
    const events = account.lightsail.createInstances(['jada-shop-1', 'jada-shop-2']);
    const listed = await collect(lightsailInstance.list(createCaptureContext(), REGION));

    // Assert
    expect(events).toHaveLength(1);
    expect(mappedIdsInRegion(events).sort()).toEqual([
      'AWS::Lightsail::Instance:jada-shop-1@us-east-1',
      'AWS::Lightsail::Instance:jada-shop-2@us-east-1',
    ]);
    expect(listed.map((resource) => resource.id)).toEqual(
      expect.arrayContaining(['jada-shop-1', 'jada-shop-2']),
    );
  });

  it('shows a stopped instance as stopped, keeping its static IP address', async () => {
    // Act
    const events = account.lightsail.stopInstance('jada-wordpress');
    const document = await instanceDocument('jada-wordpress');

    // Assert
    expect((document.Instance as JsonObject).state).toEqual({ code: 80, name: 'stopped' });
    expect(document.StaticIpName).toBe('jada-wordpress-ip');
    expect(mappedIdsInRegion(events)).toEqual(['AWS::Lightsail::Instance:jada-wordpress@us-east-1']);
  });
});

describe('lightsailStaticIp.describe', () => {
  it('captures the address and the instance it is attached to', async () => {
    // Act
    const described = found(
      await lightsailStaticIp.describe(createCaptureContext(), 'jada-wordpress-ip', REGION),
    );

    // Assert
    expect(described.raw.StaticIp).toMatchObject({
      name: 'jada-wordpress-ip',
      isAttached: true,
      attachedTo: 'jada-wordpress',
      ipAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    });
  });

  it('answers not-found for a static IP that does not exist', async () => {
    expect(await lightsailStaticIp.describe(createCaptureContext(), 'jada-old-ip', REGION)).toEqual({
      status: 'not-found',
    });
  });
});

describe('lightsailDomain', () => {
  it('captures the zone records sorted by name and type, and its tags as a map', async () => {
    // Act
    const described = found(await lightsailDomain.describe(createCaptureContext(), 'salejada.com', REGION));
    const domain = lightsailDomain.normalise(described.raw).Domain as JsonObject;

    // Assert
    const entries = domain.domainEntries as JsonObject[];
    expect(entries.map((entry) => `${entry.name} ${entry.type}`)).toEqual([
      'salejada.com A',
      'salejada.com MX',
      'salejada.com TXT',
      'www.salejada.com CNAME',
    ]);
    expect(entries[3]).toMatchObject({ target: 'salejada.com', isAlias: false });
    expect(domain.tags).toEqual({ site: 'salejada.com' });
  });

  it('normalises records given in any order to the same document', () => {
    // Arrange
    const a = { name: 'a.example.com', type: 'A', target: '192.0.2.1', id: '-1' };
    const b = { name: 'a.example.com', type: 'TXT', target: '"x"', id: '-2' };

    // Act
    const one = lightsailDomain.normalise({ Domain: { name: 'example.com', domainEntries: [a, b] } });
    const other = lightsailDomain.normalise({ Domain: { name: 'example.com', domainEntries: [b, a] } });

    // Assert
    expect(one).toEqual(other);
  });
});
