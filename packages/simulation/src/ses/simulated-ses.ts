import type { ServiceProfile } from '../dispatch.js';
import type { ApiCallSpec } from '../events.js';
import { emitApiCall, type SimulatedServiceModule, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { sesProfile } from './api-v1.js';
import { sesV2Profile } from './api-v2.js';
import { SesModel, type SesSeed, type SimIdentity, type SimTemplate } from './model.js';
import { sesV2WriteOperations } from './write-api.js';
import { SesWrites, type WriteCall } from './writes.js';

/** CloudTrail's event source for both SES APIs. */
const EVENT_SOURCE = 'ses.amazonaws.com';

/** What {@link SimulatedSes.updateTemplate} may change. */
export interface TemplateChanges {
  readonly subject?: string;
  readonly html?: string;
  readonly text?: string;
}

/**
 * SES in the simulated account, answering both `SESClient` (v1) and `SESv2Client` (v2) from one model: in the home
 * region a domain identity per website (Easy DKIM verified; sailjada.com with MAIL FROM `mail.sailjada.com`, SNS
 * bounce and complaint topics and the `transactional` configuration set), `bookings@sailjada.com` (verified, with a
 * sending-authorization policy), `hello@queenofsandiego.com` (pending), the `transactional` configuration set (SNS
 * and CloudWatch event destinations), the templates `booking-confirmation` and `password-reset`, and the active
 * receipt rule set `inbound` (an S3 rule, then a Lambda rule); plus `scale.emailIdentities` generated addresses.
 * Besides the reads, SES v2 answers the identity writes a restore sends (create, delete, feedback, MAIL FROM, DKIM
 * signing, configuration set, policies, tags). The change methods return the CloudTrail events SES records, through
 * the API a user would use for each.
 *
 * @example
 * const [event] = account.ses.verifyEmailIdentity('charters@sailjada.com');
 */
export class SimulatedSes implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  /** The seeded names. */
  readonly seed: SesSeed;
  readonly #context: SimulationContext;
  readonly #ses: SesModel;
  readonly #writes: SesWrites;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#ses = new SesModel(context.model, scale.emailIdentities ?? 0);
    this.seed = this.#ses.seed;
    this.#writes = new SesWrites(this.#ses, context);
    this.profiles = [
      sesProfile(context.model, this.#ses),
      sesV2Profile(context.model, this.#ses, sesV2WriteOperations(context.model, this.#writes)),
    ];
  }

  /** v1 `VerifyEmailIdentity`: adds an email address identity, pending verification, in the home region. */
  verifyEmailIdentity(email: string): SimulatedEvent[] {
    const home = this.#home();
    if (!home.identities.has(email)) home.identities.set(email, this.#ses.emailIdentity(email, false));
    return this.#apiCall('VerifyEmailIdentity', { emailAddress: email }, null);
  }

  /** v2 `PutEmailIdentityMailFromAttributes`: a custom MAIL FROM domain, pending until its MX record is found. */
  putEmailIdentityMailFrom(identity: string, mailFromDomain: string): SimulatedEvent[] {
    return this.#writes.putMailFromAttributes(
      { EmailIdentity: identity, MailFromDomain: mailFromDomain, BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
      this.#homeCall(),
    );
  }

  /** v2 `PutEmailIdentityFeedbackAttributes`: whether bounces and complaints are forwarded by email. */
  putEmailIdentityFeedback(identity: string, forwarding: boolean): SimulatedEvent[] {
    return this.#writes.putFeedbackAttributes(
      { EmailIdentity: identity, EmailForwardingEnabled: forwarding },
      this.#homeCall(),
    );
  }

  /** v2 `PutEmailIdentityDkimAttributes`: whether the identity's messages are DKIM-signed. */
  putEmailIdentityDkimSigning(identity: string, signing: boolean): SimulatedEvent[] {
    return this.#writes.putDkimAttributes(
      { EmailIdentity: identity, SigningEnabled: signing },
      this.#homeCall(),
    );
  }

  /** v2 `PutEmailIdentityConfigurationSetAttributes`: the identity's default configuration set, none when left out. */
  putEmailIdentityConfigurationSet(identity: string, configurationSet?: string): SimulatedEvent[] {
    return this.#writes.putConfigurationSetAttributes(
      { EmailIdentity: identity, ConfigurationSetName: configurationSet },
      this.#homeCall(),
    );
  }

  /** v2 `TagResource` then `UntagResource` of an identity: sets `tags`, removes the keys of `remove`. */
  tagEmailIdentity(
    identity: string,
    tags: Readonly<Record<string, string>>,
    remove: readonly string[] = [],
  ): SimulatedEvent[] {
    const { accountId, homeRegion } = this.#context.model;
    const ResourceArn = `arn:aws:ses:${homeRegion}:${accountId}:identity/${identity}`;
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    return [
      ...(Tags.length > 0 ? this.#writes.tagResource({ ResourceArn, Tags }, this.#homeCall()) : []),
      ...(remove.length > 0
        ? this.#writes.untagResource({ ResourceArn, TagKeys: [...remove] }, this.#homeCall())
        : []),
    ];
  }

  /** v1 `DeleteIdentity`: removes an identity (address or domain). */
  deleteIdentity(identity: string): SimulatedEvent[] {
    this.#identity(identity);
    this.#home().identities.delete(identity);
    return this.#apiCall('DeleteIdentity', { identity }, null);
  }

  /** v2 `UpdateEmailTemplate`: replaces the parts given. */
  updateTemplate(name: string, changes: TemplateChanges): SimulatedEvent[] {
    const template = this.#template(name);
    if (changes.subject !== undefined) template.subject = changes.subject;
    if (changes.html !== undefined) template.html = changes.html;
    if (changes.text !== undefined) template.text = changes.text;
    return this.#apiCall(
      'UpdateEmailTemplate',
      {
        templateName: name,
        templateContent: { subject: template.subject, html: template.html, text: template.text },
      },
      null,
    );
  }

  /** A change method's call: the home region, the console's user agent. */
  #homeCall(): WriteCall {
    return { region: this.#context.model.homeRegion };
  }

  #home() {
    return this.#ses.region(this.#context.model.homeRegion);
  }

  #identity(name: string): SimIdentity {
    const identity = this.#home().identities.get(name);
    if (!identity) throw new Error(`no SES identity ${name} in the simulated account`);
    return identity;
  }

  #template(name: string): SimTemplate {
    const template = this.#home().templates.get(name);
    if (!template) throw new Error(`no SES template ${name} in the simulated account`);
    return template;
  }

  #apiCall(
    eventName: string,
    requestParameters: ApiCallSpec['requestParameters'],
    responseElements: ApiCallSpec['responseElements'],
  ): SimulatedEvent[] {
    return emitApiCall(this.#context, 'email', {
      eventSource: EVENT_SOURCE,
      eventName,
      region: this.#context.model.homeRegion,
      at: this.#context.now(),
      requestParameters,
      responseElements,
    });
  }
}
