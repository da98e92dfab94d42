import {
  DescribeEventBusCommand,
  ListEventBusesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-eventbridge';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import {
  busName,
  busNameFromArn,
  DEFAULT_BUS,
  EVENTS_EVENT_SOURCE,
  nextToken,
  taggedResource,
} from './events-shared.js';
import { eventBridgeService } from './services.js';
import { field, isJsonObject, parsePolicy, pick, tagsAsMap, toJson, tokenPages } from './support.js';
import type { IdExtractor, ResourceDefinition } from './types.js';

const TYPE = 'AWS::Events::EventBus';

/** What `DescribeEventBus` reports of a bus, all kept. */
const BUS_FIELDS = [
  'Name',
  'Arn',
  'Description',
  'KmsKeyIdentifier',
  'DeadLetterConfig',
  'Policy',
  'LogConfig',
  'ManagedBy',
  'CreationTime',
  'LastModifiedTime',
] as const;

/**
 * The bus a call names in `requestParameters.<nameField>` (a name or an ARN), the default bus when the call leaves
 * it out and `defaultsToDefault` (`UpdateEventBus`, `PutPermission`, `RemovePermission`); also the bus of
 * `responseElements.eventBusArn` (`CreateEventBus`).
 */
function busFromRecord(nameField: 'name' | 'eventBusName', defaultsToDefault: boolean): IdExtractor {
  return (record) => {
    const parameters = record.requestParameters;
    const named = field(parameters, nameField);
    const omitted = named === undefined || named === '';
    const bus = omitted ? (defaultsToDefault && parameters ? DEFAULT_BUS : undefined) : busName(named);
    const created = busNameFromArn(field(record.responseElements, 'eventBusArn'));
    return [...new Set([bus, created].filter((id): id is string => id !== undefined))];
  };
}

/** CloudTrail events that create, delete or change an event bus, its resource policy or its tags. */
const BUS_EVENTS: Readonly<Record<string, IdExtractor>> = {
  CreateEventBus: busFromRecord('name', false),
  UpdateEventBus: busFromRecord('name', true),
  DeleteEventBus: busFromRecord('name', false),
  PutPermission: busFromRecord('eventBusName', true),
  RemovePermission: busFromRecord('eventBusName', true),
  TagResource: taggedResource(busNameFromArn),
  UntagResource: taggedResource(busNameFromArn),
};

async function* listBuses(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(eventBridgeService, region);
  const pages = tokenPages(
    ctx.limit(eventBridgeService),
    (NextToken) => client.send(new ListEventBusesCommand({ NextToken })),
    nextToken,
  );
  for await (const page of pages) {
    for (const bus of page.EventBuses ?? []) if (bus.Name) yield { id: bus.Name };
  }
}

async function describeBus(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const spec = { type: TYPE, region, id: name };
  const client = ctx.client(eventBridgeService, region);
  const limit = ctx.limit(eventBridgeService);

  const bus = await readPart({ ...spec, operation: 'events:DescribeEventBus' }, () =>
    limit(() => client.send(new DescribeEventBusCommand({ Name: name }))),
  );
  if (bus.state === 'not-found' || bus.state === 'absent') return { status: 'not-found' };
  if (bus.state === 'gap') return { status: 'gap', gap: bus.gap };

  const tags = await readPart({ ...spec, operation: 'events:ListTagsForResource' }, () =>
    limit(() => client.send(new ListTagsForResourceCommand({ ResourceARN: bus.value.Arn }))),
  );
  if (tags.state === 'not-found') return { status: 'not-found' };

  const raw: JsonObject = {
    EventBus: pick(bus.value, BUS_FIELDS),
    Tags: partValue(tags, (output) => toJson(output.Tags ?? []) ?? []),
  };
  return { status: 'found', raw, ...(tags.state === 'gap' ? { gaps: [tags.gap] } : {}) };
}

/**
 * `AWS::Events::EventBus`: an event bus as `DescribeEventBus` reports it (its resource policy, which accounts and
 * organisations may put events on it; KMS key; dead-letter queue; log level; description) and its tags, for every bus of a
 * region, the `default` bus included. Identifier: the bus name. Archives, connections and API destinations are not
 * captured.
 *
 * Volatile: `LastModifiedTime`, which moves with every update of the bus (its policy, description, key or queue):
 * what the update changed is in the document already, and an update that leaves everything as it was changes only
 * the time.
 */
export const eventsEventBus: ResourceDefinition = {
  type: TYPE,
  service: eventBridgeService,
  eventSource: EVENTS_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'events:ListEventBuses',
  permissions: ['events:ListEventBuses', 'events:DescribeEventBus', 'events:ListTagsForResource'],
  volatile: ['EventBus.LastModifiedTime'],
  secrets: [],
  events: BUS_EVENTS,
  list: listBuses,
  describe: (ctx, id, region) => describeBus(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    if (isJsonObject(raw.EventBus)) {
      const policy = parsePolicy(raw.EventBus.Policy);
      normalised.EventBus = policy === undefined ? raw.EventBus : { ...raw.EventBus, Policy: policy };
    }
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
};
