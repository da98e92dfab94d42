import type {
  CreateEmailIdentityCommandInput,
  CreateEmailIdentityResponse,
  PutEmailIdentityConfigurationSetAttributesCommandInput,
  PutEmailIdentityDkimAttributesCommandInput,
  PutEmailIdentityFeedbackAttributesCommandInput,
  PutEmailIdentityMailFromAttributesCommandInput,
  Tag,
} from '@aws-sdk/client-sesv2';
import { fault } from '../errors.js';
import { lowerCamelCase } from '../events.js';
import { optional } from '../model.js';
import { emitApiCall, type SimulationContext } from '../service-simulator.js';
import type { SimulatedEvent } from '../types.js';
import type { SesModel, SesRegion, SimIdentity } from './model.js';

const EVENT_SOURCE = 'ses.amazonaws.com';

/** Where a call is answered and who sent it. */
export interface WriteCall {
  readonly region: string;
  /** The caller's `user-agent`. @default the console's */
  readonly userAgent?: string;
}

/** What names an identity in a call. */
type IdentityName = { readonly EmailIdentity?: string | undefined };

/** An identity's sending-authorization policy call. */
type PolicyInput = IdentityName & {
  readonly PolicyName?: string | undefined;
  readonly Policy?: string | undefined;
};

/** `arn:aws:ses:<region>:<account>:<kind>/<name>`: the resources SES v2 tags. */
const TAGGED_ARN = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):(\d{12}):(identity|configuration-set|template)\/(.+)$/;

/**
 * The SES v2 changes of email identities (and the tags of identities, configuration sets and templates) in the
 * simulated account, shared by its API (the caller's region and user agent) and its change methods (the home region,
 * the console's user agent): each checks what SES checks, answering with its errors (`NotFoundException` 404,
 * `AlreadyExistsException` and `BadRequestException` 400), changes the model so the reads return it and records the
 * CloudTrail event, request parameters in CloudTrail's lower-camel-case names.
 */
export class SesWrites {
  readonly #ses: SesModel;
  readonly #context: SimulationContext;

  constructor(ses: SesModel, context: SimulationContext) {
    this.#ses = ses;
    this.#context = context;
  }

  /**
   * `CreateEmailIdentity`: an address or domain pending verification (a domain with new Easy DKIM tokens), with the
   * tags and default configuration set given. Bring-your-own DKIM is not simulated.
   */
  createEmailIdentity(input: CreateEmailIdentityCommandInput, call: WriteCall): CreateEmailIdentityResponse {
    const name = input.EmailIdentity ?? '';
    const region = this.#ses.region(call.region);
    if (region.identities.has(name))
      throw fault('AlreadyExistsException', 400, `Email identity ${name} already exist.`);
    if (input.DkimSigningAttributes?.DomainSigningPrivateKey !== undefined)
      throw new Error('the simulated CreateEmailIdentity does not implement bring-your-own DKIM');
    if (input.ConfigurationSetName !== undefined) configurationSet(region, input.ConfigurationSetName);
    const identity = this.#ses.newIdentity(name, this.#context.now());
    identity.detail.Tags = (input.Tags ?? []).map((tag) => ({ ...tag }));
    const keyLength = input.DkimSigningAttributes?.NextSigningKeyLength;
    if (keyLength && identity.detail.DkimAttributes?.Tokens?.length)
      identity.detail.DkimAttributes = {
        ...identity.detail.DkimAttributes,
        NextSigningKeyLength: keyLength,
        CurrentSigningKeyLength: keyLength,
      };
    if (input.ConfigurationSetName !== undefined)
      identity.detail.ConfigurationSetName = input.ConfigurationSetName;
    region.identities.set(name, identity);
    const answer = {
      IdentityType: identity.detail.IdentityType,
      VerifiedForSendingStatus: false,
      DkimAttributes: structuredClone(identity.detail.DkimAttributes),
    };
    this.#record('CreateEmailIdentity', input, lowerCamelCase(answer), call);
    return answer;
  }

  /** `DeleteEmailIdentity`. */
  deleteEmailIdentity(input: IdentityName, call: WriteCall): SimulatedEvent[] {
    this.#identity(input, call);
    this.#ses.region(call.region).identities.delete(input.EmailIdentity ?? '');
    return this.#record('DeleteEmailIdentity', input, null, call);
  }

  /** `PutEmailIdentityFeedbackAttributes`: forwarding of bounces and complaints by email, off when left out. */
  putFeedbackAttributes(
    input: PutEmailIdentityFeedbackAttributesCommandInput,
    call: WriteCall,
  ): SimulatedEvent[] {
    this.#identity(input, call).detail.FeedbackForwardingStatus = input.EmailForwardingEnabled === true;
    return this.#record('PutEmailIdentityFeedbackAttributes', input, null, call);
  }

  /**
   * `PutEmailIdentityMailFromAttributes`: a custom MAIL FROM domain (a subdomain of a domain identity), pending
   * until SES finds its MX record; the same domain again keeps its status. Without `MailFromDomain`, none.
   */
  putMailFromAttributes(
    input: PutEmailIdentityMailFromAttributesCommandInput,
    call: WriteCall,
  ): SimulatedEvent[] {
    const identity = this.#identity(input, call);
    const domain = input.MailFromDomain;
    const current = identity.detail.MailFromAttributes;
    if (domain === undefined) delete identity.detail.MailFromAttributes;
    else {
      const parent = identity.name.includes('@') ? identity.name.split('@')[1] : identity.name;
      if (!domain.endsWith(`.${parent}`))
        throw fault(
          'BadRequestException',
          400,
          `Invalid MAIL FROM domain ${domain}: it must be a subdomain of ${parent}`,
        );
      identity.detail.MailFromAttributes = {
        MailFromDomain: domain,
        MailFromDomainStatus: current?.MailFromDomain === domain ? current.MailFromDomainStatus : 'PENDING',
        BehaviorOnMxFailure: input.BehaviorOnMxFailure ?? 'USE_DEFAULT_VALUE',
      };
    }
    return this.#record('PutEmailIdentityMailFromAttributes', input, null, call);
  }

  /** `PutEmailIdentityDkimAttributes`: whether messages from the identity are DKIM-signed, off when left out. */
  putDkimAttributes(input: PutEmailIdentityDkimAttributesCommandInput, call: WriteCall): SimulatedEvent[] {
    const identity = this.#identity(input, call);
    identity.detail.DkimAttributes = {
      ...identity.detail.DkimAttributes,
      SigningEnabled: input.SigningEnabled === true,
    };
    return this.#record('PutEmailIdentityDkimAttributes', input, null, call);
  }

  /** `PutEmailIdentityConfigurationSetAttributes`: the default configuration set, none when left out. */
  putConfigurationSetAttributes(
    input: PutEmailIdentityConfigurationSetAttributesCommandInput,
    call: WriteCall,
  ): SimulatedEvent[] {
    const identity = this.#identity(input, call);
    if (input.ConfigurationSetName === undefined) delete identity.detail.ConfigurationSetName;
    else {
      configurationSet(this.#ses.region(call.region), input.ConfigurationSetName);
      identity.detail.ConfigurationSetName = input.ConfigurationSetName;
    }
    return this.#record('PutEmailIdentityConfigurationSetAttributes', input, null, call);
  }

  /**
   * `CreateEmailIdentityPolicy` (a name already used is `AlreadyExistsException`) and `UpdateEmailIdentityPolicy`
   * (an unknown name is `NotFoundException`): a sending-authorization policy, which must be JSON.
   */
  putPolicy(operation: 'Create' | 'Update', input: PolicyInput, call: WriteCall): SimulatedEvent[] {
    const identity = this.#identity(input, call);
    const name = input.PolicyName ?? '';
    const policies = { ...identity.detail.Policies };
    if (operation === 'Create' && name in policies)
      throw fault('AlreadyExistsException', 400, `Policy ${name} already exists for ${identity.name}.`);
    if (operation === 'Update' && !(name in policies))
      throw fault('NotFoundException', 404, `Policy ${name} does not exist for ${identity.name}.`);
    try {
      JSON.parse(input.Policy ?? '');
    } catch {
      throw fault('BadRequestException', 400, 'Policy is not a valid JSON document.');
    }
    policies[name] = input.Policy ?? '';
    identity.detail.Policies = policies;
    return this.#record(`${operation}EmailIdentityPolicy`, input, null, call);
  }

  /** `DeleteEmailIdentityPolicy`: a policy the identity does not have is no error. */
  deletePolicy(input: PolicyInput, call: WriteCall): SimulatedEvent[] {
    const identity = this.#identity(input, call);
    const { [input.PolicyName ?? '']: _deleted, ...kept } = identity.detail.Policies ?? {};
    identity.detail.Policies = kept;
    return this.#record('DeleteEmailIdentityPolicy', input, null, call);
  }

  /** `TagResource` of an identity, configuration set or template: replaces the values of keys it already has. */
  tagResource(
    input: { ResourceArn?: string | undefined; Tags?: Tag[] | undefined },
    call: WriteCall,
  ): SimulatedEvent[] {
    const tagged = this.#tagged(input.ResourceArn, call);
    const byKey = new Map(tagged.get().map((tag) => [tag.Key, tag]));
    for (const tag of input.Tags ?? []) byKey.set(tag.Key, { ...tag });
    tagged.set([...byKey.values()]);
    return this.#record('TagResource', input, null, call);
  }

  /** `UntagResource`: keys the resource does not have are ignored. */
  untagResource(
    input: { ResourceArn?: string | undefined; TagKeys?: string[] | undefined },
    call: WriteCall,
  ): SimulatedEvent[] {
    const tagged = this.#tagged(input.ResourceArn, call);
    const keys = new Set(input.TagKeys ?? []);
    tagged.set(tagged.get().filter((tag) => !keys.has(tag.Key ?? '')));
    return this.#record('UntagResource', input, null, call);
  }

  #identity(input: IdentityName, call: WriteCall): SimIdentity {
    const name = input.EmailIdentity ?? '';
    const identity = this.#ses.region(call.region).identities.get(name);
    if (!identity) throw fault('NotFoundException', 404, `Email identity ${name} does not exist.`);
    return identity;
  }

  /** The tags of the resource an ARN names, to read and replace. */
  #tagged(arn: string | undefined, call: WriteCall): { get(): Tag[]; set(tags: Tag[]): void } {
    const [, region, account, kind, name = ''] = TAGGED_ARN.exec(arn ?? '') ?? [];
    if (region !== call.region || account !== this.#context.model.accountId)
      throw fault('BadRequestException', 400, `Invalid resource ARN ${arn}.`);
    const state = this.#ses.region(region);
    if (kind === 'identity') {
      const { detail } = this.#identity({ EmailIdentity: name }, call);
      return { get: () => detail.Tags ?? [], set: (tags) => (detail.Tags = tags) };
    }
    if (kind === 'configuration-set') {
      const { detail } = configurationSet(state, name);
      return { get: () => detail.Tags ?? [], set: (tags) => (detail.Tags = tags) };
    }
    const template = state.templates.get(name);
    if (!template) throw fault('NotFoundException', 404, `Template ${name} does not exist.`);
    return { get: () => template.tags, set: (tags) => (template.tags = tags) };
  }

  #record(eventName: string, input: object, responseElements: unknown, call: WriteCall): SimulatedEvent[] {
    return emitApiCall(this.#context, 'email', {
      eventSource: EVENT_SOURCE,
      eventName,
      region: call.region,
      at: this.#context.now(),
      requestParameters: lowerCamelCase(input) as Record<string, unknown>,
      responseElements: responseElements as Record<string, unknown> | null,
      ...optional('userAgent', call.userAgent),
    });
  }
}

function configurationSet(region: SesRegion, name: string) {
  const set = region.configurationSets.get(name);
  if (!set) throw fault('NotFoundException', 404, `Configuration set ${name} does not exist.`);
  return set;
}
