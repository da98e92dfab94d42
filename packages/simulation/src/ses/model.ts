import type { ReceiptRule } from '@aws-sdk/client-ses';
import type {
  EventDestination,
  GetConfigurationSetResponse,
  GetEmailIdentityResponse,
  Tag,
} from '@aws-sdk/client-sesv2';
import type { AccountModel } from '../model.js';
import { SITE_DOMAINS, seedDate } from '../seed-names.js';

/** What v1 `GetIdentityNotificationAttributes` tells of an identity (v2 has no equivalent). */
export interface SimNotifications {
  bounceTopic?: string;
  complaintTopic?: string;
  deliveryTopic?: string;
  headersInBounce: boolean;
  headersInComplaint: boolean;
  headersInDelivery: boolean;
}

/** One SES identity (email address or domain): v2's view of it, and the v1-only notification settings. */
export interface SimIdentity {
  readonly name: string;
  /** `GetEmailIdentity`'s answer, in the SDK's shape (policies as JSON strings). */
  detail: Omit<GetEmailIdentityResponse, '$metadata'>;
  notifications: SimNotifications;
}

/** One configuration set: v2 `GetConfigurationSet`'s answer and its event destinations. */
export interface SimConfigurationSet {
  readonly name: string;
  detail: Omit<GetConfigurationSetResponse, '$metadata'>;
  destinations: EventDestination[];
}

/** One email template. */
export interface SimTemplate {
  readonly name: string;
  subject: string;
  html: string;
  text: string;
  readonly createdAt: Date;
  tags: Tag[];
}

/** One receipt rule set, its rules in the order SES applies them. */
export interface SimRuleSet {
  readonly name: string;
  readonly createdAt: Date;
  rules: ReceiptRule[];
}

/** SES's state in one region. */
export class SesRegion {
  readonly identities = new Map<string, SimIdentity>();
  readonly configurationSets = new Map<string, SimConfigurationSet>();
  readonly templates = new Map<string, SimTemplate>();
  readonly ruleSets = new Map<string, SimRuleSet>();
  /** The active receipt rule set's name, if one is active. */
  activeRuleSet: string | undefined;
}

/** The names the seed uses, for tests. */
export interface SesSeed {
  /** Domain identities, one per site. */
  readonly domains: readonly string[];
  /** The verified address with a sending-authorization policy. */
  readonly bookings: string;
  /** The address still pending verification. */
  readonly hello: string;
  readonly configurationSet: string;
  readonly templates: readonly string[];
  readonly activeRuleSet: string;
}

/** Easy DKIM tokens: three 32-character lower-case tokens. */
function dkimTokens(model: AccountModel): string[] {
  return [0, 1, 2].map(() => model.random.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789'));
}

/** SES of the simulated account, per region; the business's identities, templates and rules in the home region. */
export class SesModel {
  readonly #regions = new Map<string, SesRegion>();
  readonly #model: AccountModel;
  readonly seed: SesSeed;

  constructor(model: AccountModel, generatedIdentities: number) {
    this.#model = model;
    this.seed = this.#seedBusiness();
    for (let n = 1; n <= generatedIdentities; n++) this.#seedGenerated(n);
  }

  /** The state of a region (empty until something is created there). */
  region(region: string): SesRegion {
    let state = this.#regions.get(region);
    if (!state) {
      state = new SesRegion();
      this.#regions.set(region, state);
    }
    return state;
  }

  /** An email address identity, verified or pending; it signs with its domain's DKIM, so has none of its own. */
  emailIdentity(name: string, verified: boolean): SimIdentity {
    return {
      name,
      detail: {
        IdentityType: 'EMAIL_ADDRESS',
        FeedbackForwardingStatus: true,
        VerifiedForSendingStatus: verified,
        DkimAttributes: {
          SigningEnabled: false,
          Status: 'NOT_STARTED',
          Tokens: [],
          SigningAttributesOrigin: 'AWS_SES',
        },
        Policies: {},
        Tags: [],
        VerificationStatus: verified ? 'SUCCESS' : 'PENDING',
      },
      notifications: { headersInBounce: false, headersInComplaint: false, headersInDelivery: false },
    };
  }

  /**
   * An identity `CreateEmailIdentity` just created, pending verification: a domain (no `@`) with new Easy DKIM
   * tokens, signing enabled and pending; an address with none of its own.
   */
  newIdentity(name: string, at: Date): SimIdentity {
    const identity = this.emailIdentity(name, false);
    if (name.includes('@')) return identity;
    identity.detail.IdentityType = 'DOMAIN';
    identity.detail.DkimAttributes = {
      SigningEnabled: true,
      Status: 'PENDING',
      Tokens: dkimTokens(this.#model),
      SigningAttributesOrigin: 'AWS_SES',
      NextSigningKeyLength: 'RSA_2048_BIT',
      CurrentSigningKeyLength: 'RSA_2048_BIT',
      LastKeyGenerationTimestamp: at,
    };
    return identity;
  }

  /** `arn:aws:sns:<home region>:<account>:<name>` */
  topicArn(name: string): string {
    return `arn:aws:sns:${this.#model.homeRegion}:${this.#model.accountId}:${name}`;
  }

  #domainIdentity(domain: string, verifiedAt: Date): SimIdentity {
    const random = this.#model.random;
    return {
      name: domain,
      detail: {
        IdentityType: 'DOMAIN',
        FeedbackForwardingStatus: true,
        VerifiedForSendingStatus: true,
        DkimAttributes: {
          SigningEnabled: true,
          Status: 'SUCCESS',
          Tokens: dkimTokens(this.#model),
          SigningAttributesOrigin: 'AWS_SES',
          NextSigningKeyLength: 'RSA_2048_BIT',
          CurrentSigningKeyLength: 'RSA_2048_BIT',
          LastKeyGenerationTimestamp: verifiedAt,
        },
        Policies: {},
        Tags: [{ Key: 'site', Value: domain }],
        VerificationStatus: 'SUCCESS',
        VerificationInfo: {
          LastCheckedTimestamp: seedDate('2026-12-04T06:14:09'),
          LastSuccessTimestamp: seedDate('2026-12-04T06:14:09'),
          SOARecord: {
            PrimaryNameServer: `ns-${random.int(100, 2000)}.awsdns-${String(random.int(0, 63)).padStart(2, '0')}.org`,
            AdminEmail: 'awsdns-hostmaster.amazon.com',
            SerialNumber: 1,
          },
        },
      },
      notifications: { headersInBounce: false, headersInComplaint: false, headersInDelivery: false },
    };
  }

  #seedBusiness(): SesSeed {
    const home = this.region(this.#model.homeRegion);
    const account = this.#model.accountId;
    for (const [index, domain] of SITE_DOMAINS.entries()) {
      const identity = this.#domainIdentity(domain, seedDate(`2025-0${2 + index}-17T10:21:33`));
      home.identities.set(domain, identity);
    }
    // sailjada.com sends bookings: custom MAIL FROM and SNS bounce and complaint topics.
    const sailjada = home.identities.get('sailjada.com');
    if (sailjada) {
      sailjada.detail.MailFromAttributes = {
        MailFromDomain: 'mail.sailjada.com',
        MailFromDomainStatus: 'SUCCESS',
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      };
      sailjada.detail.ConfigurationSetName = 'transactional';
      sailjada.notifications = {
        bounceTopic: this.topicArn('ses-bounces'),
        complaintTopic: this.topicArn('ses-complaints'),
        headersInBounce: true,
        headersInComplaint: false,
        headersInDelivery: false,
      };
    }
    const bookings = this.emailIdentity('bookings@sailjada.com', true);
    bookings.detail.Policies = {
      'booking-sender': JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowBookingHandler',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:role/booking-handler-role` },
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: `arn:aws:ses:${this.#model.homeRegion}:${account}:identity/bookings@sailjada.com`,
          },
        ],
      }),
    };
    home.identities.set(bookings.name, bookings);
    const hello = this.emailIdentity('hello@queenofsandiego.com', false);
    home.identities.set(hello.name, hello);

    home.configurationSets.set('transactional', {
      name: 'transactional',
      detail: {
        ConfigurationSetName: 'transactional',
        TrackingOptions: { CustomRedirectDomain: 'track.sailjada.com', HttpsPolicy: 'REQUIRE' },
        DeliveryOptions: { TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 3600 },
        ReputationOptions: {
          ReputationMetricsEnabled: true,
          LastFreshStart: seedDate('2025-03-02T08:00:00'),
        },
        SendingOptions: { SendingEnabled: true },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
        Tags: [{ Key: 'team', Value: 'bookings' }],
      },
      destinations: [
        {
          Name: 'bounces-to-sns',
          Enabled: true,
          MatchingEventTypes: ['BOUNCE', 'COMPLAINT', 'REJECT'],
          SnsDestination: { TopicArn: this.topicArn('ses-bounces') },
        },
        {
          Name: 'metrics',
          Enabled: true,
          MatchingEventTypes: ['SEND', 'DELIVERY', 'OPEN', 'CLICK'],
          CloudWatchDestination: {
            DimensionConfigurations: [
              {
                DimensionName: 'campaign',
                DimensionValueSource: 'MESSAGE_TAG',
                DefaultDimensionValue: 'none',
              },
            ],
          },
        },
      ],
    });

    home.templates.set('booking-confirmation', {
      name: 'booking-confirmation',
      subject: 'Your sail with Jada on {{date}} is confirmed',
      html: '<h1>Ahoy {{name}}!</h1><p>Your booking {{bookingId}} for {{date}} is confirmed. Boarding at {{time}}.</p>',
      text: 'Ahoy {{name}}! Your booking {{bookingId}} for {{date}} is confirmed. Boarding at {{time}}.',
      createdAt: seedDate('2025-04-11T15:02:47'),
      tags: [{ Key: 'site', Value: 'sailjada.com' }],
    });
    home.templates.set('password-reset', {
      name: 'password-reset',
      subject: 'Reset your password',
      html: '<p>Follow <a href="{{link}}">this link</a> within 30 minutes to choose a new password.</p>',
      text: 'Follow this link within 30 minutes to choose a new password: {{link}}',
      createdAt: seedDate('2025-04-12T09:30:05'),
      tags: [],
    });

    home.ruleSets.set('inbound', {
      name: 'inbound',
      createdAt: seedDate('2025-05-20T12:44:10'),
      rules: [
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
                FunctionArn: this.#model.functionArn('booking-handler'),
                InvocationType: 'Event',
              },
            },
          ],
          ScanEnabled: true,
        },
      ],
    });
    home.activeRuleSet = 'inbound';

    return {
      domains: [...SITE_DOMAINS],
      bookings: bookings.name,
      hello: hello.name,
      configurationSet: 'transactional',
      templates: ['booking-confirmation', 'password-reset'],
      activeRuleSet: 'inbound',
    };
  }

  /** `emailIdentities` more verified addresses `crew-0001@sailjada.com`…, in the home region. */
  #seedGenerated(n: number): void {
    const name = `crew-${String(n).padStart(4, '0')}@sailjada.com`;
    this.region(this.#model.homeRegion).identities.set(name, this.emailIdentity(name, true));
  }
}
