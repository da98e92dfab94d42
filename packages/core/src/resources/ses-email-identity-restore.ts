import { isDeepStrictEqual } from 'node:util';
import {
  CreateEmailIdentityCommand,
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailIdentityPolicyCommand,
  PutEmailIdentityConfigurationSetAttributesCommand,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityFeedbackAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import {
  createdSince,
  fromParts,
  hasEntries,
  keyedDifference,
  type PartPlan,
  type StepOf,
  stepsOf,
  tagList,
  tagSteps,
  unreadPart,
} from '../restore/parts.js';
import { commandApplier } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { sesV2Service } from './services.js';
import { isJsonObject } from './support.js';

/**
 * How an SES identity is restored, through the v2 API: feedback forwarding, custom MAIL FROM, DKIM signing, default
 * configuration set, sending-authorization policies and tags, each put back when it differs. A deleted identity is
 * created again (with its tags and configuration set), then given its other settings; it must be verified again.
 * Notification topics (a v1 setting) and DKIM keys are named in the plan, not restored. With `--prune`, an identity
 * created since is deleted.
 */
export const sesEmailIdentityRestore: RestoreSpec = {
  plan: planIdentity,
  apply: commandApplier(sesV2Service, {
    CreateEmailIdentity: CreateEmailIdentityCommand,
    DeleteEmailIdentity: DeleteEmailIdentityCommand,
    PutEmailIdentityFeedbackAttributes: PutEmailIdentityFeedbackAttributesCommand,
    PutEmailIdentityMailFromAttributes: PutEmailIdentityMailFromAttributesCommand,
    PutEmailIdentityDkimAttributes: PutEmailIdentityDkimAttributesCommand,
    PutEmailIdentityConfigurationSetAttributes: PutEmailIdentityConfigurationSetAttributesCommand,
    CreateEmailIdentityPolicy: CreateEmailIdentityPolicyCommand,
    UpdateEmailIdentityPolicy: UpdateEmailIdentityPolicyCommand,
    DeleteEmailIdentityPolicy: DeleteEmailIdentityPolicyCommand,
    TagResource: TagResourceCommand,
    UntagResource: UntagResourceCommand,
  }),
};

function planIdentity({ captured, live, target, prune }: PlanInput): PlannedChange {
  const serviceStep = stepsOf('sesv2', target.region);
  const step: StepOf = (operation, input, summary) =>
    serviceStep(operation, { EmailIdentity: target.id, ...input }, summary);
  if (!captured)
    return createdSince(live, {
      prune,
      removal: () => [
        step('DeleteEmailIdentity', {}, 'delete the identity created after the moment restored to'),
      ],
    });
  const before = captured.document;
  const tagging = {
    tag: 'TagResource',
    untag: 'UntagResource',
    resource: { ResourceArn: `arn:aws:ses:${target.region}:${target.account}:identity/${target.id}` },
  };
  const notes = { steps: [], notes: notRestored(before, live?.document) };
  if (live)
    return fromParts(RestoreAction.UPDATE, [
      settingSteps(before, live.document, step),
      tagSteps(tagging, before.Tags, live.document.Tags, serviceStep),
      notes,
    ]);
  const created = createStep(before, step);
  return fromParts(RestoreAction.RECREATE, [
    { steps: [created], notes: [verificationNote(before)] },
    settingSteps(before, createdIdentity(before, created), step),
    notes,
  ]);
}

/** `CreateEmailIdentity` with the captured tags, configuration set and Easy DKIM key length. */
function createStep(before: JsonObject, step: StepOf): RestoreStep {
  const dkim = objectAt(before.DkimAttributes);
  const keyLength =
    before.IdentityType === 'DOMAIN' && dkim.SigningAttributesOrigin === 'AWS_SES'
      ? dkim.NextSigningKeyLength
      : undefined;
  return step(
    'CreateEmailIdentity',
    {
      ...(hasEntries(before.Tags) ? { Tags: tagList(before.Tags) } : {}),
      ...(typeof before.ConfigurationSetName === 'string'
        ? { ConfigurationSetName: before.ConfigurationSetName }
        : {}),
      ...(typeof keyLength === 'string'
        ? { DkimSigningAttributes: { NextSigningKeyLength: keyLength } }
        : {}),
    },
    'create the identity again, with its tags and configuration set',
  );
}

/** The settings of the identity `create` makes: forwarding on, a domain's Easy DKIM signing, no policies. */
function createdIdentity(before: JsonObject, create: RestoreStep): JsonObject {
  return {
    FeedbackForwardingStatus: true,
    DkimAttributes: { SigningEnabled: before.IdentityType === 'DOMAIN' },
    Policies: {},
    ...(create.input.ConfigurationSetName === undefined
      ? {}
      : { ConfigurationSetName: create.input.ConfigurationSetName }),
  };
}

function verificationNote(before: JsonObject): string {
  return before.IdentityType === 'DOMAIN'
    ? 'the identity must be verified again: SES gives it new DKIM tokens, whose three CNAME records (GetEmailIdentity shows them) go in the domain’s DNS in place of the old ones; it cannot send until they are found'
    : `the identity must be verified again: SES sends a verification email to ${String(before.EmailIdentity ?? 'the address')}, and it cannot send until its link is followed`;
}

/** The calls that give `now` the captured settings: forwarding, MAIL FROM, DKIM signing, configuration set, policies. */
function settingSteps(before: JsonObject, now: JsonObject, step: StepOf): PartPlan {
  const steps: RestoreStep[] = [];
  const notes: string[] = [];
  if ((before.FeedbackForwardingStatus ?? true) !== (now.FeedbackForwardingStatus ?? true))
    steps.push(
      step(
        'PutEmailIdentityFeedbackAttributes',
        { EmailForwardingEnabled: before.FeedbackForwardingStatus !== false },
        `turn feedback forwarding ${before.FeedbackForwardingStatus === false ? 'off' : 'on'} again`,
      ),
    );
  const mailFrom = mailFromSettings(before.MailFromAttributes);
  if (!isDeepStrictEqual(mailFrom, mailFromSettings(now.MailFromAttributes))) {
    steps.push(
      step(
        'PutEmailIdentityMailFromAttributes',
        mailFrom,
        mailFrom.MailFromDomain
          ? `put back the MAIL FROM domain ${mailFrom.MailFromDomain}`
          : 'remove the MAIL FROM domain set since',
      ),
    );
    if (mailFrom.MailFromDomain)
      notes.push(
        'SES checks the MAIL FROM domain’s MX record again: its status is pending until it is found',
      );
  }
  const signing = objectAt(before.DkimAttributes).SigningEnabled === true;
  if (signing !== (objectAt(now.DkimAttributes).SigningEnabled === true))
    steps.push(
      step(
        'PutEmailIdentityDkimAttributes',
        { SigningEnabled: signing },
        `turn DKIM signing ${signing ? 'on' : 'off'} again`,
      ),
    );
  if ((before.ConfigurationSetName ?? null) !== (now.ConfigurationSetName ?? null))
    steps.push(
      step(
        'PutEmailIdentityConfigurationSetAttributes',
        typeof before.ConfigurationSetName === 'string'
          ? { ConfigurationSetName: before.ConfigurationSetName }
          : {},
        typeof before.ConfigurationSetName === 'string'
          ? `make ${before.ConfigurationSetName} its default configuration set again`
          : 'remove the default configuration set set since',
      ),
    );
  steps.push(...policySteps(before.Policies, now.Policies, step));
  return { steps, notes };
}

/** What `PutEmailIdentityMailFromAttributes` sets: the domain and the behaviour on MX failure, none without one. */
function mailFromSettings(value: Json | undefined): JsonObject {
  const attributes = objectAt(value);
  if (typeof attributes.MailFromDomain !== 'string') return {};
  return {
    MailFromDomain: attributes.MailFromDomain,
    BehaviorOnMxFailure: attributes.BehaviorOnMxFailure ?? 'USE_DEFAULT_VALUE',
  };
}

/** Policies that differ created or updated (as JSON text), policies added since deleted. */
function policySteps(before: Json | undefined, now: Json | undefined, step: StepOf): RestoreStep[] {
  const { put, added } = keyedDifference(before, now);
  const current = objectAt(now);
  return [
    ...put.map((name) =>
      step(
        name in current ? 'UpdateEmailIdentityPolicy' : 'CreateEmailIdentityPolicy',
        { PolicyName: name, Policy: JSON.stringify(objectAt(before)[name]) },
        `put back the sending-authorization policy ${name}`,
      ),
    ),
    ...added.map((name) =>
      step('DeleteEmailIdentityPolicy', { PolicyName: name }, `delete the policy ${name}, added since`),
    ),
  ];
}

/** What the restore does not put back: notification topics (v1 only), DKIM keys and their length. */
function notRestored(before: JsonObject, now: JsonObject | undefined): string[] {
  const notifications = unreadPart('its notification settings', before.Notifications, now?.Notifications);
  const wanted = objectAt(before.Notifications);
  const differs = now
    ? !isDeepStrictEqual(wanted, objectAt(now.Notifications))
    : Object.values(wanted).some(Boolean);
  const dkim = objectAt(before.DkimAttributes);
  const current = objectAt(now?.DkimAttributes);
  const keysDiffer =
    dkim.SigningAttributesOrigin === 'EXTERNAL'
      ? !now || dkim.SigningAttributesOrigin !== current.SigningAttributesOrigin
      : now !== undefined &&
        (dkim.SigningAttributesOrigin !== current.SigningAttributesOrigin ||
          dkim.NextSigningKeyLength !== current.NextSigningKeyLength);
  return [
    ...(notifications ? [notifications] : []),
    ...(!notifications && differs
      ? [
          'its notification topics and headers differ and are not restored: set them with the v1 SetIdentityNotificationTopic and SetIdentityHeadersInNotificationsEnabled',
        ]
      : []),
    ...(keysDiffer
      ? [
          'its DKIM signing keys differ (origin or key length) and are not restored: set them with PutEmailIdentityDkimSigningAttributes',
        ]
      : []),
  ];
}

function objectAt(value: Json | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}
