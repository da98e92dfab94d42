import { GetOpenIDConnectProviderCommand, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { found, IAM_EVENT_SOURCE, iamArnsAt, notRead, sortedStrings } from './iam-shared.js';
import { iamService } from './services.js';
import { pick, tagsAsMap, toJson } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::IAM::OIDCProvider';

/** The provider a call names: `requestParameters.openIDConnectProviderArn`, or a new provider's in `responseElements`. */
export const oidcProviderFromRecord: IdExtractor = (record) =>
  iamArnsAt(record, 'oidc-provider', [
    ['requestParameters', 'openIDConnectProviderArn'],
    ['responseElements', 'openIDConnectProviderArn'],
  ]);

/** CloudTrail events that create, delete or change an OpenID Connect provider. */
const OIDC_EVENTS = [
  'CreateOpenIDConnectProvider',
  'DeleteOpenIDConnectProvider',
  'AddClientIDToOpenIDConnectProvider',
  'RemoveClientIDFromOpenIDConnectProvider',
  'UpdateOpenIDConnectProviderThumbprint',
  'TagOpenIDConnectProvider',
  'UntagOpenIDConnectProvider',
] as const;

/** The providers of the account: one call, IAM does not page this list. */
async function* listProviders(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(iamService, region);
  const output = await ctx.limit(iamService)(() => client.send(new ListOpenIDConnectProvidersCommand({})));
  for (const provider of output.OpenIDConnectProviderList ?? []) if (provider.Arn) yield { id: provider.Arn };
}

async function describeProvider(ctx: CaptureContext, arn: string, region: string): Promise<Described> {
  const client = ctx.client(iamService, region);
  const provider = await readPart(
    { type: TYPE, region, id: arn, operation: 'iam:GetOpenIDConnectProvider' },
    () =>
      ctx.limit(iamService)(() =>
        client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
      ),
  );
  if (provider.state !== 'ok') return notRead(provider);
  const raw: JsonObject = {
    Arn: arn,
    ...pick(provider.value, ['Url', 'ClientIDList', 'ThumbprintList', 'CreateDate']),
    Tags: toJson(provider.value.Tags ?? []) ?? [],
  };
  return found(raw, []);
}

/**
 * `AWS::IAM::OIDCProvider`: an OpenID Connect identity provider: its URL, client ids (audiences) and thumbprints
 * (both sorted: their order means nothing) and tags. Identifier: the provider ARN.
 */
export const iamOidcProvider: ResourceDefinition = {
  type: TYPE,
  service: iamService,
  eventSource: IAM_EVENT_SOURCE,
  scope: 'global',
  listOperation: 'iam:ListOpenIDConnectProviders',
  permissions: ['iam:ListOpenIDConnectProviders', 'iam:GetOpenIDConnectProvider'],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(OIDC_EVENTS.map((name) => [name, oidcProviderFromRecord])),
  list: listProviders,
  describe: (ctx, id, region) => describeProvider(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    for (const name of ['ClientIDList', 'ThumbprintList']) {
      const sorted = sortedStrings(raw[name]);
      if (sorted !== undefined) normalised[name] = sorted;
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
};
