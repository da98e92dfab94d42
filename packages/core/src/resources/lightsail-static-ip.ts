import { GetStaticIpCommand, GetStaticIpsCommand } from '@aws-sdk/client-lightsail';
import type { CaptureContext } from '../capture/context.js';
import { readPart } from '../capture/read-part.js';
import type { Described, ListedResource } from '../types/resource.js';
import { LIGHTSAIL_EVENT_SOURCE, lightsailItems, lightsailNames } from './lightsail-shared.js';
import { lightsailService } from './services.js';
import { toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::Lightsail::StaticIp';

/** CloudTrail events that allocate, release, attach or detach a static IP. */
const STATIC_IP_EVENTS = ['AllocateStaticIp', 'ReleaseStaticIp', 'AttachStaticIp', 'DetachStaticIp'] as const;

/** The static IPs a Lightsail call names: `staticIpName`, or the operations it answered. */
const staticIpFromRecord = lightsailNames('StaticIp', ['staticIpName']);

async function* listStaticIps(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(lightsailService, region);
  const staticIps = lightsailItems(ctx, async (pageToken) => {
    const page = await client.send(new GetStaticIpsCommand({ pageToken }));
    return { items: page.staticIps, nextPageToken: page.nextPageToken };
  });
  for await (const staticIp of staticIps) if (staticIp.name) yield { id: staticIp.name };
}

async function describeStaticIp(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const client = ctx.client(lightsailService, region);
  const got = await readPart({ type: TYPE, region, id: name, operation: 'lightsail:GetStaticIp' }, () =>
    ctx.limit(lightsailService)(() => client.send(new GetStaticIpCommand({ staticIpName: name }))),
  );
  if (got.state === 'not-found' || got.state === 'absent') return { status: 'not-found' };
  if (got.state === 'gap') return { status: 'gap', gap: got.gap };
  return { status: 'found', raw: { StaticIp: toJsonObject(got.value.staticIp ?? {}) } };
}

/**
 * `AWS::Lightsail::StaticIp`: a static IP as `GetStaticIp` reports it: its address, location and the instance it is
 * attached to. Identifier: the static IP name. Lightsail static IPs carry no tags.
 */
export const lightsailStaticIp: ResourceDefinition = {
  type: TYPE,
  service: lightsailService,
  eventSource: LIGHTSAIL_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'lightsail:GetStaticIps',
  permissions: ['lightsail:GetStaticIps', 'lightsail:GetStaticIp'],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(STATIC_IP_EVENTS.map((name) => [name, staticIpFromRecord])),
  list: listStaticIps,
  describe: (ctx, id, region) => describeStaticIp(ctx, id, region),
  normalise: (raw) => ({ ...raw }),
};
