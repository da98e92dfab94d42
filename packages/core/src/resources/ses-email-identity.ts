import {
  GetIdentityNotificationAttributesCommand,
  type IdentityNotificationAttributes,
} from '@aws-sdk/client-ses';
import { GetEmailIdentityCommand, paginateListEmailIdentities } from '@aws-sdk/client-sesv2';
import DataLoader from 'dataloader';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart, withoutMetadata } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { sesService, sesV2Service } from './services.js';
import { sesEmailIdentityRestore } from './ses-email-identity-restore.js';
import { SES_EVENT_SOURCE, sesExtractor } from './ses-shared.js';
import { isJsonObject, limitedPages, parsePolicy, pick, tagsAsMap, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::SES::EmailIdentity';

/**
 * Where SES calls name an identity: v2 `emailIdentity`, v1 `identity` (SetIdentity…, policies, DeleteIdentity),
 * `emailAddress` (VerifyEmailIdentity, VerifyEmailAddress, DeleteVerifiedEmailAddress) and `domain`
 * (VerifyDomainIdentity, VerifyDomainDkim); v2 tagging names it by ARN (`…:identity/<identity>`).
 */
export const identityFromRecord = sesExtractor(
  ['emailIdentity', 'identity', 'emailAddress', 'domain'],
  'identity',
);

/** CloudTrail events of both SES APIs that create, change or delete an identity. */
const IDENTITY_EVENTS = [
  // v1
  'VerifyEmailIdentity',
  'VerifyEmailAddress',
  'VerifyDomainIdentity',
  'VerifyDomainDkim',
  'DeleteIdentity',
  'DeleteVerifiedEmailAddress',
  'SetIdentityDkimEnabled',
  'SetIdentityMailFromDomain',
  'SetIdentityFeedbackForwardingEnabled',
  'SetIdentityNotificationTopic',
  'SetIdentityHeadersInNotificationsEnabled',
  'PutIdentityPolicy',
  'DeleteIdentityPolicy',
  // v2
  'CreateEmailIdentity',
  'DeleteEmailIdentity',
  'PutEmailIdentityDkimAttributes',
  'PutEmailIdentityDkimSigningAttributes',
  'PutEmailIdentityFeedbackAttributes',
  'PutEmailIdentityMailFromAttributes',
  'PutEmailIdentityConfigurationSetAttributes',
  'CreateEmailIdentityPolicy',
  'UpdateEmailIdentityPolicy',
  'DeleteEmailIdentityPolicy',
  'TagResource',
  'UntagResource',
] as const;

/**
 * What only the v1 API tells of an identity: its SNS topics per notification type and whether those notifications
 * carry the original headers. `ForwardingEnabled` is left out: v2's `FeedbackForwardingStatus` already says it.
 */
const NOTIFICATION_FIELDS = [
  'BounceTopic',
  'ComplaintTopic',
  'DeliveryTopic',
  'HeadersInBounceNotificationsEnabled',
  'HeadersInComplaintNotificationsEnabled',
  'HeadersInDeliveryNotificationsEnabled',
] as const;

async function* listIdentities(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(sesV2Service, region);
  const pages = paginateListEmailIdentities({ client, pageSize: 1000 }, {});
  for await (const page of limitedPages(ctx.limit(sesV2Service), pages)) {
    for (const identity of page.EmailIdentities ?? []) {
      if (identity.IdentityName) yield { id: identity.IdentityName };
    }
  }
}

/** GetIdentityNotificationAttributes takes at most 100 identities a call. */
const NOTIFICATION_BATCH = 100;

type NotificationAttributes = Record<string, IdentityNotificationAttributes | undefined>;

/** Per capture and region, the notification loader batching concurrent describes' v1 reads into one call. */
const notificationLoaders = new WeakMap<
  CaptureContext,
  Map<string, DataLoader<string, NotificationAttributes>>
>();

/**
 * The notification attributes of an identity, read in batches of up to 100 with the identities being described at
 * the same moment (a baseline describes them together): SES's v1 API allows one call a second, so one call per
 * identity would make a baseline wait a second per identity. Nothing is cached beyond one batch.
 */
function notificationsOf(
  ctx: CaptureContext,
  region: string,
  identity: string,
): Promise<NotificationAttributes> {
  let byRegion = notificationLoaders.get(ctx);
  if (!byRegion) {
    byRegion = new Map();
    notificationLoaders.set(ctx, byRegion);
  }
  let loader = byRegion.get(region);
  if (!loader) {
    const client = ctx.client(sesService, region);
    loader = new DataLoader(
      async (identities: readonly string[]) => {
        const output = await ctx.limit(sesService)(() =>
          client.send(new GetIdentityNotificationAttributesCommand({ Identities: [...identities] })),
        );
        return identities.map((name) => ({ [name]: output.NotificationAttributes?.[name] }));
      },
      { cache: false, maxBatchSize: NOTIFICATION_BATCH },
    );
    byRegion.set(region, loader);
  }
  return loader.load(identity);
}

async function describeIdentity(ctx: CaptureContext, identity: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: identity };
  const v2 = ctx.client(sesV2Service, region);

  const [described, notifications] = await Promise.all([
    readPart({ ...spec, operation: 'ses:GetEmailIdentity' }, () =>
      ctx.limit(sesV2Service)(() => v2.send(new GetEmailIdentityCommand({ EmailIdentity: identity }))),
    ),
    readPart({ ...spec, operation: 'ses:GetIdentityNotificationAttributes' }, () =>
      notificationsOf(ctx, region, identity),
    ),
  ]);
  if (described.state === 'not-found' || described.state === 'absent') return { status: 'not-found' };
  if (described.state === 'gap') return { status: 'gap', gap: described.gap };

  const raw: JsonObject = {
    EmailIdentity: identity,
    ...toJsonObject(withoutMetadata(described.value)),
    // v1 answers an identity it does not know with an empty map, not an error.
    Notifications: partValue(notifications, (output) => {
      const attributes = output[identity];
      return attributes ? pick(attributes, NOTIFICATION_FIELDS) : null;
    }),
  };
  return {
    status: 'found',
    raw,
    ...(notifications.state === 'gap' ? { gaps: [notifications.gap] } : {}),
  };
}

/** Sending-authorization policies by name, each parsed from its JSON string. */
function parsedPolicies(policies: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(policies).map(([name, text]) => [name, parsePolicy(text) ?? null]),
  );
}

/**
 * `AWS::SES::EmailIdentity`: an email address or domain SES sends from, through both APIs. From v2
 * `GetEmailIdentity`: identity type, verification status and details, whether it may send, DKIM (signing, status,
 * origin of the signing attributes, key lengths, tokens), custom MAIL FROM, feedback forwarding, default
 * configuration set, sending-authorization policies (parsed) and tags. From v1 `GetIdentityNotificationAttributes`,
 * which v2 does not give: the SNS topic per notification type (bounce, complaint, delivery) and whether
 * notifications include the original headers. Identifier: the identity itself (`bookings@sailjada.com`,
 * `sailjada.com`), the same whichever API changed it.
 *
 * v1's `GetIdentityVerificationAttributes` is not read: its status repeats v2's `VerificationStatus`.
 *
 * Volatile: the times SES last checked the domain's DNS (and last succeeded), and the serial of the zone's SOA record
 * seen then, which move with every periodic check or any unrelated DNS change while the identity stays the same.
 */
export const sesEmailIdentity: ResourceDefinition = {
  type: TYPE,
  service: sesService,
  eventSource: SES_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'ses:ListEmailIdentities',
  permissions: ['ses:ListEmailIdentities', 'ses:GetEmailIdentity', 'ses:GetIdentityNotificationAttributes'],
  volatile: [
    'VerificationInfo.LastCheckedTimestamp',
    'VerificationInfo.LastSuccessTimestamp',
    'VerificationInfo.SOARecord.SerialNumber',
  ],
  secrets: [],
  events: Object.fromEntries(IDENTITY_EVENTS.map((name) => [name, identityFromRecord])),
  list: listIdentities,
  describe: (ctx, id, region) => describeIdentity(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    if (isJsonObject(raw.Policies)) normalised.Policies = parsedPolicies(raw.Policies);
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
  restore: sesEmailIdentityRestore,
};
