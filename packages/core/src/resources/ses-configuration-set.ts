import {
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  paginateListConfigurationSets,
} from '@aws-sdk/client-sesv2';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart, withoutMetadata } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { sesService, sesV2Service } from './services.js';
import { SES_EVENT_SOURCE, sesExtractor } from './ses-shared.js';
import { keyedBy, limitedPages, tagsAsMap, toJson, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::SES::ConfigurationSet';

/**
 * Where SES calls name a configuration set: `configurationSetName` (v2, and v1 past its creation),
 * `configurationSet.name` (v1 `CreateConfigurationSet`), or an ARN `…:configuration-set/<name>` (v2 tagging).
 */
export const configurationSetFromRecord = sesExtractor(
  ['configurationSetName', 'configurationSet.name'],
  'configuration-set',
);

/** CloudTrail events of both SES APIs that create, change or delete a configuration set or its destinations. */
const CONFIGURATION_SET_EVENTS = [
  'CreateConfigurationSet',
  'DeleteConfigurationSet',
  'CreateConfigurationSetEventDestination',
  'UpdateConfigurationSetEventDestination',
  'DeleteConfigurationSetEventDestination',
  // v1
  'CreateConfigurationSetTrackingOptions',
  'UpdateConfigurationSetTrackingOptions',
  'DeleteConfigurationSetTrackingOptions',
  'UpdateConfigurationSetReputationMetricsEnabled',
  'UpdateConfigurationSetSendingEnabled',
  'PutConfigurationSetDeliveryOptions',
  // v2
  'PutConfigurationSetReputationOptions',
  'PutConfigurationSetSendingOptions',
  'PutConfigurationSetSuppressionOptions',
  'PutConfigurationSetTrackingOptions',
  'PutConfigurationSetVdmOptions',
  'PutConfigurationSetArchivingOptions',
  'TagResource',
  'UntagResource',
] as const;

async function* listConfigurationSets(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(sesV2Service, region);
  const pages = paginateListConfigurationSets({ client, pageSize: 1000 }, {});
  for await (const page of limitedPages(ctx.limit(sesV2Service), pages)) {
    for (const name of page.ConfigurationSets ?? []) yield { id: name };
  }
}

async function describeConfigurationSet(
  ctx: CaptureContext,
  name: string,
  region: string,
): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(sesV2Service, region);
  const limit = ctx.limit(sesV2Service);

  const described = await readPart({ ...spec, operation: 'ses:GetConfigurationSet' }, () =>
    limit(() => client.send(new GetConfigurationSetCommand({ ConfigurationSetName: name }))),
  );
  if (described.state === 'not-found' || described.state === 'absent') return { status: 'not-found' };
  if (described.state === 'gap') return { status: 'gap', gap: described.gap };
  const destinations = await readPart(
    { ...spec, operation: 'ses:GetConfigurationSetEventDestinations' },
    () =>
      limit(() =>
        client.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: name })),
      ),
  );
  if (destinations.state === 'not-found') return { status: 'not-found' };

  const raw: JsonObject = {
    ...toJsonObject(withoutMetadata(described.value)),
    EventDestinations: partValue(destinations, (output) => toJson(output.EventDestinations ?? []) ?? []),
  };
  return { status: 'found', raw, ...(destinations.state === 'gap' ? { gaps: [destinations.gap] } : {}) };
}

/**
 * `AWS::SES::ConfigurationSet`: a configuration set as v2 `GetConfigurationSet` reports it (delivery, reputation,
 * sending, suppression, tracking, VDM and archiving options, tags) with its event destinations (SNS, CloudWatch,
 * Firehose, EventBridge, Pinpoint), keyed by name. Identifier: the configuration set name.
 */
export const sesConfigurationSet: ResourceDefinition = {
  type: TYPE,
  service: sesService,
  eventSource: SES_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'ses:ListConfigurationSets',
  permissions: [
    'ses:ListConfigurationSets',
    'ses:GetConfigurationSet',
    'ses:GetConfigurationSetEventDestinations',
  ],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(CONFIGURATION_SET_EVENTS.map((name) => [name, configurationSetFromRecord])),
  list: listConfigurationSets,
  describe: (ctx, id, region) => describeConfigurationSet(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    const destinations = keyedBy(raw.EventDestinations, 'Name');
    if (destinations !== undefined) normalised.EventDestinations = destinations;
    return normalised;
  },
};
