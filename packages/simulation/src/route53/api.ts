import {
  GetDNSSECCommand,
  GetHealthCheckCommand,
  GetHostedZoneCommand,
  type HealthCheck,
  type HostedZone,
  InvalidArgument,
  InvalidChangeBatch,
  InvalidInput,
  InvalidPaginationToken,
  ListHealthChecksCommand,
  ListHostedZonesCommand,
  ListQueryLoggingConfigsCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  NoSuchChange,
  NoSuchHealthCheck,
  NoSuchHostedZone,
  PriorRequestNotComplete,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import {
  type CallTarget,
  type CommandClass,
  defineOperation,
  type InputOf,
  type Operation,
  type OperationSpec,
  type OutputOf,
  type ServiceProfile,
} from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, optional } from '../model.js';
import { decodeMarker, encodeMarker } from '../paging.js';
import {
  bareZoneId,
  comparePositions,
  type Route53State,
  recordPosition,
  type SimHealthCheck,
  type SimHostedZone,
  sortedRecords,
} from './model.js';
import type { RequestRateWindow } from './rate.js';

/** Page sizes: the default when `MaxItems` is not given, and the most Route 53 returns in one page. */
const PAGE_SIZES = {
  hostedZones: { default: 100, max: 100 },
  recordSets: { default: 100, max: 300 },
  healthChecks: { default: 100, max: 1000 },
  queryLoggingConfigs: { default: 100, max: 100 },
} as const;

/** The ARN of a hosted zone, as access-denied messages name it. */
export function hostedZoneArn(id: string): string {
  return `arn:aws:route53:::hostedzone/${id}`;
}

/** The ARN of a health check, as access-denied messages name it. */
export function healthCheckArn(id: string): string {
  return `arn:aws:route53:::healthcheck/${id}`;
}

/** A zone as `GetHostedZone` and `ListHostedZones` describe it. */
export function hostedZoneOf(zone: SimHostedZone): HostedZone {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { ...optional('Comment', zone.comment), PrivateZone: zone.vpcs !== undefined },
    ResourceRecordSetCount: zone.records.size,
  };
}

/** A health check as `GetHealthCheck` and `ListHealthChecks` describe it. */
export function healthCheckOf(check: SimHealthCheck): HealthCheck {
  return {
    Id: check.id,
    CallerReference: check.callerReference,
    HealthCheckConfig: structuredClone(check.config),
    HealthCheckVersion: check.version,
  };
}

/** Declares operations whose every call first counts against `rate`, answering `Throttling` when over it. */
export function ratedOperations(rate: RequestRateWindow) {
  return function rated<C extends CommandClass>(
    command: C,
    spec: OperationSpec<InputOf<C>, OutputOf<C>>,
  ): Operation {
    return defineOperation(command, {
      ...spec,
      answer: (input, call) => {
        if (!rate.admit()) throw fault('Throttling', 400, 'Rate exceeded');
        return spec.answer(input, call);
      },
    });
  };
}

/** What a call naming a hosted zone touches: its bare id and ARN. */
export function zoneTarget(id: string | undefined): CallTarget {
  const bare = bareZoneId(id ?? '');
  return { ids: [bare], arn: hostedZoneArn(bare) };
}

/** What a call naming a tagged resource (`hostedzone` or `healthcheck`) touches. */
export function taggedTarget(resourceType: string | undefined, resourceId: string | undefined): CallTarget {
  return resourceType === 'healthcheck'
    ? { ids: [resourceId ?? ''], arn: healthCheckArn(resourceId ?? '') }
    : zoneTarget(resourceId);
}

/** The zone a call names (with or without `/hostedzone/`), or Route 53's `NoSuchHostedZone`. */
export function findZone(state: Route53State, id: string | undefined): SimHostedZone {
  const bare = bareZoneId(id ?? '');
  const found = state.zones.get(bare);
  if (!found) throw fault('NoSuchHostedZone', 404, `No hosted zone found with ID: ${bare}`);
  return found;
}

/**
 * The zone or health check a tagging call names, or Route 53's answer: `NoSuchHostedZone`, `NoSuchHealthCheck`, or
 * `InvalidInput` for another resource type.
 */
export function findTagged(
  state: Route53State,
  resourceType: string | undefined,
  resourceId: string | undefined,
): SimHostedZone | SimHealthCheck {
  if (resourceType === 'hostedzone') return findZone(state, resourceId);
  if (resourceType === 'healthcheck') return findHealthCheck(state, resourceId);
  throw fault('InvalidInput', 400, `The input is not valid: unknown resource type ${resourceType}`);
}

function findHealthCheck(state: Route53State, id: string | undefined): SimHealthCheck {
  const found = state.healthChecks.get(id ?? '');
  if (!found) throw fault('NoSuchHealthCheck', 404, `A health check with id ${id} does not exist.`);
  return found;
}

/**
 * The Route 53 API of the simulated account: hosted zones with their record sets, DNSSEC and query logging, health
 * checks, and tags, paged exactly as Route 53 pages them, with `writes` (see `route53WriteOperations`) beside these
 * reads. Every call first passes `rate`: over five requests per second it answers `Throttling` (when the window is
 * enabled).
 */
export function route53Profile(
  state: Route53State,
  model: AccountModel,
  rate: RequestRateWindow,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const rated = ratedOperations(rate);
  const zone = (id: string | undefined) => findZone(state, id);
  const healthCheck = (id: string | undefined) => findHealthCheck(state, id);

  return {
    service: 'route53',
    exceptions: {
      base: Route53ServiceException,
      modeled: {
        InvalidArgument,
        InvalidChangeBatch,
        InvalidInput,
        InvalidPaginationToken,
        NoSuchChange,
        NoSuchHealthCheck,
        NoSuchHostedZone,
        PriorRequestNotComplete,
      },
    },
    client: Route53Client,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDenied', status: 403 },
    }),
    operations: [
      rated(ListHostedZonesCommand, {
        action: 'route53:ListHostedZones',
        answer: (input) => {
          const maxItems = pageSize(input.MaxItems, PAGE_SIZES.hostedZones);
          const privateOnly = input.HostedZoneType === 'PrivateHostedZone';
          const zones = [...state.zones.values()]
            .filter((candidate) => !privateOnly || candidate.vpcs !== undefined)
            .sort((a, b) => comparePositions([a.id], [b.id]));
          const start =
            input.Marker === undefined
              ? 0
              : firstAtOrAfter(
                  zones.map((z) => [z.id]),
                  [bareZoneId(input.Marker)],
                );
          const page = zones.slice(start, start + maxItems);
          const next = zones[start + maxItems];
          return {
            HostedZones: page.map(hostedZoneOf),
            Marker: input.Marker,
            IsTruncated: next !== undefined,
            ...optional('NextMarker', next?.id),
            MaxItems: input.MaxItems ?? maxItems,
          };
        },
      }),
      rated(GetHostedZoneCommand, {
        action: 'route53:GetHostedZone',
        target: (input) => zoneTarget(input.Id),
        answer: (input) => {
          const found = zone(input.Id);
          return {
            HostedZone: hostedZoneOf(found),
            ...(found.vpcs === undefined
              ? { DelegationSet: { NameServers: [...found.nameServers] } }
              : { VPCs: structuredClone(found.vpcs) }),
          };
        },
      }),
      rated(ListResourceRecordSetsCommand, {
        action: 'route53:ListResourceRecordSets',
        target: (input) => zoneTarget(input.HostedZoneId),
        answer: (input) => {
          const found = zone(input.HostedZoneId);
          if (input.StartRecordType !== undefined && input.StartRecordName === undefined) {
            throw fault(
              'InvalidInput',
              400,
              'The input is not valid: StartRecordType requires StartRecordName',
            );
          }
          if (input.StartRecordIdentifier !== undefined && input.StartRecordType === undefined) {
            throw fault(
              'InvalidInput',
              400,
              'The input is not valid: StartRecordIdentifier requires StartRecordType',
            );
          }
          const maxItems = pageSize(input.MaxItems, PAGE_SIZES.recordSets);
          const records = sortedRecords(found);
          const { StartRecordName: name, StartRecordType: type, StartRecordIdentifier: identifier } = input;
          const first =
            name === undefined
              ? 0
              : firstAtOrAfter(
                  records.map((record) =>
                    recordPosition(record.Name ?? '', record.Type ?? '', record.SetIdentifier),
                  ),
                  recordPosition(name, type ?? '', identifier),
                );
          const next = records[first + maxItems];
          return {
            ResourceRecordSets: structuredClone(records.slice(first, first + maxItems)),
            IsTruncated: next !== undefined,
            ...optional('NextRecordName', next?.Name),
            ...optional('NextRecordType', next?.Type),
            ...optional('NextRecordIdentifier', next?.SetIdentifier),
            MaxItems: input.MaxItems ?? maxItems,
          };
        },
      }),
      rated(GetDNSSECCommand, {
        action: 'route53:GetDNSSEC',
        target: (input) => zoneTarget(input.HostedZoneId),
        answer: (input) => {
          const found = zone(input.HostedZoneId);
          if (found.vpcs !== undefined) {
            throw fault('InvalidArgument', 400, 'Operation is unsupported for private hosted zones.');
          }
          return {
            Status: { ServeSignature: found.dnssec?.serveSignature ?? 'NOT_SIGNING' },
            KeySigningKeys: structuredClone(found.dnssec?.keySigningKeys ?? []),
          };
        },
      }),
      rated(ListQueryLoggingConfigsCommand, {
        action: 'route53:ListQueryLoggingConfigs',
        target: (input) => (input.HostedZoneId === undefined ? { ids: [] } : zoneTarget(input.HostedZoneId)),
        answer: (input) => {
          const zoneId = input.HostedZoneId === undefined ? undefined : zone(input.HostedZoneId).id;
          const maxResults = pageSize(input.MaxResults, PAGE_SIZES.queryLoggingConfigs);
          const configs = state.queryLoggingConfigs
            .filter((config) => zoneId === undefined || config.hostedZoneId === zoneId)
            .sort((a, b) => comparePositions([a.id], [b.id]));
          const after = input.NextToken === undefined ? undefined : decodeMarker(input.NextToken);
          if (input.NextToken !== undefined && after === undefined) {
            throw fault(
              'InvalidPaginationToken',
              400,
              'The value that you specified for NextToken is not valid.',
            );
          }
          const start =
            after === undefined
              ? 0
              : firstAtOrAfter(
                  configs.map((c) => [c.id]),
                  [after],
                  false,
                );
          const page = configs.slice(start, start + maxResults);
          const last = page.at(-1);
          return {
            QueryLoggingConfigs: page.map((config) => ({
              Id: config.id,
              HostedZoneId: config.hostedZoneId,
              CloudWatchLogsLogGroupArn: config.logGroupArn,
            })),
            ...optional(
              'NextToken',
              start + maxResults < configs.length && last ? encodeMarker(last.id) : undefined,
            ),
          };
        },
      }),
      rated(ListTagsForResourceCommand, {
        action: 'route53:ListTagsForResource',
        target: (input) => taggedTarget(input.ResourceType, input.ResourceId),
        answer: (input) => {
          const tagged = findTagged(state, input.ResourceType, input.ResourceId);
          return {
            ResourceTagSet: {
              ResourceType: input.ResourceType,
              ResourceId: tagged.id,
              Tags: structuredClone(tagged.tags),
            },
          };
        },
      }),
      rated(ListHealthChecksCommand, {
        action: 'route53:ListHealthChecks',
        answer: (input) => {
          const maxItems = pageSize(input.MaxItems, PAGE_SIZES.healthChecks);
          const checks = [...state.healthChecks.values()].sort((a, b) => comparePositions([a.id], [b.id]));
          const start =
            input.Marker === undefined
              ? 0
              : firstAtOrAfter(
                  checks.map((c) => [c.id]),
                  [input.Marker],
                );
          const page = checks.slice(start, start + maxItems);
          const next = checks[start + maxItems];
          return {
            HealthChecks: page.map(healthCheckOf),
            Marker: input.Marker,
            IsTruncated: next !== undefined,
            ...optional('NextMarker', next?.id),
            MaxItems: input.MaxItems ?? maxItems,
          };
        },
      }),
      rated(GetHealthCheckCommand, {
        action: 'route53:GetHealthCheck',
        target: (input) => ({
          ids: [input.HealthCheckId ?? ''],
          arn: healthCheckArn(input.HealthCheckId ?? ''),
        }),
        answer: (input) => ({ HealthCheck: healthCheckOf(healthCheck(input.HealthCheckId)) }),
      }),
      ...writes,
    ],
  };
}

/** A page size: the default when none is asked, capped at the maximum; `InvalidInput` when not a positive integer. */
function pageSize(
  asked: number | undefined,
  sizes: { readonly default: number; readonly max: number },
): number {
  if (asked === undefined) return sizes.default;
  if (!Number.isInteger(asked) || asked < 1) {
    throw fault(
      'InvalidInput',
      400,
      `The input is not valid: MaxItems must be a positive integer, received ${asked}`,
    );
  }
  return Math.min(asked, sizes.max);
}

/**
 * Index of the first of the sorted positions at `bound` (or only after it, not `inclusive`); their number when none
 * is.
 */
function firstAtOrAfter(
  positions: readonly (readonly string[])[],
  bound: readonly string[],
  inclusive = true,
): number {
  const index = positions.findIndex((position) => {
    const order = comparePositions(position, bound);
    return order > 0 || (inclusive && order === 0);
  });
  return index < 0 ? positions.length : index;
}
