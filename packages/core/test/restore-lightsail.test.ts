import { describe, expect, it } from 'vitest';
import { lightsailInstance } from '../src/resources/lightsail-instance.js';
import { registry } from '../src/resources/registry.js';
import type { PlanInput } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig, UNPACED } from './support/restore-rig.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TYPE = 'AWS::Lightsail::Instance';
const ref = (id = 'jada-wordpress') => ({ account: ACCOUNT, region: REGION, type: TYPE, id });
const SNAPSHOT = 'tidemark-jada-wordpress-20261201T162005Z';

describe('restoring Lightsail instances against the simulated account', () => {
  const rig = restoreRig({
    definitions: registry.filter((definition) => definition.type === TYPE),
    rateLimits: { lightsail: UNPACED },
    manual: true,
  });

  /** A baseline with or without native snapshots, then jada-wordpress deleted; the plan and what applying did. */
  async function deleteAndRestore(lightsailSnapshots: boolean) {
    await rig.capture({ lightsailSnapshots });
    rig.account.lightsail.deleteInstance('jada-wordpress');
    const planned = await rig.plan({ resources: [ref()] });
    const report = await rig.apply(planned);
    return { resource: planned.resources[0], outcome: report.resources[0] };
  }

  it('plans an instance from the snapshot the capture recorded, for the user to create', async () => {
    // Act
    const { resource, outcome } = await deleteAndRestore(true);

    // Assert
    const snapshot = rig.account.lightsail
      .snapshotNames()
      .find((name) => name.startsWith('tidemark-jada-wordpress-'));
    expect(resource).toMatchObject({ action: 're-create', sends: false });
    expect(resource?.steps.map((step) => step.operation)).toEqual([
      'CreateInstancesFromSnapshot',
      'PutInstancePublicPorts',
      'AttachStaticIp',
    ]);
    expect(resource?.steps[0]?.input).toMatchObject({
      instanceNames: ['jada-wordpress'],
      instanceSnapshotName: snapshot,
      bundleId: 'small_3_0',
      keyPairName: 'jada-admin',
    });
    expect(outcome).toMatchObject({ status: 'by-hand', steps: [] });
    expect(rig.account.callCounts().CreateInstancesFromSnapshot).toBeUndefined();
  });

  it('cannot re-create an instance captured without a snapshot', async () => {
    // Act
    const { resource, outcome } = await deleteAndRestore(false);

    // Assert
    expect(resource).toMatchObject({
      action: 'cannot',
      reason: 'no snapshot was recorded: capture with --lightsail-snapshots',
      steps: [],
    });
    expect(outcome?.status).toBe('skipped');
  });
});

describe('Lightsail instance restore plans', () => {
  const SSH = {
    fromPort: 22,
    toPort: 22,
    protocol: 'tcp',
    accessFrom: 'Custom',
    accessType: 'Public',
    commonName: '',
    accessDirection: 'inbound',
    cidrs: ['203.0.113.7/32'],
    ipv6Cidrs: [],
    cidrListAliases: [],
  };
  const HTTPS = { ...SSH, fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'] };
  const document = (instance: JsonObject = {}, fields: JsonObject = {}): JsonObject => ({
    Instance: {
      name: 'jada-wordpress',
      location: { availabilityZone: 'us-east-1a', regionName: 'us-east-1' },
      blueprintId: 'wordpress',
      bundleId: 'small_3_0',
      addOns: { AutoSnapshot: { name: 'AutoSnapshot', status: 'Enabled', snapshotTimeOfDay: '06:00' } },
      ipAddressType: 'dualstack',
      networking: { ports: { 'tcp:22-22': SSH, 'tcp:443-443': HTTPS } },
      state: { name: 'running' },
      sshKeyName: 'jada-admin',
      tags: { site: 'salejada.com' },
      ...instance,
    },
    StaticIpName: 'jada-wordpress-ip',
    NativeSnapshot: { Name: SNAPSHOT, RequestedAt: '2026-12-01T16:20:05.000Z', Status: 'Started' },
    ...fields,
  });
  const input = (
    captured: JsonObject | undefined,
    live: JsonObject | undefined,
    prune = false,
  ): PlanInput => ({
    resource: ref(),
    target: ref(),
    ...(captured ? { captured: { document: captured, blobs: {} } } : {}),
    ...(live ? { live: { document: live, blobs: {} } } : {}),
    prune,
  });
  const step = (operation: string, stepInput: JsonObject, summary: string) => ({
    service: 'lightsail',
    operation,
    region: REGION,
    input: stepInput,
    summary,
  });
  const PORT_INFOS = [
    {
      fromPort: 22,
      toPort: 22,
      protocol: 'tcp',
      cidrs: ['203.0.113.7/32'],
      ipv6Cidrs: [],
      cidrListAliases: [],
    },
    {
      fromPort: 443,
      toPort: 443,
      protocol: 'tcp',
      cidrs: ['0.0.0.0/0'],
      ipv6Cidrs: ['::/0'],
      cidrListAliases: [],
    },
  ];

  it('creates a deleted instance from its recorded snapshot, then its firewall, static IP and state', () => {
    // Arrange
    const captured = document({ state: { name: 'stopped' } });

    // Act
    const change = lightsailInstance.restore?.plan(input(captured, undefined));

    // Assert
    expect(change).toEqual({
      action: 're-create',
      steps: [
        step(
          'CreateInstancesFromSnapshot',
          {
            instanceNames: ['jada-wordpress'],
            availabilityZone: 'us-east-1a',
            instanceSnapshotName: SNAPSHOT,
            bundleId: 'small_3_0',
            keyPairName: 'jada-admin',
            tags: [{ key: 'site', value: 'salejada.com' }],
            addOns: [{ addOnType: 'AutoSnapshot', autoSnapshotAddOnRequest: { snapshotTimeOfDay: '06:00' } }],
            ipAddressType: 'dualstack',
          },
          `create the instance again from the snapshot ${SNAPSHOT}`,
        ),
        step(
          'PutInstancePublicPorts',
          { instanceName: 'jada-wordpress', portInfos: PORT_INFOS },
          'put back its firewall: 2 rule(s), replacing those it has',
        ),
        step(
          'AttachStaticIp',
          { staticIpName: 'jada-wordpress-ip', instanceName: 'jada-wordpress' },
          'attach the static IP jada-wordpress-ip again (if another instance holds it now, detach it there first)',
        ),
        step('StopInstance', { instanceName: 'jada-wordpress' }, 'stop it: it was stopped'),
      ],
      notes: [
        `its disk is as the snapshot ${SNAPSHOT} holds it (taken 2026-12-01T16:20:05.000Z): what was written after is lost; the new instance gets new private and public addresses`,
      ],
    });
  });

  it('cannot re-create a deleted instance without a recorded snapshot', () => {
    // Arrange
    const { NativeSnapshot: _none, ...captured } = document();

    // Act
    const change = lightsailInstance.restore?.plan(input(captured, undefined));

    // Assert
    expect(change).toEqual({
      action: 'cannot',
      reason: 'no snapshot was recorded: capture with --lightsail-snapshots',
      steps: [],
    });
  });

  it('puts back the firewall, tags, state, static IP and automatic snapshots of a live instance', () => {
    // Arrange
    const live = document(
      {
        bundleId: 'medium_3_0',
        addOns: {},
        networking: { ports: { 'tcp:22-22': { ...SSH, cidrs: ['0.0.0.0/0'] } } },
        state: { name: 'stopped' },
        tags: { site: 'www.salejada.com', temp: 'yes' },
      },
      { StaticIpName: null },
    );

    // Act
    const change = lightsailInstance.restore?.plan(input(document(), live));

    // Assert
    expect(change).toEqual({
      action: 'update',
      steps: [
        step(
          'PutInstancePublicPorts',
          { instanceName: 'jada-wordpress', portInfos: PORT_INFOS },
          'put back its firewall: 2 rule(s), replacing those it has',
        ),
        step(
          'TagResource',
          { resourceName: 'jada-wordpress', tags: [{ key: 'site', value: 'salejada.com' }] },
          'put back the tags site',
        ),
        step(
          'UntagResource',
          { resourceName: 'jada-wordpress', tagKeys: ['temp'] },
          'remove the tags added since: temp',
        ),
        step('StartInstance', { instanceName: 'jada-wordpress' }, 'start it: it was running'),
        step(
          'AttachStaticIp',
          { staticIpName: 'jada-wordpress-ip', instanceName: 'jada-wordpress' },
          'attach the static IP jada-wordpress-ip again (if another instance holds it now, detach it there first)',
        ),
        step(
          'EnableAddOn',
          {
            resourceName: 'jada-wordpress',
            addOnRequest: {
              addOnType: 'AutoSnapshot',
              autoSnapshotAddOnRequest: { snapshotTimeOfDay: '06:00' },
            },
          },
          'put back its automatic snapshots and their time of day',
        ),
      ],
      notes: [
        'its bundle was small_3_0 and is medium_3_0: Lightsail cannot change a bundle in place; create an instance from a snapshot with bundle small_3_0',
      ],
    });
  });

  it('has nothing to do when only the snapshot and addresses moved on', () => {
    // Arrange
    const live = document(
      { publicIpAddress: '44.200.1.2' },
      { NativeSnapshot: { Name: 'tidemark-jada-wordpress-later' } },
    );

    // Act
    const change = lightsailInstance.restore?.plan(input(document(), live));

    // Assert
    expect(change).toEqual({ action: 'nothing', steps: [] });
  });
});
