import { GetSAMLProviderCommand, ListSAMLProvidersCommand } from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { found, IAM_EVENT_SOURCE, iamArnsAt, notRead } from './iam-shared.js';
import { iamService } from './services.js';
import { pick, tagsAsMap, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::IAM::SAMLProvider';

/**
 * The provider a call names: `requestParameters.sAMLProviderArn` (CloudTrail lower-cases only the first letter of
 * `SAMLProviderArn`), or a new provider's in `responseElements`.
 */
export const samlProviderFromRecord: IdExtractor = (record) =>
  iamArnsAt(record, 'saml-provider', [
    ['requestParameters', 'sAMLProviderArn'],
    ['responseElements', 'sAMLProviderArn'],
  ]);

/** CloudTrail events that create, delete or change a SAML provider. */
const SAML_EVENTS = [
  'CreateSAMLProvider',
  'UpdateSAMLProvider',
  'DeleteSAMLProvider',
  'TagSAMLProvider',
  'UntagSAMLProvider',
] as const;

/**
 * What `GetSAMLProvider` answers that is kept: the metadata document is public (the IdP's certificates, not its
 * keys); of private keys for assertion decryption only their ids and upload times exist in the API.
 */
const PROVIDER_FIELDS = [
  'SAMLProviderUUID',
  'SAMLMetadataDocument',
  'CreateDate',
  'ValidUntil',
  'AssertionEncryptionMode',
  'PrivateKeyList',
] as const;

/** The providers of the account: one call, IAM does not page this list. */
async function* listProviders(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(iamService, region);
  const output = await ctx.limit(iamService)(() => client.send(new ListSAMLProvidersCommand({})));
  for (const provider of output.SAMLProviderList ?? []) if (provider.Arn) yield { id: provider.Arn };
}

async function describeProvider(ctx: CaptureContext, arn: string, region: string): Promise<Described> {
  const client = ctx.client(iamService, region);
  const provider = await readPart({ type: TYPE, region, id: arn, operation: 'iam:GetSAMLProvider' }, () =>
    ctx.limit(iamService)(() => client.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }))),
  );
  if (provider.state !== 'ok') return notRead(provider);
  const raw: JsonObject = {
    Arn: arn,
    ...pick(provider.value, PROVIDER_FIELDS),
    Tags: toJson(provider.value.Tags ?? []) ?? [],
  };
  return found(raw, []);
}

/**
 * `AWS::IAM::SAMLProvider`: a SAML 2.0 identity provider: its metadata document (public, kept whole), validity,
 * assertion encryption mode and tags. Identifier: the provider ARN.
 */
export const iamSamlProvider: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:ListSAMLProviders',
  permissions: ['iam:ListSAMLProviders', 'iam:GetSAMLProvider'],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(SAML_EVENTS.map((name) => [name, samlProviderFromRecord])),
  list: listProviders,
  describe: (ctx, id, region) => describeProvider(ctx, id, region),
  normalise(raw) {
    const tags = tagsAsMap(raw.Tags);
    return tags === undefined ? { ...raw } : { ...raw, Tags: tags };
  },
};
