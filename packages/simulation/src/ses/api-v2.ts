import {
  AlreadyExistsException,
  BadRequestException,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
  GetEmailTemplateCommand,
  ListConfigurationSetsCommand,
  ListEmailIdentitiesCommand,
  ListEmailTemplatesCommand,
  NotFoundException,
  SESv2Client,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import {
  type CallContext,
  type CallTarget,
  defineOperation,
  type Operation,
  type ServiceProfile,
} from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, compareKeys, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import type { SesModel } from './model.js';

/** `PageSize` bounds and defaults of the v2 listings, from the API reference. */
const PAGE_SIZES = {
  ListEmailIdentities: { max: 1000, default: 100 },
  ListConfigurationSets: { max: 1000, default: 100 },
  ListEmailTemplates: { max: 100, default: 10 },
} as const;

type Listing = keyof typeof PAGE_SIZES;

/** One page of `names` (sorted here) after the caller's `NextToken`, validated as SES v2 validates it. */
function page(
  listing: Listing,
  names: Iterable<string>,
  input: { NextToken?: string | undefined; PageSize?: number | undefined },
): { names: string[]; NextToken?: string } {
  const { max, default: fallback } = PAGE_SIZES[listing];
  const size = input.PageSize ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw fault('BadRequestException', 400, `PageSize must be between 1 and ${max}, received ${size}`);
  }
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    after = decodeMarker(input.NextToken);
    if (after === undefined) throw fault('BadRequestException', 400, 'Invalid NextToken.');
  }
  const sorted = [...names].sort(compareKeys);
  const { page: selected, nextKey } = pageAfter(sorted, (name) => name, after, size);
  return {
    names: selected,
    ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
  };
}

/**
 * The SES v2 API (REST JSON) of the simulated account: identities, configuration sets and templates of the
 * caller's region, answered from the same model as the v1 API. Missing resources are `NotFoundException` (404).
 * `writes` are the calls that change it.
 */
export function sesV2Profile(
  model: AccountModel,
  ses: SesModel,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const arn = (region: string, kind: string, name: string) =>
    `arn:aws:ses:${region}:${model.accountId}:${kind}/${name}`;
  const targetOf =
    <I>(kind: string, name: (input: I) => string | undefined) =>
    (input: I, call: CallContext): CallTarget => {
      const id = name(input) ?? '';
      return { ids: [id], arn: arn(call.region, kind, id) };
    };
  const missing = (what: string, name: string) =>
    fault('NotFoundException', 404, `${what} ${name} does not exist.`);
  const configurationSetTarget = targetOf(
    'configuration-set',
    (input: { ConfigurationSetName?: string | undefined }) => input.ConfigurationSetName,
  );
  const configurationSet = (input: { ConfigurationSetName?: string | undefined }, call: CallContext) => {
    const name = input.ConfigurationSetName ?? '';
    const set = ses.region(call.region).configurationSets.get(name);
    if (!set) throw missing('Configuration set', name);
    return set;
  };

  return {
    service: 'sesv2',
    exceptions: {
      base: SESv2ServiceException,
      modeled: { AlreadyExistsException, BadRequestException, NotFoundException, TooManyRequestsException },
    },
    client: SESv2Client,
    injectedFault: injectedFaults(model.caller, {
      throttled: {
        code: 'TooManyRequestsException',
        status: 429,
        message: 'Too many requests have been made to the operation.',
      },
      denied: { code: 'AccessDeniedException', status: 403 },
    }),
    operations: [
      defineOperation(ListEmailIdentitiesCommand, {
        action: 'ses:ListEmailIdentities',
        answer: (input, call) => {
          const identities = ses.region(call.region).identities;
          const listed = page('ListEmailIdentities', identities.keys(), input);
          return {
            EmailIdentities: listed.names.map((name) => {
              const detail = identities.get(name)?.detail;
              return {
                IdentityName: name,
                ...optional('IdentityType', detail?.IdentityType),
                SendingEnabled: detail?.VerifiedForSendingStatus ?? false,
                ...optional('VerificationStatus', detail?.VerificationStatus),
              };
            }),
            ...optional('NextToken', listed.NextToken),
          };
        },
      }),
      defineOperation(GetEmailIdentityCommand, {
        action: 'ses:GetEmailIdentity',
        target: targetOf('identity', (input: { EmailIdentity?: string | undefined }) => input.EmailIdentity),
        answer: (input, call) => {
          const name = input.EmailIdentity ?? '';
          const identity = ses.region(call.region).identities.get(name);
          if (!identity) throw missing('Email identity', name);
          return structuredClone(identity.detail);
        },
      }),
      defineOperation(ListConfigurationSetsCommand, {
        action: 'ses:ListConfigurationSets',
        answer: (input, call) => {
          const listed = page(
            'ListConfigurationSets',
            ses.region(call.region).configurationSets.keys(),
            input,
          );
          return { ConfigurationSets: listed.names, ...optional('NextToken', listed.NextToken) };
        },
      }),
      defineOperation(GetConfigurationSetCommand, {
        action: 'ses:GetConfigurationSet',
        target: configurationSetTarget,
        answer: (input, call) => structuredClone(configurationSet(input, call).detail),
      }),
      defineOperation(GetConfigurationSetEventDestinationsCommand, {
        action: 'ses:GetConfigurationSetEventDestinations',
        target: configurationSetTarget,
        answer: (input, call) => ({
          EventDestinations: structuredClone(configurationSet(input, call).destinations),
        }),
      }),
      defineOperation(ListEmailTemplatesCommand, {
        action: 'ses:ListEmailTemplates',
        answer: (input, call) => {
          const templates = ses.region(call.region).templates;
          const listed = page('ListEmailTemplates', templates.keys(), input);
          return {
            TemplatesMetadata: listed.names.map((name) => ({
              TemplateName: name,
              ...optional('CreatedTimestamp', templates.get(name)?.createdAt),
            })),
            ...optional('NextToken', listed.NextToken),
          };
        },
      }),
      defineOperation(GetEmailTemplateCommand, {
        action: 'ses:GetEmailTemplate',
        target: targetOf('template', (input: { TemplateName?: string | undefined }) => input.TemplateName),
        answer: (input, call) => {
          const name = input.TemplateName ?? '';
          const template = ses.region(call.region).templates.get(name);
          if (!template) throw missing('Template', name);
          return {
            TemplateName: template.name,
            TemplateContent: { Subject: template.subject, Html: template.html, Text: template.text },
            Tags: template.tags.map((tag) => ({ ...tag })),
          };
        },
      }),
      ...writes,
    ],
  };
}
