import { GetDomainCommand, GetDomainsCommand } from '@aws-sdk/client-lightsail';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, Json, JsonObject, ListedResource } from '../types/resource.js';
import {
  LIGHTSAIL_DNS_REGION,
  LIGHTSAIL_EVENT_SOURCE,
  lightsailItems,
  lightsailNames,
  lightsailTagsAsMap,
} from './lightsail-shared.js';
import { lightsailService } from './services.js';
import { isJsonObject, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::Lightsail::Domain';

/** CloudTrail events that create or delete a domain, change its records or its tags. */
const DOMAIN_EVENTS = [
  'CreateDomain',
  'DeleteDomain',
  'CreateDomainEntry',
  'UpdateDomainEntry',
  'DeleteDomainEntry',
  'TagResource',
  'UntagResource',
] as const;

/** The domains a Lightsail call names: `domainName`, a tagged domain, or the operations it answered. */
const domainFromRecord = lightsailNames('Domain', ['domainName']);

/** Lightsail answers domain calls only in us-east-1: every other region holds none. */
async function* listDomains(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  if (region !== LIGHTSAIL_DNS_REGION) return;
  const client = ctx.client(lightsailService, region);
  const domains = lightsailItems(ctx, async (pageToken) => {
    const page = await client.send(new GetDomainsCommand({ pageToken }));
    return { items: page.domains, nextPageToken: page.nextPageToken };
  });
  for await (const domain of domains) if (domain.name) yield { id: domain.name };
}

async function describeDomain(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const client = ctx.client(lightsailService, region);
  const got = await readPart({ type: TYPE, region, id: name, operation: 'lightsail:GetDomain' }, () =>
    ctx.limit(lightsailService)(() => client.send(new GetDomainCommand({ domainName: name }))),
  );
  if (got.state === 'not-found' || got.state === 'absent') return { status: 'not-found' };
  if (got.state === 'gap') return { status: 'gap', gap: got.gap };
  return { status: 'found', raw: { Domain: toJsonObject(got.value.domain ?? {}) } };
}

/** The sort key of a record: name, type, target, then id (two records may share the first three). */
function entryKey(entry: Json): string {
  if (!isJsonObject(entry)) return '';
  return [entry.name, entry.type, entry.target, entry.id].map((part) => String(part ?? '')).join('\u0000');
}

/** Records sorted by name, type, target and id: Lightsail returns them in no documented order. */
function sortedEntries(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  return [...value].sort((a, b) => {
    const [left, right] = [entryKey(a), entryKey(b)];
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

/**
 * `AWS::Lightsail::Domain`: a Lightsail DNS zone as `GetDomain` reports it: its records (name, type, target, alias
 * flag, options), sorted, and its tags. Identifier: the domain name. Lightsail's domain APIs exist only in us-east-1,
 * so the type lists domains there alone, whatever regions a capture covers.
 */
export const lightsailDomain: ResourceDefinition = {
  type: TYPE,
  service: lightsailService,
  eventSource: LIGHTSAIL_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'lightsail:GetDomains',
  permissions: ['lightsail:GetDomains', 'lightsail:GetDomain'],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(DOMAIN_EVENTS.map((name) => [name, domainFromRecord])),
  list: listDomains,
  describe: (ctx, id, region) => describeDomain(ctx, id, region),
  normalise(raw) {
    if (!isJsonObject(raw.Domain)) return { ...raw };
    const domain: JsonObject = { ...raw.Domain };
    const tags = lightsailTagsAsMap(raw.Domain.tags);
    if (tags !== undefined) domain.tags = tags;
    const entries = sortedEntries(raw.Domain.domainEntries);
    if (entries !== undefined) domain.domainEntries = entries;
    return { ...raw, Domain: domain };
  },
};
