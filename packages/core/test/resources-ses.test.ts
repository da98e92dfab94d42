import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { sesConfigurationSet } from '../src/resources/ses-configuration-set.js';
import { sesEmailIdentity } from '../src/resources/ses-email-identity.js';
import { sesReceiptRuleSet } from '../src/resources/ses-receipt-rule-set.js';
import { sesTemplate } from '../src/resources/ses-template.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import type { JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found } from './support/capture-context.js';
import { mappedIdsInRegion } from './support/mapped-events.js';

const HOME = 'us-east-1';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start({ region: HOME });
});

afterEach(async () => {
  await account.stop();
});

/** The normalised document of one resource, described now. */
async function documentOf(definition: ResourceDefinition, id: string): Promise<JsonObject> {
  const described = await definition.describe(createCaptureContext(), id, HOME);
  return definition.normalise(found(described).raw);
}

async function idsOf(definition: ResourceDefinition, region: string): Promise<string[]> {
  return (await collect(definition.list(createCaptureContext(), region))).map((listed) => listed.id).sort();
}

describe('sesEmailIdentity', () => {
  it('reads the notification settings of identities described together in one v1 call', async () => {
    // Arrange
    const ctx = createCaptureContext();
    const identities = await idsOf(sesEmailIdentity, HOME);
    account.resetCallCounts();

    // Act
    const documents = await Promise.all(
      identities.map(async (id) =>
        sesEmailIdentity.normalise(found(await sesEmailIdentity.describe(ctx, id, HOME)).raw),
      ),
    );

    // Assert
    expect(account.callCountsByAction()['ses:GetIdentityNotificationAttributes']).toBe(1);
    expect(account.callCountsByAction()['ses:GetEmailIdentity']).toBe(5);
    const sailjada = documents[identities.indexOf('sailjada.com')];
    expect(sailjada?.Notifications).toMatchObject({ BounceTopic: expect.stringContaining(':sns:') });
  });

  it('lists the domains and addresses of the home region, and nothing elsewhere', async () => {
    // Act
    const home = await idsOf(sesEmailIdentity, HOME);
    const elsewhere = await idsOf(sesEmailIdentity, 'us-west-2');

    // Assert
    expect(home).toEqual([
      'bookings@sailjada.com',
      'hello@queenofsandiego.com',
      'queenofsandiego.com',
      'sailjada.com',
      'salejada.com',
    ]);
    expect(elsewhere).toEqual([]);
  });

  it('lists every generated identity', async () => {
    // Arrange
    await account.stop();
    account = await SimulatedAccount.start({ region: HOME, scale: { emailIdentities: 1200 } });

    // Act
    const listed = await idsOf(sesEmailIdentity, HOME);

    // Assert
    expect(listed).toHaveLength(1205);
    expect(listed).toContain('crew-1200@sailjada.com');
  });

  it('describes a domain through both APIs: DKIM, MAIL FROM, configuration set and notification topics', async () => {
    // Act
    const document = await documentOf(sesEmailIdentity, 'sailjada.com');

    // Assert
    expect(document).toMatchObject({
      EmailIdentity: 'sailjada.com',
      IdentityType: 'DOMAIN',
      VerificationStatus: 'SUCCESS',
      VerifiedForSendingStatus: true,
      FeedbackForwardingStatus: true,
      DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', SigningAttributesOrigin: 'AWS_SES' },
      MailFromAttributes: { MailFromDomain: 'mail.sailjada.com', MailFromDomainStatus: 'SUCCESS' },
      ConfigurationSetName: 'transactional',
      Tags: { site: 'sailjada.com' },
      Notifications: {
        BounceTopic: 'arn:aws:sns:us-east-1:123456789012:ses-bounces',
        ComplaintTopic: 'arn:aws:sns:us-east-1:123456789012:ses-complaints',
        HeadersInBounceNotificationsEnabled: true,
        HeadersInComplaintNotificationsEnabled: false,
      },
    });
    expect((document.DkimAttributes as JsonObject).Tokens).toHaveLength(3);
    expect(document.Notifications).not.toHaveProperty('DeliveryTopic');
  });

  it('parses the sending-authorization policy of an address', async () => {
    // Act
    const document = await documentOf(sesEmailIdentity, 'bookings@sailjada.com');

    // Assert
    expect(document.IdentityType).toBe('EMAIL_ADDRESS');
    expect(document.Policies).toEqual({
      'booking-sender': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowBookingHandler',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:role/booking-handler-role' },
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: 'arn:aws:ses:us-east-1:123456789012:identity/bookings@sailjada.com',
          },
        ],
      },
    });
  });

  it('records an address still pending verification', async () => {
    // Act
    const document = await documentOf(sesEmailIdentity, 'hello@queenofsandiego.com');

    // Assert
    expect(document).toMatchObject({ VerificationStatus: 'PENDING', VerifiedForSendingStatus: false });
  });

  it('keeps the identity when the v1 notification read is denied, with a gap for that part alone', async () => {
    // Arrange
    account.deny('ses:GetIdentityNotificationAttributes');

    // Act
    const described = found(await sesEmailIdentity.describe(createCaptureContext(), 'sailjada.com', HOME));

    // Assert
    expect(described.raw.Notifications).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
    expect(described.raw.MailFromAttributes).toMatchObject({ MailFromDomain: 'mail.sailjada.com' });
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        operation: 'ses:GetIdentityNotificationAttributes',
        id: 'sailjada.com',
        code: 'AccessDenied',
      }),
    ]);
  });

  it('is a gap as a whole when GetEmailIdentity is denied for it', async () => {
    // Arrange
    account.deny('ses:GetEmailIdentity', 'sailjada.com');

    // Act
    const denied = await sesEmailIdentity.describe(createCaptureContext(), 'sailjada.com', HOME);
    const other = await sesEmailIdentity.describe(createCaptureContext(), 'salejada.com', HOME);

    // Assert
    expect(denied).toMatchObject({
      status: 'gap',
      gap: { operation: 'ses:GetEmailIdentity', code: 'AccessDeniedException' },
    });
    expect(other.status).toBe('found');
  });

  it('still describes an identity after SES v2 throttled the first attempt', async () => {
    // Arrange
    account.throttle('ses:GetEmailIdentity', 1);

    // Act
    const described = await sesEmailIdentity.describe(createCaptureContext(), 'salejada.com', HOME);

    // Assert
    expect(described.status).toBe('found');
    expect(account.faultCounts()).toEqual({ 'sesv2:TooManyRequestsException': 1 });
  });

  it('is not found once deleted, and the v1 DeleteIdentity event names it', async () => {
    // Act
    const events = account.ses.deleteIdentity('hello@queenofsandiego.com');
    const described = await sesEmailIdentity.describe(
      createCaptureContext(),
      'hello@queenofsandiego.com',
      HOME,
    );

    // Assert
    expect(described).toEqual({ status: 'not-found' });
    expect(mappedIdsInRegion(events)).toEqual([
      'AWS::SES::EmailIdentity:hello@queenofsandiego.com@us-east-1',
    ]);
  });

  it('maps a v1 and a v2 change of the same identity to the same resource, and shows both changes', async () => {
    // Act
    const verified = account.ses.verifyEmailIdentity('charters@sailjada.com');
    const mailFrom = account.ses.putEmailIdentityMailFrom('charters@sailjada.com', 'bounce.sailjada.com');
    const document = await documentOf(sesEmailIdentity, 'charters@sailjada.com');

    // Assert
    expect(mappedIdsInRegion(verified)).toEqual(['AWS::SES::EmailIdentity:charters@sailjada.com@us-east-1']);
    expect(mappedIdsInRegion(mailFrom)).toEqual(['AWS::SES::EmailIdentity:charters@sailjada.com@us-east-1']);
    expect(document).toMatchObject({
      VerificationStatus: 'PENDING',
      MailFromAttributes: { MailFromDomain: 'bounce.sailjada.com', MailFromDomainStatus: 'PENDING' },
    });
  });
});

describe('sesConfigurationSet', () => {
  it('lists the transactional set', async () => {
    // Act
    const listed = await idsOf(sesConfigurationSet, HOME);

    // Assert
    expect(listed).toEqual(['transactional']);
  });

  it('describes its options and its event destinations keyed by name', async () => {
    // Act
    const document = await documentOf(sesConfigurationSet, 'transactional');

    // Assert
    expect(document).toMatchObject({
      ConfigurationSetName: 'transactional',
      DeliveryOptions: { TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 3600 },
      TrackingOptions: { CustomRedirectDomain: 'track.sailjada.com', HttpsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      Tags: { team: 'bookings' },
    });
    expect(document.EventDestinations).toEqual({
      'bounces-to-sns': {
        Name: 'bounces-to-sns',
        Enabled: true,
        MatchingEventTypes: ['BOUNCE', 'COMPLAINT', 'REJECT'],
        SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-bounces' },
      },
      metrics: {
        Name: 'metrics',
        Enabled: true,
        MatchingEventTypes: ['SEND', 'DELIVERY', 'OPEN', 'CLICK'],
        CloudWatchDestination: {
          DimensionConfigurations: [
            { DimensionName: 'campaign', DimensionValueSource: 'MESSAGE_TAG', DefaultDimensionValue: 'none' },
          ],
        },
      },
    });
  });

  it('keeps the set when its event destinations cannot be read', async () => {
    // Arrange
    account.deny('ses:GetConfigurationSetEventDestinations');

    // Act
    const described = found(
      await sesConfigurationSet.describe(createCaptureContext(), 'transactional', HOME),
    );

    // Assert
    expect(described.raw.EventDestinations).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(described.raw.DeliveryOptions).toEqual({ TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 3600 });
    expect(described.gaps?.map((gap) => gap.operation)).toEqual(['ses:GetConfigurationSetEventDestinations']);
  });

  it('is not found when it does not exist', async () => {
    // Act
    const described = await sesConfigurationSet.describe(createCaptureContext(), 'newsletter', HOME);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('sesTemplate', () => {
  it('lists both templates', async () => {
    // Act
    const listed = await idsOf(sesTemplate, HOME);

    // Assert
    expect(listed).toEqual(['booking-confirmation', 'password-reset']);
  });

  it('shows an update in the next describe, and its event names exactly that template', async () => {
    // Act
    const events = account.ses.updateTemplate('booking-confirmation', {
      subject: 'Anchors aweigh on {{date}}, {{name}}',
    });
    const document = await documentOf(sesTemplate, 'booking-confirmation');

    // Assert
    expect(document).toMatchObject({
      TemplateName: 'booking-confirmation',
      TemplateContent: {
        Subject: 'Anchors aweigh on {{date}}, {{name}}',
        Text: 'Ahoy {{name}}! Your booking {{bookingId}} for {{date}} is confirmed. Boarding at {{time}}.',
      },
      Tags: { site: 'sailjada.com' },
    });
    expect(mappedIdsInRegion(events)).toEqual(['AWS::SES::Template:booking-confirmation@us-east-1']);
  });

  it('is not found when it does not exist', async () => {
    // Act
    const described = await sesTemplate.describe(createCaptureContext(), 'gift-card', HOME);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('sesReceiptRuleSet', () => {
  it('lists the inbound rule set', async () => {
    // Act
    const listed = await idsOf(sesReceiptRuleSet, HOME);

    // Assert
    expect(listed).toEqual(['inbound']);
  });

  it('describes its rules in the order SES applies them, and that it is the active set', async () => {
    // Act
    const document = await documentOf(sesReceiptRuleSet, 'inbound');

    // Assert
    expect(document.Active).toBe(true);
    expect(document.Metadata).toEqual({ Name: 'inbound', CreatedTimestamp: '2025-05-20T12:44:10.000Z' });
    expect(document.Rules).toEqual([
      {
        Name: 'store-inbound',
        Enabled: true,
        TlsPolicy: 'Require',
        Recipients: ['bookings@sailjada.com', 'hello@queenofsandiego.com'],
        Actions: [{ S3Action: { BucketName: 'sailjada-inbound-mail', ObjectKeyPrefix: 'inbound/' } }],
        ScanEnabled: true,
      },
      {
        Name: 'parse-booking-replies',
        Enabled: true,
        TlsPolicy: 'Optional',
        Recipients: ['bookings@sailjada.com'],
        Actions: [
          {
            LambdaAction: {
              FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:booking-handler',
              InvocationType: 'Event',
            },
          },
        ],
        ScanEnabled: true,
      },
    ]);
  });

  it('records the active flag as unknown when DescribeActiveReceiptRuleSet is denied', async () => {
    // Arrange
    account.deny('ses:DescribeActiveReceiptRuleSet');

    // Act
    const described = found(await sesReceiptRuleSet.describe(createCaptureContext(), 'inbound', HOME));

    // Assert
    expect(described.raw.Active).toEqual({ [UNKNOWN_MARKER]: 'AccessDenied' });
    expect(described.raw.Rules).toHaveLength(2);
    expect(described.gaps?.map((gap) => gap.operation)).toEqual(['ses:DescribeActiveReceiptRuleSet']);
  });

  it('is not found when SES answers RuleSetDoesNotExist', async () => {
    // Act
    const described = await sesReceiptRuleSet.describe(createCaptureContext(), 'inbound-2027', HOME);

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});
