import {
  CreateEmailIdentityPolicyCommand,
  GetEmailIdentityCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { registry } from '../src/resources/registry.js';
import { sesEmailIdentity } from '../src/resources/ses-email-identity.js';
import type { PlanInput } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig, UNPACED } from './support/restore-rig.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TYPE = 'AWS::SES::EmailIdentity';
const ref = (id: string) => ({ account: ACCOUNT, region: REGION, type: TYPE, id });
const identityArn = (id: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${id}`;

describe('restoring SES identities against the simulated account', () => {
  const rig = restoreRig({
    definitions: registry.filter((definition) => definition.type === TYPE),
    rateLimits: { ses: UNPACED, sesv2: UNPACED },
  });
  const ses = () => new SESv2Client({ region: REGION });
  const plan = (id: string) => rig.plan({ resources: [ref(id)] });

  it('puts back forwarding, DKIM signing, configuration set, policies and tags changed since', async () => {
    // Arrange
    rig.account.ses.putEmailIdentityFeedback('sailjada.com', false);
    rig.account.ses.putEmailIdentityDkimSigning('sailjada.com', false);
    rig.account.ses.putEmailIdentityConfigurationSet('sailjada.com');
    rig.account.ses.tagEmailIdentity('sailjada.com', { team: 'marketing' }, ['site']);
    await ses().send(
      new CreateEmailIdentityPolicyCommand({
        EmailIdentity: 'sailjada.com',
        PolicyName: 'anyone',
        Policy: '{}',
      }),
    );

    // Act
    const planned = await plan('sailjada.com');
    const report = await rig.apply(planned);
    const again = await plan('sailjada.com');

    // Assert
    expect(planned.resources[0]?.steps.map((step) => step.operation)).toEqual([
      'PutEmailIdentityFeedbackAttributes',
      'PutEmailIdentityDkimAttributes',
      'PutEmailIdentityConfigurationSetAttributes',
      'DeleteEmailIdentityPolicy',
      'TagResource',
      'UntagResource',
    ]);
    expect(report.resources.map((outcome) => outcome.status)).toEqual(['restored']);
    expect(await ses().send(new GetEmailIdentityCommand({ EmailIdentity: 'sailjada.com' }))).toMatchObject({
      FeedbackForwardingStatus: true,
      DkimAttributes: { SigningEnabled: true },
      ConfigurationSetName: 'transactional',
      Policies: {},
      Tags: [{ Key: 'site', Value: 'sailjada.com' }],
    });
    expect(again.resources[0]?.action).toBe('nothing');
  });

  it('creates a deleted address again with its policy: it must be verified again', async () => {
    // Arrange
    rig.account.ses.deleteIdentity('bookings@sailjada.com');

    // Act
    const planned = await plan('bookings@sailjada.com');
    const report = await rig.apply(planned);
    const again = await plan('bookings@sailjada.com');

    // Assert
    const [resource] = planned.resources;
    expect(resource?.action).toBe('re-create');
    expect(resource?.steps.map((step) => [step.operation, step.input.PolicyName])).toEqual([
      ['CreateEmailIdentity', undefined],
      ['CreateEmailIdentityPolicy', 'booking-sender'],
    ]);
    expect(resource?.notes).toEqual([
      'the identity must be verified again: SES sends a verification email to bookings@sailjada.com, and it cannot send until its link is followed',
    ]);
    expect(report.resources[0]).toMatchObject({
      status: 'restored-with-differences',
      differs: ['VerificationStatus', 'VerifiedForSendingStatus'],
    });
    expect(again.resources[0]?.action).toBe('nothing');
  });
});

describe('SES identity restore plans', () => {
  const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail' }] };
  const document = (fields: JsonObject = {}): JsonObject => ({
    EmailIdentity: 'sailjada.com',
    IdentityType: 'DOMAIN',
    FeedbackForwardingStatus: true,
    VerifiedForSendingStatus: true,
    VerificationStatus: 'SUCCESS',
    DkimAttributes: {
      SigningEnabled: true,
      Status: 'SUCCESS',
      Tokens: ['t1', 't2', 't3'],
      SigningAttributesOrigin: 'AWS_SES',
      NextSigningKeyLength: 'RSA_2048_BIT',
      CurrentSigningKeyLength: 'RSA_2048_BIT',
    },
    MailFromAttributes: {
      MailFromDomain: 'mail.sailjada.com',
      MailFromDomainStatus: 'SUCCESS',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    },
    ConfigurationSetName: 'transactional',
    Policies: { sender: POLICY },
    Tags: { site: 'sailjada.com' },
    Notifications: {
      BounceTopic: `arn:aws:sns:${REGION}:${ACCOUNT}:ses-bounces`,
      HeadersInBounceNotificationsEnabled: true,
      HeadersInComplaintNotificationsEnabled: false,
      HeadersInDeliveryNotificationsEnabled: false,
    },
    ...fields,
  });
  const input = (
    captured: JsonObject | undefined,
    live: JsonObject | undefined,
    prune = false,
  ): PlanInput => ({
    resource: ref('sailjada.com'),
    target: ref('sailjada.com'),
    ...(captured ? { captured: { document: captured, blobs: {} } } : {}),
    ...(live ? { live: { document: live, blobs: {} } } : {}),
    prune,
  });
  const step = (operation: string, stepInput: JsonObject, summary: string) => ({
    service: 'sesv2',
    operation,
    region: REGION,
    input: stepInput,
    summary,
  });

  it('puts back each setting that differs, as SES v2 takes it', () => {
    // Arrange
    const live = document({
      FeedbackForwardingStatus: false,
      MailFromAttributes: {
        MailFromDomain: 'bounce.sailjada.com',
        MailFromDomainStatus: 'PENDING',
        BehaviorOnMxFailure: 'REJECT_MESSAGE',
      },
      ConfigurationSetName: 'bulk',
      Policies: { sender: { Version: '2012-10-17', Statement: [] }, other: POLICY },
      Tags: { site: 'www.sailjada.com', team: 'marketing' },
      Notifications: { ...(document().Notifications as JsonObject), BounceTopic: null },
    });

    // Act
    const change = sesEmailIdentity.restore?.plan(input(document(), live));

    // Assert
    expect(change).toEqual({
      action: 'update',
      steps: [
        step(
          'PutEmailIdentityFeedbackAttributes',
          { EmailIdentity: 'sailjada.com', EmailForwardingEnabled: true },
          'turn feedback forwarding on again',
        ),
        step(
          'PutEmailIdentityMailFromAttributes',
          {
            EmailIdentity: 'sailjada.com',
            MailFromDomain: 'mail.sailjada.com',
            BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
          },
          'put back the MAIL FROM domain mail.sailjada.com',
        ),
        step(
          'PutEmailIdentityConfigurationSetAttributes',
          { EmailIdentity: 'sailjada.com', ConfigurationSetName: 'transactional' },
          'make transactional its default configuration set again',
        ),
        step(
          'UpdateEmailIdentityPolicy',
          {
            EmailIdentity: 'sailjada.com',
            PolicyName: 'sender',
            Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendEmail"}]}',
          },
          'put back the sending-authorization policy sender',
        ),
        step(
          'DeleteEmailIdentityPolicy',
          { EmailIdentity: 'sailjada.com', PolicyName: 'other' },
          'delete the policy other, added since',
        ),
        step(
          'TagResource',
          { ResourceArn: identityArn('sailjada.com'), Tags: [{ Key: 'site', Value: 'sailjada.com' }] },
          'put back the tags site',
        ),
        step(
          'UntagResource',
          { ResourceArn: identityArn('sailjada.com'), TagKeys: ['team'] },
          'remove the tags added since: team',
        ),
      ],
      notes: [
        'SES checks the MAIL FROM domain’s MX record again: its status is pending until it is found',
        'its notification topics and headers differ and are not restored: set them with the v1 SetIdentityNotificationTopic and SetIdentityHeadersInNotificationsEnabled',
      ],
    });
  });

  it('creates a deleted domain again, then sets what creating it does not', () => {
    // Arrange
    const captured = document({ FeedbackForwardingStatus: false, Policies: {} });

    // Act
    const change = sesEmailIdentity.restore?.plan(input(captured, undefined));

    // Assert
    expect(change).toEqual({
      action: 're-create',
      steps: [
        step(
          'CreateEmailIdentity',
          {
            EmailIdentity: 'sailjada.com',
            Tags: [{ Key: 'site', Value: 'sailjada.com' }],
            ConfigurationSetName: 'transactional',
            DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
          },
          'create the identity again, with its tags and configuration set',
        ),
        step(
          'PutEmailIdentityFeedbackAttributes',
          { EmailIdentity: 'sailjada.com', EmailForwardingEnabled: false },
          'turn feedback forwarding off again',
        ),
        step(
          'PutEmailIdentityMailFromAttributes',
          {
            EmailIdentity: 'sailjada.com',
            MailFromDomain: 'mail.sailjada.com',
            BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
          },
          'put back the MAIL FROM domain mail.sailjada.com',
        ),
      ],
      notes: [
        'the identity must be verified again: SES gives it new DKIM tokens, whose three CNAME records (GetEmailIdentity shows them) go in the domain’s DNS in place of the old ones; it cannot send until they are found',
        'SES checks the MAIL FROM domain’s MX record again: its status is pending until it is found',
        'its notification topics and headers differ and are not restored: set them with the v1 SetIdentityNotificationTopic and SetIdentityHeadersInNotificationsEnabled',
      ],
    });
  });

  it('keeps an identity created since unless --prune, which deletes it', () => {
    // Act
    const kept = sesEmailIdentity.restore?.plan(input(undefined, document()));
    const pruned = sesEmailIdentity.restore?.plan(input(undefined, document(), true));

    // Assert
    expect(kept).toEqual({
      action: 'keep',
      reason: 'created after the moment restored to: kept (--prune deletes it)',
      steps: [],
    });
    expect(pruned).toEqual({
      action: 'remove',
      steps: [
        step(
          'DeleteEmailIdentity',
          { EmailIdentity: 'sailjada.com' },
          'delete the identity created after the moment restored to',
        ),
      ],
    });
  });
});
