import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

let account: SimulatedAccount;
let route53: Route53Client;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  route53 = new Route53Client({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

const SHOP_A_RECORD: ResourceRecordSet = {
  Name: 'shop.sailjada.com.',
  Type: 'A',
  TTL: 300,
  ResourceRecords: [{ Value: '192.0.2.10' }],
};

const SHOP_A: Change = { Action: 'CREATE', ResourceRecordSet: SHOP_A_RECORD };

const SHOP_CNAME: Change = {
  Action: 'CREATE',
  ResourceRecordSet: {
    Name: 'shop.sailjada.com.',
    Type: 'CNAME',
    TTL: 300,
    ResourceRecords: [{ Value: 'shops.example.net' }],
  },
};

function changeSailjada(...Changes: Change[]) {
  return route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: account.route53.hostedZoneId('sailjada.com'),
      ChangeBatch: { Changes },
    }),
  );
}

/** The record sets of sailjada.com named `name`, as `type value…` lines. */
async function recordsNamed(name: string): Promise<string[]> {
  const { ResourceRecordSets = [] } = await route53.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: account.route53.hostedZoneId('sailjada.com') }),
  );
  return ResourceRecordSets.filter((record) => record.Name === name).map((record) =>
    [record.Type, record.TTL, ...(record.ResourceRecords ?? []).map((value) => value.Value)].join(' '),
  );
}

describe('simulated Route 53 ChangeResourceRecordSets', () => {
  it('applies a batch and answers a PENDING change that GetChange then reports INSYNC', async () => {
    // Act
    const { ChangeInfo } = await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: account.route53.hostedZoneId('sailjada.com'),
        ChangeBatch: {
          Comment: 'restore shop',
          Changes: [
            SHOP_A,
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'shop.sailjada.com',
                Type: 'TXT',
                TTL: 60,
                ResourceRecords: [{ Value: '"v=shop"' }],
              },
            },
          ],
        },
      }),
    );
    const change = await route53.send(new GetChangeCommand({ Id: ChangeInfo?.Id }));

    // Assert
    expect(ChangeInfo).toMatchObject({ Status: 'PENDING', Comment: 'restore shop' });
    expect(ChangeInfo?.Id).toMatch(/^\/change\/C[0-9A-Z]+$/);
    expect(ChangeInfo?.SubmittedAt).toBeInstanceOf(Date);
    expect(change.ChangeInfo).toMatchObject({
      Id: ChangeInfo?.Id,
      Status: 'INSYNC',
      Comment: 'restore shop',
    });
    expect(await recordsNamed('shop.sailjada.com.')).toEqual(['A 300 192.0.2.10', 'TXT 60 "v=shop"']);
  });

  it('changes nothing when one change of the batch is invalid, and lists why', async () => {
    // Act
    const error = await failure(
      changeSailjada(SHOP_A, {
        Action: 'DELETE',
        ResourceRecordSet: {
          Name: 'gone.sailjada.com.',
          Type: 'A',
          TTL: 300,
          ResourceRecords: [{ Value: '192.0.2.99' }],
        },
      }),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'InvalidChangeBatch',
      message:
        "[Tried to delete resource record set [name='gone.sailjada.com.', type='A'] but it was not found]",
      messages: [
        "Tried to delete resource record set [name='gone.sailjada.com.', type='A'] but it was not found",
      ],
      $metadata: { httpStatusCode: 400 },
    });
    expect(await recordsNamed('shop.sailjada.com.')).toEqual([]);
  });

  it('refuses a DELETE whose values differ from the record, and a CREATE of a record that exists', async () => {
    // Arrange
    await changeSailjada(SHOP_A);

    // Act
    const error = await failure(
      changeSailjada({ Action: 'DELETE', ResourceRecordSet: { ...SHOP_A_RECORD, TTL: 60 } }, SHOP_A),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'InvalidChangeBatch',
      message:
        "[Tried to delete resource record set [name='shop.sailjada.com.', type='A'] but the values provided do not match the current values, Tried to create resource record set [name='shop.sailjada.com.', type='A'] but it already exists]",
    });
    expect(await recordsNamed('shop.sailjada.com.')).toEqual(['A 300 192.0.2.10']);
  });

  it('replaces an A record by a CNAME with a DELETE then a CREATE in one batch', async () => {
    // Arrange
    await changeSailjada(SHOP_A);

    // Act
    await changeSailjada({ ...SHOP_A, Action: 'DELETE' }, SHOP_CNAME);

    // Assert
    expect(await recordsNamed('shop.sailjada.com.')).toEqual(['CNAME 300 shops.example.net']);
  });

  it('refuses a CNAME beside an A record of the same name', async () => {
    // Arrange
    await changeSailjada(SHOP_A);

    // Act
    const error = await failure(changeSailjada(SHOP_CNAME));

    // Assert
    expect(error).toMatchObject({
      name: 'InvalidChangeBatch',
      message:
        'RRSet of type CNAME with DNS name shop.sailjada.com. is not permitted as it conflicts with other records with the same DNS name in zone sailjada.com.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await recordsNamed('shop.sailjada.com.')).toEqual(['A 300 192.0.2.10']);
  });

  it('answers NoSuchHostedZone for a zone that does not exist', async () => {
    // Act
    const error = await failure(
      route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: 'Z0NOSUCHZONE',
          ChangeBatch: { Changes: [SHOP_A] },
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'NoSuchHostedZone',
      message: 'No hosted zone found with ID: Z0NOSUCHZONE',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers AccessDenied when the caller may not change record sets', async () => {
    // Arrange
    account.deny('route53:ChangeResourceRecordSets');

    // Act
    const error = await failure(changeSailjada(SHOP_A));

    // Assert
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(await recordsNamed('shop.sailjada.com.')).toEqual([]);
  });

  it('records the batch in CloudTrail with the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    const { ChangeInfo } = await changeSailjada(SHOP_A);

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'route53.amazonaws.com',
        eventName: 'ChangeResourceRecordSets',
        awsRegion: 'us-east-1',
        requestParameters: {
          hostedZoneId: account.route53.hostedZoneId('sailjada.com'),
          changeBatch: {
            changes: [
              {
                action: 'CREATE',
                resourceRecordSet: {
                  name: 'shop.sailjada.com.',
                  type: 'A',
                  tTL: 300,
                  resourceRecords: [{ value: '192.0.2.10' }],
                },
              },
            ],
          },
        },
        responseElements: { changeInfo: { id: ChangeInfo?.Id, status: 'PENDING' } },
      },
    ]);
    expect(records[0]?.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });

  it('counts against the request rate like the other calls', async () => {
    // Arrange
    account.route53.requestRate.enabled = true;
    for (let i = 0; i < 5; i++) await recordsNamed('sailjada.com.');

    // Act
    const error = await failure(changeSailjada(SHOP_A));

    // Assert
    expect(error).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
  });
});

describe('simulated Route 53 ChangeTagsForResource', () => {
  it('adds, replaces and removes a hosted zone’s tags', async () => {
    // Arrange
    const ResourceId = account.route53.hostedZoneId('queenofsandiego.com');

    // Act
    await route53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId,
        AddTags: [
          { Key: 'owner', Value: 'jada' },
          { Key: 'site', Value: 'queenofsandiego.com (restored)' },
        ],
        RemoveTagKeys: ['cost-center'],
      }),
    );
    const { ResourceTagSet } = await route53.send(
      new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId }),
    );

    // Assert
    expect(ResourceTagSet?.Tags).toEqual([
      { Key: 'site', Value: 'queenofsandiego.com (restored)' },
      { Key: 'owner', Value: 'jada' },
    ]);
  });
});
