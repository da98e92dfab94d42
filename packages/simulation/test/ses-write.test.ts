import {
  CreateEmailIdentityCommand,
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailIdentityPolicyCommand,
  GetEmailIdentityCommand,
  PutEmailIdentityConfigurationSetAttributesCommand,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityFeedbackAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedAccount } from '../src/index.js';
import { failure } from './support/failure.js';
import { cloudTrailRecordsSince } from './support/trail.js';

const ACCOUNT = '123456789012';
const SAILJADA_ARN = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/sailjada.com`;
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/email-sender-role` },
      Action: 'ses:SendEmail',
      Resource: SAILJADA_ARN,
    },
  ],
});

let account: SimulatedAccount;
let ses: SESv2Client;

beforeEach(async () => {
  account = await SimulatedAccount.start();
  ses = new SESv2Client({ region: 'us-east-1', maxAttempts: 1, customUserAgent: 'tidemark/1' });
});

afterEach(async () => {
  await account.stop();
});

const identity = (EmailIdentity: string) => ses.send(new GetEmailIdentityCommand({ EmailIdentity }));

describe('simulated SES CreateEmailIdentity and DeleteEmailIdentity', () => {
  it('creates a domain pending verification, with new Easy DKIM tokens, its tags and configuration set', async () => {
    // Act
    const created = await ses.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: 'charters.sailjada.com',
        Tags: [{ Key: 'site', Value: 'charters' }],
        ConfigurationSetName: 'transactional',
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
      }),
    );
    const read = await identity('charters.sailjada.com');

    // Assert
    expect(created).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        SigningEnabled: true,
        Status: 'PENDING',
        SigningAttributesOrigin: 'AWS_SES',
        NextSigningKeyLength: 'RSA_1024_BIT',
      },
    });
    expect(created.DkimAttributes?.Tokens).toHaveLength(3);
    expect(read).toMatchObject({
      VerificationStatus: 'PENDING',
      FeedbackForwardingStatus: true,
      ConfigurationSetName: 'transactional',
      Tags: [{ Key: 'site', Value: 'charters' }],
      Policies: {},
    });
  });

  it('creates an address without DKIM of its own, and refuses one that exists', async () => {
    // Act
    const created = await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'crew@sailjada.com' }));
    const again = await failure(
      ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'crew@sailjada.com' })),
    );

    // Assert
    expect(created).toMatchObject({
      IdentityType: 'EMAIL_ADDRESS',
      VerifiedForSendingStatus: false,
      DkimAttributes: { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [] },
    });
    expect(again).toMatchObject({ name: 'AlreadyExistsException', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a configuration set that does not exist', async () => {
    // Act
    const error = await failure(
      ses.send(
        new CreateEmailIdentityCommand({ EmailIdentity: 'crew@sailjada.com', ConfigurationSetName: 'bulk' }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 404 },
      message: 'Configuration set bulk does not exist.',
    });
    expect(await failure(identity('crew@sailjada.com'))).toMatchObject({ name: 'NotFoundException' });
  });

  it('deletes an identity', async () => {
    // Act
    await ses.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'bookings@sailjada.com' }));
    const error = await failure(identity('bookings@sailjada.com'));

    // Assert
    expect(error).toMatchObject({
      name: 'NotFoundException',
      message: 'Email identity bookings@sailjada.com does not exist.',
    });
  });
});

describe('simulated SES identity settings', () => {
  it('sets feedback forwarding, DKIM signing and the default configuration set, each off when left out', async () => {
    // Act
    await ses.send(new PutEmailIdentityFeedbackAttributesCommand({ EmailIdentity: 'sailjada.com' }));
    await ses.send(new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: 'sailjada.com' }));
    await ses.send(new PutEmailIdentityConfigurationSetAttributesCommand({ EmailIdentity: 'sailjada.com' }));
    const off = await identity('sailjada.com');
    await ses.send(
      new PutEmailIdentityFeedbackAttributesCommand({
        EmailIdentity: 'sailjada.com',
        EmailForwardingEnabled: true,
      }),
    );
    await ses.send(
      new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: 'sailjada.com', SigningEnabled: true }),
    );
    await ses.send(
      new PutEmailIdentityConfigurationSetAttributesCommand({
        EmailIdentity: 'sailjada.com',
        ConfigurationSetName: 'transactional',
      }),
    );
    const on = await identity('sailjada.com');

    // Assert
    expect(off).toMatchObject({ FeedbackForwardingStatus: false, DkimAttributes: { SigningEnabled: false } });
    expect(off).not.toHaveProperty('ConfigurationSetName');
    expect(on).toMatchObject({
      FeedbackForwardingStatus: true,
      DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' },
      ConfigurationSetName: 'transactional',
    });
  });

  it('sets a MAIL FROM domain pending, keeps the status of the same domain, and removes it when left out', async () => {
    // Act
    await ses.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: 'sailjada.com',
        MailFromDomain: 'mail.sailjada.com',
        BehaviorOnMxFailure: 'REJECT_MESSAGE',
      }),
    );
    const same = await identity('sailjada.com');
    await ses.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: 'sailjada.com',
        MailFromDomain: 'bounce.sailjada.com',
      }),
    );
    const other = await identity('sailjada.com');
    await ses.send(new PutEmailIdentityMailFromAttributesCommand({ EmailIdentity: 'sailjada.com' }));
    const none = await identity('sailjada.com');

    // Assert
    expect(same.MailFromAttributes).toEqual({
      MailFromDomain: 'mail.sailjada.com',
      MailFromDomainStatus: 'SUCCESS',
      BehaviorOnMxFailure: 'REJECT_MESSAGE',
    });
    expect(other.MailFromAttributes).toEqual({
      MailFromDomain: 'bounce.sailjada.com',
      MailFromDomainStatus: 'PENDING',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    expect(none).not.toHaveProperty('MailFromAttributes');
  });

  it('refuses a MAIL FROM domain outside the identity’s domain', async () => {
    // Act
    const error = await failure(
      ses.send(
        new PutEmailIdentityMailFromAttributesCommand({
          EmailIdentity: 'sailjada.com',
          MailFromDomain: 'mail.example.com',
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
  });

  it('creates, updates and deletes a sending-authorization policy', async () => {
    // Act
    await ses.send(
      new CreateEmailIdentityPolicyCommand({
        EmailIdentity: 'sailjada.com',
        PolicyName: 'sender',
        Policy: POLICY,
      }),
    );
    const duplicate = await failure(
      ses.send(
        new CreateEmailIdentityPolicyCommand({
          EmailIdentity: 'sailjada.com',
          PolicyName: 'sender',
          Policy: POLICY,
        }),
      ),
    );
    await ses.send(
      new UpdateEmailIdentityPolicyCommand({
        EmailIdentity: 'sailjada.com',
        PolicyName: 'sender',
        Policy: '{}',
      }),
    );
    const updated = await identity('sailjada.com');
    const unknown = await failure(
      ses.send(
        new UpdateEmailIdentityPolicyCommand({
          EmailIdentity: 'sailjada.com',
          PolicyName: 'other',
          Policy: '{}',
        }),
      ),
    );
    await ses.send(
      new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'sailjada.com', PolicyName: 'sender' }),
    );
    const deleted = await identity('sailjada.com');

    // Assert
    expect(duplicate).toMatchObject({ name: 'AlreadyExistsException' });
    expect(updated.Policies).toEqual({ sender: '{}' });
    expect(unknown).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
    expect(deleted.Policies).toEqual({});
  });

  it('tags and untags an identity by ARN', async () => {
    // Act
    await ses.send(
      new TagResourceCommand({
        ResourceArn: SAILJADA_ARN,
        Tags: [
          { Key: 'site', Value: 'www.sailjada.com' },
          { Key: 'team', Value: 'bookings' },
        ],
      }),
    );
    const tagged = await identity('sailjada.com');
    await ses.send(new UntagResourceCommand({ ResourceArn: SAILJADA_ARN, TagKeys: ['site', 'absent'] }));
    const untagged = await identity('sailjada.com');

    // Assert
    expect(tagged.Tags).toEqual([
      { Key: 'site', Value: 'www.sailjada.com' },
      { Key: 'team', Value: 'bookings' },
    ]);
    expect(untagged.Tags).toEqual([{ Key: 'team', Value: 'bookings' }]);
  });

  it('answers NotFoundException for an identity that does not exist', async () => {
    // Act
    const error = await failure(
      ses.send(
        new PutEmailIdentityDkimAttributesCommand({
          EmailIdentity: 'nobody.example.com',
          SigningEnabled: true,
        }),
      ),
    );

    // Assert
    expect(error).toMatchObject({
      name: 'NotFoundException',
      message: 'Email identity nobody.example.com does not exist.',
    });
  });

  it('records each write in CloudTrail with the caller’s user agent', async () => {
    // Arrange
    const before = account.events().length;

    // Act
    await ses.send(
      new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: 'sailjada.com', SigningEnabled: false }),
    );
    await ses.send(new UntagResourceCommand({ ResourceArn: SAILJADA_ARN, TagKeys: ['site'] }));

    // Assert
    const records = cloudTrailRecordsSince(account, before);
    expect(records).toMatchObject([
      {
        eventSource: 'ses.amazonaws.com',
        eventName: 'PutEmailIdentityDkimAttributes',
        awsRegion: 'us-east-1',
        requestParameters: { emailIdentity: 'sailjada.com', signingEnabled: false },
      },
      {
        eventName: 'UntagResource',
        requestParameters: { resourceArn: SAILJADA_ARN, tagKeys: ['site'] },
      },
    ]);
    for (const record of records) expect(record.userAgent).toMatch(/(^| )tidemark\/1( |$)/);
  });
});
